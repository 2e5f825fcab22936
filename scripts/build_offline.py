"""Build the offline copy of the site and zip it: unzip anywhere, open index.html from disk.

    python scripts/build_offline.py site/offline.zip

Separate strict builds of both editions with OFFLINE=true (Material's offline plugin, see
mkdocs.yml): the Chinese one at the top, the English one in en/, as on the public site. Pages get
plain `.html` URLs that work on file://, each edition's search index ships as a script, and
search's Web Worker runs through the shim that hooks/offline.py copies from node_modules; the
language switch links page to page by relative paths. The normal build keeps its URLs. The zip
holds one folder, so unzipping it makes no mess.
"""
import argparse
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: `scripts` importable

from scripts.site_build import ROOT, build_editions  # noqa: E402

FOLDER = "karpathy-gan-transformer"   # the folder the zip unpacks to
# Not needed from disk: source maps, and the JSON index (file:// pages read search/search_index.js).
LEFT_OUT = ("*.map", "search/search_index.json")


def build(site_dir):
    """Strict offline builds of both editions into site_dir (English in site_dir/en), the way the
    tests build the site (scripts/site_build.py); raise RuntimeError with MkDocs' own messages if one fails."""
    result = build_editions(ROOT, site_dir, OFFLINE="true")
    if result.returncode:
        raise RuntimeError(f"offline build failed (OFFLINE=true {' '.join(result.args[2:])}):\n{result.stderr[-4000:]}")


def write_zip(site_dir, target):
    """Zip site_dir under FOLDER/, files in sorted order, without LEFT_OUT."""
    target.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in site_dir.rglob("*")
                   if p.is_file() and not any(p.relative_to(site_dir).match(pattern) for pattern in LEFT_OUT))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            archive.write(path, f"{FOLDER}/{path.relative_to(site_dir).as_posix()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zip", type=Path, help="where to write the zip, e.g. site/offline.zip")
    target = parser.parse_args().zip.resolve()
    with tempfile.TemporaryDirectory() as folder:
        try:
            build(Path(folder))
        except RuntimeError as err:
            sys.exit(str(err))
        write_zip(Path(folder), target)
    print(f"{target}: {target.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
