"""Which language a message is in, and the note that a match was across languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims_db import language
from claims_db.language import CrossLanguage, across, detect
from tests.unit.test_cli import run

FIXTURES = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Tehran sent ballistic missiles to Moscow", "en"),
        ("Говорят, Тегеран отправил Москве ракеты, это правда?", "ru"),
        ("Кажуть, що Тегеран відправив Москві ракети", "uk"),
        ("Der Iran schickt Drohnen nach Russland, das ist bekannt", "de"),
        ("L'Iran envoie des drones à la Russie depuis des mois", "fr"),
        ("¿Es cierto que Irán manda drones a Rusia?", "es"),
        ("إيران ترسل طائرات مسيرة إلى روسيا", "ar"),
    ],
)
def test_each_language_is_told_from_its_script_letters_and_common_words(text: str, code: str) -> None:
    assert detect(text) == code


def test_cyrillic_is_russian_unless_ukrainian_letters_show() -> None:
    assert detect("Москва и Тегеран") == "ru"
    assert detect("Москва \u0456 Тегеран") == "uk"  # the dotted i is Ukrainian only


@pytest.mark.parametrize("text", ["", "12345 !!!", "🚀🚀🚀", "Москва Moscow Москва Moscow", "東京の天気"])
def test_nothing_is_said_about_a_text_that_cannot_be_told(text: str) -> None:
    assert detect(text) is None


def test_across_names_both_languages_and_stays_silent_within_one() -> None:
    claim = "Iran supplied short-range ballistic missiles to Russia"
    found = across("Иран передал России баллистические ракеты", claim)
    assert found == CrossLanguage("ru", "en")
    assert found.note == "matched across languages: Russian → English"
    assert across("Tehran sent ballistic missiles to Moscow", claim) is None
    assert across("12345", claim) is None  # a message of no known language is never "across"
    german = "Der Iran hat Russland Raketen geliefert"
    assert across(german, german) is None


def test_the_language_table_is_data_and_is_checked_when_loaded() -> None:
    table = language.languages()
    assert {"en", "ru", "uk", "de", "fr", "es", "ar"} <= set(table)
    assert table["uk"].name == "Ukrainian" and "ї" in table["uk"].letters
    # one default language per script: two would make the fallback ambiguous
    defaults = [lang.code for lang in table.values() if lang.default]
    assert sorted(defaults) == ["en", "ru"]


def test_a_language_table_with_an_ascii_telling_letter_is_refused() -> None:
    # detect() counts telling letters among a text's non-ASCII characters only
    row = {"name": "Testish", "script": "latin", "words": ["le"], "letters": "q"}
    with pytest.raises(ValueError, match="outside ASCII"):
        language._parse(json.dumps({"languages": {"tt": row}}))
    row["letters"] = "ø"
    assert language._parse(json.dumps({"languages": {"tt": row}}))["tt"].letters == {"ø"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Die Regierung plant Änderungen", "de"),  # a telling letter in a capital, lowered
        ("ungen ungen", "de"),  # a word that is an ending whole still counts half
        ("l'économie", "fr"),  # an elided article and a French letter
        ("the drone was shot down by the army", "en"),
    ],
)
def test_words_endings_and_letters_each_count_for_their_language(text: str, code: str) -> None:
    assert detect(text) == code


def test_english_test_messages_are_never_taken_for_another_language() -> None:
    # the reply would otherwise tell English speakers their match was "across languages"
    for name in ("matchset.jsonl", "matchset-heldout.jsonl"):
        for raw in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
            text = json.loads(raw)["text"]
            assert detect(text) in ("en", None), text


@pytest.mark.lexical
def test_cli_check_says_when_the_message_and_claim_are_in_different_languages(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    assert run("init", db=db).returncode == 0  # the seed claims, in English
    message = "Zelensky bought two luxury yachts with Western aid money, dicen en la tele rusa que es verdad"
    done = run("check", message, db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("A curated claim matches this message.")
    assert done.stdout.rstrip().endswith("(matched across languages: Spanish → English)")
    data = json.loads(run("check", "--json", message, db=db).stdout)
    assert data["matches"][0]["claim_id"] == "zelensky-yachts"
    assert data["across_languages"] == {"message": "es", "claim": "en"}
    same = "Zelensky bought two luxury yachts with aid money"
    english = json.loads(run("check", "--json", same, db=db).stdout)
    assert english["verdict"] == "match" and "across_languages" not in english
    assert "across languages" not in run("check", "Zelensky bought two yachts with aid money", db=db).stdout
