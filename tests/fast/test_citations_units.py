"""hooks/citations.py, function by function, on a small bibliography written here: the label a
citation shows, the full entry, the excerpts, the references page and what a page's `[@key]`
becomes. The real docs/references.yml is checked by test_references.py."""
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

import citations
import markers
import project_data
import words
from markers import Origin

REFS = "docs/references.yml"

# Entries as project_data.load_references gives them: the YAML fields, the entry's line and each field's line.
PAPER = {"key": "vaswani2017", "type": "paper", "authors": ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"],
         "title": " Attention Is All You Need ", "venue": "NIPS 2017", "year": 2017, "arxiv": "1706.03762",
         "excerpts": [{"text": " We use $d_k$ <b>.\nNext line ", "lang": "en", "read": "2026-12-01", "via": " a [copy] "}],
         "line": 8, "lines": {"key": 8, "excerpts": 20}}
OLDER_PAPER = {"key": "bahdanau2015", "type": "paper", "authors": ["Dzmitry Bahdanau"], "title": "Alignment",
               "year": 2015, "doi": "10.1/x", "line": 100, "lines": {"key": 100}}
BOOK = {"key": "goodfellow2016", "type": "book", "authors": ["Ian Goodfellow", "Yoshua Bengio"], "title": "Deep Learning",
        "year": 2016, "url": "https://www.deeplearningbook.org", "line": 30, "lines": {"key": 30}}
WEB = {"key": "openai2015", "type": "web", "publisher": "OpenAI", "title": "Introducing OpenAI", "year": 2015,
       "url": "https://openai.com/blog", "accessed": "2026-11-30", "note": " 公告 ", "note_en": " an announcement ",
       "excerpts": [{"text": "中文原文", "lang": "zh", "en": "Chinese words", "read": "2026-12-01"}],
       "line": 40, "lines": {"key": 40, "excerpts": 45}}
BIBLIOGRAPHY = {entry["key"]: entry for entry in (PAPER, OLDER_PAPER, BOOK, WEB)}

PAPER_FULL = ("Ashish Vaswani, Noam Shazeer, Niki Parmar. Attention Is All You Need. NIPS 2017. 2017. "
              "arXiv: [1706.03762](https://arxiv.org/abs/1706.03762)")
PAPER_EXCERPT = ('<figure class="excerpt"><blockquote lang="en"><p>We use &#36;d&#95;k&#36; &#60;b&#62;.<br>Next line</p>'
                 "</blockquote><figcaption>读于 2026-12-01 · 经由：a &#91;copy&#93;</figcaption></figure>")


def page(markdown, uri="page.md"):
    """The parts of an mkdocs Page the hook reads."""
    return SimpleNamespace(markdown=markdown, file=SimpleNamespace(src_uri=uri, abs_src_path=None))


def english():
    words.use({"theme": {"language": "en"}})


@pytest.fixture(autouse=True)
def bibliography(monkeypatch):
    monkeypatch.setattr(citations, "_references", dict(BIBLIOGRAPHY))
    monkeypatch.setattr(citations, "_popovers", {})
    monkeypatch.setattr(citations, "_popovers_of", {})
    monkeypatch.setattr(words, "_language", ["zh"])
    monkeypatch.setattr(markers, "_pages", {})
    citations._problems.clear()
    yield
    citations._problems.clear()  # a problem left here would fail another hook's fail_if_any


# --- on_pre_build, on_post_build

def test_a_build_loads_the_bibliography_in_the_configs_language_and_forgets_the_last_builds(monkeypatch):
    monkeypatch.setattr(project_data, "load_references", lambda: {"a": {"key": "a"}})
    citations._problems.add("docs/a.md:1: left from the last build")

    citations.on_pre_build({"theme": {"language": "en"}})

    assert citations._references == {"a": {"key": "a"}}
    assert words.language() == "en"
    assert citations._problems == []


def test_a_build_reads_the_real_bibliography():
    citations.on_pre_build({"theme": {"language": "zh"}})

    assert all(entry["key"] == key for key, entry in citations._references.items())
    assert citations.label(citations._references["vaswani2017"]) == "Vaswani 等，2017"
    assert citations._references["vaswani2017"]["lines"]["excerpts"] > citations._references["vaswani2017"]["line"]


def test_a_bad_bibliography_stops_the_build_with_its_problems(monkeypatch):
    def load():
        raise project_data.DataError([f"{REFS}:3: bad", f"{REFS}:9: worse"])

    monkeypatch.setattr(project_data, "load_references", load)

    with pytest.raises(PluginError) as caught:
        citations.on_pre_build({"theme": {"language": "zh"}})

    assert str(caught.value) == f"The bibliography has problems:\n{REFS}:3: bad\n{REFS}:9: worse"


def test_a_build_fails_at_its_end_if_a_page_cited_an_unknown_work():
    citations.on_post_build(None)  # nothing found: the build goes on
    citations._problems.add("docs/a.md:2: citation [@x] is not in docs/references.yml")

    with pytest.raises(PluginError, match=r"^1 problem\(s\) in the pages, listed above \(found by hooks/citations.py\)$"):
        citations.on_post_build(None)


# --- labels

@pytest.mark.parametrize("author, family", [
    ("Ashish Vaswani", "Vaswani"),
    ("Aidan N. Gomez", "Gomez"),
    ("Michiel van de Panne", "van de Panne"),  # lower-case particles belong to the family name
    ("Ludwig van Beethoven", "van Beethoven"),
    ("Jan Willem van de Meent", "van de Meent"),  # given names before the particles stay out
    ("Augustus De Morgan", "Morgan"),  # a capital De is not a particle this list knows
    ("van Gogh", "Gogh"),  # the first word is the given name, never a particle
    ("OpenAI", "OpenAI"),
])
def test_a_family_name_is_the_last_word_with_its_particles(author, family):
    assert citations.family_name(author) == family


def test_a_label_names_one_two_or_the_first_of_many_authors_and_the_year():
    assert citations.label({"authors": ["Andrej Karpathy"], "year": 2015}) == "Karpathy，2015"
    assert citations.label(BOOK) == "Goodfellow 和 Bengio，2016"
    assert citations.label(PAPER) == "Vaswani 等，2017"
    english()
    assert citations.label({"authors": ["Andrej Karpathy"], "year": 2015}) == "Karpathy, 2015"
    assert citations.label(BOOK) == "Goodfellow and Bengio, 2016"
    assert citations.label(PAPER) == "Vaswani et al., 2017"


def test_a_work_without_authors_is_labelled_by_its_publisher_or_else_its_title():
    assert citations.label(WEB) == "OpenAI，2015"
    assert citations.label({"authors": [], "publisher": "PyTorch", "title": "Docs", "year": 2024}) == "PyTorch，2024"
    assert citations.label({"title": "Docs", "year": 2024}) == "Docs，2024"


def test_a_work_without_a_year_is_labelled_by_its_name_alone():
    assert citations.label({"authors": ["Andrej Karpathy"], "title": "x"}) == "Karpathy"
    assert citations.label({"title": "Docs", "year": None}) == "Docs"


def test_a_label_given_in_the_data_is_used_as_it_is_in_the_builds_language():
    entry = {"label": "PyTorch 文档", "label_en": "PyTorch docs", "authors": ["A B"], "year": 2024}

    assert citations.label(entry) == "PyTorch 文档"
    english()
    assert citations.label(entry) == "PyTorch docs"


# --- the full entry

def test_a_full_entry_lists_authors_title_venue_year_and_identifiers():
    assert citations.full(PAPER) == PAPER_FULL
    assert citations.full(OLDER_PAPER) == "Dzmitry Bahdanau. Alignment. 2015. DOI: [10.1/x](https://doi.org/10.1/x)"


def test_the_title_of_a_book_a_course_or_software_is_in_italics():
    assert citations.full(BOOK) == "Ian Goodfellow, Yoshua Bengio. *Deep Learning*. 2016. <https://www.deeplearningbook.org>"
    for kind in ("course", "software"):
        assert citations.full({"type": kind, "title": "T", "url": "u", "line": 1, "key": "k"}) == "*T*. <u>"
    for kind in ("paper", "web", "news"):
        assert citations.full({"type": kind, "title": "T", "url": "u", "line": 1, "key": "k"}) == "T. <u>"


def test_identifiers_come_in_order_and_a_web_page_says_when_it_was_read_and_its_note():
    entry = dict(WEB, doi="10.1/y", arxiv="2001.1")

    assert citations.full(entry) == ("Introducing OpenAI. 2015. DOI: [10.1/y](https://doi.org/10.1/y) · "
                                     "arXiv: [2001.1](https://arxiv.org/abs/2001.1) · <https://openai.com/blog> · "
                                     "访问于 2026-11-30 （公告）")
    english()
    assert citations.full(WEB) == "Introducing OpenAI. 2015. <https://openai.com/blog> · accessed 2026-11-30 (an announcement)"


def test_title_and_venue_are_given_in_the_builds_language_where_the_data_has_them():
    entry = dict(OLDER_PAPER, title="对齐", title_en="Alignment (in English)", venue="会议", venue_en="A conference")

    assert citations.full(entry) == "Dzmitry Bahdanau. 对齐. 会议. 2015. DOI: [10.1/x](https://doi.org/10.1/x)"
    english()
    assert citations.full(entry) == ("Dzmitry Bahdanau. Alignment (in English). A conference. 2015. "
                                     "DOI: [10.1/x](https://doi.org/10.1/x)")


def test_a_note_without_its_english_stops_the_english_build_naming_the_entry():
    english()

    with pytest.raises(PluginError) as caught:
        citations.full(dict(WEB, note_en=None))

    assert str(caught.value) == (f"{REFS}:40: reference 'openai2015': 'note_en' is missing: the en edition shows this "
                                 "entry's 'note' in its own language; add 'note_en' beside 'note'")


# --- excerpts

def test_an_excerpt_is_quoted_escaped_with_its_lines_kept_and_where_it_was_read():
    assert citations.excerpts(PAPER) == [PAPER_EXCERPT, ""]


def test_an_excerpt_in_another_language_shows_its_translation_in_the_builds():
    # In Chinese the Chinese excerpt needs none; in English its `en` translation follows it.
    assert citations.excerpts(WEB) == ['<figure class="excerpt"><blockquote lang="zh"><p>中文原文</p></blockquote>'
                                       "<figcaption>读于 2026-12-01</figcaption></figure>", ""]
    english()
    assert citations.excerpts(WEB) == ['<figure class="excerpt"><blockquote lang="zh"><p>中文原文</p></blockquote>'
                                       '<p class="excerpt-translation" lang="en">Chinese words</p>'
                                       "<figcaption>read 2026-12-01</figcaption></figure>", ""]


def test_an_english_excerpt_has_no_translation_in_the_english_build():
    english()

    assert "excerpt-translation" not in citations.excerpts(dict(PAPER, excerpts=[dict(PAPER["excerpts"][0], en="x")]))[0]


def test_each_excerpt_is_a_figure_followed_by_a_blank_line():
    entry = dict(BOOK, excerpts=[{"text": "one", "lang": "en", "read": "d1"}, {"text": "two", "lang": "en", "read": "d2"}])

    out = citations.excerpts(entry)

    assert out[1::2] == ["", ""]
    assert [line[line.index("<p>"):line.index("</p>")] for line in out[::2]] == ["<p>one", "<p>two"]
    assert citations.excerpts(BOOK) == []


# --- the references page and the popovers

def test_lines_made_from_an_entry_come_from_its_line_and_figures_from_its_excerpts():
    assert list(citations._lines(PAPER, ["a", "<figure x>", ""])) == [
        ("a", Origin(REFS, 8)), ("<figure x>", Origin(REFS, 20)), ("", Origin(REFS, 8))]
    assert list(citations._lines(BOOK, ["<figure x>"])) == [("<figure x>", Origin(REFS, 30))]  # no excerpts line
    assert isinstance(citations._lines(BOOK, []), markers.Sourced)


def test_the_bibliography_lists_the_works_by_type_then_key_each_with_its_excerpts():
    lines = citations.bibliography()

    assert isinstance(lines, markers.Sourced)
    assert [text for text, _ in lines] == [
        "## 论文 { #paper }", "",
        '<div class="reference" id="ref-bahdanau2015" markdown>', "", citations.full(OLDER_PAPER), "", "</div>", "",
        '<div class="reference" id="ref-vaswani2017" markdown>', "", PAPER_FULL, "", PAPER_EXCERPT, "", "</div>", "",
        "## 书籍 { #book }", "",
        '<div class="reference" id="ref-goodfellow2016" markdown>', "", citations.full(BOOK), "", "</div>", "",
        "## 网页与文章 { #web }", "",
        '<div class="reference" id="ref-openai2015" markdown>', "", citations.full(WEB), "",
        *citations.excerpts(WEB), "</div>", "",
    ]
    where = [origin.line for _, origin in lines]
    assert where[:10] == [1, 1, 100, 100, 100, 100, 100, 100, 8, 8]
    assert where[12] == 20  # the excerpt's figure
    assert {origin.path for _, origin in lines} == {REFS}


def test_the_bibliography_headings_are_in_the_builds_language():
    english()

    assert [text for text, _ in citations.bibliography() if text.startswith("## ")] == [
        "## Papers { #paper }", "## Books { #book }", "## Web pages and articles { #web }"]


def test_a_popover_holds_the_full_entry_its_excerpts_and_a_link_to_it_on_the_references_page():
    lines = citations.popover(PAPER, "../references.md")

    assert [text for text, _ in lines] == [
        '<div class="citation-popover" id="cite-vaswani2017" popover="auto" role="dialog" '
        'aria-label="文献：Vaswani 等，2017" markdown>', "",
        PAPER_FULL, "",
        PAPER_EXCERPT, "",
        '<p class="citation-more" markdown>[在参考资料中查看这一条](../references.md#ref-vaswani2017)</p>', "",
        "</div>", "",
    ]
    assert [origin.line for _, origin in lines] == [8, 8, 8, 8, 20, 8, 8, 8, 8, 8]


def test_a_popovers_label_is_escaped_for_its_attribute():
    entry = dict(BOOK, label='R&D "Lab"')

    assert 'aria-label="文献：R&#38;D &#34;Lab&#34;"' in citations.popover(entry, "references.md")[0][0]


# --- a page

def button(key, name):
    return f'<button type="button" class="citation-ref" popovertarget="cite-{key}">{name}</button>'


def test_citations_become_labelled_buttons_and_their_popovers_close_the_page():
    markdown = "# GAN\nAs shown [@vaswani2017; @goodfellow2016].\n\nAgain [@vaswani2017] and [@openai2015]."
    p = page(markdown, "gan.md")

    out = citations.on_page_markdown(markdown, p, None, None)

    popovers = [*citations.popover(PAPER, "references.md"), *citations.popover(BOOK, "references.md"),
                *citations.popover(WEB, "references.md")]  # each once, in the order first cited
    assert out == "\n".join([
        "# GAN",
        f'As shown <span class="citation">（{button("vaswani2017", "Vaswani 等，2017")}；'
        f'{button("goodfellow2016", "Goodfellow 和 Bengio，2016")}）</span>.',
        "",
        f'Again <span class="citation">（{button("vaswani2017", "Vaswani 等，2017")}）</span> and '
        f'<span class="citation">（{button("openai2015", "OpenAI，2015")}）</span>.',
        "",
        '<div class="citation-popovers" data-search-exclude="popovers" markdown>',
        "",
        *(text for text, _ in popovers),
        "</div>",
    ])
    # The popovers' lines come from the bibliography; the lines around them from the page's last line.
    where = markers.origins(out, p)
    assert where[:7] == [Origin("docs/gan.md", n) for n in (1, 2, 3, 4, 4, 4, 4)]
    assert where[7:-1] == [origin for _, origin in popovers]
    assert where[-1] == Origin("docs/gan.md", 4)
    assert citations._problems == []


def test_a_popover_is_made_once_while_the_bibliography_stays_the_same(monkeypatch):
    # mkdocs serve builds every page again on each rebuild; the popovers change only with the bibliography.
    bibliographies = [dict(BIBLIOGRAPHY), dict(BIBLIOGRAPHY), dict(BIBLIOGRAPHY, vaswani2017=dict(PAPER, year=2018))]
    monkeypatch.setattr(project_data, "load_references", lambda: bibliographies.pop(0))
    made = []
    popover = citations.popover
    monkeypatch.setattr(citations, "popover", lambda entry, target: made.append(entry["year"]) or popover(entry, target))
    markdown = "See [@vaswani2017]."

    def build():
        citations.on_pre_build({"theme": {"language": "zh"}})
        return citations.on_page_markdown(markdown, page(markdown), None, None)

    first, second = build(), build()
    assert first == second and made == [2017]
    third = build()   # the entry changed
    assert made == [2017, 2018] and "2018" in third and "2018" not in first
    citations.on_page_markdown(markdown, page(markdown, "en/page.md"), None, None)   # another link target
    assert made == [2017, 2018, 2018]


def test_in_english_a_citation_reads_the_english_way():
    markdown = "See [@goodfellow2016;@vaswani2017]."

    out = citations.on_page_markdown(markdown, page(markdown), None, None)

    assert out.split("\n")[0] == (f'See <span class="citation">（{button("goodfellow2016", "Goodfellow 和 Bengio，2016")}；'
                                  f'{button("vaswani2017", "Vaswani 等，2017")}）</span>.')
    english()
    markers._pages.clear()
    out = citations.on_page_markdown(markdown, page(markdown), None, None)
    assert out.split("\n")[0] == (f'See <span class="citation">({button("goodfellow2016", "Goodfellow and Bengio, 2016")}; '
                                  f'{button("vaswani2017", "Vaswani et al., 2017")})</span>.')


def test_a_button_label_is_escaped_as_text():
    citations._references["rd"] = dict(BOOK, key="rd", label="R&D <Lab>")
    markdown = "[@rd]"

    assert citations.on_page_markdown(markdown, page(markdown), None, None).split("\n")[0] == (
        f'<span class="citation">（{button("rd", "R&#38;D &#60;Lab&#62;")}）</span>')


def test_the_link_to_the_references_page_is_relative_to_the_citing_page():
    markdown = "[@goodfellow2016]"

    out = citations.on_page_markdown(markdown, page(markdown, "notes/deep/a.md"), None, None)

    assert "[在参考资料中查看这一条](../../references.md#ref-goodfellow2016)" in out


def test_an_unknown_key_is_named_by_page_and_line_and_the_known_ones_still_cited():
    markdown = "# A\n\nOne [@nobody; @goodfellow2016].\nTwo [@vaswani2016]."

    out = citations.on_page_markdown(markdown, page(markdown, "a.md"), None, None)

    assert citations._problems == [
        "docs/a.md:3: citation [@nobody] is not in docs/references.yml; check the key, or add the work there first",
        "docs/a.md:4: citation [@vaswani2016] is not in docs/references.yml; check the key, or add the work there first",
    ]
    assert out.split("\n")[2] == f'One <span class="citation">（{button("goodfellow2016", "Goodfellow 和 Bengio，2016")}）</span>.'
    assert 'id="cite-goodfellow2016"' in out and "cite-nobody" not in out


def test_citations_in_code_fences_and_other_brackets_are_left_alone():
    markdown = "```\n[@vaswani2017]\n```\n[@Vaswani2017] [vaswani2017] [@vaswani2017 ] @vaswani2017\n"

    assert citations.on_page_markdown(markdown, page(markdown), None, None) == markdown
    assert citations._problems == []


def test_the_bibliography_marker_becomes_the_references_page():
    markdown = "# References\n<!-- bibliography -->\n<!-- correction: x -->\nEnd"
    p = page(markdown, "references.md")

    out = citations.on_page_markdown(markdown, p, None, None)

    assert out == "\n".join(["# References", *(text for text, _ in citations.bibliography()), "<!-- correction: x -->", "End"])
    assert markers.origins(out, p)[1:3] == [Origin(REFS, 1), Origin(REFS, 1)]
    assert markers.origins(out, p)[-1] == Origin("docs/references.md", 4)


# --- the tests' own helper

def test_cited_keys_are_every_key_in_every_citation():
    assert citations.cited_keys("a [@x; @y-2] b [@z]\n[@x]") == {"x", "y-2", "z"}
    assert citations.cited_keys("[@X] [x] @x") == set()
