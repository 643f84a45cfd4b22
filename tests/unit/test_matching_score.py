from __future__ import annotations

from claims_db.matching import Matcher
from claims_db.matching.analyze import Analysis, analyze
from claims_db.matching.normalize import normalize
from claims_db.matching.score import Evidence, claim_facts, score
from claims_db.models import Attribution, Claim, Status, Verdict


def a(text: str) -> Analysis:
    return analyze(normalize(text))


def idf(term: str) -> float:
    return 1.0


def ev(message: str, *texts: str) -> Evidence:
    return score(a(message), [a(t) for t in texts], idf=idf)


IRAN = ("Iran supplied ballistic missiles to Russia", "Tehran sent ballistic missiles to Moscow")


def verdict(message: str, *texts: str) -> Verdict:
    """The whole matcher's verdict for a store holding one claim with these texts."""
    claim = Claim(
        id="c-1",
        statement=texts[0],
        status=Status.ALLEGED,
        attributions=(Attribution(actor="Someone"),),
        paraphrases=texts[1:],
    )
    return Matcher([claim]).check(message).verdict


def test_the_same_claim_in_other_words_scores_high() -> None:
    hit = ev("the Islamic Republic shipped ballistic rockets to the Kremlin", *IRAN)
    assert hit.score > 0.85 and not hit.conflict and not hit.missing
    assert "Kremlin→Russia" in hit.why() and "rockets" in hit.why()


def test_similar_words_that_say_the_opposite_score_lower() -> None:
    flat = ev("the earth is flat", "The earth is flat")
    round_ = ev("the earth is round", "The earth is flat")
    assert flat.score > 0.95
    assert round_.score < 0.75
    assert verdict("the earth is round", "The earth is flat") is not Verdict.MATCH


def test_reversed_direction_conflicts() -> None:
    swap = ev("Russia supplied ballistic missiles to Iran", *IRAN)
    assert swap.roles_reversed and swap.conflict
    assert swap.score < ev("Iran supplied ballistic missiles to Russia", *IRAN).score / 1.8
    assert "reversed" in swap.why()


def test_another_actor_in_place_of_the_claims_conflicts() -> None:
    swap = ev("North Korea supplied ballistic missiles to Russia", *IRAN)
    assert swap.substituted == ("north-korea",) and swap.missing == ("iran",) and swap.conflict
    assert "North Korea instead of Iran" in swap.why()


def test_a_missing_party_is_not_a_confident_match() -> None:
    partial = ev("someone supplied ballistic missiles to Russia", *IRAN)
    assert partial.missing == ("iran",) and not partial.conflict
    assert verdict("someone supplied ballistic missiles to Russia", *IRAN) is not Verdict.MATCH


def test_doer_swap_without_transfer_verb() -> None:
    claim = "Russia deported thousands of Ukrainian children"
    assert ev("Ukraine deported thousands of Russian children", claim).roles_reversed
    assert not ev("Russia deported thousands of Ukrainian children", claim).roles_reversed


def test_a_message_adding_a_party_as_giver_is_not_confident() -> None:
    hit = ev("France gave Ukraine F-16 jets", "Ukraine received its first F-16 jets")
    assert hit.extra == ("france",)
    assert (
        verdict("France gave Ukraine F-16 jets", "Ukraine received its first F-16 jets") is not Verdict.MATCH
    )


def test_claim_among_chatter_still_scores() -> None:
    long = ev(
        "lol what a week. my cat knocked my coffee over. anyway iran sent ballistic missiles to russia. "
        "pizza later?",
        *IRAN,
    )
    assert long.score > 0.7 and not long.conflict


def test_best_text_of_the_claim_counts() -> None:
    hit = ev("Tehran sent ballistic missiles to Moscow", *IRAN)
    assert hit.text == 1


def test_facts_cover_every_text() -> None:
    facts = claim_facts([a(t) for t in IRAN])
    assert (
        facts.entities == {"iran", "russia"} and facts.actors == {"iran"} and facts.recipients == {"russia"}
    )


def test_a_short_message_adding_a_party_is_not_confident() -> None:
    claim = "Acme Holdings sold wind turbines to Norway"
    assert verdict("Acme Holdings sold wind turbines to Norway", claim) is Verdict.MATCH
    assert verdict("Acme Holdings sold wind turbines to Norway and Sweden", claim) is not Verdict.MATCH


def test_a_place_the_claim_names_in_passing_is_not_matched_when_replaced() -> None:
    claim = "A bakery in Colorado sells bread baked with hemp flour"
    assert verdict("a bakery in colorado sells bread baked with hemp flour", claim) is Verdict.MATCH
    assert verdict("A bakery in Santa Fe sells bread baked with hemp flour", claim) is not Verdict.MATCH
