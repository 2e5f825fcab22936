"""Dates and numbers in a sentence that cites a source must be in that source's own words.

A sentence that cites `[@key]` may only state a date, year or number that appears in one of the
cited entries of docs/references.yml: in its verbatim `excerpts`, its `title`, `venue` or `year`.
Formats are normalised before comparing, so that 2024 年 7 月 16 日, July 16, 2024, 16 July 2024
and 2024-07-16 are the same date, 100 万 is 1 million, and "four-month" holds the number 4.

What this does not read as a number: digits inside names (GPT-2, CS231n, LLM101n, Sports-1M,
8XH100), inside code spans, links, citation keys and math; locators that point into the cited work
(式 (1), 算法 1, 命题 1, 图 3, 第 5.4 节, 第 35 行, and in English Section 5.4, equation (2), Figure 3,
lines 35, 36 and 58); the constants 0 and 1 of mathematical prose
("weights that sum to 1"); and the original
article's section numbers (原文第 7.1 节), which are checked against the original instead.
Identifiers count as the entry's: an arXiv id or a DOI in the sentence matches the entry's fields.
"""
import re

MONTHS = {name: number for number, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")], start=1) for name in names}
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
         "hundred": 100, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "千": 10**3, "万": 10**4, "亿": 10**8}

MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
ORD = r"(?:st|nd|rd|th)?"
EN_MDY = re.compile(rf"\b({MONTH})\.?\s+(\d{{1,2}})(?!\d){ORD}(?:\s*(?:,|and|&|–|-)\s*(\d{{1,2}})(?!\d){ORD})?"
                    rf"(?:,?\s+(\d{{4}}))?", re.I)
EN_DMY = re.compile(rf"\b(\d{{1,2}}){ORD}\s+({MONTH})\.?,?\s+(\d{{4}})", re.I)
EN_MY = re.compile(rf"\b({MONTH})\.?,?\s+(\d{{4}})\b", re.I)
EN_DM = re.compile(rf"\b(\d{{1,2}}){ORD}\s+({MONTH})\b", re.I)
ISO = re.compile(r"\b(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?\b")
US_SHORT = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2})\b")
ZH_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
NUMBER = re.compile(r"(?<![A-Za-z0-9_.+-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)*)(?:\s*(thousand|million|billion|千|万|亿))?"
                    r"(?![A-Za-z0-9_+])", re.I)
DIMENSIONS = re.compile(r"\b(\d+)\s*[x×]\s*(\d+)\b")
ORDINAL = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b")
RANGE = re.compile(r"\b(\d+)\s*[-–]\s*(\d+)\b")
# Capitalised only: "may" and "march" are verbs too.
MONTH_ALONE = re.compile(r"\b(" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
                         + r")\b(?!\.?,?\s+\d)")
LOCATOR = re.compile(r"(?:式|公式|算法|命题|定理|引理|图|表)\s*[(（]?\s*\d+(?:\.\d+)*\s*[)）]?"
                     r"|第\s*\d+(?:\.\d+)*\s*(?:[、和至到–-]\s*(?:第\s*)?\d+(?:\.\d+)*\s*)*(?:节|行|步|章|讲|段|条)")
NUMBERED = r"\(?\d+(?:\.\d+)*\)?"
EN_LOCATOR = re.compile(r"(?<![A-Za-z])(?:sections?|§|eq(?:uation)?s?\.?|algorithms?|propositions?|theorems?|lemmas?"
                        r"|fig(?:ure)?s?\.?|tables?|lines?|steps?|items?|chapters?|lectures?)\s*" + NUMBERED
                        + r"(?:(?:\s*,\s*(?:and\s+)?|\s+(?:and|to)\s+|\s*[–-]\s*)" + NUMBERED + ")*", re.I)
TEST_NAMED = re.compile(r"`(?:tests/[\w/]+\.py::)?test_\w+`")
WORD = re.compile(r"\b(" + "|".join(WORDS) + r")\b", re.I)

CITATION = re.compile(r"\[@[^\]]+\]")
SEED_SECTION = re.compile(r"原文(?:的)?第\s*(\d+(?:\.\d+)?)(?:\s*[、和与及至到–-]\s*(?:第\s*)?(\d+(?:\.\d+)?))*\s*节")
NOT_PROSE = re.compile(r"`[^`]*`|\]\([^)]*\)|<[^>]+>|https?://\S+|\[@[^\]]+\]")
MATH_CONSTANTS = {0, 1}


def _number(text, scale=None):
    if text.count(".") > 1:
        return text  # a version such as 3.11.7
    value = float(text.replace(",", ""))
    if scale:
        value *= SCALE[scale.lower()]
    return int(value) if value == int(value) else value


def facts(text):
    """Every date and number the text states, normalised: {'2024', '2024-07', '2024-07-16', '07-16', 4, …}."""
    found = set()

    def date(year, month, day=None):
        month = int(month)
        if not 1 <= month <= 12:
            return
        if year:
            found.add(str(int(year)))
            found.add(f"{int(year)}-{month:02d}")
        if day:
            found.add(f"{month:02d}-{int(day):02d}")
            if year:
                found.add(f"{int(year)}-{month:02d}-{int(day):02d}")

    for m in EN_MDY.finditer(text):
        for day in (m.group(2), m.group(3)):
            if day:
                date(m.group(4), MONTHS[m.group(1).lower()], day)
    for m in EN_DMY.finditer(text):
        date(m.group(3), MONTHS[m.group(2).lower()], m.group(1))
    for m in EN_MY.finditer(text):
        date(m.group(2), MONTHS[m.group(1).lower()])
    for m in ISO.finditer(text):
        date(m.group(1), m.group(2), m.group(3))
    for m in US_SHORT.finditer(text):
        date(2000 + int(m.group(3)), m.group(1), m.group(2))
    for m in ZH_DATE.finditer(text):
        date(m.group(1), m.group(2), m.group(3))
    for m in NUMBER.finditer(text):
        found.add(_number(m.group(1), m.group(2)))
        if re.fullmatch(r"\d{4}", m.group(1)):
            found.add(m.group(1))
    for m in [*DIMENSIONS.finditer(text), *RANGE.finditer(text)]:
        found |= {int(m.group(1)), int(m.group(2))}
    for m in ORDINAL.finditer(text):
        found.add(int(m.group(1)))
    for m in WORD.finditer(text):
        found.add(WORDS[m.group(1).lower()])
    return found


def claims(sentence):
    """[(as written, what must be found)] for the dates and numbers a sentence of prose states."""
    text = NOT_PROSE.sub(" ", sentence)
    for pattern in (SEED_SECTION, LOCATOR, EN_LOCATOR):
        text = pattern.sub(" ", text)
    out = []
    for m in ZH_DATE.finditer(text):
        year, month, day = m.groups()
        key = (f"{int(year)}-{int(month):02d}-{int(day):02d}" if year and day else
               f"{int(year)}-{int(month):02d}" if year else
               f"{int(month):02d}-{int(day):02d}" if day else None)
        if key and 1 <= int(month) <= 12:
            out.append((m.group(0), key))
        text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    def blank(m):
        nonlocal text
        text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]

    for m in ISO.finditer(text):
        year, month, day = m.groups()
        out.append((m.group(0), f"{year}-{int(month):02d}-{int(day):02d}" if day else f"{year}-{int(month):02d}"))
        blank(m)
    # English dates (the English edition): 16 July 2024, July 16, 2024, July 2024, 16 July
    for m in list(EN_DMY.finditer(text)):
        out.append((m.group(0), f"{m.group(3)}-{MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"))
        blank(m)
    for m in list(EN_MDY.finditer(text)):
        month = MONTHS[m.group(1).lower()]
        for day in filter(None, (m.group(2), m.group(3))):
            out.append((m.group(0), f"{m.group(4)}-{month:02d}-{int(day):02d}" if m.group(4) else f"{month:02d}-{int(day):02d}"))
        blank(m)
    for m in list(EN_MY.finditer(text)):
        out.append((m.group(0), f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"))
        blank(m)
    for m in list(EN_DM.finditer(text)):
        out.append((m.group(0), f"{MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"))
        blank(m)
    for m in NUMBER.finditer(text):
        value = m.group(1)
        value = value if re.fullmatch(r"(19|20)\d\d", value) else _number(value, m.group(2))
        if value not in MATH_CONSTANTS:
            out.append((m.group(0).strip(), value))
    return out


def sentences(line):
    """A line of prose cut into sentences; a table row is one sentence."""
    if line.lstrip().startswith("|"):
        return [line]
    parts = re.split(r"(?<=[。！？])|(?<=[.!?])\s+(?=[A-Z])", line)  # a semicolon joins clauses of one sentence
    return [part for part in parts if part.strip()]


def cited_keys(sentence):
    return [key.strip().lstrip("@") for match in CITATION.finditer(sentence) for key in match.group(0)[1:-1].split(";")]


def seed_sections(seed):
    """Section numbers of the original article: '1', '7.1', …"""
    return {m.group(1).rstrip(".") for m in re.finditer(r"^#+\s*\**\s*(\d+(?:\.\d+)*\.?)", seed, re.M)}


def names_a_test(sentence):
    """Whether the sentence names the test that computes its numbers (`test_…` or `tests/…::test_…`)."""
    return bool(TEST_NAMED.search(sentence))


def known(entry):
    """What a bibliography entry states: facts() of its excerpts, title, venue and year, and its ids.

    A month or a day named without a year in an excerpt ("since late March", "September 24th") is
    read in the entry's year.
    """
    excerpts = [excerpt["text"] for excerpt in entry.get("excerpts") or []]
    text = "\n".join(excerpts + [str(entry.get(field, "")) for field in ("title", "venue", "year")])
    found = facts(text)
    for field in ("arxiv", "doi"):
        if entry.get(field):
            found |= facts(str(entry[field])) | {str(entry[field])}
    if entry.get("year"):
        for excerpt in excerpts:
            found |= {f"{entry['year']}-{MONTHS[m.group(1).lower()]:02d}" for m in MONTH_ALONE.finditer(excerpt)}
            found |= {f"{entry['year']}-{fact}" for fact in facts(excerpt)
                      if isinstance(fact, str) and re.fullmatch(r"\d\d-\d\d", fact)}  # "September 24th" in that year
    return found
