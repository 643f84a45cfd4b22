from __future__ import annotations

import pytest

from claims_db.matching.analyze import Role, analyze, entity_term
from claims_db.matching.normalize import normalize


def a(text: str):  # type: ignore[no-untyped-def]
    return analyze(normalize(text))


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Tehran", "iran"),
        ("the Iranian regime", "iran"),
        ("the Islamic Republic", "iran"),
        ("Iran's drones", "iran"),
        ("the Kremlin", "russia"),
        ("Putin", "russia"),
        ("Kim Jong Un", "north-korea"),
        ("the DPRK", "north-korea"),
        ("North Korean troops", "north-korea"),
        ("Kiev", "ukraine"),
        ("Zelensky", "ukraine"),
        ("the White House", "united-states"),
        ("the U.S.", "united-states"),
        ("Blinken", "united-states"),
        ("Xi", "china"),
        ("Downing Street", "united-kingdom"),
        ("Starmer", "united-kingdom"),
    ],
)
def test_aliases_become_canonical_entities(text: str, entity: str) -> None:
    assert a(text).entities == (entity,)
    assert entity_term(entity) in a(text).terms


def test_longest_alias_wins_and_blocked_phrases_name_nothing() -> None:
    assert a("North Korea").entities == ("north-korea",)  # not "korea" or anything shorter
    assert a("the Washington Post reports").entities == ()


def test_pronoun_us_is_not_the_united_states() -> None:
    assert a("tell us more").entities == ()


def test_surfaces_say_which_words_made_each_term() -> None:
    r = a("Tehran sent rockets")
    assert list(zip(r.terms, r.surfaces, strict=True)) == [
        ("@iran", "tehran"),
        ("~supply", "sent"),
        ("~missile", "rockets"),
    ]


def test_stopwords_dropped_and_words_stemmed() -> None:
    assert a("the sanctions were not imposing").terms == ("~sanction", "impos")


@pytest.mark.parametrize(
    ("one", "two"),
    [
        ("missiles", "rockets"),
        ("drones", "UAVs"),
        ("Shahed", "drone"),
        ("supplied", "delivered"),
        ("sent", "transferred"),
        ("armed", "provided"),
        ("sanctions", "penalties"),
    ],
)
def test_domain_synonyms_share_one_term(one: str, two: str) -> None:
    assert a(one).terms == a(two).terms


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Iran supplied missiles to Russia", Role("iran", "russia")),
        ("Russia supplied missiles to Iran", Role("russia", "iran")),
        ("Tehran gave Moscow drones", Role("iran", "russia")),
        ("the Kremlin is arming Tehran with rockets", Role("russia", "iran")),
        ("Russia was armed by the Islamic Republic", Role("iran", "russia")),
        ("Iranian missiles were delivered to Russia", Role("iran", "russia")),
        ("Russia received drones from Iran", Role("iran", "russia")),
        ("Moscow got Shahed drones from Tehran", Role("iran", "russia")),
        ("missile transfers from Tehran to Moscow", Role("iran", "russia")),
        ("did Iran really send missiles to Russia?", Role("iran", "russia")),
    ],
)
def test_roles_around_a_transfer_verb(text: str, role: Role) -> None:
    assert a(text).roles[0] == role


def test_the_giver_is_the_doer_even_when_the_receiver_is_the_subject() -> None:
    assert Role("iran", None, "do") in a("Russia received drones from Iran").roles
    assert Role("iran", None, "do") in a("Iran supplied missiles to Russia").roles


def test_doer_without_a_transfer_verb_skips_speakers() -> None:
    assert a("Ukraine deported Russian children").roles == (Role("ukraine", None, "do"),)
    assert a("Kyiv says Russia deported children").roles == (Role("russia", None, "do"),)
    assert a("MH17 was shot down by a Russian Buk").roles == (Role("russia", None, "do"),)
    assert {r.actor for r in a("Russia and Iran signed a treaty").roles} == {"russia", "iran"}


def test_speakers_are_not_what_is_said() -> None:
    r = a("Blinken says Iran gave Russia missiles")
    assert r.entities == ("iran", "russia") and "@united-states" not in r.terms
    assert a("according to the UK, France and Germany, Iran sent missiles to Russia").entities == (
        "iran",
        "russia",
    )
    # a speaker who goes on about itself stays
    # someone else speaking after the claim does not make its last entity a speaker
    assert a("Iran sent ballistic missiles to Moscow, my friend says").entities == ("iran", "russia")
    assert a("Iran says it sent Russia a few drones").entities == ("iran", "russia")


def test_numbers_written_as_words_or_short_are_numbers() -> None:
    assert a("Pellacor ordered twelve jets").terms == a("pellacor ordered 12 jets").terms
    assert a("thirty jets and a dozen cars").terms == ("30", "jet", "12", "car")
    assert "5000" in a("they hired 5,000 nurses").terms
    assert "1250000" in a("a fine of 1,250,000 euros").terms
    assert "5000" in a("they hired 5k nurses").terms
    assert a("sold for 2bn").terms[-2:] == ("2", "billion")
    assert a("fined 3m").terms[-2:] == ("3", "million")
    # "one" is as often a pronoun; a comma between numbers that are not thousands stays
    assert "one" in a("one of them").terms
    assert a("3,4").terms == ("3", "4")
