"""Chinese copy: CJK–Latin spacing and full-width punctuation (autocorrect), one paragraph per line."""
import re

import autocorrect_py

import project_data
from pages import prose_files, prose_lines, rel

CJK = r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]"
WRAPPED = re.compile(rf"{CJK}$")
STARTS_CJK = re.compile(rf"^{CJK}")


def _window(old, new, width=12):
    """The part of a line autocorrect changes, with a little context on each side."""
    start = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    lo = max(0, start - width)
    return old[lo:end_old + width].strip(), new[lo:end_new + width].strip()


def lint(text):
    """autocorrect's suggestions for one line of prose: [(old, new)], trimmed to the change."""
    result = autocorrect_py.lint_for(text, "md")
    return [_window(line.old, line.new) for line in result.lines]


def prose_problems(path):
    problems = []
    for number, line in prose_lines(path):
        if not line.strip() or line.lstrip().startswith(("<", "|---", "#")) and not line.lstrip().startswith("#"):
            continue
        for old, new in lint(line):
            problems.append(f"{rel(path)}:{number}: typography: write {new.strip()!r} instead of {old.strip()!r}")
    return problems


def test_pages_follow_chinese_typography():
    problems = [problem for page in prose_files() for problem in prose_problems(page)]

    assert not problems, "\n".join(problems)


def test_ledger_prose_follows_chinese_typography():
    problems = []
    for entry in project_data.load_ledger():
        for field in ("title", "corrected", "why"):
            text = re.sub(r"\$[^$]+\$|`[^`]+`", "x", entry[field])
            problems += [f"docs/corrections.yml:{entry['line']}: {entry['id']}.{field}: write {new.strip()!r} instead of {old.strip()!r}"
                         for old, new in lint(text)]

    assert not problems, "\n".join(problems)


def test_one_paragraph_per_line():
    problems = []
    for page in prose_files():
        lines = dict(prose_lines(page))
        for number, line in lines.items():
            following = lines.get(number + 1, "")
            if WRAPPED.search(line.rstrip("\n")) and STARTS_CJK.match(following):
                problems.append(f"{rel(page)}:{number}: a Chinese paragraph continues on the next line; join the lines "
                                "(a line break between Chinese characters shows as a space)")

    assert not problems, "\n".join(problems)


def test_a_typography_slip_is_reported_with_file_line_and_fix(tmp_path):
    page = tmp_path / "slip.md"
    page.write_text("# 标题\n\n这是GAN的例子.\n", encoding="utf-8")

    problems = prose_problems(page)

    assert problems == [f"{page}:3: typography: write '这是 GAN 的例子。' instead of '这是GAN的例子.'"]
