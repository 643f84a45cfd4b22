"""Stored vectors: written with the claim, loaded instead of encoded, dropped on retraction,
followed across processes, and a model change explained."""

from __future__ import annotations

import dataclasses
import json
import logging

import numpy as np
import pytest

from claims_db.models import Verdict
from claims_db.semantic.index import claim_texts
from claims_db.semantic.vectors import text_hash
from claims_db.service import ClaimService
from claims_db.store import open_store
from tests.conftest import claim_dict
from tests.semantic.conftest import FIXTURE_CLAIMS, CountingEncoder


async def _rows(service: ClaimService, claim_id: str) -> dict[str, tuple[str, str, int]]:
    return {r.text_hash: (r.model, r.checksum, r.dim) for r in await service.store.get_vectors([claim_id])}


async def test_an_added_claim_stores_one_vector_per_text_with_its_model(
    service: ClaimService, counting: CountingEncoder
) -> None:
    await service.ensure_index()
    new = claim_dict(
        "china-shells",
        statement="China sold artillery shells to Russia",
        paraphrases=["Beijing shipped shells to Moscow"],
    )
    claim = await service.add(new, actor="test")
    info = counting.info
    rows = await _rows(service, claim.id)
    assert rows == {text_hash(t): (info.name, info.checksum, info.dim) for t in claim_texts(claim)}
    assert len(rows) == 2
    [stored] = [
        r for r in await service.store.get_vectors([claim.id]) if r.text_hash == text_hash(claim.statement)
    ]
    expected = counting.inner.encode([claim.statement])[0]
    assert np.allclose(stored.array(), expected, atol=1e-5)
    outcome = await service.check("Beijing shipped artillery shells to Moscow")
    assert outcome.result.matches[0].claim_id == "china-shells"


async def test_an_edit_replaces_the_vectors_of_changed_texts(service: ClaimService) -> None:
    await service.ensure_index()
    await service.add(claim_dict("china-shells", statement="China sold artillery shells to Russia",
                                 paraphrases=[]), actor="test")  # fmt: skip
    await service.add_paraphrase("china-shells", "Beijing shipped shells to Moscow", actor="test")
    assert set(await _rows(service, "china-shells")) == {
        text_hash("China sold artillery shells to Russia"),
        text_hash("Beijing shipped shells to Moscow"),
    }
    await service.edit("china-shells", {"statement": "China sold drones to Russia"}, actor="test")
    assert set(await _rows(service, "china-shells")) == {
        text_hash("China sold drones to Russia"),
        text_hash("Beijing shipped shells to Moscow"),
    }
    index = service._semantic
    assert index is not None
    query = index.encode_query("China sold drones to Russia")
    assert index.similarity(query, ["china-shells"])["china-shells"] > 0.99


async def test_a_retraction_drops_the_vectors_and_a_restore_brings_them_back(service: ClaimService) -> None:
    await service.ensure_index()
    await service.import_claims(json.dumps(FIXTURE_CLAIMS), actor="test")
    assert await _rows(service, "5g-covid")
    await service.retract("5g-covid", "duplicate of another claim", actor="test")
    assert await _rows(service, "5g-covid") == {}
    assert service._semantic is not None and "5g-covid" not in service._semantic
    outcome = await service.check("phone masts are giving people the virus")
    assert all(m.claim_id != "5g-covid" for m in outcome.result.matches)
    await service.restore("5g-covid", actor="test")
    assert set(await _rows(service, "5g-covid")) == {text_hash("5G mobile networks spread the coronavirus")}
    outcome = await service.check("phone masts are giving people the virus")
    assert outcome.result.matches[0].claim_id == "5g-covid"


async def test_an_import_encodes_in_bulk_and_a_reimport_encodes_nothing(
    service: ClaimService, counting: CountingEncoder
) -> None:
    heard: list[tuple[int, int]] = []
    counting.calls = 0
    await service.import_claims(
        json.dumps(FIXTURE_CLAIMS), actor="test", encoding=lambda d, t: heard.append((d, t))
    )
    assert counting.calls == 1  # one call for every text of the file (batched inside)
    assert heard[-1] == (5, 5)
    counting.calls = 0
    await service.import_claims(json.dumps(FIXTURE_CLAIMS), actor="test")
    assert counting.calls == 0


async def test_start_up_loads_stored_vectors_without_encoding(db_url: str, counting: CountingEncoder) -> None:
    async with open_store(db_url) as store:
        first = ClaimService(store, encoder=counting)
        await first.load(seed_if_empty=True)  # seeding stores the seed claims' vectors
        counting.calls = 0
        counting.texts.clear()
        second = ClaimService(store, encoder=counting)
        count = await second.ensure_index()
        assert count > 50
        assert counting.calls == 0
        assert second._semantic is not None and len(second._semantic) == count
        outcome = await second.check("Tehran sent ballistic missiles to Moscow")
        assert outcome.result.verdict is Verdict.MATCH
        assert counting.texts == ["Tehran sent ballistic missiles to Moscow"]  # the message, nothing else


async def test_another_process_change_is_followed_with_its_stored_vectors(
    db_url: str, counting: CountingEncoder
) -> None:
    async with open_store(db_url) as store_a, open_store(db_url) as store_b:
        writer = ClaimService(store_a, encoder=counting)
        await writer.load()
        other = CountingEncoder(counting.inner)
        follower = ClaimService(store_b, encoder=other, refresh_interval=0)
        await follower.ensure_index()
        await writer.import_claims(json.dumps(FIXTURE_CLAIMS), actor="test")
        await writer.edit("5g-covid", {"statement": "5G phone masts spread the coronavirus"}, actor="test")
        await writer.retract("dominion-votes", "not sourced", actor="test")
        other.calls = 0
        assert await follower.refresh() == 5
        assert other.calls == 0  # loaded what the writer stored
        index = follower._semantic
        assert index is not None and "dominion-votes" not in index and "5g-covid" in index
        query = index.encode_query("5G phone masts spread the coronavirus")
        assert index.similarity(query, ["5g-covid"])["5g-covid"] > 0.99
        outcome = await follower.check("phone masts are giving people the virus")
        assert outcome.result.matches[0].claim_id == "5g-covid"


async def test_a_model_change_is_explained_and_the_claims_encoded_until_reindexed(
    db_url: str, counting: CountingEncoder, caplog: pytest.LogCaptureFixture
) -> None:
    old = CountingEncoder(
        counting.inner, dataclasses.replace(counting.info, name="old-model", checksum="0" * 64)
    )
    async with open_store(db_url) as store:
        before = ClaimService(store, encoder=old)
        await before.load()
        await before.import_claims(json.dumps(FIXTURE_CLAIMS), actor="test")

        after = ClaimService(store, encoder=counting)
        status = await after.semantic_status()
        assert (status.current, status.missing, dict(status.stale_models)) == (
            0,
            5,
            {("old-model", "0" * 64): 5},
        )
        assert any("claimbot reindex" in p and "old-model" in p for p in status.problems)
        counting.calls = 0
        with caplog.at_level(logging.WARNING, logger="claims_db.service"):
            await after.ensure_index()
        assert counting.calls == 1  # the five claims, encoded in one go
        assert "old-model" in caplog.text and "run `claimbot reindex`" in caplog.text
        outcome = await after.check("phone masts are giving people the virus")
        assert outcome.result.matches[0].claim_id == "5g-covid"

        assert await after.reindex() == (5, 5, 0)
        status = await after.semantic_status()
        assert (status.current, status.missing, status.stale_models, status.problems) == (5, 0, {}, [])
        counting.calls = 0
        await ClaimService(store, encoder=counting).ensure_index()
        assert counting.calls == 0
