"""English copy: proselint's checks, and no Chinese outside a quotation of the original.

proselint (pinned in requirements-docs.txt) is a well-kept prose linter that runs offline; it
flags clichés, redundancies, misused words and typography slips. The English edition quotes the
original article in Chinese on purpose: Chinese is allowed inside 「…」 (a quotation) and 《…》 (a
Chinese title), and in the original's verbatim quotations (`<!-- seed-quote -->` regions, which
prose_lines blanks), and in the glossary's table, which gives both languages' terms; anywhere else
it is a slip of translation, and so is full-width punctuation.
"""
import re
from pathlib import Path

from proselint.checks import __register__
from proselint.config import DEFAULT
from proselint.registry import CheckRegistry
from proselint.tools import LintFile

from pages import english_pages, prose_lines, rel

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
    problems = []
    for number, line in prose_lines(path):
        text = SOURCE_WORDS.sub('"x"', QUOTED.sub("x", line))
        if not text.strip() or text.lstrip().startswith(("|---", "<")):
            continue
        for result in LintFile(str(path), text).lint(CONFIG):
            problems.append(f"{rel(path)}:{number}: {result.check_result.check_path}: {result.check_result.message}")
    return problems


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


def test_a_slip_is_reported_with_file_line_and_check(tmp_path):
    page = tmp_path / "slip.md"
    page.write_text("# Title\n\nThis is a very unique result。 The original says 「目前是特斯拉AI首席科学家」.\n",
                    encoding="utf-8")

    assert any(p.startswith(f"{page}:3: uncomparables") for p in proselint_problems(page))
    (problem,) = chinese_problems(page)
    assert problem.startswith(f"{page}:3: Chinese outside a quotation: '。' in 'This is a very unique result。")
