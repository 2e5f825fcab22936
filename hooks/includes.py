"""Check every `--8<--` include on a page before pymdownx.snippets reads it.

pymdownx.snippets (check_paths: true) stops the build at the first missing file or section,
with a traceback that names the page but not the line. This hook runs first: it names every
broken include by page and line, with the fix, and blanks the line so that one build lists them
all before it fails. The fast tier uses the same check (include_problem).
"""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from markers import Problems, map_lines  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent  # pymdownx.snippets' base_path: the config's folder
INCLUDE = re.compile(r"""^\s*--8<--\s+["']([^"':]+)(?::([\w-]+))?["']\s*$""")
_problems = Problems("includes")


def include_problem(target, section=None):
    """What is wrong with `--8<-- "target:section"`, or None."""
    path = ROOT / target
    if not path.is_file():
        return f"includes {target}, which does not exist; fix the path (relative to the repository root)"
    if section and not re.search(rf"--8<--\s*\[start:{re.escape(section)}\]", path.read_text(encoding="utf-8")):
        return (f"includes section {section!r} of {target}, which has no `--8<-- [start:{section}]` line; "
                "name an existing section or add its start and end lines")
    return None


def on_pre_build(config):
    _problems.clear()


def on_post_build(config):
    _problems.fail_if_any()


def on_page_markdown(markdown, page, config, files):
    def check(line, origin):
        include = INCLUDE.match(line)
        problem = include and include_problem(*include.groups())
        if problem:
            _problems.add(f"{origin}: {problem}")
            return ""
        return line

    return map_lines(markdown, check, page)
