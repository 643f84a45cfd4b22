"""The party reader on messages in Russian, Ukrainian, Arabic, German, French and Spanish.

The names come from the gazetteer (ISO 3166 and CLDR names, tools/build_gazetteer.py), their
inflected forms from the rules of claims_db/matching/inflection.py. No multilingual model needed.
"""

# ruff: noqa: RUF001, RUF003 -- Cyrillic words on purpose

from __future__ import annotations

import pytest

from claims_db.matching import Matcher
from claims_db.matching.lexicon import lexicon
from claims_db.matching.parties import check, read
from claims_db.models import Verdict
from claims_db.service import bundled_claims


def keys(text: str) -> list[str]:
    return [p.key for p in read(text).parties]


@pytest.mark.parametrize(
    "text",
    [
        "Иран передал России ракеты",  # Russian: genitive/dative "России"
        "Россия получила от Ирана баллистические ракеты",
        "Росія отримала від Ірану балістичні ракети",  # Ukrainian
        "إيران أرسلت صواريخ باليستية إلى روسيا",  # Arabic
        "Irán envió misiles balísticos a Rusia",  # Spanish
        "L'Iran a livré des missiles balistiques à la Russie",  # French: elided article
        "Der Iran hat Russlands Armee ballistische Raketen geliefert",  # German: genitive
    ],
)
def test_iran_and_russia_are_found_in_a_message_in_another_language(text: str) -> None:
    found = keys(text)
    assert "iran" in found and "russia" in found, found


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Иранские ракеты у российских военных", "iran"),  # an adjective of the country
        ("Поставки из Соединенных Штатов", "united-states"),  # a name of two declined words
        ("Сполучених Штатів", "united-states"),
        ("وصلت صواريخ للولايات المتحدة", "united-states"),  # "to" + "the" written onto the word
        ("القوات الروسية في أوكرانيا", "russia"),  # the relative adjective "-ية"
        ("Ракеты упали в Киеве", "ukraine"),  # a capital, from CLDR's city names
        ("Die Vereinigten Staaten liefern Waffen an die Ukraine", "united-states"),
    ],
)
def test_declined_names_and_adjectives_name_their_country(text: str, entity: str) -> None:
    assert entity in keys(text)


def test_a_word_that_only_looks_like_a_declined_name_names_nothing() -> None:
    # "мало" (few) is not a form of "Мали" (indeclinable), "куб" (a cube) is not "Куба"
    assert "mali" not in keys("Мало кто об этом знает, говорят в чате")
    assert "cuba" not in keys("Куб льда в стакане, говорят в чате")


@pytest.mark.parametrize(
    "text",
    [
        "A grenade went off near the chili stand",  # French "grenade" (Grenada), "chili" (Chile)
        "iran sent missiles to rusia",  # Spanish "Rusia": misspelt English is read as before
    ],
)
def test_names_in_latin_letters_of_other_languages_are_not_read_in_english(text: str) -> None:
    assert set(keys(text)) <= {"iran"}


def test_english_words_come_back_unchanged() -> None:
    words = ["iran", "sent", "ballistic", "missiles", "to", "russia"]
    assert lexicon().base_forms(words, "en") == words


def test_a_russian_message_names_every_party_of_the_english_claim() -> None:
    claim = ["Iran supplied ballistic missiles to Russia"]
    result = check(claim, "Иран передал России баллистические ракеты")
    assert result.missing == () and result.replaced == ()


def test_a_message_naming_another_country_in_russian_leaves_out_the_claims_party() -> None:
    claim = ["Iran supplied ballistic missiles to Russia"]
    result = check(claim, "Иран передал Китаю баллистические ракеты")
    assert [c.key for c in result.missing] == ["russia"]
    assert [m.key for m in result.extra] == ["china"]


def test_a_swap_in_russian_is_never_a_confident_match_on_words_alone() -> None:
    # the role reader reads English word order: a Russian swap is not read as a reversal, so it
    # must not become a match through parties that now agree
    matcher = Matcher(list(bundled_claims()))
    for text in ("Россия поставляет Ирану ракеты малой дальности", "Rusia entregó misiles a Irán"):
        assert matcher.check(text).verdict is not Verdict.MATCH


def test_normalize_keeps_the_letters_of_other_scripts_and_folds_accents() -> None:
    from claims_db.matching.normalize import normalize

    assert normalize("Китай, Ёлка, Україна") == "китай елка украіна"  # й is a letter; ё, ї fold
    assert normalize("Irán, Türkei, إيران") == "iran turkei ايران"
