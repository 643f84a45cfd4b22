"""The semantic tier's vector rows, on every store (SQLite, and PostgreSQL when reachable).

The vectors here are made up (no encoder needed): what is checked is that each write stores,
replaces or drops exactly the rows of the texts it writes, in the same transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import numpy as np
import pytest

from claims_db.models import Claim
from claims_db.semantic.encoder import ModelInfo
from claims_db.semantic.vectors import VectorSet, text_hash
from claims_db.store import ClaimStore, open_store
from claims_db.store.base import Write
from claims_db.transfer import claim_from_dict
from tests.conftest import claim_dict

MODEL = ModelInfo(name="test-model", dim=4, checksum="c" * 64, path="/nowhere/model.onnx")


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[ClaimStore]:
    async with open_store(store_url) as s:
        yield s


def claim(claim_id: str, statement: str, *paraphrases: str) -> Claim:
    return claim_from_dict(claim_dict(claim_id, statement=statement, paraphrases=list(paraphrases)))


def vectors(*texts: str) -> VectorSet:
    rng = np.random.default_rng(len(texts))
    return VectorSet(MODEL, {text_hash(t): rng.standard_normal(4).astype(np.float32) for t in texts})


async def rows(store: ClaimStore, claim_id: str) -> dict[str, Any]:
    return {r.text_hash: r for r in await store.get_vectors([claim_id])}


async def test_a_claim_is_stored_with_one_row_per_text_and_its_model(store: ClaimStore) -> None:
    c = claim("claim-one", "China sold artillery shells to Russia", "Beijing shipped shells to Moscow")
    given = vectors(*c.texts)
    await store.add(c, actor="test", vectors=given)
    found = await rows(store, "claim-one")
    assert set(found) == {text_hash(t) for t in c.texts}
    for key, row in found.items():
        assert (row.claim_id, row.model, row.dim, row.checksum) == ("claim-one", "test-model", 4, "c" * 64)
        assert np.array_equal(row.array(), given.by_hash[key])
    counted = await store.get_vectors(["claim-one"], data=False)
    assert [r.vector for r in counted] == [b"", b""]


async def test_an_update_replaces_the_rows_of_the_claims_texts(store: ClaimStore) -> None:
    await store.add(claim("claim-one", "China sold artillery shells to Russia"), actor="test",
                    vectors=vectors("China sold artillery shells to Russia"))  # fmt: skip
    new = "China sold drones to Russia"
    updated = await store.update(
        "claim-one", lambda c: claim("claim-one", new), actor="test", vectors=vectors(new)
    )
    assert updated.statement == new
    assert set(await rows(store, "claim-one")) == {text_hash(new)}


async def test_a_retraction_drops_the_rows_and_listing_all_skips_retracted_claims(store: ClaimStore) -> None:
    for cid in ("claim-one", "claim-two"):
        text = f"Claim {cid[-3:]} says something about missiles"
        await store.add(claim(cid, text), actor="test", vectors=vectors(text))
    await store.retract("claim-one", "not sourced", actor="test")
    assert await rows(store, "claim-one") == {}
    assert {r.claim_id for r in await store.get_vectors()} == {"claim-two"}
    # rows left behind for a retracted claim (another process's late write) are pruned
    await store.put_vectors([claim("claim-one", "Claim c1 says something about missiles")],
                            vectors("Claim c1 says something about missiles"))  # fmt: skip
    assert await rows(store, "claim-one")
    assert await store.prune_vectors() == 1
    assert await rows(store, "claim-one") == {}


async def test_an_import_stores_rows_for_active_claims_and_drops_them_for_retracted_ones(
    store: ClaimStore,
) -> None:
    a, b = claim("claim-a", "Claim a1 about drones"), claim("claim-b", "Claim b1 about tanks")
    await store.add(b, actor="test", vectors=vectors(b.statement))
    given = vectors(a.statement, b.statement)
    writes = [Write(a), Write(b, retracted=True, retracted_reason="withdrawn")]
    await store.import_claims(["claim-a", "claim-b"], lambda existing: writes, actor="test", vectors=given)
    assert set(await rows(store, "claim-a")) == {text_hash(a.statement)}
    assert await rows(store, "claim-b") == {}


async def test_seeding_with_apply_stores_the_rows(store: ClaimStore) -> None:
    seed = [claim(f"seed-{i}", f"Seed claim number {i} about grain") for i in range(3)]
    await store.apply(seed, actor="system:seed", vectors=vectors(*(c.statement for c in seed)))
    assert len(await store.get_vectors()) == 3
