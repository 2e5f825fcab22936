"""The bibliography (docs/references.yml): every work findable, every work cited, no unknown key."""
import pytest

import project_data
from citations import cited_keys
from pages import pages, rel


def test_every_reference_is_findable():
    try:
        project_data.load_references()
    except project_data.DataError as err:
        pytest.fail(f"docs/references.yml has problems:\n{err}", pytrace=False)


def test_every_citation_names_a_known_work():
    known = set(project_data.load_references())
    unknown = []
    for page in pages():
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            unknown += [f"{rel(page)}:{number}: [@{key}] is not in docs/references.yml" for key in cited_keys(line) - known]

    assert not unknown, "\n".join(unknown)


def test_every_reference_is_cited_somewhere():
    cited = set().union(*(cited_keys(page.read_text(encoding="utf-8")) for page in pages()))
    cited |= {key for entry in project_data.load_ledger() for key in entry["sources"]}
    uncited = [f"docs/references.yml:{ref['line']}: {key!r} is never cited; cite it as [@{key}] or remove it"
               for key, ref in project_data.load_references().items() if key not in cited]

    assert not uncited, "\n".join(uncited)


def test_a_reference_without_doi_arxiv_or_url_is_reported(tmp_path):
    bib = tmp_path / "references.yml"
    bib.write_text("- key: someone2020\n  type: paper\n  title: A Paper\n  year: 2020\n", encoding="utf-8")

    with pytest.raises(project_data.DataError) as caught:
        project_data.load_references(bib)

    assert f"{bib}:1: reference 'someone2020': give at least one of 'doi', 'arxiv' or 'url'" in str(caught.value)
