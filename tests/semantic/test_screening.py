"""Watch mode's screening with the semantic tier: what `/check` answers `match` watch mode answers
too, chatter that shares too little with any claim is never encoded, the gate's cut grows with the
store, and a repeated message is encoded once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from claims_db.models import Verdict
from claims_db.semantic.index import SemanticIndex
from claims_db.semantic.prefilter import Prefilter
from claims_db.semantic.tier import ModelEncoder
from claims_db.service import ClaimService
from claims_db.store import open_store
from claims_db.transfer import claim_from_dict
from tests.conftest import claim_dict
from tests.semantic.conftest import CountingEncoder

DATA = Path(__file__).resolve().parent.parent / "data"
# A typo the matcher's speller fixes ("oreshnick"): /check matches it, though the gate reads only the
# words as written.
TYPO = "russia fired an oreshnick at dnipro"


@pytest.fixture
async def seeded(db_url: str, counting: CountingEncoder) -> AsyncIterator[ClaimService]:
    async with open_store(db_url) as store:
        svc = ClaimService(store, encoder=counting, screening=True)
        await svc.load(seed_if_empty=True)
        yield svc


def _lines(name: str) -> list[dict[str, str]]:
    rows = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(raw) for raw in rows if raw.strip()]


async def test_every_match_of_check_is_a_match_in_watch_mode(seeded: ClaimService) -> None:
    matched = {}
    for line in _lines("matchset.jsonl") + _lines("matchset-heldout.jsonl"):
        result = seeded.check_now(line["text"]).result
        if result.verdict is Verdict.MATCH:
            matched[line["text"]] = result.matches[0].claim_id
    assert TYPO in matched and len(matched) > 100
    lost = {}
    for text, claim_id in matched.items():
        watched = seeded.check_now(text, screen=True).result
        if watched.verdict is not Verdict.MATCH or watched.matches[0].claim_id != claim_id:
            lost[text] = str(watched.verdict)
    assert lost == {}


async def test_chatter_that_shares_too_little_is_answered_none_unencoded(
    seeded: ClaimService, counting: CountingEncoder
) -> None:
    chatter = [line["text"] for line in _lines("matchset.jsonl") if line["kind"] == "chatter"]
    gate = seeded._prefilter
    assert gate is not None
    screened_out = [text for text in chatter if not gate.passes(text)]
    assert len(screened_out) >= 10
    counting.calls = 0
    for text in screened_out:
        outcome = seeded.check_now(text, screen=True)
        assert outcome.result.verdict is Verdict.NONE and outcome.result.matches == ()
    assert counting.calls == 0


def _store(n: int) -> list[object]:
    # claims of three words each that no other claim has, plus words every claim has
    return [
        claim_from_dict(
            claim_dict(
                f"claim-{i}",
                statement=f"The ministry reported that q{i}alpha q{i}beta q{i}gamma happened",
                paraphrases=[],
                denials=[],
            )
        )
        for i in range(n)
    ]


def test_the_gate_asks_more_of_a_message_the_larger_the_store() -> None:
    small, large = Prefilter(_store(5)), Prefilter(_store(1000))  # type: ignore[arg-type]
    assert small.threshold < large.threshold
    one_word = "so q3alpha is a thing now"
    three_words = "so q3alpha q3beta q3gamma is a thing now"
    # among five claims one word of a single claim singles it out; among a thousand it does not
    assert small.passes(one_word) and not large.passes(one_word)
    assert large.passes(three_words)
    assert not large.passes("the ministry reported that it happened")  # words every claim has
    assert not small.passes("what are we having for dinner")  # nothing shared: never passes


async def test_a_repeated_message_is_encoded_once(seeded: ClaimService, counting: CountingEncoder) -> None:
    counting.calls = 0
    first = seeded.check_now(TYPO, screen=True)
    for _ in range(5):
        again = seeded.check_now(TYPO, screen=True)
        assert again.result == first.result
    seeded.check_now(TYPO)  # /check of the same text takes the kept vector too
    assert counting.calls == 1
    seeded.check_now("iran sent balistic missles to russia", screen=True)
    assert counting.calls == 2


def test_kept_message_vectors_are_bounded(encoder: ModelEncoder) -> None:
    counting = CountingEncoder(encoder)
    index = SemanticIndex(counting, query_cache=2)
    for text in ("one message", "another message", "one message", "a third message", "another message"):
        index.encode_query(text)
    # kept: "one message" and "another message"; "a third" pushed out the least recently used
    # ("another"), which was then encoded again
    assert counting.texts == ["one message", "another message", "a third message", "another message"]


def test_the_encoder_reads_a_post_without_its_links_and_signoff(encoder: ModelEncoder) -> None:
    counting = CountingEncoder(encoder)
    index = SemanticIndex(counting, query_cache=0)
    tweet = "Iran sent missiles to Russia https://t.co/abc — Ann Smith (@asmith) March 7, 2022"
    vector = index.encode_query(tweet)
    index.prime([tweet])
    assert counting.texts == ["Iran sent missiles to Russia Ann Smith"] * 2
    clean = index.encode_query("Iran sent missiles to Russia Ann Smith")
    assert np.allclose(vector, clean, atol=1e-5)
