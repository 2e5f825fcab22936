"""Is a committed artefact stale? Hashes of the code it was made from, recorded when it is made.

A script that makes a committed artefact (an executed notebook, a figure) records the SHA-256 of
every piece of its code (each code cell; the figure script) and of every file in snippets/ that
this code imports, directly or through another snippet. The tests recompute them and compare
exactly: a difference means the code changed and the artefact was not regenerated. The outputs
themselves are compared only within tolerances, because other CPUs give other last bits (and a
trained GAN visibly other samples), so a hash of the outputs would fail on every other machine.
"""
import ast
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
REGENERATE = "python scripts/regenerate.py"


def digest(text):
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def imported_snippets(sources, root=ROOT):
    """Sorted paths "snippets/x.py" that the Python sources import, directly or via a snippet."""
    found, todo = set(), list(sources)
    while todo:
        code = re.sub(r"(?m)^\s*[%!].*$", "", todo.pop())   # IPython magics are not Python
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for module in modules:
                path = module.replace(".", "/") + ".py"
                if module.startswith("snippets.") and path not in found and (root / path).is_file():
                    found.add(path)
                    todo.append((root / path).read_text(encoding="utf-8"))
    return sorted(found)


def fingerprint(code, root=ROOT):
    """{"code": {name: hash}, "snippets": {path: hash}} for code = {name: Python source}."""
    return {
        "code": {name: digest(source) for name, source in code.items()},
        "snippets": {path: digest((root / path).read_text(encoding="utf-8"))
                     for path in imported_snippets(code.values(), root)},
    }


def changes(recorded, current):
    """What differs between two fingerprints, as phrases: 'cell 4 changed', 'snippets/gan.py changed'."""
    found = []
    for kind in ("code", "snippets"):
        old, new = recorded.get(kind, {}), current[kind]
        for name in sorted(old.keys() | new.keys(), key=natural):
            if name not in old:
                found.append(f"{name} is new")
            elif name not in new:
                found.append(f"{name} is gone")
            elif old[name] != new[name]:
                found.append(f"{name} changed")
    return found


def natural(name):
    """Sort 'cell 10' after 'cell 9'."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
