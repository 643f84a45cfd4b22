from __future__ import annotations

import pytest

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


def test_a_short_message_missing_a_near_misss_share_of_the_claim_is_read_through_its_typos(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """However well it scores as written, a short message in which a near miss's share of the
    claim's words is misspelt is tried again as the store spells them: as written it would read as
    a near miss ("words of the claim are replaced by others")."""
    import claims_db.matching as matching

    monkeypatch.setattr(matching, "TYPO_RETRY_BELOW", 0.0)  # no retry for a low score: this rule alone
    claim = Claim(
        id="pellacor-jets",
        statement="Pellacor Airways ordered twelve widebody jets from Damsel Aerospace",
        status=Status.ALLEGED,
        attributions=(Attribution(actor="Pellacor Airways"),),
    )
    text = "pellacorr airways orderd twelve widebody jets from damsel aerospce"
    first = Matcher([claim], typos=False).scored(text, limit=1)[0]
    assert first.evidence.recall <= 0.7 and first.near_in_words  # the case this is about
    best = Matcher([claim]).scored(text, limit=1)[0]
    assert best.evidence.recall == 1.0 and not best.near_in_words
    # a long message is not tried again for its missing words alone: a tweet says much besides
    chatter = text + " and then we went to the beach for the whole weekend with the kids and dogs"
    assert Matcher([claim]).scored(chatter, limit=1)[0].evidence.recall < 1.0
