"""The Matcher as a whole: its interface, updates while checking, and the targets on the match set."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest

from claims_db.matching import Matcher, Thresholds
from claims_db.models import Attribution, Claim, Framing, Status, Verdict

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "claims_db" / "data" / "seed_claims.json"
MATCHSET = ROOT / "tests" / "data" / "matchset.jsonl"
HELDOUT = ROOT / "tests" / "data" / "matchset-heldout.jsonl"
US = (Attribution(actor="United States", verb="alleges"),)


def claim(id: str, statement: str, *paraphrases: str) -> Claim:
    return Claim(id=id, statement=statement, status=Status.ALLEGED, attributions=US, paraphrases=paraphrases)


SMALL = [
    claim(
        "iran-srbm-russia",
        "Iran supplied short-range ballistic missiles to Russia for use in Ukraine",
        "Tehran sent ballistic missiles to Moscow",
    ),
    claim(
        "iran-drones-russia",
        "Iran supplied Shahed attack drones to Russia",
        "Tehran gave Moscow kamikaze drones",
    ),
    claim("nk-shells-russia", "North Korea shipped millions of artillery shells to Russia"),
    claim("flat-earth", "The earth is flat"),
]


@pytest.fixture
def matcher() -> Matcher:
    return Matcher(SMALL)


def test_interface(matcher: Matcher) -> None:
    assert len(matcher) == 4 and "flat-earth" in matcher and "nope" not in matcher and 3 not in matcher
    assert isinstance(matcher.thresholds, Thresholds)
    result = matcher.check("Tehran sent missiles to Moscow")
    assert result.text == "Tehran sent missiles to Moscow"
    assert result.verdict is Verdict.MATCH and result.framing is Framing.FACT
    assert result.best is not None and result.best.claim_id == "iran-srbm-russia"
    assert result.best.why.startswith("Tehran→Iran")
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)


def test_always_returns_the_top_candidates_even_without_a_verdict(matcher: Matcher) -> None:
    result = matcher.check("Russia supplied missiles to Iran", limit=2)
    assert result.verdict is not Verdict.MATCH
    assert len(result.matches) == 2
    assert result.matches[0].verdict is result.verdict


def test_nothing_in_common_is_none(matcher: Matcher) -> None:
    result = matcher.check("what a lovely day for a walk")
    assert result.verdict is Verdict.NONE and result.matches == ()
    assert matcher.check("").verdict is Verdict.NONE


def test_questions_and_denials_find_the_claim_and_say_how_it_was_put(matcher: Matcher) -> None:
    q = matcher.check("Did Iran really send ballistic missiles to Russia?")
    assert q.framing is Framing.QUESTION and q.best is not None and q.best.claim_id == "iran-srbm-russia"
    n = matcher.check("Iran never sent ballistic missiles to Russia")
    assert n.framing is Framing.NEGATED and n.best is not None and n.best.claim_id == "iran-srbm-russia"


def test_near_misses_are_not_matches(matcher: Matcher) -> None:
    assert matcher.check("the earth is round").verdict is not Verdict.MATCH
    assert matcher.check("Russia supplied ballistic missiles to Iran").verdict is not Verdict.MATCH
    assert matcher.check("North Korea supplied ballistic missiles to Russia").verdict is not Verdict.MATCH
    assert matcher.check("the earth is flat").verdict is Verdict.MATCH


def test_add_replace_remove(matcher: Matcher) -> None:
    matcher.add(claim("nk-troops-russia", "North Korea sent troops to fight for Russia in Kursk"))
    result = matcher.check("Pyongyang sent soldiers to Kursk")
    assert result.best is not None and result.best.claim_id == "nk-troops-russia"
    matcher.add(claim("flat-earth", "The moon landing was staged"))  # same id: replaced
    assert len(matcher) == 5
    assert matcher.check("the moon landing was staged").verdict is Verdict.MATCH
    assert all(m.claim_id != "flat-earth" for m in matcher.check("the earth is flat").matches)
    matcher.remove("flat-earth")
    matcher.remove("flat-earth")
    assert "flat-earth" not in matcher and len(matcher) == 4


def test_check_many_is_check_on_each(matcher: Matcher) -> None:
    messages = ["Tehran sent missiles to Moscow", "nothing to see", "is the earth flat?"]
    assert matcher.check_many(messages) == [matcher.check(m) for m in messages]


def test_checks_keep_answering_while_claims_change(matcher: Matcher) -> None:
    stop = threading.Event()
    failures: list[object] = []

    def moderate() -> None:
        i = 0
        while not stop.is_set():
            matcher.add(claim(f"extra-{i % 20}", f"Claim number {i % 20} about drones and shells"))
            matcher.remove(f"extra-{(i + 10) % 20}")
            i += 1

    t = threading.Thread(target=moderate)
    t.start()
    try:
        for _ in range(200):
            best = matcher.check("Tehran sent ballistic missiles to Moscow").best
            if best is None or best.claim_id != "iran-srbm-russia":
                failures.append(best)
    finally:
        stop.set()
        t.join()
    assert not failures


def test_matching_does_not_import_discord() -> None:
    import subprocess

    code = "import sys, claims_db.matching; assert 'discord' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# --- the match set -------------------------------------------------------------------------------


def _seed_claims() -> list[Claim]:
    claims = []
    for d in json.loads(SEED.read_text(encoding="utf-8")):
        claims.append(
            Claim(
                id=d["id"],
                statement=d["statement"],
                status=Status(d["status"]),
                attributions=tuple(Attribution(actor=a["actor"]) for a in d["attributions"]),
                paraphrases=tuple(d.get("paraphrases", ())),
            )
        )
    return claims


@pytest.mark.parametrize("path", [MATCHSET, HELDOUT], ids=["calibration", "held-out"])
def test_targets_on_the_match_sets(path: Path) -> None:
    matcher = Matcher(_seed_claims())
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    matchable = [x for x in lines if x["expect"] is not None]
    chatter = [x for x in lines if x["kind"] == "chatter"]
    swaps = [x for x in lines if x["kind"] in ("actor_swap", "direction_swap")]
    results = {x["text"]: matcher.check(x["text"]) for x in lines}

    def top(text: str) -> str | None:
        best = results[text].best
        return best.claim_id if best else None

    top1 = sum(top(x["text"]) == x["expect"] for x in matchable) / len(matchable)
    chatter_matches = [x["text"] for x in chatter if results[x["text"]].verdict is Verdict.MATCH]
    swap_rate = sum(results[x["text"]].verdict is Verdict.MATCH for x in swaps) / len(swaps)
    wrong_confident = [
        x["text"]
        for x in matchable
        if results[x["text"]].verdict is Verdict.MATCH and top(x["text"]) != x["expect"]
    ]
    framing = sum(results[x["text"]].framing.value == x["framing"] for x in lines) / len(lines)
    assert top1 >= 0.95, top1
    assert chatter_matches == []
    assert swap_rate <= 0.05, swap_rate
    assert wrong_confident == []
    assert framing >= 0.90, framing


FRIGATES = [claim("no-frigates", "Norway refused to send frigates to Chile")]


@pytest.mark.parametrize(
    ("message", "adds"),
    [
        # a country or a full name made to act or receive is another proposition
        ("Norway let Argentina send frigates to Chile", True),
        ("Norway let Carlos Mendoza send frigates to Chile", True),
        # capitalised headline words read as a name are no party surely read
        ("Shocking Report: Norway refused to send frigates to Chile", False),
    ],
)
def test_a_short_message_adds_a_party_only_when_the_name_is_surely_read(message: str, adds: bool) -> None:
    (best,) = Matcher(FRIGATES).scored(message, limit=1)
    assert best.adds_party is adds
    assert (best.safe is False) if adds else best.safe


def test_the_predicate_features_weigh_what_is_said_of_the_parties() -> None:
    # the same people, another thing said of them: the names agree, the predicate does not
    matcher = Matcher(
        [claim("pence-iceland", "Mike Pence was greeted by rainbow flags on his visit to Iceland")]
    )
    (same,) = matcher.scored("rainbow flags greeted Mike Pence when he visited Iceland", limit=1)
    (other,) = matcher.scored("Mike Pence was kicked out of Iceland", limit=1)
    assert same.features["predicate_recall"] > 0.6
    assert other.features["predicate_recall"] < 0.2
    assert other.features["predicate_missed"] > same.features["predicate_missed"]


def test_an_embedded_post_with_its_sign_off_is_read_as_a_source_not_a_near_miss() -> None:
    """A claim written about a post describes it in other words ("A photograph shows ..."): the
    post itself, pasted with its "— Name (@handle) date" line, misses a third of the claim's words
    and has as many of its own without saying another thing. The same words as a chat message of
    one's own are a near miss."""
    claim = Claim(
        id="teslin-bear",
        statement="A photograph shows the mayor of Teslin feeding a stray bear in a car park",
        status=Status.ALLEGED,
        attributions=(Attribution(actor="Someone", verb="alleges"),),
    )
    matcher = Matcher([claim])
    said = "Wow the mayor of Teslin is out there feeding a bear by the car park lol"
    posted = matcher.scored(said + " — Dana Kell (@danakell) March 3, 2024")[0]
    chat = matcher.scored(said)[0]
    assert chat.near_in_words and not chat.safe
    assert "words of the claim are replaced by others" in chat.why()
    assert not posted.near_in_words and posted.safe
    assert "replaced" not in posted.why()
