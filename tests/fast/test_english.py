"""English copy: proselint's checks, and no Chinese outside a quotation of the original.

proselint (pinned in requirements-docs.txt) is a well-kept prose linter that runs offline; it
flags clichés, redundancies, misused words and typography slips. The English edition quotes the
original article in Chinese on purpose: Chinese is allowed inside 「…」 (a quotation) and 《…》 (a
Chinese title), and in the original's verbatim quotations (`<!-- seed-quote -->` regions, which
prose_lines blanks), and in the glossary's table, which gives both languages' terms; anywhere else
it is a slip of translation, and so is full-width punctuation. The English text of the notebooks'
Markdown cells (docs/notebooks/*.en.yml) is checked the same way, at its line in that file.
"""
import re
from pathlib import Path

from proselint.checks import __register__
from proselint.config import DEFAULT
from proselint.registry import CheckRegistry
from proselint.tools import LintFile

from pages import DOCS, english_pages, prose_lines, rel
from scripts.translate_notebooks import load_translations

CheckRegistry().register_many(__register__)
# proselint checks we do not apply, and why:
NOT_APPLIED = {
    "typography.symbols.curly_quotes",  # the site writes straight quotes everywhere, as Markdown does
    "typography.symbols.ellipsis",      # "…" and "..." both appear in quoted sources; we keep their own
}
# proselint takes the first matching key, so the specific ones come first.
CONFIG = {**DEFAULT, "checks": {**{name: False for name in NOT_APPLIED}, **DEFAULT["checks"]}}
QUOTED = re.compile(r"「[^」]*」|《[^》]*》")
SOURCE_WORDS = re.compile(r'"[^"\n]*"')  # a source's own words, quoted: not ours to restyle
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def proselint_problems(path):
    """One proselint run over the page's prose (a run per line took ten seconds). The lines are
    joined with a blank line between them, so no phrase check reads across two, while page-wide
    checks (one spelling of a word throughout) see the whole page; each result's line in the
    joined text leads back to the page's line."""
    numbers, texts = [], []
    for number, line in prose_lines(path):
        text = SOURCE_WORDS.sub('"x"', QUOTED.sub("x", line))
        if text.strip() and not text.lstrip().startswith(("|---", "<")):
            numbers.append(number)
            texts.append(text)
    return [f"{rel(path)}:{numbers[(result.pos[0] - 1) // 2]}: {result.check_result.check_path}: "
            f"{result.check_result.message}" for result in LintFile(str(path), "\n\n".join(texts)).lint(CONFIG)]


def chinese_problems(path):
    problems = []
    glossary = Path(path).name == "glossary.md"  # its table gives both languages' terms, by design
    for number, line in prose_lines(path):
        if glossary and line.lstrip().startswith("|"):
            continue
        found = CHINESE.findall(QUOTED.sub("", line))
        if found:
            problems.append(f"{rel(path)}:{number}: Chinese outside a quotation: {''.join(found)[:20]!r} in "
                            f"{line.strip()[:60]!r}; translate it, or quote the original in 「…」")
    return problems


def test_english_pages_pass_proselint():
    problems = [problem for page in english_pages() for problem in proselint_problems(page)]

    assert not problems, "\n".join(problems)


def test_english_pages_have_no_chinese_outside_quotations():
    problems = [problem for page in english_pages() for problem in chinese_problems(page)]

    assert not problems, "\n".join(problems)


def notebook_translation_problems(check, tmp_path, tables=None):
    """check() on the English of every notebook cell, each problem at its line in the .en.yml file."""
    problems = []
    for table in tables or sorted((DOCS / "notebooks").glob("*.en.yml")):
        for cell_id, entry in load_translations(table).items():
            text = tmp_path / f"{cell_id}.md"
            text.write_text(entry["en"], encoding="utf-8")
            for problem in check(text):
                line, message = problem.removeprefix(f"{rel(text)}:").split(":", 1)
                problems.append(f"{rel(table)}:{entry['en_line'] + int(line) - 1}:{message}")
    return problems


def test_english_notebook_text_passes_proselint(tmp_path):
    problems = notebook_translation_problems(proselint_problems, tmp_path)

    assert not problems, "\n".join(problems)


def test_english_notebook_text_has_no_chinese_outside_quotations(tmp_path):
    problems = notebook_translation_problems(chinese_problems, tmp_path)

    assert not problems, "\n".join(problems)


def test_a_slip_is_reported_with_file_line_and_check(tmp_path):
    page = tmp_path / "slip.md"
    page.write_text("# Title\n\nThis is a very unique result。 The original says 「目前是特斯拉AI首席科学家」.\n",
                    encoding="utf-8")

    assert any(p.startswith(f"{page}:3: uncomparables") for p in proselint_problems(page))
    (problem,) = chinese_problems(page)
    assert problem.startswith(f"{page}:3: Chinese outside a quotation: '。' in 'This is a very unique result。")


def test_a_slip_in_a_notebook_translation_is_reported_at_its_line_in_the_yml(tmp_path):
    table = tmp_path / "x.en.yml"
    table.write_text("a1:\n  zh: |-\n    ## 小结\n\n    很独特。\n  en: |-\n    ## Summary\n\n    A very unique result。\n",
                     encoding="utf-8")
    (tmp_path / "cells").mkdir()

    assert any(p.startswith(f"{table}:9: uncomparables")
               for p in notebook_translation_problems(proselint_problems, tmp_path / "cells", [table]))
    assert notebook_translation_problems(chinese_problems, tmp_path / "cells", [table]) == [
        f"{table}:9: Chinese outside a quotation: '。' in 'A very unique result。'; translate it, or quote the "
        "original in 「…」"]


def test_one_run_per_page_still_names_each_slips_own_line(tmp_path):
    page = tmp_path / "slips.md"
    page.write_text("# Title\n\nA plain sentence.\n\nThis is very unique.\n\nAnother plain one.\n\nIt was the most unique.\n",
                    encoding="utf-8")

    assert [p.split(": ")[0] for p in proselint_problems(page) if ": uncomparables" in p] == [f"{page}:5", f"{page}:9"]
