"""hooks/words.py: which language a build speaks, its labels, and a data field in that language
(with the error an English page gets for a field written only in Chinese)."""
import re

import pytest
from mkdocs.exceptions import PluginError

import words


@pytest.fixture(autouse=True)
def chinese(monkeypatch):
    """Each test starts in the Chinese edition, as a build does before use(config)."""
    monkeypatch.setattr(words, "_language", ["zh"])


def config(language):
    return {"theme": {"language": language}}


class Language:
    """What mkdocs gives as theme.language is not always a str (the theme's config holds it)."""

    def __init__(self, code):
        self.code = code

    def __str__(self):
        return self.code


def test_an_english_theme_language_makes_an_english_build_and_any_other_a_chinese_one():
    assert words.language_of(config("en")) == "en"
    assert words.language_of(config("en-GB")) == "en"
    assert words.language_of(config(Language("en"))) == "en"
    assert words.language_of(config("zh")) == "zh"
    assert words.language_of(config("fr")) == "zh"


def test_use_makes_the_build_speak_its_configs_language():
    assert words.language() == "zh"
    words.use(config("en"))
    assert words.language() == "en"
    assert words.say("correction") == "Correction"
    words.use(config("zh"))
    assert words.language() == "zh"
    assert words.say("correction") == "更正"


def test_a_label_fills_its_placeholders_in_the_builds_language():
    assert words.say("page_index", n=3) == "本页对原文的 3 处更正"
    assert words.say("label_year", name="Vaswani 等", year=2017) == "Vaswani 等，2017"
    words.use(config("en"))
    assert words.say("page_index", n=3) == "3 corrections to the original on this page"


def test_a_label_asked_without_values_is_given_as_written():
    # format() is called only with values: asked bare, a label with placeholders keeps them (and does
    # not fail for want of them).
    assert words.say("label_year") == "{name}，{year}"
    assert words.say("types")["paper"] == "论文"


def test_both_editions_have_the_same_labels_with_the_same_placeholders():
    def placeholders(value):
        return sorted(re.findall(r"\{(\w+)\}", str(value)))

    zh, en = words.WORDS["zh"], words.WORDS["en"]
    assert words.LANGUAGES == ("zh", "en")
    assert zh.keys() == en.keys()
    assert {key: placeholders(value) for key, value in zh.items()} == {key: placeholders(value) for key, value in en.items()}
    assert zh["types"].keys() == en["types"].keys()
    assert zh["categories"].keys() == en["categories"].keys()


def test_the_data_field_of_a_language_is_the_name_or_the_name_with_its_code():
    assert words.field_name("why") == "why"
    words.use(config("en"))
    assert words.field_name("why") == "why_en"


def test_a_field_is_read_in_the_builds_language():
    entry = {"why": "理由", "why_en": "Reason"}

    assert words.field(entry, "why") == "理由"
    words.use(config("en"))
    assert words.field(entry, "why") == "Reason"


def test_an_absent_field_is_none_in_either_language():
    assert words.field({}, "note") is None
    words.use(config("en"))
    assert words.field({}, "note") is None
    assert words.field({"note": None}, "note") is None


def test_an_empty_english_field_is_given_as_it_is_not_refused():
    words.use(config("en"))

    assert words.field({"note": "注", "note_en": ""}, "note") == ""


def test_a_field_missing_in_english_is_refused_naming_where_and_the_fix():
    words.use(config("en"))

    with pytest.raises(PluginError) as caught:
        words.field({"why": "理由"}, "why", "docs/corrections.yml:12: correction 'x'")

    assert str(caught.value) == ("docs/corrections.yml:12: correction 'x': 'why_en' is missing: the en edition shows this entry's "
                                 "'why' in its own language; add 'why_en' beside 'why'")


def test_an_optional_field_falls_back_to_the_one_written():
    entry = {"title": "注意力", "title_en": "Attention"}

    assert words.optional(entry, "title") == "注意力"
    assert words.optional({"title": "T"}, "title") == "T"
    words.use(config("en"))
    assert words.optional(entry, "title") == "Attention"
    assert words.optional({"title": "T"}, "title") == "T"
    assert words.optional({"title": "T", "title_en": ""}, "title") == "T"


def test_a_field_missing_in_english_with_no_place_given_names_none():
    # Every hook passes the entry's file:line; without one the message names no invented place.
    words.use(config("en"))

    with pytest.raises(PluginError) as caught:
        words.field({"note": "注"}, "note")

    assert str(caught.value).startswith(": 'note_en' is missing: ")
