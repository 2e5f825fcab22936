"""Load and check the project's data files: the bibliography, the corrections ledger, the formulas.

docs/references.yml lists every cited work; docs/corrections.yml lists every change made to the
original article (docs/seed/original.txt); docs/formulas.yml gives the reference form of every
formula a page pins, with its source. The build hooks and the tests read them through
this module, so a rule is written once. Every problem is reported as `file:line: what is wrong`,
in words a first-time contributor can act on.
"""
import copy
import datetime
import re
import unicodedata
from pathlib import Path

import yaml

# libyaml's parser when PyYAML has it: the pure-Python one was the slowest part of a build.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCES = DOCS / "references.yml"
LEDGER = DOCS / "corrections.yml"
FORMULAS = DOCS / "formulas.yml"
SEED = DOCS / "seed" / "original.txt"

CATEGORIES = {
    "biography": "生平",
    "attribution": "归属",
    "link": "链接",
    "image": "图片",
    "formula": "公式",
    "code": "代码",
    "reference": "文献",
    "other": "其他",
}
REFERENCE_TYPES = {"paper", "book", "web", "course", "software", "news"}
LEDGER_FIELDS = ("id", "title", "page", "anchor", "category", "original", "corrected", "why", "sources")
ENGLISH_LEDGER_FIELDS = ("title_en", "corrected_en", "why_en")  # the English edition's text of the same entry
TITLE_WIDTH = 36  # display columns (a Chinese character counts two): a few words, not a sentence
EXCERPT_FIELDS = ("text", "lang", "read", "via", "en")  # en: the English edition's translation of a non-English text
NEEDS_EXCERPTS = {"web", "news"}  # the reader cannot check these without the source's own words
LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # a BCP 47 tag: en, zh, zh-Hans, en-US
FORMULA_FIELDS = ("id", "tex", "source", "where")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HEADING_ID = re.compile(r"^#{1,6}\s.*\{[^}]*#([A-Za-z0-9_-]+)[^}]*\}\s*$", re.M)


class DataError(ValueError):
    """One or more problems in a data file; str() lists them one per line."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


def relative(path):
    """The path as a contributor sees it: relative to the repository when inside it."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def load_entries(path):
    """Return [(entry, line, field_lines)] for a YAML file holding a list of mappings.

    field_lines maps each field to the line it starts on, so a message can point at the
    very field a contributor has to fix.
    """
    name = relative(path)
    text = Path(path).read_text(encoding="utf-8")
    parsed = _PARSED.get(name)
    if parsed and parsed[0] == text:
        return copy.deepcopy(parsed[1])
    entries = _parse_entries(name, text)
    _PARSED[name] = (text, entries)
    return copy.deepcopy(entries)


# The last parse of each data file, by its text: a build, and the tests, ask for the ledger and the
# bibliography once per page, and parsing them took most of the time (4 s a run of the fast tier).
_PARSED = {}


def _parse_entries(name, text):
    try:
        node = yaml.compose(text, Loader=LOADER)
        data = yaml.load(text, Loader=LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise DataError([f"{name}{line}: not valid YAML: {getattr(err, 'problem', err)}; "
                         "check the indentation and quote any value that contains ': ' or starts with a quote"])
    if data is None:
        return []
    if not isinstance(data, list):
        raise DataError([f"{name}:1: expected a list of entries (each starting with '- ')"])
    problems = [
        f"{name}:{item.start_mark.line + 1}: each entry must be a mapping of fields (`- field: value`)"
        for item, value in zip(node.value, data)
        if not isinstance(value, dict)
    ]
    if problems:
        raise DataError(problems)
    return [(value, item.start_mark.line + 1, _field_lines(item)) for item, value in zip(node.value, data)]


def _field_lines(mapping):
    """{field: line} of a YAML mapping node; a list of mappings adds `field[i]` and `field[i].key`."""
    lines = {}
    for key, value in mapping.value:
        lines[key.value] = key.start_mark.line + 1
        if isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value):
                lines[f"{key.value}[{i}]"] = item.start_mark.line + 1
                if isinstance(item, yaml.MappingNode):
                    lines.update({f"{key.value}[{i}].{sub.value}": sub.start_mark.line + 1 for sub, _ in item.value})
    return lines


def display_width(text):
    """Columns a text takes: a Chinese (wide) character counts two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def title_problem(title):
    """What is wrong with a correction's short title, or None."""
    if not isinstance(title, str) or "\n" in title.strip():
        return "'title' must be one line of plain words"
    words = re.sub(r"`[^`]+`", "", title)
    if re.search(r"[$*_\[\]<>#|\\]", words):
        return ("'title' is plain words (a `code` span is allowed): no math, links, emphasis or HTML; "
                "the formula belongs in 'corrected'")
    if display_width(title) > TITLE_WIDTH:
        return (f"'title' is {display_width(title)} columns wide; say what was corrected in a few words "
                f"(at most {TITLE_WIDTH} columns, a Chinese character counts two)")
    return None


def _is_date(value):
    if isinstance(value, datetime.date):
        return True
    try:
        datetime.date.fromisoformat(str(value))
        return True
    except ValueError:
        return False


def excerpt_problems(entry, fields, at):
    """Problems with a reference's `excerpts`: each `at(field)` names the file and line."""
    excerpts = entry.get("excerpts")
    if excerpts is None:
        if entry.get("type") in NEEDS_EXCERPTS:
            return [f"{at('key')}: a {entry['type']} source needs 'excerpts': the sentences you relied on, copied "
                    "verbatim, as `excerpts:` then `- text: \"…\"` with `lang:` and `read:` (see CONTRIBUTING.md)"]
        return []
    if not isinstance(excerpts, list) or not excerpts:
        return [f"{at('excerpts')}: 'excerpts' must be a list of quotations, each `- text: \"…\"` with `lang:` and `read:`"]
    problems = []
    for i, excerpt in enumerate(excerpts):
        item = f"excerpts[{i}]"
        if not isinstance(excerpt, dict):
            problems.append(f"{at(item)}: each excerpt is a mapping: `- text: \"…\"`, then `lang:` and `read:` on their own lines")
            continue
        unknown = sorted(set(excerpt) - set(EXCERPT_FIELDS))
        if unknown:
            problems.append(f"{at(f'{item}.{unknown[0]}')}: unknown excerpt field {', '.join(unknown)}; "
                            f"the fields are {', '.join(EXCERPT_FIELDS)}")
        if not isinstance(excerpt.get("text"), str) or not excerpt["text"].strip():
            problems.append(f"{at(item)}: the excerpt has no 'text'; copy the source's own sentences, verbatim")
        if not LANG.match(str(excerpt.get("lang") or "")):
            problems.append(f"{at(f'{item}.lang' if 'lang' in excerpt else item)}: the excerpt needs 'lang', the "
                            "language it is written in as a BCP 47 tag (en, zh, de)")
        if not _is_date(excerpt.get("read")):
            problems.append(f"{at(f'{item}.read' if 'read' in excerpt else item)}: the excerpt needs 'read', the date "
                            "you read it, as YYYY-MM-DD")
        if "via" in excerpt and (not isinstance(excerpt["via"], str) or not excerpt["via"].strip()):
            problems.append(f"{at(f'{item}.via')}: 'via' says where you read a copy (an archive, a mirror); "
                            "write it out or delete the line")
    return problems


def heading_ids(markdown):
    """The explicit `{ #id }` ids of a page's headings."""
    return set(HEADING_ID.findall(markdown))


def load_references(path=REFERENCES):
    """Return {key: entry}; raise DataError naming file and line for each bad entry."""
    name = relative(path)
    problems, references = [], {}
    for entry, line, fields in load_entries(path):
        key = entry.get("key")

        def at(field):
            return f"{name}:{fields.get(field, line)}: reference {key!r}"

        if not key or not ID.match(str(key)):
            problems.append(f"{at('key')}: 'key' must be lowercase letters, digits and hyphens (e.g. vaswani2017)")
            continue
        if key in references:
            problems.append(f"{at('key')}: the key is used twice (first at line {references[key]['line']}); "
                            "keys must be unique: merge the two entries or rename this one")
        if entry.get("type") not in REFERENCE_TYPES:
            problems.append(f"{at('type')}: 'type' must be one of {', '.join(sorted(REFERENCE_TYPES))}")
        if not entry.get("title"):
            problems.append(f"{at('key')}: 'title' is missing; add `title:` with the work's own title")
        if not any(entry.get(field) for field in ("doi", "arxiv", "url")):
            problems.append(f"{at('key')}: give at least one of 'doi', 'arxiv' or 'url' so a reader can find it")
        if entry.get("note") and not entry.get("note_en"):
            problems.append(f"{at('note')}: 'note' has no English 'note_en'; the English edition shows notes too, "
                            "so write it in English right after 'note'")
        for item, excerpt in enumerate(entry.get("excerpts") or []):
            if isinstance(excerpt, dict) and excerpt.get("lang") not in (None, "en") and not excerpt.get("en"):
                problems.append(f"{at('excerpts')}: excerpt {item + 1} is in {excerpt.get('lang')!r}; give the English "
                                "edition its translation under 'en:' (the 'text' stays verbatim)")
        if entry.get("type") in {"web", "news"} and not entry.get("accessed"):
            problems.append(f"{at('key')}: a web page needs 'accessed' (the date you read it, YYYY-MM-DD)")
        problems += excerpt_problems(entry, fields, lambda field: f"{name}:{fields.get(field, line)}: reference {key!r}")
        if key not in references:
            references[key] = dict(entry, line=line, lines=fields)
    if problems:
        raise DataError(problems)
    return references


def load_ledger(path=LEDGER, references=None, seed_path=SEED, docs=DOCS):
    """Return the ledger entries; raise DataError naming file, line and entry for each problem."""
    name = relative(path)
    references = load_references() if references is None else references
    seed = Path(seed_path).read_text(encoding="utf-8")
    problems, seen, entries = [], {}, []
    for entry, line, fields in load_entries(path):
        ident = entry.get("id")

        def at(field):
            return f"{name}:{fields.get(field, line)}: correction {ident!r}"

        missing = [field for field in LEDGER_FIELDS if not entry.get(field)]
        if missing:
            problems.append(f"{at('id')}: missing {', '.join(missing)} (every correction needs all of: {', '.join(LEDGER_FIELDS)})")
        if ident and not ID.match(str(ident)):
            problems.append(f"{at('id')}: 'id' must be lowercase letters, digits and hyphens (e.g. gan-value-function-missing-max)")
        if ident and str(ident) in seen:
            problems.append(f"{at('id')}: the id is used twice (first at line {seen[str(ident)]}); ids must be unique: rename this one")
        seen.setdefault(str(ident), line)
        if entry.get("title") and title_problem(entry["title"]):
            problems.append(f"{at('title')}: {title_problem(entry['title'])}")
        english = [field for field in ENGLISH_LEDGER_FIELDS if entry.get(field.removesuffix("_en")) and not entry.get(field)]
        if english:
            problems.append(f"{at('id')}: missing {', '.join(english)}: the English edition shows every entry, so write "
                            f"each of {', '.join(f.removesuffix('_en') for f in english)} in English too, right after it")
        if entry.get("title_en") and title_problem(entry["title_en"]):
            problems.append(f"{at('title_en')}: {title_problem(entry['title_en'])}")
        if entry.get("category") and entry["category"] not in CATEGORIES:
            problems.append(f"{at('category')}: 'category' must be one of {', '.join(CATEGORIES)}")
        original = entry.get("original")
        if original and original not in seed:
            problems.append(f"{at('original')}: 'original' is not quoted verbatim from docs/seed/original.txt "
                            "(copy it exactly, whitespace included)")
        sources = entry.get("sources") or []
        if not isinstance(sources, list):
            problems.append(f"{at('sources')}: 'sources' must be a list of keys from docs/references.yml, "
                            "one per line (`sources:` then `  - key`)")
            sources = []
        for key in sources:
            if str(key) not in references:
                problems.append(f"{at('sources')}: source {key!r} is not in docs/references.yml; add the work there first")
        page = entry.get("page")
        if page:
            page_path = Path(docs) / str(page)
            if not page_path.is_file():
                problems.append(f"{at('page')}: page {page!r} does not exist under docs/; give the file name, e.g. gan.md")
            elif entry.get("anchor") and entry["anchor"] not in heading_ids(page_path.read_text(encoding="utf-8")):
                problems.append(f"{at('anchor')}: page {page} has no heading with id #{entry['anchor']} "
                                f"(write it as `## 标题 {{ #{entry['anchor']} }}`)")
        entries.append(dict(entry, line=line, lines=fields))
    if problems:
        raise DataError(problems)
    return entries


def original_kind(original, seed):
    """How the original shows a passage it holds: "math" inside a `$$` block, "code" inside a code
    fence, "text" otherwise (its `$…$` are inline math)."""
    before = seed[:max(seed.find(original), 0)].split("\n")[:-1]
    if sum(1 for line in before if re.match(r"^\s*(```|~~~)", line)) % 2:
        return "code"
    if sum(1 for line in before if line.strip() == "$$") % 2:
        return "math"
    return "text"


def load_formulas(path=FORMULAS, references=None):
    """Return {id: entry} of the pinned formulas; raise DataError naming file and line for each problem."""
    name = relative(path)
    references = load_references() if references is None else references
    problems, formulas = [], {}
    for entry, line, fields in load_entries(path):
        ident = entry.get("id")

        def at(field):
            return f"{name}:{fields.get(field, line)}: formula {ident!r}"

        missing = [field for field in FORMULA_FIELDS if not entry.get(field)]
        if missing:
            problems.append(f"{at('id')}: missing {', '.join(missing)} (every formula needs all of: {', '.join(FORMULA_FIELDS)})")
        unknown = sorted(set(entry) - set(FORMULA_FIELDS) - {"note"})
        if unknown:
            problems.append(f"{at(unknown[0])}: unknown field {', '.join(unknown)}; the fields are {', '.join(FORMULA_FIELDS)} and note")
        if ident and not ID.match(str(ident)):
            problems.append(f"{at('id')}: 'id' must be lowercase letters, digits and hyphens (e.g. scaled-dot-product-attention)")
        if ident and str(ident) in formulas:
            problems.append(f"{at('id')}: the id is used twice (first at line {formulas[str(ident)]['line']}); ids must be unique")
        if entry.get("source") and str(entry["source"]) not in references:
            problems.append(f"{at('source')}: source {entry['source']!r} is not in docs/references.yml; add the work there first")
        if ident and str(ident) not in formulas:
            formulas[str(ident)] = dict(entry, line=line, lines=fields)
    if problems:
        raise DataError(problems)
    return formulas
