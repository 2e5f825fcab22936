"""Every date, year and number in a sentence that cites a source is in that source's own words.

tests/cited_numbers.py says what counts as a number and how formats are normalised. A number the
site computes itself is not the source's: its sentence names the test that computes it instead
(`tests/…::test_…`), and a ledger entry lists such tests in its `tests` field.
"""
import re
from pathlib import Path

import pytest

import project_data
from cited_numbers import SEED_SECTION, cited_keys, claims, facts, known, names_a_test, seed_sections, sentences
from pages import english_pages, pages, prose_lines, rel


def unsupported(path, references, stated_by=None):
    """`file:line: …` for each number a citing sentence of the page states that no cited entry has.
    stated_by: {key: known(entry)}, filled as keys are cited, shared by a caller that checks many pages."""
    problems, stated_by = [], {} if stated_by is None else stated_by
    raw = Path(path).read_text(encoding="utf-8").split("\n")
    for number, line in prose_lines(path):
        prose, written_as = sentences(line), sentences(raw[number - 1])
        if len(written_as) != len(prose):  # a code span held a full stop: judge the line as a whole
            written_as = [raw[number - 1]] * len(prose)
        for sentence, as_written in zip(prose, written_as):
            keys = [key for key in cited_keys(sentence) if key in references]
            if not keys or names_a_test(as_written):  # prose_lines blanks code spans; read the test name as written
                continue
            for key in keys:
                if key not in stated_by:
                    stated_by[key] = known(references[key])
            stated = set().union(*(stated_by[key] for key in keys))
            problems += [f"{rel(path)}:{number}: {written!r} is in none of the cited sources "
                         f"({'; '.join('@' + k for k in keys)}: their excerpts, title, venue, year); add the words "
                         "that state it as an excerpt in docs/references.yml, correct the number, or name the "
                         "test that computes it"
                         for written, value in claims(sentence) if value not in stated]
    return problems


def test_numbers_in_cited_sentences_come_from_their_sources():
    references, stated_by = project_data.load_references(), {}  # each work's facts once, not once a citing sentence
    problems = [problem for page in [*pages(), *english_pages()] for problem in unsupported(page, references, stated_by)]

    assert not problems, "\n".join(problems)


# Numbers no source and no test of ours can state, each with the reason. Keep this short.
NOT_CHECKED = {
    "gan-listing-two-inputs": "the shapes and the version are Keras 3.15.1's own output in a run we made outside the "
                              "project (docs/gan.md#seed-listing says how); Keras is not a dependency, so no test can "
                              "recompute them",
}


def is_test_function(target):
    """Whether target is `tests/<file>.py::test_…` and that file defines the function."""
    path, _, name = target.partition("::")
    file = project_data.ROOT / path
    if not (path.startswith("tests/") and name.startswith("test_") and file.is_file()):
        return False
    return re.search(rf"^def {re.escape(name)}\(", file.read_text(encoding="utf-8"), re.M) is not None


def test_ledger_tests_name_test_functions():
    problems = [f"docs/corrections.yml:{entry['line']}: {entry['id']}: `tests` names {name!r}, which is not a test "
                "function (write tests/<file>.py::<test_name>)"
                for entry in project_data.load_ledger() for name in entry.get("tests") or []
                if not is_test_function(name)]

    assert not problems, "\n".join(problems)


def test_numbers_in_ledger_entries_come_from_their_sources():
    references = project_data.load_references()
    problems = []
    for entry in project_data.load_ledger():
        if entry.get("tests") or entry["id"] in NOT_CHECKED:
            continue  # its numbers are computed by the tests it names, or listed above with the reason
        stated = set().union(*(known(references[key]) for key in entry["sources"])) | facts(entry["original"])
        for field in ("corrected", "why", "corrected_en", "why_en"):
            problems += [f"docs/corrections.yml:{entry['line']}: {entry['id']}.{field}: {written!r} is in none of its "
                         f"sources ({', '.join(entry['sources'])}) nor in the original it quotes; add an excerpt, "
                         "correct it, or list the tests that compute it under `tests`"
                         for sentence in sentences(entry.get(field) or "") for written, value in claims(sentence)
                         if value not in stated]

    assert not problems, "\n".join(problems)


def test_section_numbers_of_the_original_exist():
    sections = seed_sections(project_data.SEED.read_text(encoding="utf-8"))
    problems = []
    for page in pages():
        for number, line in prose_lines(page):
            for match in SEED_SECTION.finditer(line):
                problems += [f"{rel(page)}:{number}: the original has no section {n} ({match.group(0)!r})"
                             for n in re.findall(r"\d+(?:\.\d+)?", match.group(0)) if n not in sections]

    assert not problems, "\n".join(problems)


def test_a_number_the_source_does_not_state_is_reported_with_page_line_and_citations(tmp_path):
    page = tmp_path / "wrong-year.md"
    page.write_text("# 标题\n\nOpenAI 在 2015 年 12 月 11 日宣布成立[@openai2015]。\n\nKarpathy 在 2019 年加入 OpenAI[@openai2015]。\n",
                    encoding="utf-8")

    problems = unsupported(page, project_data.load_references())

    assert problems == [f"{page}:5: '2019' is in none of the cited sources (@openai2015: their excerpts, title, "
                        "venue, year); add the words that state it as an excerpt in docs/references.yml, correct "
                        "the number, or name the test that computes it"]


def test_a_sentence_that_names_its_test_may_state_what_the_test_computes(tmp_path):
    page = tmp_path / "computed.md"
    page.write_text("相对误差在 82% 以上[@vaswani2017]，见 `test_seed_multihead_best_fit_leaves_most_of_mha_output_unexplained`。\n",
                    encoding="utf-8")

    assert unsupported(page, project_data.load_references()) == []


@pytest.mark.parametrize("page_says, source_says", [
    ("2024 年 7 月 16 日", "July 16, 2024"),
    ("2024 年 7 月 16 日", "16 July 2024"),
    ("2024 年 7 月 16 日", "2024-07-16"),
    ("2016 年 9 月 24 日", "the weekend of September 24th and 25th, 2016"),
    ("2017 年 6 月", "June 2017"),
    ("9 月 7 日", "Sep 7, 2016"),
    ("100 万", "1 million"),
    ("4 亿", "400 million"),
    ("4 个月", "a four-month sabbatical"),
    ("1,797", "1797"),
    ("16", "integers 0-16"),
    ("8", "a 8x8 image"),
])
def test_formats_are_normalised_before_comparing(page_says, source_says):
    (written, value), = claims(f"据报道是{page_says}。")

    assert value in facts(source_says), (written, value, facts(source_says))


def test_numbers_inside_names_code_and_locators_are_not_claims():
    sentence = "GPT-2 和 CS231n 在式 (1)、算法 1 和第 5.4 节之外，`d_k = 64` 也不算，[链接](https://x.org/2019) 也不算。"

    assert claims(sentence) == []


def test_english_locators_are_not_claims_but_the_numbers_beside_them_are():
    sentence = ("Section 5.4 of the paper, its equation (2), Figure 3 and lines 35, 36 and 58 of the listing "
                "point into a work; the 6 layers of Algorithm 1 do not.")

    assert claims(sentence) == [("6", 6)]
