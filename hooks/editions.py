"""The English edition (mkdocs.en.yml: docs/en/ into site/en/) shares the Chinese edition's assets.

Its pages link to `assets/…` and `seed/original.txt` exactly as the Chinese pages do; this hook adds
docs/assets/ and docs/seed/ to that build's files, so each figure, stylesheet and script, and the
original article, exists once in the repository. A file of the
same path under docs/en/ would win, but there should be none (tests/fast/test_editions.py). In
the Chinese build, whose docs_dir is docs/, it does nothing.
"""
from pathlib import Path

from mkdocs.structure.files import File

DOCS = Path(__file__).resolve().parent.parent / "docs"
SHARED = ["assets", "seed"]


def on_files(files, config):
    if Path(config["docs_dir"]).resolve() == DOCS:
        return files
    for folder in SHARED:
        for path in sorted((DOCS / folder).rglob("*")):
            uri = path.relative_to(DOCS).as_posix()
            if path.is_file() and files.get_file_from_path(uri) is None:
                files.append(File(uri, src_dir=str(DOCS), dest_dir=config["site_dir"],
                                  use_directory_urls=config["use_directory_urls"]))
    return files
