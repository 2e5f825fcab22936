"""Print Lighthouse's mobile scores, the weight and the DOM size of every page of the built site.

    python scripts/bench_pages.py                  # build, then 3 Lighthouse runs per page
    python scripts/bench_pages.py --runs 5 /faq/ /transformer/
    python scripts/bench_pages.py --site /tmp/site # an existing build
    python scripts/bench_pages.py --site before/ --site after/   # two builds, runs interleaved

Builds the site with `mkdocs build --strict`, serves it on 127.0.0.1 compressed with gzip, as
GitHub Pages serves it (Python's http.server would send every byte uncompressed, which is not
what a reader gets), and runs Lighthouse (pinned in package.json; `npm ci`) with its default
mobile profile and simulated throttling in Debian's Chromium (CHROME_PATH, default
/usr/bin/chromium) on every page. For each page it prints the median of the runs: the four
category scores, the bytes transferred while the page loads (gzip, web fonts excluded: they
are counted apart), the DOM element count, and the metrics the performance score is made of.

Lighthouse's simulated throttling scales the CPU time it observes, so its scores fall when the
machine is busy: the load average is printed beside the figures; compare runs made together.
Given two or more --site folders, the runs alternate between them page by page, so a change in
load hits every build alike.
A benchmark prints figures; it asserts nothing.
"""
import argparse
import functools
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index"]
# What GitHub Pages compresses: text, not fonts or images that are compressed already.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".ipynb"}


class GzipHandler(SimpleHTTPRequestHandler):
    """Serve files gzip-compressed when the browser accepts it, like GitHub Pages."""

    cache = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # redirects to the trailing slash
            path = path / "index.html"
        if not path.is_file() or Path(path).suffix not in COMPRESSED or "gzip" not in self.headers.get(
                "Accept-Encoding", ""):
            if not path.exists():
                self.send_error(HTTPStatus.NOT_FOUND)
                return None
            return super().send_head()
        if path not in self.cache:
            self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6)
        body = self.cache[path]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # GitHub Pages' header
        self.end_headers()
        return _Body(body)


class _Body:
    """A file-like object over bytes, for SimpleHTTPRequestHandler.do_GET to copy."""

    def __init__(self, data):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve(site):
    GzipHandler.cache = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build(site_dir):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"mkdocs build --strict failed:\n{result.stderr[-3000:]}")


def page_paths(site):
    return sorted("/" + p.parent.relative_to(site).as_posix().strip(".") + ("/" if p.parent != site else "")
                  for p in site.rglob("index.html") if "search" not in p.relative_to(site).parts)


def lighthouse(url, output):
    """Run Lighthouse once on url; return its JSON report."""
    command = [str(LIGHTHOUSE), url, "--form-factor=mobile", f"--only-categories={','.join(CATEGORIES)}",
               "--output=json", f"--output-path={output}", f"--chrome-flags={CHROME_FLAGS}", "--quiet"]
    result = subprocess.run(command, env=dict(os.environ, CHROME_PATH=CHROME), capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(Path(output).read_text(encoding="utf-8"))


def figures(report):
    """The figures of one report: scores 0-100, KB transferred (without and of fonts), DOM size, metrics."""
    requests = report["audits"]["network-requests"]["details"]["items"]
    fonts = sum(r.get("transferSize", 0) for r in requests if r.get("resourceType") == "Font")
    total = sum(r.get("transferSize", 0) for r in requests)
    out = {name: round(100 * report["categories"][name]["score"]) for name in CATEGORIES}
    out.update(kb=(total - fonts) / 1000, fonts_kb=fonts / 1000, requests=len(requests),
               dom=report["audits"]["dom-size"]["numericValue"])
    out.update({name: report["audits"][name]["numericValue"] for name in METRICS})
    return out


def heaviest(report, count=4):
    """The largest requests of a report, as 'name KB' strings."""
    requests = report["audits"]["network-requests"]["details"]["items"]
    top = sorted(requests, key=lambda r: -r.get("transferSize", 0))[:count]
    return ", ".join(f"{r['url'].rstrip('/').rsplit('/', 1)[-1][:28]} {r.get('transferSize', 0) / 1000:.0f}" for r in top)


def median_figures(runs):
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def machine():
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}"


def chromium_version():
    result = subprocess.run([CHROME, "--version"], capture_output=True, text=True)
    return result.stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="URL paths to measure (default: every page)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median is printed)")
    parser.add_argument("--site", type=Path, action="append",
                        help="an existing build to measure instead of building (repeat to compare builds)")
    parser.add_argument("--heaviest", action="store_true", help="also list each page's largest requests")
    options = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `npm ci` in the project root.")

    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        sites = options.site
        if not sites:
            sites = [work / "site"]
            build(sites[0])
        servers = [serve(site) for site in sites]
        label = (lambda site: f" [{site.name}]") if len(sites) > 1 else (lambda site: "")
        paths = options.pages or page_paths(sites[0])
        print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}  machine: {machine()}")
        print(f"browser: {chromium_version()}  lighthouse: "
              f"{subprocess.run([str(LIGHTHOUSE), '--version'], capture_output=True, text=True).stdout.strip()}"
              f"  profile: mobile, simulated throttling, served with gzip")
        print(f"command: python scripts/bench_pages.py {' '.join(sys.argv[1:])}".rstrip())
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}   "
              f"median of {options.runs} run(s) per page; KB = transferred while loading, gzip, fonts apart")
        header = (f"{'page':34} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'KB':>6} {'fonts':>6} {'DOM':>6} "
                  f"{'FCP s':>6} {'LCP s':>6} {'TBT ms':>6} {'CLS':>5} {'load':>5}")
        print(header)
        print("-" * len(header))
        for path in paths:
            runs = {site: [] for site in sites}
            reports = {}
            for number in range(options.runs):
                for site, server in zip(sites, servers):
                    report = lighthouse(f"http://127.0.0.1:{server.server_port}{path}", work / "report.json")
                    runs[site].append(figures(report))
                    reports[site] = report
            for site in sites:
                m = median_figures(runs[site])
                print(f"{path + label(site):34} {m['performance']:4.0f} {m['accessibility']:4.0f} "
                      f"{m['best-practices']:4.0f} {m['seo']:4.0f} {m['kb']:6.1f} {m['fonts_kb']:6.1f} {m['dom']:6.0f} "
                      f"{m['first-contentful-paint'] / 1000:6.2f} {m['largest-contentful-paint'] / 1000:6.2f} "
                      f"{m['total-blocking-time']:6.0f} {m['cumulative-layout-shift']:5.3f} {os.getloadavg()[0]:5.2f}",
                      flush=True)
                if options.heaviest:
                    print(f"    heaviest (KB): {heaviest(reports[site])}")
        for server in servers:
            server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
