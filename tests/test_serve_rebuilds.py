"""`mkdocs serve` keeps work between rebuilds (hooks/render_cache.py, hooks/serve.py): it must never
serve a stale page or file. After an edit to a page, a snippet and a stylesheet, and a file added
to the theme's overrides, the rebuild of a running server (into the folder it serves, as
`mkdocs serve` does) must equal what a freshly started server builds from the same files, byte for
byte.

The builds run as `mkdocs serve` runs them, in one separate process, so nothing leaks into this one.
"""
import filecmp
import json
import os
import subprocess
import sys

from projectcopy import copy_project, edit

# Build as `mkdocs serve` does (load the config, tell the plugins the command is serve, build),
# in one process: the running project twice into the same folder, with EDITS (path, old, new)
# applied in between (old "" makes a new file),
# then a second copy that already has the edits. A hook file is loaded once per path, so the
# second copy starts with empty caches, like a freshly started server.
SERVE_BUILDS = """
import json, os, sys
from mkdocs.config import load_config
from mkdocs.commands.build import build
running, served, fresh, fresh_site = sys.argv[1:]

def serve_build(project, site, first):
    config = load_config(os.path.join(project, "mkdocs.yml"), site_dir=site)
    if first:
        config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")

serve_build(running, served, True)
for path, old, new in json.loads(os.environ["EDITS"]):
    path = os.path.join(running, path)
    text = open(path, encoding="utf-8").read() if old else ""
    assert old in text, (path, old)
    open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
serve_build(running, served, False)
serve_build(fresh, fresh_site, True)
"""
EDITS = [("docs/about.md", "\n", "\n\n本段由测试加入，检查重建。\n"),
         ("snippets/attention.py", "# --8<-- [start:attention]\n", "# --8<-- [start:attention]\n# rebuilt-snippet\n"),
         ("docs/assets/stylesheets/extra.css", "\n", "\n/* rebuilt-stylesheet */\n"),
         ("overrides/rebuilt-theme-file.txt", "", "added while serving\n")]


def differences(left, right):
    """Files that differ or exist on one side only, under two site folders."""
    found, folders = [], [filecmp.dircmp(left, right)]
    while folders:
        folder = folders.pop()
        found += [os.path.join(folder.left, name) for name in folder.diff_files + folder.left_only + folder.right_only]
        folders += folder.subdirs.values()
    return [path for path in found if not path.endswith("sitemap.xml.gz")]  # gzip stamps the time


def test_a_rebuild_after_editing_a_page_and_a_snippet_equals_a_fresh_build(tmp_path):
    running, fresh = copy_project(tmp_path / "running"), copy_project(tmp_path / "fresh")
    for path, old, new in EDITS:
        if old:
            edit(fresh / path, old, new)
        else:
            (fresh / path).write_text(new, encoding="utf-8")
    rebuilt, fresh_site = tmp_path / "served", tmp_path / "fresh-site"
    result = subprocess.run([sys.executable, "-c", SERVE_BUILDS, str(running), str(rebuilt), str(fresh), str(fresh_site)],
                            cwd=tmp_path, env=dict(os.environ, NO_MKDOCS_2_WARNING="1",
                                                                    EDITS=json.dumps(EDITS)),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]

    assert "rebuilt-snippet" in (rebuilt / "transformer" / "index.html").read_text(encoding="utf-8")
    assert "检查重建" in (rebuilt / "about" / "index.html").read_text(encoding="utf-8")
    assert "rebuilt-stylesheet" in (rebuilt / "assets" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert (rebuilt / "rebuilt-theme-file.txt").is_file()
    assert not differences(rebuilt, fresh_site)


def test_serve_looks_at_the_watched_files_every_tenth_of_a_second(tmp_path):
    """MkDocs polls the watched files every 0.5 s; hooks/serve.py makes it 0.1 s, for the watches
    MkDocs makes before on_serve (docs, mkdocs.yml) and for those it makes after (config.watch)."""
    import serve
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets").mkdir()
    server.watch(str(tmp_path / "docs"))
    assert {emitter.timeout for emitter in server.observer.emitters} == {0.5}   # MkDocs' own interval

    assert serve.on_serve(server, config=None, builder=None) is server
    server.watch(str(tmp_path / "snippets"))

    assert len(server.observer.emitters) == 2
    assert {emitter.timeout for emitter in server.observer.emitters} == {serve.WATCH_POLL} == {0.1}
    server.observer.unschedule_all()
