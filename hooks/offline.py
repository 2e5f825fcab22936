"""Make the offline copy (OFFLINE=true, Material's offline plugin) load nothing from another host.

Opened from disk, a page cannot start a Web Worker, which Material's search runs in; the offline
plugin therefore adds a shim, iframe-worker, and loads it from unpkg.com. This hook ships the
same shim from node_modules (pinned in package.json) and points the page at that copy first, so
the plugin finds it and adds no CDN address. Nothing happens in the normal build.
"""
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
SHIM = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
TARGET = "assets/javascripts/iframe-worker-shim.js"   # the name must contain "iframe-worker"


def _offline(config):
    plugin = config.plugins.get("material/offline")
    return plugin is not None and plugin.config.enabled


@event_priority(100)  # before the offline plugin adds its CDN address
def on_config(config):
    if _offline(config):
        if not SHIM.is_file():
            raise PluginError("iframe-worker is not installed: run `npm ci` in the project root (see README.md).")
        config.extra["polyfills"] = [TARGET]
    return config


def on_post_build(config):
    if _offline(config):
        target = Path(config["site_dir"]) / TARGET
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SHIM, target)
