"""Link each numbered equation to the test that proves it.

`<!-- proof: tests/test_attention.py::test_attention_matches_torch_sdpa -->`, on the line after
an equation, becomes a visible link to that test function in the repository. The build fails,
naming the page and line, unless the link names a test pytest would run: a `test_…` function in
a `tests/test_….py` file that imports code from snippets/, not a helper, not marked skip or
xfail. (That the test passes and really calls snippets/ is checked when the tests run, by
tests/proof_links.py.)
"""
import ast
import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import words  # noqa: E402
from markers import Problems, find_markers  # noqa: E402
from words import say  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOT_RUN = {"skip", "skipif", "xfail"}
_problems = Problems("proofs")


def on_pre_build(config):
    _problems.clear()


def on_post_build(config):
    _problems.fail_if_any()


def _marks(decorators):
    """Names of the pytest marks among decorators: @pytest.mark.skip(...) -> {'skip'}."""
    names = set()
    for decorator in decorators:
        node = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and node.value.attr == "mark":
            names.add(node.attr)
    return names


def _imports_snippets(tree):
    return any(isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "snippets"
               or isinstance(node, ast.Import) and any(a.name.split(".")[0] == "snippets" for a in node.names)
               for node in ast.walk(tree))


@functools.lru_cache(maxsize=64)
def _parse(text, path):
    """The syntax tree of a test file, parsed once per text: pages link the same files many times."""
    return ast.parse(text, filename=path)


def find_test(target):
    """(line of the test in its file, None) for a good proof target, or (None, what is wrong)."""
    path, _, name = (target or "").partition("::")
    file = ROOT / path
    if not name or not path.startswith("tests/") or not file.is_file():
        return None, "names no test file; write `<!-- proof: tests/<file>.py::<test_name> -->`"
    if not Path(path).name.startswith("test_"):
        return None, f"{path} is not a test file (pytest collects only tests/test_*.py); move the test there"
    tree = _parse(file.read_text(encoding="utf-8"), path)
    module_marks = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets):
            values = node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else [node.value]
            module_marks |= _marks(values)
    found = next((node for node in tree.body
                  if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name), None)
    if found is None:
        return None, f"{path} has no function {name}(); check the name"
    if not name.startswith("test"):
        return None, (f"{name}() in {path} is a helper, not a test pytest runs; "
                      "link the test_… function that calls it")
    not_run = (_marks(found.decorator_list) | module_marks) & NOT_RUN
    if not_run:
        return None, (f"{name}() is marked {', '.join(sorted(not_run))}, so it proves nothing; "
                      "remove the mark or link a test that runs")
    if not _imports_snippets(tree):
        return None, (f"{path} imports nothing from snippets/, so {name}() cannot check the code the page shows; "
                      "call the snippet that implements the formula")
    return found.lineno, None


def on_page_markdown(markdown, page, config, files):
    words.use(config)
    colon = "：" if words.language() == "zh" else ": "
    repo = (config["repo_url"] or "").rstrip("/")  # none known (hooks/repository.py): name the test, unlinked

    def expand(kind, value, origin):
        if kind != "proof":
            return None
        line, problem = find_test(value)
        if problem:
            _problems.add(f"{origin}: proof {value!r}: {problem}")
            return ""
        path, _, name = value.partition("::")
        if not repo:
            return f'<p class="proof">{say("proof")}{colon}<code>{path}::{name}</code></p>'
        return (f'<p class="proof">{say("proof")}{colon}<a href="{repo}/blob/main/{path}#L{line}">'
                f"<code>{path}::{name}</code></a></p>")

    return find_markers(markdown, expand, page)
