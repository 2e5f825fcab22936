"""Mistakes the fast tier catches, each named by file, line and the fix.

Two copies of the project, one pytest run each, so a dozen mistakes cost two runs:
- the data files: a duplicate or malformed ledger id, `sources` not a list or empty, a title too
  long or with math in it, a duplicate reference key, a web reference without `accessed` or
  without excerpts, an excerpt without text, language or read date, or with an unknown field,
  malformed YAML;
- the pages: a paragraph wrapped across lines, a term without its English name, an avoided
  term, a heading without an id or with a duplicate one, an image without alt text, an uncited
  reference, a correction shown twice or on the wrong page, a page
  missing from the nav, an image or link to nothing, an include of a missing section, a
  formula without a pin or pinned to nothing, a misspelt marker, an unclosed quotation, a
  misquote of the original, pasted Python, an include fence tagged `python`, a whole-file
  include of a snippet.
The references are broken in a copy of their own: the ledger check reads them first, and a
broken bibliography would hide the ledger's own mistakes.
"""
import pytest

from projectcopy import append, copy_project, line_of, pytest_output

LEDGER_ENTRY = """
- id: {id}
  title: {title}
  page: concepts.md
  anchor: gan
  category: image
  original: 目前是特斯拉AI首席科学家。
  corrected: 改写。
  why: 理由。
  sources: {sources}
"""
WHOLE_FILE = '--8<-- "snippets/attention.py"'
REFERENCE = """
- key: {key}
  type: {type}
  title: A Probe
  year: 2020
  url: https://example.org/probe
"""
EMPTY_TEXT = 'text: ""'
EXCERPTS = """
- key: probe-excerpts
  type: news
  title: A Probe With Bad Excerpts
  year: 2020
  url: https://example.org/probe
  accessed: 2026-12-01
  excerpts:
  - text: "A sentence, read and dated."
    lang: en
    read: 2026-12-01
  - text: ""
    lang: en
    read: 2026-12-01
  - text: "A sentence without its language."
    read: 2026-12-01
  - text: "A sentence read on no date."
    lang: en
    read: last week
  - text: "A sentence with a typo in a field name."
    lang: en
    read: 2026-12-01
    source: somewhere
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """Mistakes in the ledger and formulas.yml, checked by one run: ({mistake: `file:line`}, output)."""
    project = copy_project(tmp_path_factory.mktemp("data-mistakes") / "project")
    ledger, formulas = project / "docs" / "corrections.yml", project / "docs" / "formulas.yml"
    append(ledger, LEDGER_ENTRY.format(id="image-gan", title="示例", sources="[goodfellow2014]"))
    append(ledger, LEDGER_ENTRY.format(id="Bad_Id", title="示例", sources="[goodfellow2014]"))
    append(ledger, LEDGER_ENTRY.format(id="sources-not-a-list", title="示例", sources="goodfellow2014"))
    append(ledger, LEDGER_ENTRY.format(id="without-sources", title="示例", sources="[]"))
    append(ledger, LEDGER_ENTRY.format(id="long-title", title="一个把原文的错误和更正的来龙去脉都说清楚的长句子",
                                       sources="[goodfellow2014]"))
    append(ledger, LEDGER_ENTRY.format(id="math-title", title="价值函数漏掉了 $\\max_D$", sources="[goodfellow2014]"))
    append(formulas, "\n- id: [broken\n")
    at = {
        "duplicate id": f"docs/corrections.yml:{line_of(ledger, 'id: image-gan', nth=2)}",
        "first id": line_of(ledger, "id: image-gan"),
        "malformed id": f"docs/corrections.yml:{line_of(ledger, 'id: Bad_Id')}",
        "sources not a list": f"docs/corrections.yml:{line_of(ledger, 'sources: goodfellow2014')}",
        "no sources": f"docs/corrections.yml:{line_of(ledger, 'id: without-sources')}",
        "long title": f"docs/corrections.yml:{line_of(ledger, 'title: 一个把原文的错误')}",
        "math title": f"docs/corrections.yml:{line_of(ledger, 'title: 价值函数漏掉了 $')}",
        "malformed YAML": f"docs/formulas.yml:{line_of(formulas, 'id: [broken') + 1}",
    }
    output = pytest_output(project, "tests/fast/test_ledger.py::test_every_ledger_entry_is_complete_and_sourced",
                           "tests/fast/test_formulas.py::test_the_pinned_forms_are_well_formed")
    return at, output


def test_a_duplicate_ledger_id(data):
    at, output = data

    assert f"{at['duplicate id']}: correction 'image-gan': the id is used twice (first at line {at['first id']}); " \
           "ids must be unique: rename this one" in output


def test_a_malformed_ledger_id(data):
    at, output = data

    assert f"{at['malformed id']}: correction 'Bad_Id': 'id' must be lowercase letters, digits and hyphens" in output


def test_sources_not_a_list(data):
    at, output = data

    assert f"{at['sources not a list']}: correction 'sources-not-a-list': 'sources' must be a list of keys " \
           "from docs/references.yml, one per line" in output


def test_a_correction_without_a_source(data):
    at, output = data

    assert f"{at['no sources']}: correction 'without-sources': missing sources (every correction needs all of:" in output


def test_a_title_too_long(data):
    at, output = data

    assert f"{at['long title']}: correction 'long-title': 'title' is 48 columns wide; say what was corrected " \
           "in a few words (at most 36 columns, a Chinese character counts two)" in output


def test_a_title_with_math(data):
    at, output = data

    assert f"{at['math title']}: correction 'math-title': 'title' is plain words (a `code` span is allowed): " \
           "no math, links, emphasis or HTML" in output


def test_malformed_yaml(data):
    at, output = data

    assert f"{at['malformed YAML']}: not valid YAML:" in output and "check the indentation" in output


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("reference-mistakes") / "project")
    bib = project / "docs" / "references.yml"
    append(bib, REFERENCE.format(key="goodfellow2014", type="paper"))
    append(bib, REFERENCE.format(key="probe-web", type="web"))
    append(bib, EXCERPTS)
    at = {"duplicate key": f"docs/references.yml:{line_of(bib, 'key: goodfellow2014', nth=2)}",
          "first key": line_of(bib, "key: goodfellow2014"),
          "no accessed": f"docs/references.yml:{line_of(bib, 'key: probe-web')}",
          "no excerpts": f"docs/references.yml:{line_of(bib, 'key: probe-web')}",
          "empty text": f"docs/references.yml:{line_of(bib, EMPTY_TEXT)}",
          "no lang": f"docs/references.yml:{line_of(bib, 'without its language')}",
          "no date": f"docs/references.yml:{line_of(bib, 'read: last week')}",
          "unknown field": f"docs/references.yml:{line_of(bib, 'source: somewhere')}"}
    return at, pytest_output(project, "tests/fast/test_references.py::test_every_reference_is_findable")


def test_a_duplicate_reference_key(references):
    at, output = references

    assert f"{at['duplicate key']}: reference 'goodfellow2014': the key is used twice (first at line {at['first key']})" in output


def test_a_web_reference_without_accessed(references):
    at, output = references

    assert f"{at['no accessed']}: reference 'probe-web': a web page needs 'accessed' (the date you read it, YYYY-MM-DD)" in output


@pytest.mark.parametrize("mistake, message", [
    ("no excerpts", "reference 'probe-web': a web source needs 'excerpts': the sentences you relied on, copied verbatim"),
    ("empty text", "reference 'probe-excerpts': the excerpt has no 'text'; copy the source's own sentences, verbatim"),
    ("no lang", "reference 'probe-excerpts': the excerpt needs 'lang', the language it is written in as a BCP 47 tag"),
    ("no date", "reference 'probe-excerpts': the excerpt needs 'read', the date you read it, as YYYY-MM-DD"),
    ("unknown field", "reference 'probe-excerpts': unknown excerpt field source; the fields are text, lang, read, via"),
])
def test_a_bad_excerpt(references, mistake, message):
    at, output = references

    assert f"{at[mistake]}: {message}" in output


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Mistakes on the pages, checked by one run of the fast tier's source checks."""
    project = copy_project(tmp_path_factory.mktemp("page-mistakes") / "project")
    docs = project / "docs"
    append(docs / "about.md", "\n这一段写到一半，\n换了一行接着写。\n")
    append(docs / "applications.md", "\n残差连接让很深的网络也能训练。\n")
    append(docs / "about.md", "\n## 又一个时效 { #as-of }\n\n正文。\n")
    append(docs / "references.yml", REFERENCE.format(key="never-cited2020", type="paper"))
    append(docs / "concepts.md", "\n<!-- correction: image-gan -->\n")
    append(docs / "faq.md", "\n<!-- correction: gan-listing-two-inputs -->\n\n<!-- corection: image-gan -->\n")
    (docs / "extra.md").write_text("# 附加页\n\n正文。\n", encoding="utf-8")
    append(docs / "about.md", "\n![一张不存在的图](assets/no-such-figure.svg)\n\n见[勘误表](corrections.md#no-such-entry)。\n")
    append(docs / "about.md", '\n--8<-- "CONTRIBUTING.md:no-such-section"\n')
    append(docs / "outlook.md", "\n$$\nE = mc^2\n$$\n")
    append(docs / "about.md", "\n<!-- seed-quote -->\n他是特斯拉的首席执行官。\n<!-- /seed-quote -->\n")
    append(docs / "about.md", "\n## 没有编号的标题\n\n正文。\n")
    append(docs / "outlook.md", "\n生成对抗网络（GAN）里的鉴别器负责判断真假。\n")
    append(docs / "faq.md", "\n![](assets/generated/attention-heatmap.svg)\n")
    append(docs / "applications.md", '\n```python\n--8<-- "snippets/attention.py:attention"\n```\n'
                                     '\n```py\ndef pasted(x):\n    return x\n```\n'
                                     f'\n```py title="snippets/attention.py"\n{WHOLE_FILE}\n```\n')
    append(docs / "faq.md", "\n$$\nx = 1\n$$\n<!-- formula: no-such-formula -->\n")
    append(docs / "resources.md", "\n<!-- seed-quote -->\n目前是特斯拉AI首席科学家。\n")
    at = {
        "wrapped": f"docs/about.md:{line_of(docs / 'about.md', '这一段写到一半')}",
        "term": f"docs/applications.md:{line_of(docs / 'applications.md', '残差连接让')}",
        "heading id": f"docs/about.md:{line_of(docs / 'about.md', '又一个时效')}",
        "first heading": line_of(docs / "about.md", "{ #as-of }"),
        "uncited": f"docs/references.yml:{line_of(docs / 'references.yml', 'never-cited2020')}",
        "shown twice": f"docs/concepts.md:{line_of(docs / 'concepts.md', 'correction: image-gan', nth=2)}",
        "first shown": f"docs/concepts.md:{line_of(docs / 'concepts.md', 'correction: image-gan')}",
        "wrong page": f"docs/faq.md:{line_of(docs / 'faq.md', 'gan-listing-two-inputs')}",
        "nav": f"mkdocs.yml:{line_of(project / 'mkdocs.yml', 'nav:')}",
        "image": f"docs/about.md:{line_of(docs / 'about.md', 'no-such-figure.svg')}",
        "anchor": f"docs/about.md:{line_of(docs / 'about.md', 'no-such-entry')}",
        "include": f"docs/about.md:{line_of(docs / 'about.md', 'no-such-section')}",
        "formula": f"docs/outlook.md:{line_of(docs / 'outlook.md', 'E = mc^2')}",
        "marker": f"docs/faq.md:{line_of(docs / 'faq.md', 'corection')}",
        "misquote": f"docs/about.md:{line_of(docs / 'about.md', '他是特斯拉的首席执行官') - 1}",
        "no heading id": f"docs/about.md:{line_of(docs / 'about.md', '没有编号的标题')}",
        "avoided term": f"docs/outlook.md:{line_of(docs / 'outlook.md', '鉴别器')}",
        "no alt": f"docs/faq.md:{line_of(docs / 'faq.md', '![](assets')}",
        "python include": f"docs/applications.md:{line_of(docs / 'applications.md', '```python')}",
        "pasted": f"docs/applications.md:{line_of(docs / 'applications.md', 'def pasted') - 1}",
        "whole file": f"docs/applications.md:{line_of(docs / 'applications.md', WHOLE_FILE)}",
        "unknown pin": f"docs/faq.md:{line_of(docs / 'faq.md', 'x = 1')}",
        "unclosed": f"docs/resources.md:{line_of(docs / 'resources.md', '<!-- seed-quote -->', nth=3)}",
    }
    checks = ["tests/fast/test_typography.py::test_one_paragraph_per_line", "tests/fast/test_glossary.py",
              "tests/fast/test_headings.py", "tests/fast/test_references.py", "tests/fast/test_ledger.py",
              "tests/fast/test_links.py", "tests/fast/test_formulas.py", "tests/fast/test_markers.py",
              "tests/fast/test_equations_and_quotes.py", "tests/fast/test_page_sources.py::test_every_image_has_alt_text",
              "tests/fast/test_snippets_on_pages.py"]
    return at, pytest_output(project, *checks)


@pytest.mark.parametrize("mistake, message", [
    ("wrapped", "a Chinese paragraph continues on the next line; join the lines"),
    ("term", "first use of '残差连接' on this page needs the English term: 残差连接（residual connection）"),
    ("heading id", "heading id #as-of is already used at line {first heading}; give this heading another id"),
    ("uncited", "'never-cited2020' is never cited; cite it as [@never-cited2020] or remove it"),
    ("shown twice", "correction 'image-gan' is already shown at {first shown}; show each correction once"),
    ("wrong page", "correction 'gan-listing-two-inputs' belongs on docs/gan.md (its 'page' field, docs/corrections.yml:"),
    ("nav", "nav does not list docs/extra.md; add `- 标题: extra.md`"),
    ("image", "image 'assets/no-such-figure.svg': docs/assets/no-such-figure.svg does not exist; fix the path"),
    ("include", "includes section 'no-such-section' of CONTRIBUTING.md, which has no `--8<-- [start:no-such-section]` line"),
    ("formula", "formula has no pin: add `<!-- formula: ID -->` after its closing $$"),
    ("marker", "unknown marker <!-- corection -->; the kinds are:"),
    ("misquote", "quoted as original but not in docs/seed/original.txt: '他是特斯拉的首席执行官。'"),
    ("unclosed", "`<!-- seed-quote -->` is never closed; add `<!-- /seed-quote -->`"),
    ("no heading id", "heading '没有编号的标题' needs an id: `## 没有编号的标题 { #english-words }`"),
    ("avoided term", "write '判别器' instead of '鉴别器' (see docs/glossary.md)"),
    ("no alt", "an image without alt text; describe it in ![…](…)"),
    ("python include", "tag this include fence `py title=\"…\"`, not `python`"),
    ("pasted", "Python pasted into a page; move it to snippets/ and include it by section"),
    ("whole file", "include 'snippets/attention.py' by a named section (file.py:section), never whole files"),
    ("unknown pin", "formula is pinned to 'no-such-formula', which is not in docs/formulas.yml; add it there"),
])
def test_a_page_mistake(pages, mistake, message):
    at, output = pages

    for name, value in at.items():
        message = message.replace("{" + name + "}", str(value))

    assert f"{at[mistake]}: {message}" in output


def test_a_broken_anchor(pages):
    at, output = pages

    assert f"{at['anchor']}: link 'corrections.md#no-such-entry': docs/corrections.md has no heading with id #no-such-entry" in output
