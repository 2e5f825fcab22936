"""Marker comments (`<!-- kind: value -->` alone on a line) are ones a hook or Sybil understands.

A misspelt marker would pass silently as an invisible HTML comment: a correction note, a proof
link or a formula pin that readers never see and no check applies to.
"""
from markers import FENCE, KINDS, MARKER
from pages import pages, rel


def markers(page):
    """[(line, kind, value)] for every marker line on a page, outside code fences."""
    found, fence = [], None
    for number, line in enumerate(page.read_text(encoding="utf-8").split("\n"), start=1):
        opening = FENCE.match(line)
        if opening and (fence is None or opening.group(1).startswith(fence)):
            fence = None if fence else opening.group(1)
        elif fence is None and MARKER.match(line):
            found.append((number, MARKER.match(line).group(1), MARKER.match(line).group(2)))
    return found


def test_every_marker_is_a_known_kind():
    unknown = [f"{rel(page)}:{line}: unknown marker <!-- {kind} -->; the kinds are: {', '.join(sorted(KINDS))} "
               "(hooks/markers.py)" for page in pages() for line, kind, _ in markers(page) if kind not in KINDS]

    assert not unknown, "\n".join(unknown)


def test_every_seed_quote_is_closed():
    problems = []
    for page in pages():
        opened = None
        for line, kind, _ in markers(page):
            if kind == "seed-quote" and opened:
                problems.append(f"{rel(page)}:{line}: a seed-quote opens inside the one opened at line {opened}; "
                                "close that one first with `<!-- /seed-quote -->`")
            elif kind == "/seed-quote" and not opened:
                problems.append(f"{rel(page)}:{line}: `<!-- /seed-quote -->` closes nothing; open the quotation with "
                                "`<!-- seed-quote -->` on a line of its own, or delete this line")
            if kind in ("seed-quote", "/seed-quote"):
                opened = line if kind == "seed-quote" else None
        if opened:
            problems.append(f"{rel(page)}:{opened}: `<!-- seed-quote -->` is never closed; add `<!-- /seed-quote -->` "
                            "on a line of its own after the quoted text")

    assert not problems, "\n".join(problems)
