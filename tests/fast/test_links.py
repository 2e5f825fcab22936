"""Links and navigation, checked from the source so a broken one is named by file and line.

The strict build catches these too, but names no line: every page in mkdocs.yml's nav and every
nav entry a page; every relative link, image and anchor found; every `--8<--` include found
(the same check as hooks/includes.py, which the build runs).
"""
import re

import project_data
from markers import FENCE
from includes import include_problem
from pages import DOCS, EXTERNAL, INCLUDE, MKDOCS, nav_entries, pages, rel

LINK = re.compile(r"(!?)\[(?:[^\]]|\][^(])*?\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|<img\b[^>]*\bsrc=\"([^\"]+)\"")
CODE_SPAN = re.compile(r"(`+).+?\1")


def nav_line():
    return next(n for n, line in enumerate(MKDOCS.read_text(encoding="utf-8").splitlines(), start=1) if line.startswith("nav:"))


def test_every_page_is_in_the_nav():
    listed = {target for _, target in nav_entries()}
    missing = [f"mkdocs.yml:{nav_line()}: nav does not list {rel(page)}; add `- 标题: {page.relative_to(DOCS).as_posix()}` "
               "where it belongs (a page outside the nav fails the strict build)"
               for page in pages() if page.relative_to(DOCS).as_posix() not in listed]

    assert not missing, "\n".join(missing)


def test_every_nav_entry_is_a_page():
    missing = [f"mkdocs.yml:{line}: nav lists {target}, but docs/{target} does not exist; fix the path or remove the entry"
               for line, target in nav_entries() if not (DOCS / target).is_file()]

    assert not missing, "\n".join(missing)


def anchors(page):
    """The ids a link may point at on a page: its headings' `{ #id }`, and the ids hooks generate there."""
    text = page.read_text(encoding="utf-8")
    ids = project_data.heading_ids(text)
    if "<!-- corrections-table -->" in text:
        ids |= {entry["id"] for entry in project_data.load_ledger()}
    if "<!-- bibliography -->" in text:
        references = project_data.load_references()
        ids |= {f"ref-{key}" for key in references} | {entry["type"] for entry in references.values()}
    return ids


def links(page):
    """[(line, is_image, target)] for every link and image in a page's Markdown, outside code."""
    found, fence = [], None
    for number, line in enumerate(page.read_text(encoding="utf-8").split("\n"), start=1):
        opening = FENCE.match(line)
        if opening and (fence is None or opening.group(1).startswith(fence)):
            fence = None if fence else opening.group(1)
            continue
        if fence is None:
            for match in LINK.finditer(CODE_SPAN.sub("", line)):
                found.append((number, bool(match.group(1) or match.group(3)), match.group(2) or match.group(3)))
    return found


def link_problems(page):
    problems = []
    for number, image, target in links(page):
        if EXTERNAL.match(target):
            continue
        path, _, anchor = target.partition("#")
        what = "image" if image else "link"
        linked = (page.parent / path).resolve() if path else page
        if path and not linked.is_file():
            problems.append(f"{rel(page)}:{number}: {what} {target!r}: {rel(linked)} does not exist; "
                            "fix the path (it is relative to this page)")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            problems.append(f"{rel(page)}:{number}: {what} {target!r}: {rel(linked)} has no heading with id #{anchor}; "
                            f"use one of its `{{ #id }}`s")
    return problems


def test_every_relative_link_and_image_is_found():
    problems = [problem for page in pages() for problem in link_problems(page)]

    assert not problems, "\n".join(problems)


def test_every_include_is_found():
    problems = [f"{rel(page)}:{number}: {problem}"
                for page in pages() for number, line in enumerate(page.read_text(encoding="utf-8").split("\n"), start=1)
                for problem in [INCLUDE.match(line) and include_problem(*INCLUDE.match(line).groups())] if problem]

    assert not problems, "\n".join(problems)
