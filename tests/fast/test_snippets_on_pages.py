"""Code on the pages comes from snippets/, by named section, and every snippet is shown somewhere."""
import re

from pages import ROOT, pages, rel

INCLUDE = re.compile(r"""^\s*--8<--\s+["']([^"']+)["']\s*$""", re.M)
SECTION = re.compile(r"#\s*--8<--\s*\[start:([\w-]+)\]")
FENCE_OPEN = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(\w+)?(.*)$")


def includes():
    """[(page, line, target)] for every `--8<-- "file:section"` line on a page."""
    found = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        for match in INCLUDE.finditer(text):
            found.append((page, text.count("\n", 0, match.start()) + 1, match.group(1)))
    return found


def test_snippets_are_included_by_named_section():
    bad = [f"{rel(page)}:{line}: include {target!r} by a named section (file.py:section), never whole files or line numbers"
           for page, line, target in includes()
           if target.startswith("snippets/") and target.endswith(".py") or re.search(r":\d+(:\d+)?$", target)]

    assert not bad, "\n".join(bad)


def test_every_snippet_section_is_shown_on_a_page():
    shown = {target for _, _, target in includes()}
    sections = [f"{path.relative_to(ROOT).as_posix()}:{name}"
                for path in sorted((ROOT / "snippets").glob("*.py"))
                for name in SECTION.findall(path.read_text(encoding="utf-8"))]
    unshown = [section for section in sections if section not in shown]

    assert sections, "snippets/ has no named sections"
    assert not unshown, f"snippet sections no page shows: {unshown}"


def test_no_python_is_pasted_into_a_page():
    """A python fence either runs (`>>>` lines, checked by Sybil) or includes a snippet."""
    pasted = []
    for page in pages():
        lines = page.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            match = FENCE_OPEN.match(lines[i])
            if not match or match.group(3) not in {"py", "python", "python3", "pycon"}:
                i += 1
                continue
            start, fence, body = i + 1, match.group(2), []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                body.append(lines[i].strip())
                i += 1
            i += 1
            code = [line for line in body if line]
            if any(line.startswith(">>>") for line in code) or all(line.startswith("--8<--") for line in code):
                continue
            pasted.append(f"{rel(page)}:{start}: Python pasted into a page; move it to snippets/ and include it by section")

    assert not pasted, "\n".join(pasted)


def test_include_fences_are_shown_not_run():
    """Sybil runs fences tagged exactly `python`; a fence holding only an include must be `py title=…`."""
    bad = []
    for page in pages():
        lines = page.read_text(encoding="utf-8").splitlines()
        for number, (line, following) in enumerate(zip(lines, lines[1:] + [""]), start=1):
            match = FENCE_OPEN.match(line)
            if match and match.group(3) == "python" and following.strip().startswith("--8<--"):
                bad.append(f"{rel(page)}:{number}: tag this include fence `py title=\"…\"`, not `python`")

    assert not bad, "\n".join(bad)


def has_examples(path):
    """Whether a Markdown file has a fenced block with a `>>>` line (Sybil runs it, whatever the tag)."""
    fence = None
    for line in path.read_text(encoding="utf-8").splitlines():
        opening = FENCE_OPEN.match(line)
        if opening and (fence is None or opening.group(2).startswith(fence)):
            fence = None if fence else opening.group(2)
        elif fence and line.strip().startswith(">>>"):
            return True
    return False


def test_sybil_collects_every_page_and_snippet_with_examples():
    """Guards the root conftest: a pattern that silently matches nothing would leave examples unchecked."""
    import subprocess
    import sys

    included = sorted({target.split(":")[0] for _, _, target in includes() if target.split(":")[0].endswith(".md")})
    # -p no:hypothesispytest: collecting needs no hypothesis, whose plugin took most of the time to import
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", "-p", "no:cacheprovider", "-p", "no:hypothesispytest",
                             "docs", "snippets", *included], cwd=ROOT, capture_output=True, text=True)
    collected = {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}
    with_examples = {rel(path) for path in [*pages(), *(ROOT / name for name in included)] if has_examples(path)}
    with_examples |= {path.relative_to(ROOT).as_posix() for path in (ROOT / "snippets").glob("*.py")
                      if ">>>" in path.read_text(encoding="utf-8")}

    assert {"docs/index.md", "docs/transformer.md", "docs/gan.md"} <= with_examples
    assert with_examples <= collected, f"Sybil does not collect: {sorted(with_examples - collected)}"


def test_the_test_command_collects_the_markdown_pages_include():
    """`pytest` with no arguments (README's command) only looks in testpaths: an included file outside
    docs/ must be listed there, or its examples never run."""
    import tomllib

    testpaths = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]["testpaths"]
    included = {target.split(":")[0] for _, _, target in includes() if target.split(":")[0].endswith(".md")}
    missing = [f"pyproject.toml: add {name!r} to testpaths (pages include it, so its examples must run)"
               for name in sorted(included) if not any(name == path or name.startswith(path.rstrip("/") + "/") for path in testpaths)]

    assert included and not missing, "\n".join(missing)
