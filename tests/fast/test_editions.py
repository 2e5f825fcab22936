"""The English edition (docs/en/, mkdocs.en.yml) says what the Chinese one says, checked mechanically.

Prose is translated; everything a reader can check is shared and must be identical, in the same
order: the pages and the nav, heading ids, display formulas, code included from snippets/, the
examples Sybil runs, correction notes, proof links, formula pins, quotations of the original and
figures; citations must match section by section, and the links from prose to other pages or
anchors of the site page by page; the glossary tables hold the same rows. A difference is
reported at the line of each edition, so a contributor who adds a sentence, a section or a page in one language sees where it
is missing in the other.
"""
import re
from collections import Counter
from pathlib import Path

import pytest

from markers import FENCE, MARKER
from pages import DOCS, EN, MKDOCS_EN, english_pages, nav_entries, pages, rel

HEADING = re.compile(r"^#{1,6}\s.*\{[^}]*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
CITATION = re.compile(r"\[(@[a-z0-9-]+(?:\s*;\s*@[a-z0-9-]+)*)\]")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
INVISIBLE = re.compile(r"^<!--\s*invisible-code-block:")
EN_SECTION = re.compile(r'(:[\w-]+)-en"')
LINK = re.compile(r"(?<!!)\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.I)
GLOSSARY_ROW = re.compile(r"^\|(.*)\|\s*$")


def skeleton(path):
    """What both editions of a page share: {kind: [(line, value)]}, citations per section, and the
    internal links of the prose as [(line, target)] (kind "link"; compared as a multiset, since a
    translation may put two links of a sentence in the other order)."""
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    shared = {kind: [] for kind in ("heading", "formula", "include", "code", "marker", "image")}
    links = []
    citations, section, fence, block = Counter(), "(top)", None, None
    i = 0
    while i < len(lines):
        number, line = i + 1, lines[i]
        opening = FENCE.match(line)
        if fence is not None:  # inside a code fence: collect it whole
            if opening and opening.group(1).startswith(fence):
                shared["code"].append((block[0], "\n".join(block[1])))
                fence = block = None
            else:
                block[1].append(line)
        elif opening:
            fence, block = opening.group(1), (number, [line.strip()])
        elif INVISIBLE.match(line.strip()):  # Sybil's hidden setup code runs in both editions
            end = next(j for j in range(i, len(lines)) if lines[j].strip().endswith("-->"))
            shared["code"].append((number, "\n".join(lines[i:end + 1])))
            i = end
        elif line.strip().startswith("$$"):
            end = i if line.strip() != "$$" and line.strip().endswith("$$") else next(
                j for j in range(i + 1, len(lines)) if lines[j].rstrip().endswith("$$"))
            shared["formula"].append((number, "\n".join(lines[i:end + 1]).strip()))
            i = end
        elif line.lstrip().startswith("--8<--"):
            # Prose included from another file comes in each language: section `guide` has `guide-en`.
            shared["include"].append((number, EN_SECTION.sub(r'\1"', line.strip())))
        elif MARKER.match(line.strip()):
            shared["marker"].append((number, line.strip()))
        elif HEADING.match(line):
            section = HEADING.match(line).group(1)
            shared["heading"].append((number, section))
        else:
            # A figure with words in it has an English twin: gan.svg on a Chinese page, gan.en.svg here.
            shared["image"] += [(number, target.replace(".en.", ".")) for target in IMAGE.findall(line)]
            citations.update((section, key.strip().lstrip("@")) for match in CITATION.finditer(line)
                             for key in match.group(1).split(";"))
            links += [(number, target) for target in LINK.findall(line) if not EXTERNAL.match(target)]
        i += 1
    shared["link"] = links
    return shared, citations


def counterpart(page):
    return EN / page.relative_to(DOCS)


def test_every_page_exists_in_both_editions():
    chinese = {page.relative_to(DOCS) for page in pages()}
    english = {page.relative_to(EN) for page in english_pages()}
    missing = [f"docs/en/{path.as_posix()}: missing; translate docs/{path.as_posix()} (every page exists in both editions)"
               for path in sorted(chinese - english)]
    missing += [f"docs/{path.as_posix()}: missing; docs/en/{path.as_posix()} has no Chinese original"
                for path in sorted(english - chinese)]

    assert not missing, "\n".join(missing)


def test_both_navs_list_the_same_pages_in_the_same_order():
    chinese, english = nav_entries(), nav_entries(MKDOCS_EN)
    problems = [f"mkdocs.en.yml:{en_line}: nav lists {en!r} where mkdocs.yml:{zh_line} lists {zh!r}"
                for (zh_line, zh), (en_line, en) in zip(chinese, english) if zh != en]
    if len(chinese) != len(english):
        longer, name = (chinese, "mkdocs.yml") if len(chinese) > len(english) else (english, "mkdocs.en.yml")
        problems += [f"{name}:{line}: nav lists {target!r}, which the other edition's nav lacks"
                     for line, target in longer[min(len(chinese), len(english)):]]

    assert not problems, "\n".join(problems)


def differences(zh_page, en_page):
    """`file:line: …` for each shared element that differs between the two editions of a page."""
    (zh, zh_citations), (en, en_citations) = skeleton(zh_page), skeleton(en_page)
    problems = unmatched(zh.pop("link"), en.pop("link"), zh_page, en_page, "link to")
    for kind in zh:
        for (zh_line, zh_value), (en_line, en_value) in zip(zh[kind], en[kind]):
            if zh_value != en_value:
                problems.append(f"{rel(en_page)}:{en_line}: {kind} differs from {rel(zh_page)}:{zh_line}: "
                                f"{en_value[:80]!r} here, {zh_value[:80]!r} there")
                break  # one per kind: after a missing element everything below is shifted
        else:
            for (line, value), page, other in [*((x, en_page, zh_page) for x in en[kind][len(zh[kind]):]),
                                               *((x, zh_page, en_page) for x in zh[kind][len(en[kind]):])]:
                problems.append(f"{rel(page)}:{line}: {kind} {value[:80]!r} has no counterpart in {rel(other)}")
    for (section, key), count in sorted((zh_citations - en_citations).items()):
        problems.append(f"{rel(en_page)}: section #{section} cites @{key} {count} time(s) fewer than {rel(zh_page)}")
    for (section, key), count in sorted((en_citations - zh_citations).items()):
        problems.append(f"{rel(zh_page)}: section #{section} cites @{key} {count} time(s) fewer than {rel(en_page)}")
    return problems


def unmatched(zh, en, zh_page, en_page, what):
    """`file:line: …` for each (line, value) of one edition that the other lacks, counting repeats."""
    problems = []
    for mine, theirs, page, other in [(en, zh, en_page, zh_page), (zh, en, zh_page, en_page)]:
        left = Counter(value for _, value in theirs)
        for line, value in mine:
            if left[value]:
                left[value] -= 1
            else:
                problems.append(f"{rel(page)}:{line}: {what} {value[:80]!r} has no counterpart in {rel(other)}")
    return problems


def glossary_rows(path):
    """[(line, row)] of the glossary's term table, without its header (which each edition words in its
    own language) and the separator; cells are compared with their spacing normalised."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").split("\n"), 1):
        match = GLOSSARY_ROW.match(line.strip())
        if match:
            rows.append((number, " | ".join(cell.strip() for cell in match.group(1).split("|"))))
    return rows[2:] if len(rows) >= 2 and set(rows[1][1]) <= set("-:| ") else rows


def test_both_glossaries_hold_the_same_rows():
    problems = unmatched(glossary_rows(DOCS / "glossary.md"), glossary_rows(EN / "glossary.md"),
                         DOCS / "glossary.md", EN / "glossary.md", "glossary row")

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_both_editions_share_ids_formulas_code_notes_and_citations(page):
    english = counterpart(page)
    if not english.is_file():
        pytest.fail(f"docs/en/{page.relative_to(DOCS).as_posix()}: missing; translate {rel(page)}", pytrace=False)

    problems = differences(page, english)

    assert not problems, "\n".join(problems)


def test_an_english_figure_has_no_chinese_and_a_chinese_twin():
    english = sorted((DOCS / "assets").rglob("*.en.svg"))
    problems = [f"{rel(svg)}: Chinese text left in the English figure: {CHINESE.findall(svg.read_text(encoding='utf-8'))[:3]}"
                for svg in english if CHINESE.search(svg.read_text(encoding="utf-8"))]
    problems += [f"{rel(svg)}: no Chinese figure {svg.name.replace('.en.', '.')} beside it"
                 for svg in english if not svg.with_name(svg.name.replace(".en.", ".")).is_file()]

    assert english and not problems, "\n".join(problems)


def test_a_figure_with_chinese_words_has_an_english_twin():
    figures = [svg for svg in sorted((DOCS / "assets").rglob("*.svg")) if ".en." not in svg.name]
    missing = [f"{rel(svg)}: has Chinese text; draw {svg.name.replace('.svg', '.en.svg')} for the English edition"
               for svg in figures if CHINESE.search(svg.read_text(encoding="utf-8"))
               and not svg.with_name(svg.name.replace(".svg", ".en.svg")).is_file()]

    assert not missing, "\n".join(missing)


ZH_PAGE = """# 标题

## 第一节 { #first }

正文[@vaswani2017]，见[第二节](#second)和 [GAN 页](gan.md)，外链 [arXiv](https://arxiv.org/abs/1706.03762) 不比较。

$$
a = b \\tag{1}
$$
<!-- proof: tests/test_attention.py::test_attention_matches_torch_sdpa -->

## 第二节 { #second }

<!-- correction: attention-double-scaling -->
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("change, expected", [
    (("## Second { #second }", ""), ["zh.md:12: heading 'second' has no counterpart in"]),
    (("a = b", "a = c"), ["en.md:7: formula differs from", "zh.md:7"]),
    (("[@vaswani2017]", ""), ["en.md: section #first cites @vaswani2017 1 time(s) fewer than"]),
    (("<!-- correction: attention-double-scaling -->", ""), ["zh.md:14: marker '<!-- correction: attention-double-scaling -->' has no counterpart"]),
    ((" and [GAN page](gan.md)", ""), ["zh.md:5: link to 'gan.md' has no counterpart in", "en.md"]),
    (("(#second)", "(#first)"), ["en.md:5: link to '#first' has no counterpart in", "zh.md:5: link to '#second' has no counterpart"]),
    (("Text[@vaswani2017]", "Text[@vaswani2017], also [the notebook](notebooks/x.ipynb)"),
     ["en.md:5: link to 'notebooks/x.ipynb' has no counterpart in"]),
])
def test_a_difference_between_the_editions_is_named_with_file_and_line(tmp_path, change, expected):
    english = (ZH_PAGE.replace("# 标题", "# Title").replace("## 第一节", "## First").replace("正文", "Text")
               .replace("，见[第二节](#second)和 [GAN 页](gan.md)，外链", ", see [the second section](#second) and [GAN page](gan.md); the external")
               .replace("不比较。", "is not compared.").replace("## 第二节", "## Second"))
    zh, en = write(tmp_path, "zh.md", ZH_PAGE), write(tmp_path, "en.md", english.replace(*change))

    problems = "\n".join(differences(zh, en))

    assert differences(zh, write(tmp_path, "same.md", english)) == []
    for text in expected:
        assert text in problems, problems


def test_a_page_in_one_edition_only_is_named(monkeypatch, tmp_path):
    (tmp_path / "en").mkdir()
    only_zh, only_en = write(tmp_path, "new.md", "# 新\n"), write(tmp_path / "en", "other.md", "# Other\n")
    monkeypatch.setattr(__import__(__name__), "DOCS", tmp_path)
    monkeypatch.setattr(__import__(__name__), "EN", tmp_path / "en")
    monkeypatch.setattr(__import__(__name__), "pages", lambda: [only_zh])
    monkeypatch.setattr(__import__(__name__), "english_pages", lambda: [only_en])

    with pytest.raises(AssertionError) as failure:
        test_every_page_exists_in_both_editions()

    assert "docs/en/new.md: missing; translate docs/new.md" in str(failure.value)
    assert "docs/other.md: missing; docs/en/other.md has no Chinese original" in str(failure.value)


ZH_GLOSSARY = """# 术语表

| English | 采用 | 不用 |
|---|---|---|
| attention | 注意力 | 关注度 |
| token | 词元 | 令牌 |
"""


@pytest.mark.parametrize("change, expected", [
    (("| token | 词元 | 令牌 |\n", ""), ["docs/glossary.md:6: glossary row 'token | 词元 | 令牌' has no counterpart in docs/en/glossary.md"]),
    (("| 令牌 |", "| 令牌、代币 |"), ["docs/en/glossary.md:6: glossary row 'token | 词元 | 令牌、代币' has no counterpart",
                                  "docs/glossary.md:6: glossary row 'token | 词元 | 令牌' has no counterpart"]),
])
def test_a_glossary_row_missing_from_one_edition_is_named_with_file_and_line(monkeypatch, tmp_path, change, expected):
    (tmp_path / "en").mkdir()
    english = ZH_GLOSSARY.replace("# 术语表", "# Glossary").replace("| 采用 | 不用 |", "| Chinese: use | Chinese: avoid |")
    write(tmp_path, "glossary.md", ZH_GLOSSARY)
    write(tmp_path / "en", "glossary.md", english)
    monkeypatch.setattr(__import__(__name__), "DOCS", tmp_path)
    monkeypatch.setattr(__import__(__name__), "EN", tmp_path / "en")
    monkeypatch.setattr(__import__(__name__), "rel", lambda path: "docs/" + Path(path).relative_to(tmp_path).as_posix())
    test_both_glossaries_hold_the_same_rows()                 # identical rows pass

    write(tmp_path / "en", "glossary.md", english.replace(*change))
    with pytest.raises(AssertionError) as failure:
        test_both_glossaries_hold_the_same_rows()

    for text in expected:
        assert text in str(failure.value), str(failure.value)
