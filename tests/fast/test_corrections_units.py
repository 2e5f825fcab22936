"""hooks/corrections.py, function by function, on a small seed and ledger written here: how the
original's words are shown, a correction note, a page's list of notes, the ledger table, the
annotated original and what each marker becomes, with the exact message for each misuse. The
real docs/corrections.yml is checked by test_ledger.py; here it is only loaded and rendered."""
import locale
import signal
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

import corrections
import markers
import project_data
import words
from markers import Origin

LEDGER = "docs/corrections.yml"
SEED = "\n".join([
    "# 原文",                          # 1
    "他目前是首席科学家。他很有名。",    # 2
    "$$",                              # 3
    "V(D, G) = \\min_G x \\\\",        # 4
    "a & b",                           # 5
    "$$",                              # 6
    "    ```python",                   # 7
    "    x = 1",                       # 8
    "    if x:",                       # 9
    "        y = 2",                   # 10
    "    ```",                         # 11
    "价格 100 元与 $x$ 和 [链接](u) <b>。",  # 12
    "下一行 *强调*",                   # 13
    "",
])
FIELDS = ("id", "title", "title_en", "page", "tests", "category", "original", "corrected", "corrected_en", "why",
          "why_en", "sources")


def entry(ident, line, original, title, page="karpathy.md", category="biography", sources=("a2017",)):
    """A ledger entry as project_data.load_ledger gives it: `anchor` on line - 1, where the entry
    starts, then the fields above from `line` on, one a line. The entry does not start with its id,
    so a line said to come from the id is told from one that comes from the entry's start."""
    fields = {"anchor": "career", "id": ident, "title": title, "title_en": f"{ident} in English", "page": page,
              "tests": ["tests/test_x.py::test_x"], "category": category, "original": original,
              "corrected": f" {ident} 的更正。 ", "corrected_en": f"Correction of {ident}.", "why": f"{ident} 的理由。",
              "why_en": f"Why {ident}.", "sources": list(sources)}
    return dict(fields, line=line - 1, lines={"anchor": line - 1, **{field: line + i for i, field in enumerate(FIELDS)}})


CHIEF = entry("chief", 10, "目前是首席科学家。", "头衔 `CEO` <与> \"名\"", sources=("a2017", "b2018"))
FAMOUS = entry("famous", 30, "他很有名", "名气")
FORMULA = entry("formula", 50, "V(D, G) = \\min_G x \\\\", "价值函数", page="gan.md", category="formula")
ALIGNED = entry("aligned", 70, "a & b", "对齐", page="gan.md", category="formula")
CODE = entry("code", 90, "x = 1\n    if x:\n        y = 2", "代码", page="gan.md", category="code")
PRICE = entry("price", 110, "与 $x$ 和 [链接](u) <b>。\n下一行 *强调*", "价格", page="gan.md", category="other")
ENTRIES = (CHIEF, FAMOUS, FORMULA, ALIGNED, CODE, PRICE)

CHIEF_TITLE = '头衔 <code>CEO</code> &lt;与&gt; "名"'
LABEL = '<span class="correction-label">原文</span>'


def page(markdown, uri="karpathy.md"):
    """The parts of an mkdocs Page the hook reads."""
    return SimpleNamespace(markdown=markdown, file=SimpleNamespace(src_uri=uri, abs_src_path=None))


class Files:
    """The part of mkdocs' Files the annotated original asks: the URL of the corrections page."""

    def __init__(self):
        self.asked = []

    def get_file_from_path(self, path):
        def url_relative_to(other):
            self.asked.append((path, other))
            return "../corrections/"
        return SimpleNamespace(url_relative_to=url_relative_to)


def english():
    words.use({"theme": {"language": "en"}})


def texts(lines):
    return [text for text, _ in lines]


def lines_of(lines):
    """The ledger lines each line comes from (all from docs/corrections.yml)."""
    assert {origin.path for _, origin in lines} == {LEDGER}
    return [origin.line for _, origin in lines]


@pytest.fixture(autouse=True)
def ends():
    """A loop that never ends (a mutant of annotated_original's) fails the test within 2 s of CPU time,
    before its growing lists fill the memory; a real call takes milliseconds."""
    def stop(signum, frame):
        raise AssertionError("did not end within 2 s of CPU time")

    previous = signal.signal(signal.SIGVTALRM, stop)
    signal.setitimer(signal.ITIMER_VIRTUAL, 2.0)
    yield
    signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    signal.signal(signal.SIGVTALRM, previous)


@pytest.fixture(autouse=True)
def ledger(monkeypatch):
    monkeypatch.setattr(corrections, "_ledger", {e["id"]: e for e in ENTRIES})
    monkeypatch.setattr(corrections, "_seed", [SEED])
    monkeypatch.setattr(words, "_language", ["zh"])
    monkeypatch.setattr(markers, "_pages", {})
    corrections._problems.clear()
    yield
    corrections._problems.clear()  # a problem left here would fail another hook's fail_if_any


# --- on_pre_build, on_post_build

def test_a_build_loads_the_ledger_and_the_seed_in_the_configs_language(monkeypatch):
    monkeypatch.setattr(project_data, "load_ledger", lambda: [CHIEF, FORMULA])
    monkeypatch.setattr(corrections, "_seed", ["an old seed"])
    corrections._problems.add("docs/a.md:1: left from the last build")

    old = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")  # a locale that reads files as ASCII: the seed is Chinese
    try:
        corrections.on_pre_build({"theme": {"language": "en"}})
    finally:
        locale.setlocale(locale.LC_CTYPE, old)

    assert corrections._ledger == {"chief": CHIEF, "formula": FORMULA}
    assert list(corrections._ledger) == ["chief", "formula"]  # in ledger order: the table lists them so
    assert corrections._seed == [project_data.SEED.read_text(encoding="utf-8")]
    assert words.language() == "en"
    assert corrections._problems == []


def test_a_bad_ledger_stops_the_build_with_its_problems(monkeypatch):
    def load():
        raise project_data.DataError([f"{LEDGER}:3: bad", f"{LEDGER}:9: worse"])

    monkeypatch.setattr(project_data, "load_ledger", load)

    with pytest.raises(PluginError) as caught:
        corrections.on_pre_build({"theme": {"language": "zh"}})

    assert str(caught.value) == f"The corrections ledger has problems:\n{LEDGER}:3: bad\n{LEDGER}:9: worse"


def test_a_build_fails_at_its_end_if_a_page_misused_a_marker():
    corrections.on_post_build(None)  # nothing found: the build goes on
    corrections._problems.add("docs/a.md:2: correction 'x' is not in docs/corrections.yml")

    with pytest.raises(PluginError, match=r"^1 problem\(s\) in the pages, listed above \(found by hooks/corrections.py\)$"):
        corrections.on_post_build(None)


def test_the_real_ledger_renders_as_a_table_in_both_languages():
    corrections.on_pre_build({"theme": {"language": "zh"}})
    ids = list(corrections._ledger)
    assert len(ids) >= 40 and all(corrections._ledger[ident]["id"] == ident for ident in ids)

    for build in ("zh", "en"):
        words.use({"theme": {"language": build}})
        table = "\n".join(texts(corrections.table(page("", "corrections.md"))))
        assert [line.split('"')[3] for line in table.split("\n") if line.startswith('<div class="ledger-entry"')] == ids
        assert f" | {len(ids)} |" in table


# --- titles and the original's words

def test_a_title_is_escaped_as_text_with_its_code_spans_as_code():
    assert corrections.title_html(CHIEF["title"]) == CHIEF_TITLE
    assert corrections.title_html("`a<b` & `c`") == "<code>a&lt;b</code> &amp; <code>c</code>"


def test_a_title_as_plain_text_drops_the_backticks():
    assert corrections.title_text("头衔 `CEO` 与 `x`") == "头衔 CEO 与 x"


def test_original_text_is_shown_escaped_with_its_inline_math_and_line_breaks():
    assert corrections.original_block(CHIEF) == [
        '<div class="correction-original correction-original-text" markdown>', "",
        f"{LABEL} 目前是首席科学家。", "", "</div>", ""]
    assert corrections.original_block(PRICE) == [
        '<div class="correction-original correction-original-text" markdown>', "",
        f"{LABEL} 与 $x$ 和 &#91;链接&#93;(u) &#60;b&#62;。<br>\n下一行 &#42;强调&#42;", "", "</div>", ""]


def test_original_text_keeps_an_escaped_dollar_as_text():
    corrections._seed[0] = SEED + "花 \\$5 和 $y$"

    assert corrections.original_block(dict(CHIEF, original="花 \\$5 和 $y$"))[2] == f"{LABEL} 花 &#92;&#36;5 和 $y$"


def test_an_original_formula_is_typeset_without_its_line_break():
    assert corrections.original_block(FORMULA) == [
        '<div class="correction-original correction-original-math" markdown>', "",
        LABEL, "", "$$", "V(D, G) = \\min_G x", "$$", "", "</div>", ""]


def test_a_line_of_an_aligned_formula_is_typeset_aligned():
    assert corrections.original_block(ALIGNED) == [
        '<div class="correction-original correction-original-math" markdown>', "",
        LABEL, "", "$$", "\\begin{aligned}", "a & b", "\\end{aligned}", "$$", "", "</div>", ""]


def test_original_code_is_shown_as_code_without_the_indent_of_its_fence():
    assert corrections.original_block(CODE) == [
        '<div class="correction-original correction-original-code" markdown>', "",
        LABEL, "", '<pre class="correction-code"><code>x = 1\nif x:\n    y = 2</code></pre>', "", "</div>", ""]


def test_original_code_takes_the_indent_of_its_first_occurrence():
    # The first occurrence is the one original_kind found inside the fence.
    corrections._seed[0] = "    ```\n    x = 1\n    y\n    ```\nx = 1\n    y\n"

    assert corrections.original_block(dict(CODE, original="x = 1\n    y"))[4] == (
        '<pre class="correction-code"><code>x = 1\ny</code></pre>')


def test_original_code_starting_inside_a_line_is_shown_as_quoted():
    entry = dict(CODE, original="1\n    if x:")  # the line's start, `    x = `, is not an indent

    assert corrections.original_block(entry)[4] == '<pre class="correction-code"><code>1\n    if x:</code></pre>'


def test_original_code_is_escaped():
    corrections._seed[0] = "```\n<a> & $b\n```\n"

    assert corrections.original_block(dict(CODE, original="<a> & $b"))[4] == (
        '<pre class="correction-code"><code>&#60;a&#62; &#38; &#36;b</code></pre>')


def test_the_colon_after_a_label_is_the_languages():
    assert corrections.colon() == "："
    english()
    assert corrections.colon() == ": "


def test_links_are_relative_to_the_page_showing_them():
    assert corrections._relpath("corrections.md", page("", "karpathy.md")) == "corrections.md"
    assert corrections._relpath("corrections.md", page("", "notes/deep/a.md")) == "../../corrections.md"
    assert corrections._relpath("notes/b.md", page("", "notes/a.md")) == "b.md"


def test_a_text_field_is_stripped_and_in_the_builds_language():
    assert corrections.text(CHIEF, "corrected") == "chief 的更正。"
    english()
    assert corrections.text(CHIEF, "corrected") == "Correction of chief."


def test_a_text_field_missing_in_english_is_named_by_the_entrys_line():
    english()

    with pytest.raises(PluginError) as caught:
        corrections.text(dict(CHIEF, why_en=None), "why")

    assert str(caught.value) == (f"{LEDGER}:9: correction 'chief': 'why_en' is missing: the en edition shows this "
                                 "entry's 'why' in its own language; add 'why_en' beside 'why'")


def test_lines_from_the_ledger_come_from_their_field_in_the_builds_language():
    lines = corrections._from_ledger(CHIEF, [("title", "a"), ("why", "b"), ("original", "c"), ("nothing", "d")])

    assert isinstance(lines, markers.Sourced)
    assert texts(lines) == ["a", "b", "c", "d"]
    assert lines_of(lines) == [11, 19, 16, 9]  # a field the entry lacks: the line the entry starts on
    english()
    assert lines_of(corrections._from_ledger(CHIEF, [("title", "a"), ("why", "b"), ("original", "c")])) == [12, 20, 16]


# --- a note, a page's index, the table

CHIEF_BODY = [
    '<div class="correction-original correction-original-text" markdown>', "", f"{LABEL} 目前是首席科学家。", "", "</div>", "",
    "**更正**：chief 的更正。", "",
    "**理由**：chief 的理由。", "",
    "**来源**：[@a2017; @b2018]", "",
]


def test_a_note_is_a_collapsed_details_titled_by_the_entry_with_the_original_the_correction_and_its_sources():
    lines = corrections.note(CHIEF, page("", "karpathy.md"))

    assert texts(lines) == [
        "", '<details class="correction" id="correction-chief" markdown>',
        f'<summary><span class="correction-kind">更正</span>{CHIEF_TITLE}</summary>', "",
        *CHIEF_BODY,
        '<p class="correction-meta" markdown>生平 · [勘误表条目 `chief`](corrections.md#chief)</p>', "",
        "</details>", "",
    ]
    # Each line comes from the ledger field it shows: id 10, title 11, original 16, corrected 17, why 19, sources 21.
    assert lines_of(lines) == [10, 10, 11, 10, *[16] * 6, 17, 17, 19, 19, 21, 21, 10, 10, 10, 10]


def test_a_note_in_english():
    english()

    lines = texts(corrections.note(CHIEF, page("", "notes/karpathy.md")))

    assert lines[2] == '<summary><span class="correction-kind">Correction</span>chief in English</summary>'
    assert lines[10:16] == ["**Correction**: Correction of chief.", "", "**Why**: Why chief.", "",
                            "**Sources**: [@a2017; @b2018]", ""]
    assert lines[16] == '<p class="correction-meta" markdown>biography · [ledger entry `chief`](../corrections.md#chief)</p>'


def test_a_pages_index_lists_its_notes_linked_in_page_order():
    lines = corrections.page_index(["famous", "chief"], page("", "karpathy.md"))

    assert texts(lines) == [
        "", '<details class="correction-index" markdown>', "<summary>本页对原文的 2 处更正</summary>", "",
        '1. <a href="#correction-famous">名气</a>',
        f'1. <a href="#correction-chief">{CHIEF_TITLE}</a>',
        "", "</details>", "",
    ]
    assert lines_of(lines) == [30, 30, 30, 30, 31, 11, 30, 30, 30]


def test_the_table_counts_entries_by_category_then_shows_each_entry():
    lines = corrections.table(page("", "corrections.md"))
    out = texts(lines)

    assert out[:7] == ["| 类别 | 条目数 |", "|---|---|", "| 生平（biography） | 2 |", "| 公式（formula） | 2 |",
                       "| 代码（code） | 1 |", "| 其他（other） | 1 |", "| 合计 | 6 |"]
    assert out[7:24] == [
        "",
        '<div class="ledger-entry" id="chief" markdown>', "",
        f'<p class="ledger-title"><strong>{CHIEF_TITLE}</strong></p>', "",
        '<p class="correction-meta" markdown>`chief` · 生平 · [karpathy.md](karpathy.md#correction-chief)</p>', "",
        *CHIEF_BODY[:10],
    ]
    assert out[24:28] == ["**来源**：[@a2017; @b2018]", "", "</div>", ""]
    assert out[28] == '<div class="ledger-entry" id="famous" markdown>'
    assert [line for line in out if line.startswith('<div class="ledger-entry"')] == [
        f'<div class="ledger-entry" id="{e["id"]}" markdown>' for e in ENTRIES]
    assert lines_of(lines)[:8] == [1] * 8
    # The counts come from the ledger's first line; each entry's lines from its fields.
    assert lines_of(lines)[8:28] == [10, 10, 11, 10, 10, 10, *[16] * 6, 17, 17, 19, 19, 21, 21, 10, 10]


def test_the_table_in_english_and_from_a_page_in_a_folder():
    english()

    out = texts(corrections.table(page("", "notes/corrections.md")))

    assert out[:7] == ["| Category | Entries |", "|---|---|", "| biography | 2 |", "| formula | 2 |", "| code | 1 |",
                       "| other | 1 |", "| Total | 6 |"]
    assert out[12] == '<p class="correction-meta" markdown>`chief` · biography · [karpathy.md](../karpathy.md#correction-chief)</p>'


# --- the annotated original

def test_the_annotated_original_links_each_corrected_passage_every_time_it_occurs():
    corrections._ledger.clear()
    corrections._ledger.update({"x": dict(CHIEF, id="x", original="ab", title="甲 `a`"),
                                "y": dict(CHIEF, id="y", original="b<c", title="乙")})
    corrections._seed[0] = 'ab<c>"d" ab ab'
    files, p = Files(), page("", "original.md")

    out = corrections.annotated_original(p, files)

    assert out == ('<pre class="seed-annotated" data-search-exclude>'
                   '<a class="seed-error" href="../corrections/#x" title="勘误：甲 a"><mark>a</mark></a>'
                   '<a class="seed-error" href="../corrections/#x" title="勘误：甲 a；乙"><mark>b</mark></a>'
                   '<a class="seed-error" href="../corrections/#y" title="勘误：乙"><mark>&lt;c</mark></a>'
                   "&gt;&quot;d&quot; "
                   '<a class="seed-error" href="../corrections/#x" title="勘误：甲 a"><mark>ab</mark></a> '
                   '<a class="seed-error" href="../corrections/#x" title="勘误：甲 a"><mark>ab</mark></a></pre>')
    assert files.asked == [("corrections.md", p.file)]


def test_the_annotated_original_titles_are_escaped_and_in_the_builds_language():
    corrections._ledger.clear()
    corrections._ledger.update({"x": dict(CHIEF, id="x", original="a", title_en='"A" & `b`'),
                                "y": dict(CHIEF, id="y", original="a", title_en="C")})
    corrections._seed[0] = "a"
    english()

    assert corrections.annotated_original(page(""), Files()) == (
        '<pre class="seed-annotated" data-search-exclude><a class="seed-error" href="../corrections/#x" '
        'title="Corrected: &quot;A&quot; &amp; b; C"><mark>a</mark></a></pre>')


def test_a_passage_overlapping_itself_is_found_at_each_start():
    corrections._ledger.clear()
    corrections._ledger.update({"x": dict(CHIEF, id="x", original="aa", title="甲")})
    corrections._seed[0] = "aaa"

    out = corrections.annotated_original(page(""), Files())

    # Starts 0 and 1: the middle `a` belongs to both occurrences.
    assert out.count("<mark>") == 3
    assert 'title="勘误：甲；甲"><mark>a</mark>' in out


# --- a page

def test_a_correction_marker_becomes_its_note_and_the_page_gets_an_index_under_its_title():
    markdown = "\n".join(["# 卡帕西", "他很有名。", "<!-- correction: famous -->", "## 经历", "目前……",
                          "<!-- correction: chief -->", "完"])
    p = page(markdown)

    out = corrections.on_page_markdown(markdown, p, None, None)

    index = corrections.page_index(["famous", "chief"], p)
    famous, chief = corrections.note(FAMOUS, p), corrections.note(CHIEF, p)
    assert out == "\n".join(["# 卡帕西", *texts(index), "他很有名。", *texts(famous), "## 经历", "目前……",
                             *texts(chief), "完"])
    page_line = [Origin("docs/karpathy.md", n) for n in range(1, 8)]
    assert markers.origins(out, p) == [page_line[0], *(o for _, o in index), page_line[1], *(o for _, o in famous),
                                       page_line[3], page_line[4], *(o for _, o in chief), page_line[6]]
    assert corrections._problems == []


def test_the_index_goes_under_the_first_title_only_and_a_page_without_one_gets_none():
    markdown = "#not a title\n# 一\n<!-- correction: chief -->\n# 二"

    out = corrections.on_page_markdown(markdown, page(markdown), None, None).split("\n")

    assert out[:3] == ["#not a title", "# 一", ""]
    assert out[3] == '<details class="correction-index" markdown>'
    assert out.count('<details class="correction-index" markdown>') == 1
    markers._pages.clear()
    markdown = "text\n<!-- correction: chief -->"
    assert "correction-index" not in corrections.on_page_markdown(markdown, page(markdown), None, None)


def test_a_page_without_correction_markers_is_unchanged():
    markdown = "# 卡帕西\ntext\n<!-- proof: tests/test_gan.py::test_x -->\n```\n<!-- correction: chief -->\n```"

    assert corrections.on_page_markdown(markdown, page(markdown), None, None) == markdown
    assert corrections._problems == []


def test_an_unknown_id_is_named_by_page_and_line_and_its_marker_dropped():
    markdown = "# A\n<!-- correction: nope -->\ntext"

    out = corrections.on_page_markdown(markdown, page(markdown, "a.md"), None, None)

    assert out == "# A\n\ntext"
    assert corrections._problems == [
        "docs/a.md:2: correction 'nope' is not in docs/corrections.yml; check the id, or add the entry there first"]


def test_a_correction_on_another_page_is_refused_naming_its_page_field():
    markdown = "# A\n<!-- correction: formula -->"

    out = corrections.on_page_markdown(markdown, page(markdown, "karpathy.md"), None, None)

    assert out == "# A\n"
    assert corrections._problems == [
        "docs/karpathy.md:2: correction 'formula' belongs on docs/gan.md (its 'page' field, docs/corrections.yml:53), "
        "not here; move the marker or change 'page'"]


def test_a_correction_shown_twice_is_refused_naming_the_first():
    markdown = "# A\n<!-- correction: chief -->\ntext\n<!-- correction: chief -->"
    p = page(markdown)

    out = corrections.on_page_markdown(markdown, p, None, None)

    assert out.endswith("\ntext\n")
    assert out.count('id="correction-chief"') == 1
    assert "本页对原文的 1 处更正" in out
    assert corrections._problems == [
        "docs/karpathy.md:4: correction 'chief' is already shown at docs/karpathy.md:2; "
        "show each correction once: delete one of the two markers"]


def test_the_table_and_annotated_original_markers_become_them():
    markdown = "# 勘误表\n<!-- corrections-table -->\n<!-- original-annotated -->"
    p, files = page(markdown, "corrections.md"), Files()

    out = corrections.on_page_markdown(markdown, p, None, files)

    assert out == "\n".join(["# 勘误表", *texts(corrections.table(p)), corrections.annotated_original(p, Files())])
    assert markers.origins(out, p)[-1] == Origin("docs/corrections.md", 3)
    assert files.asked == [("corrections.md", p.file)]


def test_a_seed_quote_becomes_a_labelled_quotation():
    markdown = "# A\n<!-- seed-quote -->\n> 原文\n<!-- /seed-quote -->\ntext"
    p = page(markdown)

    out = corrections.on_page_markdown(markdown, p, None, None)

    assert out == "\n".join(["# A", '<div class="seed-quote" markdown="1">', "", '<p class="seed-quote-label">原文（逐字引用，有误）</p>',
                             "", "> 原文", "", "</div>", "text"])
    assert [o.line for o in markers.origins(out, p)] == [1, 2, 2, 2, 2, 3, 4, 4, 5]
    assert corrections._problems == []


def test_quotations_one_after_another_are_fine():
    markdown = "<!-- seed-quote -->\na\n<!-- /seed-quote -->\n<!-- seed-quote -->\nb\n<!-- /seed-quote -->"

    corrections.on_page_markdown(markdown, page(markdown), None, None)

    assert corrections._problems == []


def test_a_quotation_opened_inside_another_is_named_with_the_first():
    markdown = "<!-- seed-quote -->\na\n<!-- seed-quote -->\nb\n<!-- /seed-quote -->\n<!-- /seed-quote -->"

    corrections.on_page_markdown(markdown, page(markdown, "a.md"), None, None)

    assert corrections._problems == [
        "docs/a.md:3: a seed-quote opens inside the one opened at docs/a.md:1; "
        "close that one first with `<!-- /seed-quote -->`",
        "docs/a.md:6: `<!-- /seed-quote -->` closes nothing; open the quotation with `<!-- seed-quote -->` "
        "on a line of its own, or delete this line",
    ]


def test_a_quotation_never_closed_is_named_where_it_opens():
    markdown = "<!-- seed-quote -->\na\n<!-- seed-quote -->\nb"

    corrections.on_page_markdown(markdown, page(markdown, "a.md"), None, None)

    # The second opening is the one left open: it is named, after the nesting problem.
    assert corrections._problems == [
        "docs/a.md:3: a seed-quote opens inside the one opened at docs/a.md:1; "
        "close that one first with `<!-- /seed-quote -->`",
        "docs/a.md:3: `<!-- seed-quote -->` is never closed; add `<!-- /seed-quote -->` on a line of its own "
        "after the quoted text",
    ]


def test_a_quotation_label_is_in_the_builds_language():
    english()
    markdown = "<!-- seed-quote -->\n<!-- /seed-quote -->"

    assert corrections.on_page_markdown(markdown, page(markdown), None, None).split("\n")[2] == (
        '<p class="seed-quote-label">The original (quoted verbatim, with its errors)</p>')
