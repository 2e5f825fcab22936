"""scripts/check_links.py sorts outside links into dead and unchecked, offline, against local servers.

The monthly workflow (.github/workflows/links.yml) runs the same code against the real web; here
a second local server plays "the rest of the web": one live page, one missing page, one that
refuses robots (403), and a port where nothing listens.
"""
import functools
import re
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

import project_data
from scripts import check_links


class OutsideWorld(SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/forbidden.html":
            self.send_error(403)
        else:
            super().do_GET()

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    web = tmp_path_factory.mktemp("web")
    (web / "alive.html").write_text("<p>still here</p>", encoding="utf-8")
    (web / "forbidden.html").write_text("<p>robots not welcome</p>", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(OutsideWorld, directory=str(web)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory, outside):
    site = tmp_path_factory.mktemp("site")
    (site / "gan").mkdir()
    refused = f"http://127.0.0.1:{closed_port()}/gone.html"
    (site / "index.html").write_text(
        f'<a href="{outside}/alive.html">live</a> <a href="{outside}/missing.html">dead</a> '
        f'<a href="gan/">GAN</a>', encoding="utf-8")
    (site / "gan" / "index.html").write_text(
        f'<a href="{outside}/alive.html">live</a> <a href="{outside}/forbidden.html">403</a> '
        f'<a href="{refused}">refused</a>', encoding="utf-8")
    return site, refused


@pytest.fixture(scope="module")
def found(tiny_site):
    """One LinkChecker run over the tiny site (a few seconds), shared by the tests below."""
    return check_links.check(tiny_site[0], timeout=5)


def test_dead_and_unchecked_links_are_told_apart(found, tiny_site, outside):
    _, refused = tiny_site

    assert [e["url"] for e in found["dead"]] == sorted([f"{outside}/missing.html", refused])
    assert [e["url"] for e in found["unchecked"]] == [f"{outside}/forbidden.html"]
    assert f"{outside}/alive.html" not in check_links.report(found)


def test_the_report_names_the_page_that_links_there(found, tiny_site, outside):
    _, refused = tiny_site

    text = check_links.report(found)

    assert re.search(rf"<{re.escape(outside)}/missing\.html> — 404.* — linked from /\s", text)
    assert re.search(rf"<{re.escape(refused)}> — .* — linked from /gan/", text)
    assert "## Dead: 2" in text and "## Could not be checked (the site may turn robots away): 1" in text


def test_main_writes_the_report_and_fails_only_when_a_link_is_dead(found, tmp_path, monkeypatch):
    report = tmp_path / "links.md"
    monkeypatch.setattr(check_links, "check", lambda site: found)

    assert check_links.main(["--site", str(tmp_path), "--report", str(report)]) == 1
    assert report.read_text(encoding="utf-8") == check_links.report(found)
    monkeypatch.setattr(check_links, "check", lambda site: dict(found, dead=[]))
    assert check_links.main(["--site", str(tmp_path)]) == 0


def test_a_bibliography_address_is_traced_to_its_line():
    entry = next(e for e in project_data.load_references().values() if e.get("url"))
    lines = project_data.REFERENCES.read_text(encoding="utf-8").splitlines()

    where = check_links.written_at(entry["url"])

    assert where and all(w.startswith(("docs/", )) for w in where)
    assert any(w.startswith("docs/references.yml:") and entry["url"] in lines[int(w.rsplit(":", 1)[1]) - 1]
               for w in where)


def test_every_bibliography_address_is_a_link_on_the_built_references_page(site):
    """The link checker reaches the bibliography through this page, so every address must be on it."""
    html = (site / "references" / "index.html").read_text(encoding="utf-8")
    addresses = [address for entry in project_data.load_references().values() for address in (
        entry.get("url"),
        entry.get("doi") and f"https://doi.org/{entry['doi']}",
        entry.get("arxiv") and f"https://arxiv.org/abs/{entry['arxiv']}",
    ) if address]
    missing = [a for a in addresses if f'href="{a}"' not in html.replace("&amp;", "&")]

    assert addresses and not missing, f"not linked from /references/: {missing}"
