"""Link each numbered equation to the test that proves it.

`<!-- proof: tests/test_attention.py::test_attention_matches_torch_sdpa -->`, on the line after
an equation, becomes a visible link to that test function in the repository. If the file or the
function does not exist the build fails, naming the page and line: a proof link cannot rot.
"""
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
from markers import find_markers  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def test_line(path, name):
    """1-based line of `def name(` in the test file, or None."""
    file = ROOT / path
    if not file.is_file() or not path.startswith("tests/"):
        return None
    pattern = re.compile(rf"^\s*(?:async\s+)?def\s+{re.escape(name)}\s*\(")
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def on_page_markdown(markdown, page, config, files):
    src = f"docs/{page.file.src_uri}"
    problems = []
    repo = config["repo_url"].rstrip("/")

    def expand(kind, value, line):
        if kind != "proof":
            return None
        path, _, name = (value or "").partition("::")
        found = test_line(path, name) if name else None
        if found is None:
            problems.append(f"{src}:{line}: proof {value!r} names no test function (expected tests/<file>.py::<test_name>)")
            return ""
        return (f'<p class="proof">验证：<a href="{repo}/blob/main/{path}#L{found}">'
                f"<code>{path}::{name}</code></a></p>")

    markdown = find_markers(markdown, expand)
    if problems:
        raise PluginError("\n".join(problems))
    return markdown
