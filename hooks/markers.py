"""Walk a page's Markdown outside code fences, and find the project's marker comments there.

A marker is an HTML comment alone on its line: `<!-- kind: value -->`, `<!-- kind -->` or,
closing a region, `<!-- /kind -->`.
Readers never see the comment itself; a hook replaces it with what it stands for.
"""
import re

MARKER = re.compile(r"^<!--\s*(/?[a-z][a-z-]*)(?::\s*(.*?))?\s*-->\s*$")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def map_outside_fences(markdown, change):
    """Replace each line outside code fences by change(line, number); fences stay as they are."""
    out, fence = [], None
    for number, line in enumerate(markdown.split("\n"), start=1):
        opening = FENCE.match(line)
        if opening and (fence is None or opening.group(1).startswith(fence)):
            fence = None if fence else opening.group(1)
            out.append(line)
        else:
            out.append(line if fence else change(line, number))
    return "\n".join(out)


def find_markers(markdown, expand):
    """Replace each marker line for which expand(kind, value, line) returns a string."""
    def change(line, number):
        match = MARKER.match(line)
        replacement = expand(match.group(1), match.group(2), number) if match else None
        return line if replacement is None else replacement

    return map_outside_fences(markdown, change)
