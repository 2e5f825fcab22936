"""Results that outlive a `mkdocs serve` rebuild, keyed by a hash of everything they depend on.

On each rebuild MkDocs loads mkdocs.yml again and re-imports every hook file, so a hook's own
globals start empty; a module a hook imports through sys.path (this one) stays in sys.modules.
A hook keeps here what is slow to make and depends only on its inputs: a KaTeX rendering, a
pruned stylesheet, a parsed data file. The key is a hash of the inputs, never a file's name or
time, so an edit can never be served stale; entries of old contents are simply not asked for.
"""
import hashlib

_stores = {}


def store(name):
    """The dict named `name`, the same one on every rebuild of this process."""
    return _stores.setdefault(name, {})


def key(*parts):
    """A hash of the given strings (or bytes)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()
