"""Every notebook is current, runs from top to bottom, and a fresh run agrees with its committed outputs.

Current: scripts/execute_notebooks.py records in each notebook the hash of every code cell and of
every snippets/ file the cells import; they must equal today's (scripts/freshness.py). A change
there without regenerating fails, naming the cell or the snippet, whatever machine runs the test.

Agrees: the committed outputs were made on one CPU; here they are compared with a fresh run on this
one, never bit for bit. Text must match with its numbers masked out; the numbers a notebook reports
(a JSON output, named quantities) must lie within TOLERANCE of the committed ones; every figure must
be a PNG that decodes, with the committed size; text sampled from a model must have the committed
length and alphabet (see SAMPLED). TOLERANCE is the one place these limits are stated
(README.md, "Numbers that differ between machines", says where they come from).

Both editions: each English notebook (docs/en/notebooks/, made by scripts/translate_notebooks.py
from the Chinese one; tests/fast/test_notebook_translations.py checks that) is executed and checked
like the Chinese one, and the two must report the same numbers within TOLERANCE. The trained models
are shared (GAN_CACHE_DIR, GPT_CACHE_DIR, MICROGRAD_CACHE_DIR, tests/conftest.py), so the second
edition trains nothing.

A page that shows a notebook's output (scripts/notebook_pages.py) must show the committed one: a
page of the English edition, the English notebook's.
"""
import base64
import io
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError
from PIL import Image

from scripts import notebook_pages
from scripts.execute_notebooks import execute_notebook, notebooks, staleness
from scripts.freshness import REGENERATE
from scripts.translate_notebooks import english_path, sources

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = notebooks()   # docs/notebooks/*.ipynb, then docs/en/notebooks/*.ipynb

# How far a fresh run may land from the committed numbers, by quantity: ("abs", d) allows
# |fresh - committed| <= d; ("ratio", r) allows fresh / committed within [1/r, r]. Measured on
# an AMD EPYC with ATEN_CPU_CAPABILITY=default, avx2, avx512 and 1 or 2 threads, and against a
# run on an Intel Xeon (README.md): the trained GAN's Frechet distance moves most.
TOLERANCE = {
    "accuracy": ("abs", 0.01),     # the judge's classifier: last bits only
    "confidence": ("abs", 0.03),
    "classes": ("abs", 1),
    "entropy": ("abs", 0.1),
    "frechet": ("ratio", 2.0),     # 6.5 on an Intel Xeon, 10.3-11.5 here, same seed
    "nearest": ("abs", 0.3),
    "loss_D": ("abs", 0.1),
    "loss_G": ("abs", 0.2),
    # The GPT (docs/notebooks/gpt-training.ipynb). The baselines are counts in float64, identical here
    # at every ATEN_CPU_CAPABILITY. The trained model's validation loss moved by 2.5e-6 (default) and
    # 2.9e-6 (avx2) from the committed avx512 run; a CPU whose last bits send training down another
    # path lands like another seed does: seeds 0-3 gave 1.4234, 1.4290, 1.4347, 1.4304 (a spread of
    # 0.011), so 0.03 is room for one such path and catches a real change of the model or its training.
    "uniform_loss": ("abs", 1e-9),
    "unigram_loss": ("abs", 1e-6),
    "bigram_loss": ("abs", 1e-6),
    "gpt_val_loss": ("abs", 0.03),
    # micrograd (docs/notebooks/micrograd-moons.ipynb): Python floats, no torch, identical at every
    # ATEN_CPU_CAPABILITY; only another C library's exp, log or tanh (last bit) could move them.
    # Accuracy may move by one of the 60 training points or two of the 500 held-out points.
    "moons_first_loss": ("abs", 1e-6),
    "moons_last_loss": ("abs", 1e-6),
    "moons_train_accuracy": ("abs", 0.02),
    "moons_held_out_accuracy": ("abs", 0.005),
}
NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*")

# Text sampled from a trained model is compared by its shape, never letter by letter. On another
# CPU the trained weights differ in the last bits; the sampler draws each character by where a
# random number falls among the cumulative probabilities, so sooner or later one draw lands on the
# other side of a boundary, and from that character on it is another text (it can be another
# text on the next draw, too: a sampled character feeds every later step). Equality would fail on
# every machine but the one that made the notebook, and masking numbers does not help. What the
# code decides does not move: how many characters were drawn and from which alphabet. So an output
# whose metadata names the alphabet it was drawn from, {SAMPLED: "abc…"}, must keep the committed
# length and alphabet, and hold no character outside it. Whether the samples are any good is the
# tests' business (tests/test_gpt.py), on this machine's own run.
SAMPLED = "sampled_from"


def notebook_id(path):
    """gan-training for the Chinese notebook, en/gan-training for its English edition."""
    return path.relative_to(ROOT / "docs").with_suffix("").as_posix().replace("notebooks/", "") if path else "none"


@pytest.mark.parametrize("path", NOTEBOOKS or [None], ids=notebook_id)
def test_committed_notebook_was_executed_from_the_current_code(path):
    assert path is not None, "no notebook found in docs/notebooks/*.ipynb"

    stale = staleness(path)

    assert not stale, "\n".join(stale)


@pytest.mark.parametrize("path", NOTEBOOKS or [None], ids=notebook_id)
def test_notebook_reruns_and_agrees_with_its_committed_outputs(path):
    assert path is not None, "no notebook found in docs/notebooks/*.ipynb"
    name = path.relative_to(ROOT).as_posix()
    committed = nbformat.read(path, as_version=4)
    try:
        fresh = execute_notebook(path)
    except CellExecutionError as err:
        pytest.fail(f"{name}: cell {failing_cell(err, path)} raised:\n{str(err)[-1500:]}", pytrace=False)

    problems = [f"{name}: cell {number}: {problem}"
                for number, (old, new) in enumerate(zip(committed.cells, fresh.cells), start=1)
                if old.cell_type == "code"
                for problem in disagreements(old.get("outputs", []), new.get("outputs", []))]

    assert not problems, "\n".join(problems) + (
        f"\nIf you changed the code, regenerate: {REGENERATE}. If not, this machine lands outside "
        "TOLERANCE in tests/test_notebooks.py: report it with your CPU and the numbers above.")


def test_pages_show_the_committed_notebook_outputs():
    found = notebook_pages.mismatches()

    assert not found, "\n".join(found)


@pytest.mark.parametrize("source", sources() or [None], ids=notebook_id)
def test_both_editions_of_a_notebook_report_the_same_numbers(source):
    assert source is not None, "no notebook found in docs/notebooks/*.ipynb"
    english = english_path(source)
    assert english.is_file(), (f"{english.relative_to(ROOT).as_posix()}: missing, the English edition of "
                               f"{source.relative_to(ROOT).as_posix()}; run {REGENERATE}")
    chinese_nb, english_nb = (nbformat.read(path, as_version=4) for path in (source, english))

    problems = [f"{english.relative_to(ROOT).as_posix()}: cell {number}: {problem} (the Chinese edition's number "
                f"on the left: regenerate both with {REGENERATE})"
                for number, (zh, en) in enumerate(zip(chinese_nb.cells, english_nb.cells), start=1)
                if zh.cell_type == "code"
                for problem in disagreements(numbers_only(zh.get("outputs", [])), numbers_only(en.get("outputs", [])))]

    assert not problems, "\n".join(problems)


def numbers_only(outputs):
    """The outputs that report numbers (application/json), without the words around them."""
    return [{"output_type": "display_data", "metadata": {}, "data": {"application/json": out["data"]["application/json"]}}
            for out in outputs if "application/json" in out.get("data", {})]


def test_every_notebook_reports_numbers_and_each_has_a_tolerance():
    for path in NOTEBOOKS:
        reported = [leaf for out in outputs_of(nbformat.read(path, as_version=4)) if out[0] == "json"
                    for leaf, _ in leaves(out[1])]

        assert reported, f"{path.relative_to(ROOT)} reports no numbers (an application/json output)"
        assert {key.rsplit(".", 1)[-1] for key in reported} <= TOLERANCE.keys()


# ---------------------------------------------------------------- comparing outputs

def outputs_of(nb):
    return [out for cell in nb.cells if cell.cell_type == "code" for out in comparable(cell.get("outputs", []))]


def comparable(outputs):
    """('text', str) with numbers masked, ('json', dict), ('image', (width, height)) or
    ('sample', (alphabet, text)) per output."""
    found = []
    for output in outputs:
        if output["output_type"] == "stream":
            found.append(("text", NUMBER.sub("#", output["text"])))
        elif output["output_type"] in {"execute_result", "display_data"}:
            data = output["data"]
            if SAMPLED in output.get("metadata", {}):
                found.append(("sample", (output["metadata"][SAMPLED], data["text/plain"])))
                continue
            if "application/json" in data:
                found.append(("json", data["application/json"]))
            if "image/png" in data:
                found.append(("image", Image.open(io.BytesIO(base64.b64decode(data["image/png"]))).size))
            elif "text/plain" in data:
                found.append(("text", NUMBER.sub("#", data["text/plain"])))
    return found


def leaves(value, prefix=""):
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in leaves(item, f"{prefix}{key}.")]
    return [(prefix.rstrip("."), value)]


def within(key, old, new):
    kind, limit = TOLERANCE[key.rsplit(".", 1)[-1]]
    if kind == "abs":
        return abs(new - old) <= limit
    return old > 0 and new > 0 and 1 / limit <= new / old <= limit


def disagreements(old_outputs, new_outputs):
    """Why a fresh cell's outputs disagree with the committed ones, as phrases; [] if they agree."""
    old, new = comparable(old_outputs), comparable(new_outputs)
    if [kind for kind, _ in old] != [kind for kind, _ in new]:
        return [f"outputs {[k for k, _ in old]} committed, {[k for k, _ in new]} now"]
    found = []
    for (kind, a), (_, b) in zip(old, new):
        if kind == "text" and a != b:
            found.append(f"text {a!r} committed, {b!r} now (numbers masked as #)")
        elif kind == "image" and a != b:
            found.append(f"figure of {a[0]}x{a[1]} px committed, {b[0]}x{b[1]} px now")
        elif kind == "sample":
            found += sample_disagreements(a, b)
        elif kind == "json":
            a_leaves, b_leaves = dict(leaves(a)), dict(leaves(b))
            if a_leaves.keys() != b_leaves.keys():
                found.append(f"reports {sorted(a_leaves)} committed, {sorted(b_leaves)} now")
                continue
            found += [f"{key} = {a_leaves[key]:.4g} committed, {b_leaves[key]:.4g} now, outside "
                      f"{TOLERANCE[key.rsplit('.', 1)[-1]]}" for key in a_leaves
                      if not within(key, a_leaves[key], b_leaves[key])]
    return found


def sample_disagreements(old, new):
    """Why a fresh sampled text disagrees with the committed one in length or alphabet (see SAMPLED)."""
    (old_alphabet, old_text), (new_alphabet, new_text) = old, new
    found = []
    if new_alphabet != old_alphabet:
        found.append(f"sampled from an alphabet of {len(new_alphabet)} characters now, {len(old_alphabet)} committed")
    if len(new_text) != len(old_text):
        found.append(f"sampled text of {len(old_text)} characters committed, {len(new_text)} now")
    outside = sorted(set(new_text) - set(new_alphabet))
    if outside:
        found.append(f"sampled text holds characters outside its alphabet: {''.join(outside)!r}")
    return found


def failing_cell(err, path):
    """1-based number of the cell that raised, found by its source in the notebook."""
    notebook = nbformat.read(path, as_version=4)
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "code" and cell.source.strip() and cell.source.strip() in str(err):
            return number
    return "?"


# ---------------------------------------------------------------- the guards catch what they should

GAN_NOTEBOOK = "docs/notebooks/gan-training.ipynb"
ENGLISH_GAN_NOTEBOOK = "docs/en/notebooks/gan-training.ipynb"


@pytest.fixture
def copy_of_repo(tmp_path):
    """The notebooks, snippets and pages in a scratch root, to break on purpose."""
    for folder in ("docs", "snippets"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


@pytest.mark.parametrize("notebook", [GAN_NOTEBOOK, ENGLISH_GAN_NOTEBOOK])
def test_an_edited_code_cell_makes_the_notebook_stale(copy_of_repo, notebook):
    path = copy_of_repo / notebook
    nb = nbformat.read(path, as_version=4)
    number, cell = next((n, c) for n, c in enumerate(nb.cells, start=1) if c.source.startswith("G, losses = train_cached("))
    cell.source = cell.source.replace("seed=0", "seed=1")
    nbformat.write(nb, path)

    (problem,) = staleness(path, copy_of_repo)

    assert problem.startswith(f"{notebook}: cell {number} changed (`G, losses = train_cached(DEFAULT_STEPS, seed=1)`)")
    assert problem.endswith(f"run {REGENERATE}")


@pytest.mark.parametrize("snippet", ["snippets/gan_quality.py", "snippets/gan.py"])
def test_an_edited_snippet_makes_the_notebook_stale_even_one_imported_indirectly(copy_of_repo, snippet):
    source = copy_of_repo / snippet
    source.write_text(source.read_text(encoding="utf-8") + "# an edit\n", encoding="utf-8")

    for notebook in (GAN_NOTEBOOK, ENGLISH_GAN_NOTEBOOK):
        assert staleness(copy_of_repo / notebook, copy_of_repo) == [
            f"{notebook}: {snippet} changed since its outputs were made; run {REGENERATE}"]


def test_a_notebook_without_its_record_is_stale(copy_of_repo):
    path = copy_of_repo / GAN_NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    del nb.metadata["freshness"]
    nbformat.write(nb, path)

    (problem,) = staleness(path, copy_of_repo)

    assert "no record of the code its outputs came from" in problem and REGENERATE in problem


def test_a_hand_edited_number_in_a_generated_block_is_reported_at_its_line(copy_of_repo):
    page = copy_of_repo / "docs" / "gan.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("| 训练后的生成器 |"))
    lines[line - 1] = re.sub(r"\| [\d.]+ \|$", "| 0.01 |", lines[line - 1])
    page.write_text("\n".join(lines), encoding="utf-8")

    (problem,) = notebook_pages.mismatches(copy_of_repo)

    assert problem.startswith(f"docs/gan.md:{line}: shows '{lines[line - 1]}'")
    assert GAN_NOTEBOOK in problem and REGENERATE in problem


def test_an_english_page_shows_the_english_notebook_and_is_reported_at_its_line(copy_of_repo):
    page = copy_of_repo / "docs" / "en" / "gan.md"
    text = page.read_text(encoding="utf-8")
    line = text[:text.index("| Trained generator |")].count("\n") + 1
    page.write_text(text.replace("| Trained generator |", "| 训练后的生成器 |"), encoding="utf-8")

    (problem,) = notebook_pages.mismatches(copy_of_repo)

    assert problem.startswith(f"docs/en/gan.md:{line}: shows '| 训练后的生成器 |")
    assert f"in {ENGLISH_GAN_NOTEBOOK} is '| Trained generator |" in problem and REGENERATE in problem
    assert notebook_pages.sync(copy_of_repo) == [page]
    assert "| Trained generator |" in page.read_text(encoding="utf-8") and not notebook_pages.mismatches(copy_of_repo)


def test_comparison_tolerates_machine_noise_and_rejects_real_change():
    nb = nbformat.read(ROOT / GAN_NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if "quality-table" in c.metadata.get("tags", []))
    numbers = next(out["data"]["application/json"] for out in cell.outputs if "application/json" in out.get("data", {}))

    def with_number(key, value):
        changed = json.loads(json.dumps(numbers))
        *path, leaf = key.split(".")
        target = changed
        for part in path:
            target = target[part]
        target[leaf] = value
        return [{"output_type": "display_data", "data": {"application/json": changed}, "metadata": {}}]

    original = with_number("accuracy", numbers["accuracy"])
    frechet = numbers["trained"]["frechet"]

    assert disagreements(original, with_number("trained.frechet", frechet * 1.6)) == []
    assert disagreements(original, with_number("trained.frechet", frechet * 2.5))
    assert disagreements(original, with_number("trained.confidence", numbers["trained"]["confidence"] - 0.1))
    assert disagreements(
        [{"output_type": "stream", "name": "stdout", "text": "通过 0.934\n"}],
        [{"output_type": "stream", "name": "stdout", "text": "未通过 0.934\n"}])


def sampled(text, alphabet="The abcdehmnortu."):
    return [{"output_type": "display_data", "data": {"text/plain": text, "text/markdown": f"```text\n{text}\n```"},
             "metadata": {SAMPLED: alphabet}}]


def test_sampled_text_may_differ_but_not_in_length_or_alphabet():
    committed = sampled("The moon and the heart")

    assert disagreements(committed, sampled("The heart and the moon")) == []        # another draw: fine
    assert disagreements(committed, sampled("The moon and the heart.")) == [
        "sampled text of 22 characters committed, 23 now"]
    assert disagreements(committed, sampled("The moon and the hearZ")) == [
        "sampled text holds characters outside its alphabet: 'Z'"]
    assert disagreements(committed, sampled("The moon and the heart", alphabet="The abcdehmnortu")) == [
        "sampled from an alphabet of 16 characters now, 17 committed"]
    assert disagreements(committed, [{"output_type": "stream", "name": "stdout", "text": "The moon and the heart"}])
