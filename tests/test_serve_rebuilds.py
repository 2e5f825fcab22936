"""`mkdocs serve` keeps work between rebuilds (hooks/render_cache.py, hooks/serve.py): it must never
serve a stale page. After an edit to a page and to a snippet, the rebuild of a running server
must equal what a freshly started server builds from the same files, byte for byte.

The builds run as `mkdocs serve` runs them (load the config, tell the plugins the command is
serve, build; again on each change), in separate processes so nothing leaks into this one.
"""
import filecmp
import json
import os
import subprocess
import sys

from projectcopy import copy_project, edit

# Build the project in the current folder as `mkdocs serve` would, once per argument: each
# argument is a site folder; between builds, apply the edits given in EDITS (old => new, per file).
SERVE_BUILDS = """
import json, os, sys
from mkdocs.config import load_config
from mkdocs.commands.build import build
edits = json.loads(os.environ["EDITS"])
for number, site in enumerate(sys.argv[1:]):
    if number:
        for path, old, new in edits:
            text = open(path, encoding="utf-8").read()
            assert old in text, (path, old)
            open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
    config = load_config("mkdocs.yml", site_dir=site)
    if number == 0:
        config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")
"""
EDITS = [("docs/about.md", "\n", "\n\n本段由测试加入，检查重建。\n"),
         ("snippets/attention.py", "# --8<-- [start:attention]\n", "# --8<-- [start:attention]\n# rebuilt-snippet\n")]


def serve_builds(project, *sites, edits=()):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", EDITS=json.dumps(edits))
    result = subprocess.run([sys.executable, "-c", SERVE_BUILDS, *map(str, sites)], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


def differences(left, right):
    """Files that differ or exist on one side only, under two site folders."""
    found, folders = [], [filecmp.dircmp(left, right)]
    while folders:
        folder = folders.pop()
        found += [os.path.join(folder.left, name) for name in folder.diff_files + folder.left_only + folder.right_only]
        folders += folder.subdirs.values()
    return [path for path in found if not path.endswith("sitemap.xml.gz")]  # gzip stamps the time


def test_a_rebuild_after_editing_a_page_and_a_snippet_equals_a_fresh_build(tmp_path):
    project = copy_project(tmp_path / "project")
    serve_builds(project, tmp_path / "before", tmp_path / "rebuilt", edits=EDITS)
    fresh = copy_project(tmp_path / "fresh")
    for path, old, new in EDITS:
        edit(fresh / path, old, new)
    serve_builds(fresh, tmp_path / "fresh-site")
    rebuilt = (tmp_path / "rebuilt" / "transformer" / "index.html").read_text(encoding="utf-8")

    assert "rebuilt-snippet" in rebuilt and "检查重建" in (tmp_path / "rebuilt" / "about" / "index.html").read_text(
        encoding="utf-8")
    assert not differences(tmp_path / "rebuilt", tmp_path / "fresh-site")
