"""The semantic tier's tests: the real MiniLM encoder, loaded once for the session.

They skip, saying why, where onnxruntime or the model package is not installed (CI installs both,
so they run there). ``CountingEncoder`` wraps the shared encoder to count what gets encoded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from claims_db.semantic.encoder import ModelInfo
from claims_db.semantic.tier import ModelEncoder
from claims_db.service import ClaimService
from claims_db.store import open_store
from tests.conftest import claim_dict


@pytest.fixture(scope="session")
def encoder() -> ModelEncoder:
    pytest.importorskip("onnxruntime", reason="the semantic tier needs onnxruntime (not installed)")
    pytest.importorskip("tokenizers", reason="the semantic tier needs tokenizers (not installed)")
    from claims_db.semantic.tier import resolve_tier

    tier = resolve_tier(enabled=True)
    if tier.encoder is None:
        pytest.skip(f"the semantic tier cannot run here: {tier.reason}")
    return tier.encoder


class CountingEncoder:
    """The real encoder, counting calls and texts; ``info`` may be replaced to fake another model."""

    def __init__(self, inner: ModelEncoder, info: ModelInfo | None = None) -> None:
        self.inner = inner
        self.info = info or inner.info
        self.calls = 0
        self.texts: list[str] = []

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def dim(self) -> int:
        return self.info.dim

    def encode(self, texts: Sequence[str], *, batch: int = 32, progress: Any = None) -> np.ndarray:
        self.calls += 1
        self.texts += list(texts)
        return self.inner.encode(texts, batch=batch, progress=progress)

    def word_vectors(self, text: str) -> tuple[tuple[str, ...], np.ndarray]:
        """The words in context, as the real encoder gives them (not counted: no sentence encode)."""
        return self.inner.word_vectors(text)  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def counting(encoder: ModelEncoder) -> CountingEncoder:
    return CountingEncoder(encoder)


# A small store for fusion and swaps: the texts share few words with the messages below.
FIXTURE_CLAIMS = [
    claim_dict("ivermectin-covid", statement="Ivermectin cures COVID-19", paraphrases=[], denials=[]),
    claim_dict("5g-covid", statement="5G mobile networks spread the coronavirus", paraphrases=[], denials=[]),
    claim_dict(
        "ecuador-rifles-peru",
        statement="Ecuador sold assault rifles to Peru's army",
        paraphrases=[],
        denials=[],
    ),
    claim_dict(
        "vaccine-microchips",
        statement="COVID-19 vaccines contain microchips to track people",
        paraphrases=[],
        denials=[],
    ),
    claim_dict(
        "dominion-votes",
        statement="Dominion voting machines switched votes in the 2020 US election",
        paraphrases=[],
        denials=[],
    ),
]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/claims.db"


@pytest.fixture
async def service(db_url: str, counting: CountingEncoder) -> AsyncIterator[ClaimService]:
    async with open_store(db_url) as store:
        svc = ClaimService(store, encoder=counting, screening=True)
        await svc.load()
        yield svc
