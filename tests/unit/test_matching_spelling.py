from __future__ import annotations

from claims_db.matching import Matcher
from claims_db.matching.spelling import Speller
from claims_db.models import Attribution, Claim, Status, Verdict


def test_corrects_unknown_words_to_close_known_ones() -> None:
    speller = Speller(["iran", "sent", "ballistic", "missiles", "to", "russia", "ukraine", "received"])
    assert speller.correct("missles") == "missiles"
    assert speller.correct("balistic") == "ballistic"
    assert speller.correct("ukrane") == "ukraine"
    assert speller.correct("recieved") == "received"
    assert speller.correct_text("iran sent balistic missles") == "iran sent ballistic missiles"


def test_leaves_known_short_and_far_words_alone() -> None:
    speller = Speller(["missiles", "drones"])
    assert speller.correct("missiles") is None
    assert speller.correct("misl") is None  # too short to guess
    assert speller.correct("pizza") is None
    assert speller.correct("m1ssiles") is None
    speller.add(["pizzas"])
    assert speller.correct("pizzass") == "pizzas" and "pizzas" in speller


def test_matcher_finds_a_claim_through_typos() -> None:
    claim = Claim(
        id="iran-srbm-russia",
        statement="Iran supplied short-range ballistic missiles to Russia",
        status=Status.ALLEGED,
        attributions=(Attribution(actor="United States"),),
    )
    matcher = Matcher([claim])
    result = matcher.check("iran suplied balistic missles to russia")
    assert result.best is not None and result.best.claim_id == "iran-srbm-russia"
    assert result.verdict is Verdict.MATCH
    assert (
        Matcher([claim], typos=False).check("iran suplied balistic missles to russia").verdict
        is not Verdict.MATCH
    )
