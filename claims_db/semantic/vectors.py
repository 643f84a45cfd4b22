"""Stored vectors: what the store keeps per claim text, and how rows become an index's matrices.

A row is one text of one claim (``text_hash`` is the sha256 of the text) with the model that made
its vector (name, dimension, checksum). Rows are *current* for an encoder when name and checksum
agree and the text is still one of the claim's texts; a claim's vectors are usable only when every
text has a current row, otherwise the claim is encoded again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from claims_db.models import Claim
from claims_db.semantic.encoder import ModelInfo
from claims_db.semantic.index import claim_texts

__all__ = ["StoredVector", "VectorSet", "text_hash", "usable_vectors"]


def text_hash(text: str) -> str:
    """The key of a text's vector: its sha256 (hex)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredVector:
    """One row of the ``claim_vectors`` table."""

    claim_id: str
    text_hash: str
    model: str
    dim: int
    checksum: str
    vector: bytes  # ``dim`` float32, little-endian

    def array(self) -> np.ndarray:
        return np.frombuffer(self.vector, dtype="<f4").astype(np.float32, copy=False)

    def made_by(self, model: ModelInfo) -> bool:
        return self.model == model.name and self.checksum == model.checksum and self.dim == model.dim


@dataclass(frozen=True)
class VectorSet:
    """Vectors made by one model, by text hash: what a write stores beside the claims it writes."""

    model: ModelInfo
    by_hash: Mapping[str, np.ndarray]

    @classmethod
    def from_claims(
        cls, model: ModelInfo, vectors: Mapping[str, np.ndarray], claims: Iterable[Claim]
    ) -> VectorSet:
        """From an index's per-claim matrices (rows in ``claim_texts`` order)."""
        by_hash: dict[str, np.ndarray] = {}
        for claim in claims:
            rows = vectors.get(claim.id)
            if rows is None:
                continue
            for text, row in zip(claim_texts(claim), rows, strict=True):
                by_hash[text_hash(text)] = row
        return cls(model, by_hash)

    def rows(self, claim: Claim) -> list[StoredVector]:
        """The rows to store for a claim: one per text this set has a vector for."""
        out = []
        for text in claim_texts(claim):
            key = text_hash(text)
            vector = self.by_hash.get(key)
            if vector is not None:
                data = np.asarray(vector, dtype="<f4").tobytes()
                out.append(
                    StoredVector(claim.id, key, self.model.name, self.model.dim, self.model.checksum, data)
                )
        return out

    def matrix(self, claim: Claim) -> np.ndarray | None:
        """The claim's vectors in ``claim_texts`` order, or None when a text has none here."""
        keys = [text_hash(t) for t in claim_texts(claim)]
        if not all(k in self.by_hash for k in keys):
            return None
        if not keys:
            return np.zeros((0, self.model.dim), dtype=np.float32)
        return np.stack([self.by_hash[k] for k in keys]).astype(np.float32, copy=False)


@dataclass(frozen=True)
class Usable:
    """Stored rows sorted out against the claims and the encoder in use."""

    vectors: dict[str, np.ndarray]  # claim id -> matrix, for claims whose every text is current
    missing: tuple[str, ...]  # claims with a text that has no current row
    stale_models: Mapping[tuple[str, str], int]  # (model, checksum) of rows another model made -> count


def usable_vectors(rows: Iterable[StoredVector], claims: Sequence[Claim], model: ModelInfo) -> Usable:
    """Which claims can use stored vectors as they are, which need encoding, and which other models
    the stored rows came from (a model change)."""
    by_claim: dict[str, dict[str, StoredVector]] = {}
    stale: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.made_by(model):
            by_claim.setdefault(row.claim_id, {})[row.text_hash] = row
        else:
            stale[(row.model, row.checksum)] = stale.get((row.model, row.checksum), 0) + 1
    vectors: dict[str, np.ndarray] = {}
    missing: list[str] = []
    for claim in claims:
        own = by_claim.get(claim.id, {})
        keys = [text_hash(t) for t in claim_texts(claim)]
        if keys and all(k in own for k in keys):
            data = b"".join(own[k].vector for k in keys)
            vectors[claim.id] = np.frombuffer(data, dtype="<f4").reshape(len(keys), model.dim)
        else:
            missing.append(claim.id)
    return Usable(vectors, tuple(missing), stale)
