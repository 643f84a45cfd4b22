"""A verb of the claim with another in its place: the reader, its WordNet data, and what the matcher
does with it. The claims are about parties no table names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import claims_db.matching as matching
from claims_db.errors import InvalidLexicon
from claims_db.matching import Matcher
from claims_db.matching.predicate import replaced_verb, verb_base
from claims_db.matching.synonyms import forms, load_forms, load_verb_synonyms, load_verbs, verbs
from claims_db.models import Attribution, Claim, Status, Verdict

LICENCE = "The harbour board suspended the trading licence of Ostrava Freight"


def test_past_forms_and_participles_come_back_to_their_verb() -> None:
    assert verb_base("suspended") == "suspend"
    assert verb_base("relocated") == "relocate"
    assert verb_base("banned") == "ban"  # a doubled consonant, from WordNet's list
    assert verb_base("sold") == "sell" and verb_base("fled") == "flee"  # irregular
    assert verb_base("dredging") == "dredge"
    # base and third-person forms are too often nouns to be read as verbs; nouns are no verbs
    assert verb_base("rifles") is None and verb_base("harbour") is None


@pytest.mark.parametrize(
    ("claim", "message", "found"),
    [
        (
            LICENCE,
            "The harbour board renewed the trading licence of Ostrava Freight",
            ("suspended", "renewed"),
        ),
        (
            "Velmora Football Club sold its goalkeeper Ilan Brask to Porto",
            "Velmora Football Club loaned its goalkeeper Ilan Brask to Porto for a year",
            ("sold", "loaned"),
        ),
        (
            "The mayor of Teslin fled to Lisbon after the audit",
            "The mayor of Teslin flew to Lisbon for a summit",
            None,
        ),
    ],
)
def test_another_verb_between_the_claims_words(
    claim: str, message: str, found: tuple[str, str] | None
) -> None:
    # "flew" and "fled" share a sense in WordNet ("fly" is also to flee): a doubt is enough to pass
    assert replaced_verb(claim, message) == found


@pytest.mark.parametrize(
    "message",
    [
        # "freeze" shares a sense with "suspend"
        "The harbour board froze the trading licence of Ostrava Freight",
        # the claim's verb in another form
        "Did the harbour board suspend the trading licence of Ostrava Freight?",
        "The harbour board has suspended the trading licence of Ostrava Freight",
        "The harbour board took the trading licence of Ostrava Freight",  # a light verb says no other thing
        "The harbour board Suspended the trading licence of Ostrava Freight",  # the same word, capitalised
        "The harbour board Closing the trading licence of Ostrava Freight",  # a capital: a name
    ],
)
def test_the_claims_verb_said_otherwise_is_not_replaced(message: str) -> None:
    assert replaced_verb(LICENCE, message) is None


def test_a_verb_another_text_of_the_claim_uses_is_its_own() -> None:
    message = "The harbour board renewed the trading licence of Ostrava Freight"
    other = "Ostrava Freight renewed nothing; the harbour board suspended its licence"
    assert replaced_verb(LICENCE, message, also=(LICENCE, other)) is None


def test_the_packaged_wordnet_data_loads() -> None:
    assert {"ban", "sell", "suspend", "relocate"} <= verbs()
    assert forms()["sold"] == "sell"


def test_the_loaders_name_bad_entries(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.json"
    path.write_text(
        json.dumps({"synonyms": {}, "forms": {"Sold": "sell", "went": "went"}, "verbs": "ban  sell",
                    "verb_synonyms": {"fire": "sack fire"}}),
        encoding="utf-8",
    )  # fmt: skip
    with pytest.raises(InvalidLexicon) as forms_error:
        load_forms(tmp_path)
    assert "forms.Sold" in str(forms_error.value) and "forms.went" in str(forms_error.value)
    with pytest.raises(InvalidLexicon, match="verbs"):
        load_verbs(tmp_path)
    with pytest.raises(InvalidLexicon, match=r"verb_synonyms\.fire"):
        load_verb_synonyms(tmp_path)


def _licence_claim() -> Claim:
    return Claim(
        id="ostrava-licence",
        statement=LICENCE,
        status=Status.ALLEGED,
        attributions=(Attribution(actor="The harbour board", verb="alleges"),),
    )


def test_a_short_message_with_another_verb_is_no_confident_match(monkeypatch: pytest.MonkeyPatch) -> None:
    matcher = Matcher([_licence_claim()])
    message = "The harbour board inspected the trading licence of Ostrava Freight"
    result = matcher.check(message)
    assert result.verdict is Verdict.POSSIBLE
    assert 'says "inspected" where the claim says "suspended"' in result.matches[0].why
    # the claim itself, said with its own verb, is still matched
    restated = "the harbour board suspended the trading licence of ostrava freight"
    assert matcher.check(restated).verdict is Verdict.MATCH
    # without the reading, the same words and parties make the message a confident match
    monkeypatch.setattr(matching, "_REPLACED_VERB", False)
    assert matcher.check(message).verdict is Verdict.MATCH
