"""The seed's GAN listing (snippets/seed/gan_listing.txt) is not Python: every line docs/gan.md names.

Python compiles a whole file before running any of it and reports only the first syntax error, so
the four names written with a space (`noise samples`, `batch size`, `noise dim`, `train GAN`)
surface one line at a time. docs/gan.md#seed-listing lists the lines in the order Python reports
them; these tests recompute that order and read it back from the page, so neither can drift.
Static only: nothing here imports TensorFlow or Keras.
"""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LISTING = (ROOT / "snippets/seed/gan_listing.txt").read_text(encoding="utf-8")
PAGE = ROOT / "docs/gan.md"
SPACED = ("noise samples", "batch size", "noise dim", "train GAN")


def join_spaced_names(line):
    for name in SPACED:
        line = line.replace(name, name.replace(" ", "_"))
    return line


def syntax_error_lines_one_at_a_time(source):
    """Parse, join the spaced names on the line Python complains about, repeat; the lines in order."""
    lines, reported = source.split("\n"), []
    while True:
        try:
            ast.parse("\n".join(lines))
            return reported
        except SyntaxError as err:
            fixed = join_spaced_names(lines[err.lineno - 1])
            assert fixed != lines[err.lineno - 1], f"line {err.lineno} fails for another reason: {err.msg}"
            reported.append(err.lineno)
            lines[err.lineno - 1] = fixed


def lines_listed_on_the_page():
    text = PAGE.read_text(encoding="utf-8")
    match = re.search(r"报错的行号依次是第 ([\d、和 ]+) 行", text)
    assert match, "docs/gan.md#seed-listing no longer lists the lines with spaced names ('报错的行号依次是第 … 行')"
    return [int(n) for n in re.findall(r"\d+", match.group(1))]


def test_spaced_names_sit_on_eight_lines():
    lines = [number for number, line in enumerate(LISTING.split("\n"), start=1) if any(name in line for name in SPACED)]

    assert lines == [35, 36, 39, 42, 43, 45, 46, 58]


def test_python_reports_the_spaced_names_one_line_at_a_time():
    reported = syntax_error_lines_one_at_a_time(LISTING)

    assert reported == [35, 36, 39, 42, 43, 45, 46, 58]


def test_page_lists_the_lines_python_reports():
    assert lines_listed_on_the_page() == syntax_error_lines_one_at_a_time(LISTING)


def test_fixing_only_the_two_definitions_still_fails():
    lines = LISTING.split("\n")
    for number in (35, 39):                       # def noise samples(...), def train GAN(...)
        lines[number - 1] = join_spaced_names(lines[number - 1])

    with pytest.raises(SyntaxError) as err:
        ast.parse("\n".join(lines))

    assert err.value.lineno == 36                 # the body of noise samples still says `batch size`


def test_a_syntax_error_on_line_35_stops_lines_1_to_34_too():
    ran = []
    source = "ran.append('before the imports')\n" + LISTING

    with pytest.raises(SyntaxError):
        exec(compile(source, "gan_listing.txt", "exec"), {"ran": ran})

    assert ran == []
