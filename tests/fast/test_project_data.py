"""hooks/project_data.py, function by function: small data files written here, and the exact
message each problem gets (`file:line: what is wrong`). The real data files are checked by
test_ledger.py, test_references.py and test_formulas.py."""
import datetime
import locale

import pytest

import project_data
from project_data import DataError


def write(tmp_path, text, name="data.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(load, *args, **kwargs):
    with pytest.raises(DataError) as caught:
        load(*args, **kwargs)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_a_path_inside_the_repository_is_written_relative_to_it_and_any_other_as_given(tmp_path):
    assert project_data.relative(project_data.ROOT / "docs" / "gan.md") == "docs/gan.md"
    assert project_data.relative(str(project_data.ROOT / "docs" / "gan.md")) == "docs/gan.md"
    assert project_data.relative(tmp_path / "x.yml") == f"{tmp_path}/x.yml"


def test_entries_come_with_their_line_and_the_line_of_each_field(tmp_path):
    path = write(tmp_path, "# a comment\n- id: a\n  sources:\n    - x\n    - y\n  excerpts:\n    - text: t\n"
                           "      lang: en\n\n- id: b\n")

    assert project_data.load_entries(path) == [
        ({"id": "a", "sources": ["x", "y"], "excerpts": [{"text": "t", "lang": "en"}]}, 2,
         {"id": 2, "sources": 3, "sources[0]": 4, "sources[1]": 5, "excerpts": 6, "excerpts[0]": 7,
          "excerpts[0].text": 7, "excerpts[0].lang": 8}),
        ({"id": "b"}, 10, {"id": 10}),
    ]


def test_an_empty_file_has_no_entries(tmp_path):
    assert project_data.load_entries(write(tmp_path, "# nothing yet\n")) == []


def test_yaml_that_does_not_parse_is_named_by_line_with_the_usual_causes(tmp_path):
    path = write(tmp_path, "- a: [1\n")

    assert problems(project_data.load_entries, path) == [
        f"{path}:2: not valid YAML: did not find expected ',' or ']'; "
        "check the indentation and quote any value that contains ': ' or starts with a quote"]


def test_a_character_yaml_refuses_is_named_by_position_in_the_file(tmp_path):
    path = write(tmp_path, "- id: a\x07\n")

    assert problems(project_data.load_entries, path) == [
        f"{path}: not valid YAML: unacceptable character #x0007: control characters are not allowed\n"
        '  in "<unicode string>", position 7; check the indentation and quote any value that contains \': \' or '
        "starts with a quote"]


def test_a_file_is_parsed_once_per_text_and_callers_get_their_own_copies(tmp_path, monkeypatch):
    path = write(tmp_path, "- id: a\n  sources: [x]\n")
    first = project_data.load_entries(path)
    monkeypatch.setattr(project_data, "_parse_entries", lambda *args: pytest.fail("parsed again"))

    second = project_data.load_entries(path)
    second[0][0]["sources"].append("changed by a caller")
    second[0][2]["id"] = 99

    assert project_data.load_entries(path) == first == [({"id": "a", "sources": ["x"]}, 1,
                                                          {"id": 1, "sources": 2, "sources[0]": 2})]


@pytest.fixture
def ascii_locale():
    """A contributor whose locale reads files as ASCII (or cp1252, on Windows): UTF-8 must be asked for."""
    old = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    yield
    locale.setlocale(locale.LC_CTYPE, old)


def test_data_seed_and_pages_are_read_as_utf8_whatever_the_locale(tmp_path, ascii_locale):
    args = ledger(tmp_path, ENTRY)
    (tmp_path / "docs" / "p.md").write_text("# 页面\n\n## 标题 { #h }\n", encoding="utf-8")

    assert [entry["title"] for entry in project_data.load_ledger(**args)] == ["博士学位"]


def test_a_file_that_is_not_a_list_is_named(tmp_path):
    path = write(tmp_path, "id: a\n")

    assert problems(project_data.load_entries, path) == [f"{path}:1: expected a list of entries (each starting with '- ')"]


def test_each_entry_that_is_not_a_mapping_is_named_by_its_line(tmp_path):
    path = write(tmp_path, "- id: a\n- just words\n- [1, 2]\n")

    assert problems(project_data.load_entries, path) == [
        f"{path}:2: each entry must be a mapping of fields (`- field: value`)",
        f"{path}:3: each entry must be a mapping of fields (`- field: value`)",
    ]


@pytest.mark.parametrize("text, width", [("", 0), ("abc", 3), ("注意力", 6), ("GAN 的", 6), ("ＡＢ", 4), ("ｱ", 1)])
def test_a_wide_character_takes_two_columns(text, width):
    assert project_data.display_width(text) == width


@pytest.mark.parametrize("title", ["价值函数漏掉了 max", "`max_D` 漏掉了", "一" * 18, "Missing max\n", "a" * 36])
def test_a_short_title_of_plain_words_passes(title):
    assert project_data.title_problem(title) is None


@pytest.mark.parametrize("title", [None, 5, "two\nlines"])
def test_a_title_that_is_not_one_line_of_text_is_refused(title):
    assert project_data.title_problem(title) == "'title' must be one line of plain words"


@pytest.mark.parametrize("title", ["$x$", "a*b", "a_b", "[link]", "x]", "<b>", "#1", "a|b", "a\\b", "`a` and $b$"])
def test_a_title_with_markup_is_refused(title):
    assert project_data.title_problem(title) == (
        "'title' is plain words (a `code` span is allowed): no math, links, emphasis or HTML; "
        "the formula belongs in 'corrected'")


@pytest.mark.parametrize("title, width", [("一" * 18 + "a", 37), ("a" * 37, 37), ("一" * 20, 40)])
def test_a_title_wider_than_36_columns_is_refused_with_its_width(title, width):
    assert project_data.title_problem(title) == (
        f"'title' is {width} columns wide; say what was corrected in a few words "
        "(at most 36 columns, a Chinese character counts two)")


@pytest.mark.parametrize("value, ok", [(datetime.date(2024, 2, 29), True), ("2024-02-29", True),
                                       ("2023-02-29", False), ("29.02.2024", False), (None, False), ("", False)])
def test_a_date_is_a_date_or_an_iso_string_of_one(value, ok):
    assert project_data._is_date(value) is ok


def at(field):
    return f"<{field}>"


GOOD = {"text": "Words.", "lang": "en", "read": "2024-01-02"}


@pytest.mark.parametrize("entry", [{"type": "paper"}, {"type": "web", "excerpts": [GOOD]},
                                   {"type": "book", "excerpts": [dict(GOOD, via="archive.org", en="x", lang="de")]}])
def test_good_excerpts_or_none_where_none_are_needed_pass(entry):
    assert project_data.excerpt_problems(entry, {}, at) == []


@pytest.mark.parametrize("kind", ["web", "news"])
def test_a_web_or_news_source_needs_excerpts(kind):
    assert project_data.excerpt_problems({"type": kind}, {}, at) == [
        f"<key>: a {kind} source needs 'excerpts': the sentences you relied on, copied verbatim, as `excerpts:` "
        "then `- text: \"…\"` with `lang:` and `read:` (see CONTRIBUTING.md)"]


@pytest.mark.parametrize("excerpts", [[], "Words.", {"text": "Words."}])
def test_excerpts_must_be_a_list_of_quotations(excerpts):
    assert project_data.excerpt_problems({"type": "paper", "excerpts": excerpts}, {}, at) == [
        "<excerpts>: 'excerpts' must be a list of quotations, each `- text: \"…\"` with `lang:` and `read:`"]


def test_each_bad_excerpt_is_named_by_its_index_and_field():
    excerpts = [
        "Words.",
        dict(GOOD, zz=1, aa=2),
        {"text": "  ", "lang": "English", "read": "yesterday", "via": " "},
        {"text": 5, "via": 7},
        GOOD,
    ]

    assert project_data.excerpt_problems({"excerpts": excerpts}, {}, at) == [
        "<excerpts[0]>: each excerpt is a mapping: `- text: \"…\"`, then `lang:` and `read:` on their own lines",
        "<excerpts[1].aa>: unknown excerpt field aa, zz; the fields are text, lang, read, via, en",
        "<excerpts[2]>: the excerpt has no 'text'; copy the source's own sentences, verbatim",
        "<excerpts[2].lang>: the excerpt needs 'lang', the language it is written in as a BCP 47 tag (en, zh, de)",
        "<excerpts[2].read>: the excerpt needs 'read', the date you read it, as YYYY-MM-DD",
        "<excerpts[2].via>: 'via' says where you read a copy (an archive, a mirror); write it out or delete the line",
        "<excerpts[3]>: the excerpt has no 'text'; copy the source's own sentences, verbatim",
        "<excerpts[3]>: the excerpt needs 'lang', the language it is written in as a BCP 47 tag (en, zh, de)",
        "<excerpts[3]>: the excerpt needs 'read', the date you read it, as YYYY-MM-DD",
        "<excerpts[3].via>: 'via' says where you read a copy (an archive, a mirror); write it out or delete the line",
    ]


@pytest.mark.parametrize("lang, ok", [("en", True), ("zh-Hans", True), ("en-US", True), ("deu", True),
                                      ("e", False), ("EN", False), ("english", False), ("en-", False), ("en US", False)])
def test_an_excerpts_language_is_a_bcp_47_tag(lang, ok):
    found = project_data.excerpt_problems({"excerpts": [dict(GOOD, lang=lang)]}, {}, at)

    assert found == ([] if ok else ["<excerpts[0].lang>: the excerpt needs 'lang', the language it is written in "
                                     "as a BCP 47 tag (en, zh, de)"])


def test_heading_ids_are_the_explicit_ids_of_headings_only():
    markdown = ("# Title { #top }\n## 标题 {: #sub .wide }\n###### Six {#six}\n####### Seven { #seven }\n"
                "Text { #not-a-heading }\n#NoSpace { #nospace }\n## Plain heading\n## Trailing { #t } more\n")

    assert project_data.heading_ids(markdown) == {"top", "sub", "six"}


REFERENCE = "  type: paper\n  title: Attention Is All You Need\n  arxiv: '1706.03762'\n"


def test_references_load_by_key_with_their_lines(tmp_path):
    path = write(tmp_path, "- key: vaswani2017\n" + REFERENCE + "- key: web-page\n  type: web\n  title: T\n"
                 "  url: https://example.org\n  accessed: 2024-01-02\n  excerpts:\n    - text: Words.\n"
                 "      lang: en\n      read: 2024-01-02\n")

    references = project_data.load_references(path)

    assert list(references) == ["vaswani2017", "web-page"]
    assert references["vaswani2017"] == {"key": "vaswani2017", "type": "paper", "title": "Attention Is All You Need",
                                         "arxiv": "1706.03762", "line": 1,
                                         "lines": {"key": 1, "type": 2, "title": 3, "arxiv": 4}}
    assert references["web-page"]["line"] == 5


@pytest.mark.parametrize("key", ["Vaswani2017", "a_b", "-a", "a-", "a--b", "", None])
def test_a_reference_key_is_lowercase_words_joined_by_hyphens(tmp_path, key):
    path = write(tmp_path, "- title: Before\n  type: paper\n  url: u\n  key: ok-1\n"
                           f"- type: nonsense\n  key: {'' if key is None else repr(key)}\n"
                           "- key: after\n  type: paper\n  title: T\n")

    assert problems(project_data.load_references, path) == [  # the line of the key, not of the entry
        f"{path}:6: reference {key!r}: 'key' must be lowercase letters, digits and hyphens (e.g. vaswani2017)",
        f"{path}:7: reference 'after': give at least one of 'doi', 'arxiv' or 'url' so a reader can find it"]


def test_a_reference_without_a_key_is_named_by_its_entrys_line(tmp_path):
    path = write(tmp_path, "- key: a\n" + REFERENCE + "- type: paper\n  title: T\n")

    assert problems(project_data.load_references, path) == [
        f"{path}:5: reference None: 'key' must be lowercase letters, digits and hyphens (e.g. vaswani2017)"]


def test_a_field_merged_from_elsewhere_is_named_by_its_entrys_line(tmp_path):
    path = write(tmp_path, "- key: a\n" + REFERENCE + "- <<: {type: web, excerpts: none}\n  key: b\n  title: T\n"
                 "  url: u\n  accessed: 2024-01-02\n")

    assert problems(project_data.load_references, path) == [
        f"{path}:5: reference 'b': 'excerpts' must be a list of quotations, each `- text: \"…\"` with `lang:` and `read:`"]


def test_a_news_source_needs_the_date_it_was_read_too(tmp_path):
    path = write(tmp_path, "- key: a\n  type: news\n  title: T\n  url: u\n  excerpts:\n    - text: Words.\n"
                 "      lang: en\n      read: 2024-01-02\n")

    assert problems(project_data.load_references, path) == [
        f"{path}:1: reference 'a': a web page needs 'accessed' (the date you read it, YYYY-MM-DD)"]


def test_each_problem_of_a_reference_is_named_by_file_line_and_key(tmp_path):
    path = write(tmp_path, "- key: first\n" + REFERENCE + "- doi: ''\n  key: first\n  type: article\n"
                 "  note: 中文注释\n  excerpts:\n    - text: Wörter.\n      lang: de\n      read: 2024-01-02\n"
                 "- title: A site\n  key: site\n  type: web\n  url: https://example.org\n"
                 "- key: news-item\n  type: news\n  title: News\n  url: u\n  accessed: 2024-01-02\n"
                 "  excerpts:\n    - text: Words.\n      lang: en\n")

    assert problems(project_data.load_references, path) == [
        f"{path}:6: reference 'first': the key is used twice (first at line 1); keys must be unique: "
        "merge the two entries or rename this one",
        f"{path}:7: reference 'first': 'type' must be one of book, course, news, paper, software, web",
        f"{path}:6: reference 'first': 'title' is missing; add `title:` with the work's own title",
        f"{path}:6: reference 'first': give at least one of 'doi', 'arxiv' or 'url' so a reader can find it",
        f"{path}:8: reference 'first': 'note' has no English 'note_en'; the English edition shows notes too, "
        "so write it in English right after 'note'",
        f"{path}:9: reference 'first': excerpt 1 is in 'de'; give the English edition its translation under 'en:' "
        "(the 'text' stays verbatim)",
        f"{path}:14: reference 'site': a web page needs 'accessed' (the date you read it, YYYY-MM-DD)",
        f"{path}:14: reference 'site': a web source needs 'excerpts': the sentences you relied on, copied verbatim, "
        "as `excerpts:` then `- text: \"…\"` with `lang:` and `read:` (see CONTRIBUTING.md)",
        f"{path}:23: reference 'news-item': the excerpt needs 'read', the date you read it, as YYYY-MM-DD",
    ]


def test_the_first_of_two_references_with_one_key_is_kept(tmp_path):
    path = write(tmp_path, "- key: a\n" + REFERENCE + "- key: a\n" + REFERENCE)

    with pytest.raises(DataError):
        project_data.load_references(path)
    assert project_data.load_references(write(tmp_path, "- key: a\n" + REFERENCE, "one.yml"))["a"]["line"] == 1


@pytest.mark.parametrize("field", ["doi", "arxiv", "url"])
def test_any_one_of_doi_arxiv_or_url_finds_a_work(tmp_path, field):
    path = write(tmp_path, f"- key: a\n  type: book\n  title: T\n  {field}: x\n")

    assert list(project_data.load_references(path)) == ["a"]


def test_an_excerpt_in_english_or_with_a_translation_needs_no_other(tmp_path):
    path = write(tmp_path, "- key: a\n" + REFERENCE + "  note: n\n  note_en: n\n  excerpts:\n"
                 "    - text: Words.\n      lang: en\n      read: 2024-01-02\n"
                 "    - text: Wörter.\n      lang: de\n      read: 2024-01-02\n      en: Words.\n")

    assert list(project_data.load_references(path)) == ["a"]


SEED = "Intro.\n获得了计算机科学博士学位\nMore.\n"
ENTRY = {"id": "phd", "title": "博士学位", "title_en": "PhD", "page": "p.md", "anchor": "h", "category": "biography",
         "original": "获得了计算机科学博士学位", "corrected": "c", "corrected_en": "c", "why": "w", "why_en": "w",
         "sources": ["src"]}


def ledger(tmp_path, *entries):
    """A ledger of `entries` (dicts, written one field a line), with its seed, pages and references."""
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "p.md").write_text("# Page\n\n## Heading { #h }\n", encoding="utf-8")
    (tmp_path / "seed.txt").write_text(SEED, encoding="utf-8")
    lines = []
    for entry in entries:
        for i, (key, value) in enumerate(entry.items()):
            lines.append(("- " if i == 0 else "  ") + f"{key}: {value if isinstance(value, str) else repr(value)}")
    path = write(tmp_path, "\n".join(lines) + "\n", "corrections.yml")
    return dict(path=path, references={"src": {}}, seed_path=tmp_path / "seed.txt", docs=tmp_path / "docs")


def test_a_good_ledger_loads_with_lines(tmp_path):
    entries = project_data.load_ledger(**ledger(tmp_path, ENTRY, dict(ENTRY, id="two")))

    assert [entry["id"] for entry in entries] == ["phd", "two"]
    assert entries[0]["line"] == 1 and entries[1]["line"] == 13
    assert entries[0]["lines"]["sources"] == 12 and entries[0]["lines"]["sources[0]"] == 12


def test_each_problem_of_a_correction_is_named_by_file_line_and_id(tmp_path):
    title_first = {"title": ENTRY["title"], **ENTRY}  # so that 'id' is on the entry's second line
    args = ledger(tmp_path, ENTRY, dict(title_first, title_en="", why_en="", category="typo", original="不在原文里",
                                        sources=["src", "nowhere"]),
                  dict(title_first, id="Bad_Id", title="$x$", title_en="a" * 40, page="missing.md", sources="src"),
                  dict(ENTRY, anchor="nope"))
    path = args["path"]

    assert problems(project_data.load_ledger, **args) == [
        f"{path}:14: correction 'phd': the id is used twice (first at line 1); ids must be unique: rename this one",
        f"{path}:14: correction 'phd': missing title_en, why_en: the English edition shows every entry, so write "
        "each of title, why in English too, right after it",
        f"{path}:18: correction 'phd': 'category' must be one of " + ", ".join(project_data.CATEGORIES),
        f"{path}:19: correction 'phd': 'original' is not quoted verbatim from docs/seed/original.txt "
        "(copy it exactly, whitespace included)",
        f"{path}:24: correction 'phd': source 'nowhere' is not in docs/references.yml; add the work there first",
        f"{path}:26: correction 'Bad_Id': 'id' must be lowercase letters, digits and hyphens "
        "(e.g. gan-value-function-missing-max)",
        f"{path}:25: correction 'Bad_Id': 'title' is plain words (a `code` span is allowed): no math, links, emphasis "
        "or HTML; the formula belongs in 'corrected'",
        f"{path}:27: correction 'Bad_Id': 'title' is 40 columns wide; say what was corrected in a few words "
        "(at most 36 columns, a Chinese character counts two)",
        f"{path}:36: correction 'Bad_Id': 'sources' must be a list of keys from docs/references.yml, "
        "one per line (`sources:` then `  - key`)",
        f"{path}:28: correction 'Bad_Id': page 'missing.md' does not exist under docs/; give the file name, e.g. gan.md",
        f"{path}:37: correction 'phd': the id is used twice (first at line 1); ids must be unique: rename this one",
        f"{path}:41: correction 'phd': page p.md has no heading with id #nope (write it as `## 标题 {{ #nope }}`)",
    ]


def test_a_correction_missing_fields_names_them_all(tmp_path):
    args = ledger(tmp_path, {"title": "T", "id": "x", "title_en": "T", "sources": []})

    assert problems(project_data.load_ledger, **args) == [
        f"{args['path']}:2: correction 'x': missing page, anchor, category, original, corrected, why, sources "
        "(every correction needs all of: id, title, page, anchor, category, original, corrected, why, sources)"]


def test_an_entry_without_an_id_is_named_by_its_line(tmp_path):
    args = ledger(tmp_path, dict(ENTRY), {k: v for k, v in ENTRY.items() if k != "id"})

    assert problems(project_data.load_ledger, **args) == [
        f"{args['path']}:13: correction None: missing id (every correction needs all of: "
        "id, title, page, anchor, category, original, corrected, why, sources)"]


def test_the_ledger_reads_the_real_references_when_given_none(tmp_path):
    args = ledger(tmp_path, dict(ENTRY, sources=["vaswani2017"]))
    del args["references"]

    assert [entry["id"] for entry in project_data.load_ledger(**args)] == ["phd"]


@pytest.mark.parametrize("seed, kind", [
    ("a\n```\nx = 1\n```\nb X\n", "text"),
    ("a\n```python\nX = 1\n```\n", "code"),
    ("a\n  ~~~\nX\n", "code"),
    ("$$\nX\n$$\n", "math"),
    ("$$\na\n$$\n$$\nX\n$$\n", "math"),
    ("$$\na\n$$\nX\n", "text"),
    ("X at the start\n```\n", "text"),
    ("no such passage\n```\n", "text"),
    ("X first as text\n```\nX again in code\n```\n", "text"),  # where it is first
])
def test_the_original_shows_a_passage_as_text_math_or_code(seed, kind):
    assert project_data.original_kind("X", seed) == kind


FORMULA = "- id: f\n  tex: x\n  source: src\n  where: p.md\n"


def test_formulas_load_by_id_with_their_lines(tmp_path):
    path = write(tmp_path, FORMULA + "  note: n\n" + FORMULA.replace("id: f", "id: g"))

    formulas = project_data.load_formulas(path, references={"src": {}})

    assert formulas == {"f": {"id": "f", "tex": "x", "source": "src", "where": "p.md", "note": "n", "line": 1,
                              "lines": {"id": 1, "tex": 2, "source": 3, "where": 4, "note": 5}},
                        "g": {"id": "g", "tex": "x", "source": "src", "where": "p.md", "line": 6,
                              "lines": {"id": 6, "tex": 7, "source": 8, "where": 9}}}


def test_each_problem_of_a_formula_is_named_by_file_line_and_id(tmp_path):
    path = write(tmp_path, FORMULA + "- tex: y\n  id: f\n  source: elsewhere\n  where: p.md\n  zz: 1\n  aa: 2\n"
                 "- tex: z\n  id: Bad_Id\n- tex: w\n")

    assert problems(project_data.load_formulas, path, references={"src": {}}) == [
        f"{path}:10: formula 'f': unknown field aa, zz; the fields are id, tex, source, where and note",
        f"{path}:6: formula 'f': the id is used twice (first at line 1); ids must be unique",
        f"{path}:7: formula 'f': source 'elsewhere' is not in docs/references.yml; add the work there first",
        f"{path}:12: formula 'Bad_Id': missing source, where (every formula needs all of: id, tex, source, where)",
        f"{path}:12: formula 'Bad_Id': 'id' must be lowercase letters, digits and hyphens "
        "(e.g. scaled-dot-product-attention)",
        f"{path}:13: formula None: missing id, source, where (every formula needs all of: id, tex, source, where)",
    ]


def test_the_first_of_two_formulas_with_one_id_is_kept_and_the_real_references_are_read(tmp_path):
    path = write(tmp_path, FORMULA.replace("src", "vaswani2017") + "- id: g\n  tex: y\n  source: vaswani2017\n"
                 "  where: p.md\n")

    assert list(project_data.load_formulas(path)) == ["f", "g"]
