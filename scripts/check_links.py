"""Check every outside link of the built site, the bibliography's included, and report the dead ones.

    python scripts/check_links.py                       # build the site, check it, print the report
    python scripts/check_links.py --site site           # check a site built already
    python scripts/check_links.py --report links.md     # also write the report (Markdown) to a file

LinkChecker (pinned in requirements.txt) does the checking: this script serves the built site on
127.0.0.1, runs LinkChecker over it with --check-extern (every page, every outside link; the
references page lists every `url`, DOI and arXiv id of docs/references.yml), and sorts what
LinkChecker reports into links that are dead (404, 410, no such host, connection refused) and links
it could not check (401, 403, 429, 5xx, timeouts: often a site that turns robots away). For each
one the report names the page that links to it and, where the address is written, the file and
line to edit. Exit status 1 if a link is dead.

.github/workflows/links.yml runs this monthly and by hand, and turns the report into one GitHub
issue (opened, or updated while it stays open) instead of failing anybody's push: a source that
goes offline is news for the maintainers, not a contributor's mistake.
"""
import argparse
import csv
import functools
import io
import re
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
LINKCHECKER = Path(sys.executable).with_name("linkchecker")
# Dead: the page is gone, the host no longer exists, or nothing listens there. Anything else (403,
# 429, 5xx, timeouts, no network on this machine) says nothing certain about the source.
DEAD = re.compile(r"^(404|410)\b|NameResolutionError|Name or service not known|No address associated"
                  r"|nodename nor servname|Connection refused|Errno 111\b", re.I)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    """Serve `directory` on 127.0.0.1 in a background thread; return (server, base URL)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def run_linkchecker(start_url, timeout=30):
    """LinkChecker's rows (dicts) for every link it found broken, starting at start_url."""
    command = [str(LINKCHECKER), "--check-extern", "--no-status", "--no-warnings", "--output=csv",
               f"--timeout={timeout}", "--threads=8", start_url]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode not in (0, 1):  # 0: all valid, 1: broken links found, 2: LinkChecker failed
        raise RuntimeError(f"LinkChecker failed ({result.returncode}):\n{result.stderr[-2000:]}")
    lines = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    return [row for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";") if row.get("valid") == "False"]


def is_outside(url, base):
    return urlparse(url).netloc not in ("", urlparse(base).netloc)


def written_at(url):
    """Where the address is written in the sources: ['docs/references.yml:123', …]."""
    needles = {url.rstrip("/")}
    if url.startswith("https://doi.org/"):
        needles.add(url.removeprefix("https://doi.org/"))
    if url.startswith("https://arxiv.org/abs/"):
        needles.add(url.removeprefix("https://arxiv.org/abs/"))
    found = []
    for path in sorted((ROOT / "docs").rglob("*")):
        if path.suffix not in {".md", ".yml"} or "seed" in path.relative_to(ROOT / "docs").parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if any(needle in line for needle in needles):
                found.append(f"{path.relative_to(ROOT).as_posix()}:{number}")
    return found


def check(site, timeout=30):
    """{'dead': [...], 'unchecked': [...]}: one entry per outside URL, with the pages that link to it."""
    server, base = serve(site)
    try:
        rows = run_linkchecker(base, timeout)
    finally:
        server.shutdown()
    by_url = {}
    for row in rows:
        url = row["urlname"] if "://" in row["urlname"] else row["url"]
        if not is_outside(url, base):
            continue  # internal links are the strict build's job
        entry = by_url.setdefault(url, {"url": url, "result": row["result"], "pages": set()})
        entry["pages"].add("/" + urlparse(row["parentname"]).path.lstrip("/"))
    sorted_entries = sorted(by_url.values(), key=lambda e: e["url"])
    return {
        "dead": [e for e in sorted_entries if DEAD.search(e["result"])],
        "unchecked": [e for e in sorted_entries if not DEAD.search(e["result"])],
    }


def report(found):
    """The findings as Markdown, for a terminal or a GitHub issue."""
    out = ["# Links that need attention", ""]
    for key, heading in (("dead", "Dead"), ("unchecked", "Could not be checked (the site may turn robots away)")):
        out += [f"## {heading}: {len(found[key])}", ""]
        for entry in found[key]:
            where = ", ".join(written_at(entry["url"])) or "not written in docs/ (generated)"
            out.append(f"- <{entry['url']}> — {entry['result']} — linked from {', '.join(sorted(entry['pages']))}"
                       f" — written at {where}")
        out.append("")
    out.append("Made by `python scripts/check_links.py`; fix a dead source by replacing its `url` "
               "(an archived copy or the new address) and its `accessed` date.")
    return "\n".join(out) + "\n"


def build(site_dir):
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                   cwd=ROOT, check=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--report", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(site)
        found = check(site)
    text = report(found)
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    return 1 if found["dead"] else 0


if __name__ == "__main__":
    sys.exit(main())
