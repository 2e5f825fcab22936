"""Make the English edition of each notebook from the Chinese one and its translations.

The Chinese notebook docs/notebooks/X.ipynb is the source. Beside it, docs/notebooks/X.en.yml
gives, for each Markdown cell (by the cell's id), the Chinese it translates (`zh`, exactly the
cell's text, as gettext keeps a msgid) and the English (`en`):

    4d380e39:
      zh: |-
        ## 训练
        …
      en: |-
        ## Training
        …

This script writes docs/en/notebooks/X.ipynb: the same cells with the same ids, each Markdown
cell in English, every code cell the same code. The one exception is the cell tagged
`parameters` (papermill's convention), which sets `LANG = "zh"`; here it sets "en", and the cells
print their words in the language LANG names. Outputs of a code cell whose code has not changed
are kept from the English notebook already there, so a change of wording needs no new run;
scripts/execute_notebooks.py runs the notebook, tests/test_notebooks.py checks that its outputs are
current. tests/fast/test_notebook_translations.py fails if the English notebook is not what this
script makes, so nobody edits it by hand.

    python scripts/translate_notebooks.py                    # every notebook
    python scripts/translate_notebooks.py docs/notebooks/gan-training.ipynb
    python scripts/translate_notebooks.py --check            # write nothing; exit 1 if one is not current
"""
import copy
import pathlib
import re
import sys

import nbformat
import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from scripts.freshness import ROOT  # noqa: E402

SOURCES = pathlib.Path("docs/notebooks")
ENGLISH = pathlib.Path("docs/en/notebooks")
COMMAND = "python scripts/translate_notebooks.py"
LANG_LINE = re.compile(r'^LANG = "zh"', re.M)
RUN_METADATA = ("freshness", "language_info")   # written by the run, not by this script


class TranslationError(Exception):
    """Problems that stop a notebook from being translated, one `file:line: …` per line."""


def sources(root=ROOT):
    return sorted((root / SOURCES).glob("*.ipynb"))


def translations_path(source):
    return source.with_name(source.stem + ".en.yml")


def english_path(source, root=ROOT):
    return root / ENGLISH / source.name


def rel(path, root=ROOT):
    """The path as a contributor sees it: relative to the repository when inside it."""
    try:
        return pathlib.Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def load_translations(path, root=ROOT):
    """{cell id: {"zh": text, "en": text, "line": line of the id, "zh_line", "en_line": first line of
    each text}} from an X.en.yml; TranslationError naming the line if it is not that shape."""
    name = rel(path, root)
    try:
        document = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        raise TranslationError(f"{name}: not valid YAML: {err}") from None
    if document is None:
        return {}
    if not isinstance(document, yaml.MappingNode):
        raise TranslationError(f"{name}:{document.start_mark.line + 1}: expected a mapping of cell id to zh and en")
    found, problems = {}, []
    for key, value in document.value:
        line = key.start_mark.line + 1
        if str(key.value) in found:
            problems.append(f"{name}:{line}: cell {key.value!r} is translated twice (first at line "
                            f"{found[str(key.value)]['line']}); keep one")
            continue
        fields = {k.value: v for k, v in value.value} if isinstance(value, yaml.MappingNode) else {}
        if set(fields) != {"zh", "en"} or not all(isinstance(v, yaml.ScalarNode) for v in fields.values()):
            problems.append(f"{name}:{line}: cell {key.value!r} needs exactly two texts, `zh:` (the cell's "
                            f"Chinese) and `en:` (its English)")
            continue
        entry = {"line": line}
        for lang, node in fields.items():
            entry[lang] = node.value
            # a block scalar (`|-`) starts on the line after its indicator
            entry[f"{lang}_line"] = node.start_mark.line + (2 if node.style in ("|", ">") else 1)
        found[str(key.value)] = entry
    if problems:
        raise TranslationError("\n".join(problems))
    return found


def cell_label(number, cell):
    first = cell.source.strip().split("\n")[0][:40]
    return f"cell {number} (id {cell.id}, `{first}`)"


def english(source, root=ROOT):
    """The English edition of the source notebook, without outputs; TranslationError if a Markdown
    cell has no translation, a translation's Chinese is not the cell's, or one belongs to no cell."""
    table_path = translations_path(source)
    table_name, source_name = rel(table_path, root), rel(source, root)
    if not table_path.is_file():
        raise TranslationError(f"{table_name}: missing; the English edition of {source_name} is made from it: "
                               f"give each Markdown cell's id with `zh:` (its Chinese) and `en:` (its English)")
    table = load_translations(table_path, root)
    nb = copy.deepcopy(nbformat.read(source, as_version=4))
    problems, used = [], set()
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown":
            entry = table.get(cell.id)
            if entry is None:
                problems.append(f"{table_name}: no English for {cell_label(number, cell)} of {source_name}; "
                                f"add `{cell.id}:` with `zh:` (the cell's text) and `en:` (its English)")
                continue
            used.add(cell.id)
            if entry["zh"].rstrip("\n") != cell.source.rstrip("\n"):
                was, now = entry["zh"].rstrip("\n").split("\n"), cell.source.rstrip("\n").split("\n")
                first = next((i for i, (a, b) in enumerate(zip(was, now)) if a != b), min(len(was), len(now)))
                reads = f"now reads {now[first][:60]!r}" if first < len(now) else "is gone"
                problems.append(f"{table_name}:{entry['zh_line'] + first}: the Chinese of {cell_label(number, cell)} "
                                f"in {source_name} has changed since it was translated (this line {reads}): bring "
                                f"`en:` in line with the new text, then copy the cell's text into `zh:`")
            cell.source = entry["en"].rstrip("\n")
        elif cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if "parameters" in cell.metadata.get("tags", []):
                if len(LANG_LINE.findall(cell.source)) != 1:
                    problems.append(f"{source_name}: {cell_label(number, cell)} is tagged `parameters` and must "
                                    f'set the language in one line `LANG = "zh"`; its English edition sets "en"')
                cell.source = LANG_LINE.sub('LANG = "en"', cell.source)
    for cell_id in sorted(table.keys() - used, key=lambda i: table[i]["line"]):
        problems.append(f"{table_name}:{table[cell_id]['line']}: no Markdown cell in {source_name} has the id "
                        f"{cell_id!r}; remove this translation, or give it the id of the cell it translates")
    if problems:
        raise TranslationError("\n".join(problems))
    for key in RUN_METADATA:
        nb.metadata.pop(key, None)
    nb.metadata["generated_from"] = {
        "notebook": source_name, "translations": table_name,
        "by": f"{COMMAND}: edit those two files, not this one"}
    return nb


def with_outputs_kept(nb, previous):
    """nb, with the outputs (and the run's metadata) of each code cell whose code is unchanged in
    the previous English notebook: a change of wording needs no new run."""
    if previous is None:
        return nb
    old = {cell.id: cell for cell in previous.cells if cell.cell_type == "code"}
    for cell in nb.cells:
        match = old.get(cell.id)
        if cell.cell_type == "code" and match is not None and match.source == cell.source:
            cell.outputs, cell.execution_count = match.outputs, match.execution_count
    for key in RUN_METADATA:
        if key in previous.metadata:
            nb.metadata[key] = previous.metadata[key]
    return nb


def differences(source, root=ROOT):
    """`file: cell N …` for each way the committed English notebook differs from what english()
    makes from the source and its translations (outputs and the run's metadata aside); [] if none."""
    target, source_name = english_path(source, root), rel(source, root)
    name = target.relative_to(root).as_posix()
    fix = (f"the English notebook is made from {source_name} and {rel(translations_path(source), root)}, "
           f"never edited by hand: edit those, then run {COMMAND}")
    try:
        made = english(source, root)
    except TranslationError as err:
        return str(err).split("\n")
    if not target.is_file():
        return [f"{name}: missing; {fix}"]
    committed = nbformat.read(target, as_version=4)
    found = []
    for number, (have, want) in enumerate(zip(committed.cells, made.cells), start=1):
        for part in ("cell_type", "id", "source", "metadata"):
            if have.get(part) != want.get(part):
                found.append(f"{name}: {cell_label(number, have)}: its {part} is not what {source_name} gives; {fix}")
                break
    if len(committed.cells) != len(made.cells):
        found.append(f"{name}: has {len(committed.cells)} cells, {source_name} has {len(made.cells)}; {fix}")
    metadata = {key: value for key, value in committed.metadata.items() if key not in RUN_METADATA}
    if metadata != made.metadata:
        found.append(f"{name}: its notebook metadata is not what {source_name} gives; {fix}")
    return found


def write(source, root=ROOT):
    """Write the English edition of one source notebook; returns its path."""
    target = english_path(source, root)
    previous = nbformat.read(target, as_version=4) if target.is_file() else None
    nb = with_outputs_kept(english(source, root), previous)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target


def main(argv=None):
    """Write the English edition of the given source notebooks (default: all); exit 1 with every problem.
    With --check, write nothing and exit 1 if an English notebook is not what this script makes."""
    argv = sys.argv[1:] if argv is None else argv
    check = "--check" in argv
    paths = [pathlib.Path(p).resolve() for p in argv if p != "--check"] or sources()
    if check:
        problems = [problem for path in paths for problem in differences(path)]
        if problems:
            sys.exit("\n".join(problems))
        return []
    problems, written = [], []
    for path in paths:
        try:
            written.append(write(path))
        except TranslationError as err:
            problems.append(str(err))
    if problems:
        sys.exit("\n".join(problems))
    for path in written:
        print(f"wrote {rel(path)}")
    return written


if __name__ == "__main__":
    main()
