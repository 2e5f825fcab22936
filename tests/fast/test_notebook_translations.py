"""Each English notebook is made from its Chinese source and translations, and says what it says.

docs/en/notebooks/X.ipynb is written by scripts/translate_notebooks.py from docs/notebooks/X.ipynb
and docs/notebooks/X.en.yml. It must be exactly what the script makes (outputs aside, which
tests/test_notebooks.py checks), so an edit by hand fails here, naming the file and the cell; so do
a Markdown cell without English, a translation of Chinese that has since changed, and a translation
of a cell that is gone. As for pages (tests/fast/test_editions.py), what a reader can check is shared:
each translated cell keeps its Chinese cell's heading levels, formulas, code spans and links, and
states the same numbers. The English notebooks' outputs hold no Chinese: the cell tagged
`parameters` sets LANG, and the cells print their words in that language.
"""
import re
import shutil
from collections import Counter

import nbformat
import pytest

from cited_numbers import claims, facts
from pages import math_in, rel
from project_data import ROOT
from scripts import translate_notebooks
from scripts.translate_notebooks import (COMMAND, TranslationError, differences, english, english_path,
                                         load_translations, sources, translations_path, write)

SOURCES = sources()
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
HEADING = re.compile(r"^(#{1,6})\s", re.M)
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
LINK = re.compile(r"\]\(([^)\s]+)")


def notebook_id(path):
    return path.stem if path else "none"


@pytest.mark.parametrize("source", SOURCES or [None], ids=notebook_id)
def test_the_english_notebook_is_what_the_script_makes_from_source_and_translations(source):
    assert source is not None, "no notebook found in docs/notebooks/*.ipynb"

    problems = differences(source)

    assert not problems, "\n".join(problems)


def test_every_english_notebook_has_a_chinese_source():
    english = sorted((ROOT / translate_notebooks.ENGLISH).glob("*.ipynb"))
    orphans = [f"{rel(path)}: no source docs/notebooks/{path.name}; the English edition is made from one"
               for path in english if not (ROOT / translate_notebooks.SOURCES / path.name).is_file()]

    assert english and not orphans, "\n".join(orphans)


def shared(text):
    """What a translation keeps from its Chinese cell: heading levels, formulas, code spans, links."""
    return {
        "heading levels": [len(m.group(1)) for m in HEADING.finditer(text)],
        "formulas": Counter((tex.strip(), display) for _, tex, display in math_in(text)),
        "code spans": sorted({m.group(2).strip() for m in CODE_SPAN.finditer(text)}),
        "links": sorted(set(LINK.findall(text))),
    }


def kept_problems(table):
    """`table:line: …` for each translation that does not keep what its Chinese cell shows."""
    problems = []
    for cell_id, entry in load_translations(table).items():
        zh, en = shared(entry["zh"]), shared(entry["en"])
        for kind in zh:
            if zh[kind] != en[kind]:
                problems.append(f"{rel(table)}:{entry['en_line']}: the English of cell {cell_id} has {kind} "
                                f"{en[kind]!r}, its Chinese {zh[kind]!r}; keep them the same")
        missing = [written for written, value in claims(entry["zh"]) if value not in facts(entry["en"])]
        added = [written for written, value in claims(entry["en"]) if value not in facts(entry["zh"])]
        if missing or added:
            problems.append(f"{rel(table)}:{entry['en_line']}: the English of cell {cell_id} states other numbers "
                            f"than its Chinese: {missing} only in the Chinese, {added} only in the English")
    return problems


@pytest.mark.parametrize("source", SOURCES or [None], ids=notebook_id)
def test_each_translated_cell_keeps_headings_formulas_code_links_and_numbers(source):
    assert source is not None, "no notebook found in docs/notebooks/*.ipynb"

    problems = kept_problems(translations_path(source))

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source", SOURCES or [None], ids=notebook_id)
def test_the_english_notebook_prints_no_chinese(source):
    assert source is not None, "no notebook found in docs/notebooks/*.ipynb"
    path = english_path(source)
    nb = nbformat.read(path, as_version=4)

    problems = [f"{rel(path)}: cell {number} prints Chinese: {''.join(CHINESE.findall(text))[:20]!r}; print its "
                f"words from a dict keyed by LANG (the cell tagged `parameters`), as the other cells do"
                for number, cell in enumerate(nb.cells, start=1) if cell.cell_type == "code"
                for text in printed(cell) if CHINESE.search(text)]

    assert nb.cells and not problems, "\n".join(problems)


def printed(cell):
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            yield out["text"]
        for kind in ("text/plain", "text/markdown"):
            if kind in out.get("data", {}):
                yield out["data"][kind]


# ---------------------------------------------------------------- the guards catch what they should

GAN = "gan-training"


@pytest.fixture
def project(tmp_path):
    """Both editions' notebooks and the translations in a scratch root, to break on purpose."""
    for folder in ("docs/notebooks", "docs/en/notebooks"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def edit_cell(path, cell_id, change):
    nb = nbformat.read(path, as_version=4)
    number, cell = next((n, c) for n, c in enumerate(nb.cells, start=1) if c.id == cell_id)
    change(cell)
    nbformat.write(nb, path)
    return number


def line_of(path, needle):
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1) if needle in line)


def test_a_hand_edited_english_cell_is_named_with_the_fix(project):
    target = project / "docs/en/notebooks" / f"{GAN}.ipynb"
    number = edit_cell(target, "4d380e39", lambda c: setattr(c, "source", c.source.replace("Training", "Learning")))

    (problem,) = differences(project / "docs/notebooks" / f"{GAN}.ipynb", project)

    assert problem.startswith(f"docs/en/notebooks/{GAN}.ipynb: cell {number} (id 4d380e39, `## Learning`): its source")
    assert f"docs/notebooks/{GAN}.en.yml" in problem and COMMAND in problem


def test_an_english_code_cell_must_be_the_sources_code(project):
    target = project / "docs/en/notebooks" / f"{GAN}.ipynb"
    number = edit_cell(target, "003f3db0", lambda c: setattr(c, "source", c.source.replace("seed=0", "seed=1")))

    (problem,) = differences(project / "docs/notebooks" / f"{GAN}.ipynb", project)

    assert problem.startswith(f"docs/en/notebooks/{GAN}.ipynb: cell {number} (id 003f3db0, `G, losses = ")


def test_the_english_notebook_sets_lang_en_and_changes_no_other_code():
    for source in SOURCES:
        chinese, made = nbformat.read(source, as_version=4), english(source)
        changed = [(zh.source, en.source) for zh, en in zip(chinese.cells, made.cells)
                   if zh.cell_type == "code" and zh.source != en.source]

        assert changed == [(zh, zh.replace('LANG = "zh"', 'LANG = "en"'))
                           for zh, _ in changed] and len(changed) == 1, rel(source)


def test_a_markdown_cell_without_english_is_named(project):
    source = project / "docs/notebooks" / f"{GAN}.ipynb"
    nb = nbformat.read(source, as_version=4)
    new = nbformat.v4.new_markdown_cell("## 新的一节\n\n还没有翻译。")
    new["id"] = "new-section"
    nb.cells.insert(3, new)
    nbformat.write(nb, source)

    with pytest.raises(TranslationError) as raised:
        english(source, project)

    assert str(raised.value) == (
        f"docs/notebooks/{GAN}.en.yml: no English for cell 4 (id new-section, `## 新的一节`) of "
        f"docs/notebooks/{GAN}.ipynb; add `new-section:` with `zh:` (the cell's text) and `en:` (its English)")
    assert differences(source, project) == [str(raised.value)]


def test_chinese_changed_since_its_translation_is_named_at_the_yml_line(project):
    source = project / "docs/notebooks" / f"{GAN}.ipynb"
    number = edit_cell(source, "7a0c420f", lambda c: setattr(c, "source", c.source.replace("64 个数字", "32 个数字")))
    table = project / "docs/notebooks" / f"{GAN}.en.yml"
    line = line_of(table, "左边是生成器画出的 64 个数字")

    with pytest.raises(TranslationError) as raised:
        english(source, project)

    assert str(raised.value).startswith(f"docs/notebooks/{GAN}.en.yml:{line}: the Chinese of cell {number} "
                                        f"(id 7a0c420f, `## 生成的数字`) in docs/notebooks/{GAN}.ipynb has changed "
                                        "since it was translated (this line now reads '左边是生成器画出的 32 个数字")


def test_a_translation_of_no_cell_and_a_malformed_one_are_named_at_their_lines(project):
    table = project / "docs/notebooks" / f"{GAN}.en.yml"
    table.write_text(table.read_text(encoding="utf-8") + "\ngone:\n  zh: 旧的\n  en: Old\n\nhalf:\n  en: Only English\n",
                     encoding="utf-8")

    with pytest.raises(TranslationError) as raised:
        english(project / "docs/notebooks" / f"{GAN}.ipynb", project)

    assert str(raised.value) == (f"docs/notebooks/{GAN}.en.yml:{line_of(table, 'half:')}: cell 'half' needs exactly "
                                 "two texts, `zh:` (the cell's Chinese) and `en:` (its English)")
    table.write_text(table.read_text(encoding="utf-8").replace("half:\n  en: Only English\n", ""), encoding="utf-8")
    with pytest.raises(TranslationError) as raised:
        english(project / "docs/notebooks" / f"{GAN}.ipynb", project)
    assert str(raised.value).startswith(f"docs/notebooks/{GAN}.en.yml:{line_of(table, 'gone:')}: no Markdown cell "
                                        f"in docs/notebooks/{GAN}.ipynb has the id 'gone'")


def test_a_parameters_cell_without_the_lang_line_is_named(project):
    source = project / "docs/notebooks" / f"{GAN}.ipynb"
    number = edit_cell(source, "language", lambda c: setattr(c, "source", "LANGUAGE = 'zh'"))

    with pytest.raises(TranslationError) as raised:
        english(source, project)

    assert str(raised.value).startswith(f"docs/notebooks/{GAN}.ipynb: cell {number} (id language, `LANGUAGE = 'zh'`) "
                                        'is tagged `parameters` and must set the language in one line `LANG = "zh"`')


def test_a_dropped_translation_number_or_code_span_is_named(tmp_path):
    table = tmp_path / "x.en.yml"
    table.write_text("a:\n  zh: |-\n    用 `gate` 训练 600 步。\n  en: |-\n    Train for 60 steps with the gate.\n",
                     encoding="utf-8")

    problems = kept_problems(table)

    assert problems == [
        f"{table}:5: the English of cell a has code spans [], its Chinese ['gate']; keep them the same",
        f"{table}:5: the English of cell a states other numbers than its Chinese: ['600'] only in the Chinese, "
        "['60'] only in the English"]


def test_rewriting_keeps_outputs_of_unchanged_code_and_drops_the_others(project):
    source = project / "docs/notebooks" / f"{GAN}.ipynb"
    target = project / "docs/en/notebooks" / f"{GAN}.ipynb"
    before = nbformat.read(target, as_version=4)
    edit_cell(source, "003f3db0", lambda c: setattr(c, "source", c.source + "\n"))

    write(source, project)

    after = nbformat.read(target, as_version=4)
    kept = [cell.id for old, cell in zip(before.cells, after.cells) if cell.cell_type == "code" and cell.outputs == old.outputs]
    assert "003f3db0" not in kept and not after.cells[[c.id for c in after.cells].index("003f3db0")].outputs
    assert {"3d603473", "46ee119c"} <= set(kept) and after.metadata["freshness"] == before.metadata["freshness"]
    assert differences(source, project) == []
