"""The words the hooks write into a page, in each edition's language, and the data's text in it.

The Chinese edition (mkdocs.yml) and the English one (mkdocs.en.yml) run the same hooks; a hook
asks this module for its labels (`say("correction")`) and for a data field in the page's language
(`field(entry, "why")` reads `why` or `why_en`). use(config) is called by each hook's on_pre_build,
so one build speaks one language. A field missing in English fails loudly, naming the data file
and line: an English page never shows Chinese text by accident.
"""
from mkdocs.exceptions import PluginError

WORDS = {
    "zh": {
        "correction": "更正", "original": "原文", "corrected": "更正", "why": "理由", "sources": "来源",
        "ledger_entry": "勘误表条目", "page_index": "本页对原文的 {n} 处更正",
        "category": "类别", "entries": "条目数", "total": "合计", "seed_error": "勘误",
        "seed_quote": "原文（逐字引用，有误）",
        "proof": "验证",
        "and": " 和 ", "et_al": " 等", "label_year": "{name}，{year}", "cite_open": "（", "cite_close": "）",
        "cite_sep": "；", "accessed": "访问于 {date}", "read": "读于 {date}", "via": "经由：{via}",
        "note": "（{note}）", "work": "文献：{name}", "see_entry": "在参考资料中查看这一条",
        "types": {"paper": "论文", "book": "书籍", "course": "课程", "software": "软件与代码",
                  "web": "网页与文章", "news": "新闻与公告"},
        "categories": {"biography": "生平", "attribution": "归属", "link": "链接", "image": "图片",
                       "formula": "公式", "code": "代码", "reference": "文献", "other": "其他"},
        "download": "下载这个笔记本（{name}）",
        "run_it": ("它导入仓库里 <code>snippets/</code> 的代码，要在仓库里运行：按 README 装好环境，把它放在 "
                   "<code>docs/notebooks/</code> 下，在仓库根目录运行 <code>{command}</code>，它会重新执行全部单元并写回输出。"),
    },
    "en": {
        "correction": "Correction", "original": "Original", "corrected": "Correction", "why": "Why", "sources": "Sources",
        "ledger_entry": "ledger entry", "page_index": "{n} corrections to the original on this page",
        "category": "Category", "entries": "Entries", "total": "Total", "seed_error": "Corrected",
        "seed_quote": "The original (quoted verbatim, with its errors)",
        "proof": "Proof",
        "and": " and ", "et_al": " et al.", "label_year": "{name}, {year}", "cite_open": "(", "cite_close": ")",
        "cite_sep": "; ", "accessed": "accessed {date}", "read": "read {date}", "via": "via {via}",
        "note": "({note})", "work": "Reference: {name}", "see_entry": "See this entry in the references",
        "types": {"paper": "Papers", "book": "Books", "course": "Courses", "software": "Software and code",
                  "web": "Web pages and articles", "news": "News and announcements"},
        "categories": {"biography": "biography", "attribution": "attribution", "link": "link", "image": "image",
                       "formula": "formula", "code": "code", "reference": "reference", "other": "other"},
        "download": "Download this notebook ({name})",
        "run_it": ("It imports code from the repository's <code>snippets/</code>, so run it inside the repository: "
                   "set up the environment as the README says, keep it under <code>docs/en/notebooks/</code>, and "
                   "run <code>{command}</code> from the repository root; it executes every cell again and writes "
                   "the outputs back."),
    },
}
LANGUAGES = tuple(WORDS)
_language = ["zh"]


def language_of(config):
    """'en' or 'zh', from the build's theme.language."""
    return "en" if str(config["theme"]["language"]).startswith("en") else "zh"


def use(config):
    """Speak the language of this build (each hook's on_pre_build calls it)."""
    _language[0] = language_of(config)


def language():
    return _language[0]


def say(key, **values):
    """A label in the build's language; `values` fill its {placeholders}."""
    word = WORDS[_language[0]][key]
    return word.format(**values) if values else word


def field_name(name):
    """The data field holding `name` in the build's language: why, or why_en."""
    return name if _language[0] == "zh" else f"{name}_{_language[0]}"


def field(entry, name, where=""):
    """entry[name] in the build's language; a PluginError naming `where` if an English one is missing."""
    key = field_name(name)
    value = entry.get(key)
    if value is None and entry.get(name) is not None:
        raise PluginError(f"{where}: '{key}' is missing: the {_language[0]} edition shows this entry's '{name}' "
                          f"in its own language; add '{key}' beside '{name}'")
    return value


def optional(entry, name):
    """entry[name], or its own-language version (name_en) where the data gives one: a title or a
    venue that is written in Chinese, a label such as 「PyTorch 文档」."""
    return entry.get(field_name(name)) or entry[name]
