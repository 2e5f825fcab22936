"""Print how fast the site builds, reloads and tests, beside a plain Material site of the same size.

    python scripts/bench_build.py            # builds and reload
    python scripts/bench_build.py --against ../main   # and another checkout, in the same run
    python scripts/bench_build.py --tests    # also the wall time of both test tiers (minutes)

Measures, on this machine: a cold `mkdocs build --strict` (fresh copy, no caches), a warm one
(same copy again), the same two for a plain Material site made of the same pages' Markdown
without our hooks and plugins (built in the same run, so the ratio is what counts), the time
from editing a page and a snippet under `mkdocs serve` until the served page shows the edit,
and, with --tests, the fast tier and the full suite. With --against, another checkout of the
project (say, main before a change) is measured the same way; the builds of each round alternate
between the sites, so a change in the machine's load hits them alike. A benchmark prints
figures; it asserts nothing.
"""
import argparse
import functools
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def timed(command, cwd):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed (exit code {result.returncode}): {' '.join(command)}\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return elapsed


def copy_project(target, root=ROOT):
    for name in ["mkdocs.yml", "docs", "snippets", "hooks", "overrides", "tests", "CONTRIBUTING.md"]:
        source = root / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / name)
    (target / "node_modules").symlink_to(root / "node_modules")


def plain_material_site(target):
    """The same pages' Markdown, on a stock Material configuration: no hooks, no extra plugins."""
    docs = target / "docs"
    # The Chinese edition's pages, as `mkdocs build` (mkdocs.yml) builds them; docs/en/ is the English
    # edition's own project (mkdocs.en.yml), whose links resolve only through hooks/editions.py.
    shutil.copytree(ROOT / "docs", docs, ignore=lambda folder, names: ["en"] if Path(folder) == ROOT / "docs" else [])
    pages = sorted(p for p in docs.rglob("*.md") if "seed" not in p.relative_to(docs).parts)
    for page in pages:
        page.write_text(re.sub(r"^\s*--8<--.*$", "", page.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    pages += sorted(docs.rglob("*.ipynb"))  # a page on our site; a downloadable file on the plain one
    (target / "mkdocs.yml").write_text(
        "site_name: plain\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search\nmarkdown_extensions:\n  - admonition\n  - attr_list\n  - md_in_html\n"
        "  - pymdownx.superfences\n  - pymdownx.arithmatex:\n      generic: true\n", encoding="utf-8")
    return len(pages)


def build_rounds(makers, runs=3):
    """{name: (median cold, median warm)} seconds; each round builds every project once cold (a
    fresh copy) and once warm (the same copy again), in turn."""
    colds, warms = {name: [] for name in makers}, {name: [] for name in makers}
    for _ in range(runs):
        for name, make_project in makers.items():
            with tempfile.TemporaryDirectory() as folder:
                project = Path(folder)
                make_project(project)
                command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")]
                colds[name].append(timed(command, project))
                warms[name].append(timed(command, project))
    return {name: (statistics.median(colds[name]), statistics.median(warms[name])) for name in makers}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def append_line(text, token):
    return text + f"\n{token}\n"


def inside_first_section(text, token):
    """Put a comment line just inside the file's first named snippet section, so the page shows it."""
    return re.sub(r"(# --8<-- \[start:[\w-]+\]\n)", rf"\1# {token}\n", text, count=1)


def reload_latency(project, edited, url_path, marker, mutate, tries=3):
    """Seconds from writing a token into `edited` until `mkdocs serve` serves a page containing it."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}{url_path}"
    try:
        deadline = time.time() + 120
        while "</html>" not in fetch(url):
            if time.time() > deadline:
                sys.exit("mkdocs serve did not start")
            time.sleep(0.2)
        time.sleep(2)  # let the first build settle and the watcher start
        original = edited.read_text(encoding="utf-8")
        times = []
        for attempt in range(tries):
            token = f"{marker}{attempt}x{int(time.time())}"
            start = time.perf_counter()
            edited.write_text(mutate(original, token), encoding="utf-8")
            while token not in fetch(url):
                if time.perf_counter() - start > 60:
                    sys.exit(f"the edit to {edited.name} never appeared at {url}")
                time.sleep(0.05)
            times.append(time.perf_counter() - start)
            time.sleep(1)
        edited.write_text(original, encoding="utf-8")
        return min(times), max(times)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_tier(args):
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", *args], cwd=ROOT, env=ENV,
                            capture_output=True, text=True)
    tail = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    return time.perf_counter() - start, tail


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout of the project to measure in the same run")
    parser.add_argument("--runs", type=int, default=3, help="rounds of builds (medians are printed)")
    parser.add_argument("--tests", action="store_true", help="also time both test tiers")
    options = parser.parse_args()

    print(f"date: {time.strftime('%Y-%m-%d %H:%M')}  machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}  command: python scripts/bench_build.py {' '.join(sys.argv[1:])}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    projects = {"this site": ROOT}
    if options.against:
        projects[f"{options.against.resolve().name}"] = options.against.resolve()
    makers = {name: functools.partial(copy_project, root=root) for name, root in projects.items()}
    with tempfile.TemporaryDirectory() as folder:
        count = plain_material_site(Path(folder))
    times = build_rounds({**makers, "plain Material": plain_material_site}, options.runs)
    plain_cold, plain_warm = times["plain Material"]
    print(f"pages: {count}   (medians of {options.runs}; cold = fresh copy, warm = the same copy again)")
    for name, (cold, warm) in times.items():
        ratio = "" if name == "plain Material" else f"   ratio to plain: cold {cold / plain_cold:4.2f}×  warm {warm / plain_warm:4.2f}×"
        print(f"{name:16} cold build {cold:5.2f} s   warm build {warm:5.2f} s{ratio}")

    for name, root in projects.items():
        with tempfile.TemporaryDirectory() as folder:
            project = Path(folder)
            copy_project(project, root)
            page = reload_latency(project, project / "docs" / "about.md", "/about/", "pagemark", append_line)
            snippet = reload_latency(project, project / "snippets" / "attention.py", "/transformer/", "snippetmark",
                                     inside_first_section)
            print(f"{name:16} mkdocs serve edit→served (best–worst of 3): page {page[0]:.2f}–{page[1]:.2f} s, "
                  f"snippet {snippet[0]:.2f}–{snippet[1]:.2f} s")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    if options.tests:
        fast, fast_tail = test_tier(["tests/fast"])
        print(f"fast tier (pytest tests/fast): {fast:6.1f} s   {fast_tail}")
        built, built_tail = test_tier(["tests/site"])
        print(f"built site (pytest tests/site): {built:5.1f} s   {built_tail}")
        full, full_tail = test_tier([])
        print(f"full suite (pytest):           {full:6.1f} s   {full_tail}")


if __name__ == "__main__":
    main()
