"""An approximate nearest-neighbour index over the semantic index's rows (optional: ``usearch``).

The exact search is one matrix-vector product over every row: about 1 ms at 14k claims, tens of
milliseconds at a million. An operator with a store that large can set ``CLAIMBOT_ANN=usearch``
(and install the ``ann`` extra): a usearch HNSW graph over the same unit rows, cosine metric, the
vectors held in float16, then names the candidate claims and their cosines are taken exactly from
the float32 matrix. Below ``CLAIMBOT_ANN_MIN_CLAIMS`` claims (default ``DEFAULT_MIN_CLAIMS``)
exact search is used anyway: it is exact and fast enough there, and the graph costs minutes to
build. The numbers behind the default are in docs/semantic.md ("Beyond a million claims").
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from claims_db.errors import ClaimsError

__all__ = [
    "DEFAULT_MIN_CLAIMS",
    "ENV_ANN",
    "ENV_ANN_MIN_CLAIMS",
    "AnnIndex",
    "AnnSettings",
    "AnnUnavailable",
    "ann_settings",
]

ENV_ANN = "CLAIMBOT_ANN"
ENV_ANN_MIN_CLAIMS = "CLAIMBOT_ANN_MIN_CLAIMS"
KINDS = ("off", "usearch")
# At 100k synthetic claims the graph took 68-87 s to build and found 90-99% of the exact top 10, while an
# exact search took 27 ms (p50) on one loaded core (a tenth of the 1M product, which benchmarks.md
# measured at 49-56 ms on a quieter one): the graph pays only where exact search is slower than
# /check's budget, so below this the matrix is used (docs/semantic.md, "Beyond a million claims").
DEFAULT_MIN_CLAIMS = 200_000
# Graph parameters: usearch's default connectivity; a smaller build expansion than its default
# (128) builds in half the time. A search expansion of 256 (usearch's default is 64) found 98.9% of
# the exact top 10 at 100k synthetic claims, against 90.3% with 64, for 3.5 ms instead of 1.7 (p50).
CONNECTIVITY = 16
EXPANSION_ADD = 40
EXPANSION_SEARCH = 256
DTYPE = "f16"


class AnnUnavailable(ClaimsError):
    """The approximate index was asked for and cannot be used; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class AnnSettings:
    """Whether to search with an approximate index, and from how many claims on.

    ``kind`` is ``off`` or ``usearch``; with ``usearch`` a store of ``min_claims`` claims or more
    gets a graph, a smaller one is searched exactly.
    """

    kind: str = "off"
    min_claims: int = DEFAULT_MIN_CLAIMS

    @property
    def enabled(self) -> bool:
        return self.kind != "off"

    def wanted(self, claims: int) -> bool:
        """Whether a store of this many claims gets a graph."""
        return self.enabled and claims >= self.min_claims

    def describe(self, claims: int) -> str:
        """What ``claimbot doctor`` says about a store of this many claims."""
        if not self.enabled:
            return f"off (exact search; {ENV_ANN}=usearch turns it on)"
        if self.wanted(claims):
            return f"on ({self.kind}, for stores of {self.min_claims:,} claims or more)"
        return (
            f"{self.kind} asked for, not used: {claims:,} claims are fewer than "
            f"{ENV_ANN_MIN_CLAIMS}={self.min_claims:,} (exact search)"
        )


def ann_settings(environ: Mapping[str, str] | None = None) -> AnnSettings:
    """The settings ``CLAIMBOT_ANN`` and ``CLAIMBOT_ANN_MIN_CLAIMS`` ask for.

    Raises
    ------
    AnnUnavailable
        When a value is not understood, or ``usearch`` is asked for and not installed.
    """
    env = os.environ if environ is None else environ
    kind = env.get(ENV_ANN, "").strip().lower() or "off"
    if kind in {"0", "false", "no", "none"}:
        kind = "off"
    if kind not in KINDS:
        raise AnnUnavailable(f"{ENV_ANN}={kind!r} is not understood: use one of {', '.join(KINDS)}")
    raw = env.get(ENV_ANN_MIN_CLAIMS, "").strip().replace("_", "")
    try:
        min_claims = int(raw) if raw else DEFAULT_MIN_CLAIMS
    except ValueError:
        raise AnnUnavailable(f"{ENV_ANN_MIN_CLAIMS}={raw!r} is not a whole number of claims") from None
    if min_claims < 0:
        raise AnnUnavailable(f"{ENV_ANN_MIN_CLAIMS} must not be negative (got {min_claims})")
    if kind == "usearch" and importlib.util.find_spec("usearch") is None:
        raise AnnUnavailable(
            f"{ENV_ANN}=usearch needs the usearch package: pip install 'claimbot[ann]' (or unset {ENV_ANN})"
        )
    return AnnSettings(kind, min_claims)


def _usearch_index() -> Any:
    try:
        from usearch.index import Index
    except ImportError as exc:
        raise AnnUnavailable(
            f"{ENV_ANN}=usearch needs the usearch package: pip install 'claimbot[ann]'"
        ) from exc
    return Index


class AnnIndex:
    """An HNSW graph over unit rows grouped by claim (claim ``i`` owns rows ``starts[i]`` up to
    ``starts[i + 1]``); immutable once built, like the snapshot that holds it.

    Parameters
    ----------
    matrix
        The rows, float32 unit vectors, ``(rows, dim)``.
    starts
        The first row of each claim, increasing, ``starts[0] == 0``.
    threads
        Threads to build with (0: all cores).
    """

    def __init__(self, matrix: np.ndarray, starts: np.ndarray, *, threads: int = 0) -> None:
        index_type = _usearch_index()
        self.rows = int(matrix.shape[0])
        self.claims = len(starts)
        self._starts = np.asarray(starts, dtype=np.int64)
        self._index = index_type(
            ndim=int(matrix.shape[1]),
            metric="cos",
            dtype=DTYPE,
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
            expansion_search=EXPANSION_SEARCH,
        )
        if self.rows:
            self._index.add(np.arange(self.rows, dtype=np.uint64), matrix, threads=threads)

    def __len__(self) -> int:
        return self.claims

    @property
    def memory_bytes(self) -> int:
        """What the graph and its float16 vectors take (the float32 matrix is not counted)."""
        return int(self._index.memory_usage)

    def nearest_claims(self, query: np.ndarray, k: int) -> np.ndarray:
        """Positions of (about) the ``k`` claims whose best row is nearest the query, nearest
        first, each once. Rows are asked for in proportion to the rows per claim, and more until
        ``k`` distinct claims are found or every row was asked for."""
        if not self.rows or k <= 0:
            return np.zeros(0, dtype=np.int64)
        k = min(k, self.claims)
        per_claim = self.rows / self.claims
        count = min(self.rows, max(2 * k, int(np.ceil(2 * k * per_claim))))
        while True:
            found = self._index.search(query, count, threads=1)
            rows = np.asarray(found.keys, dtype=np.int64)
            owners = np.searchsorted(self._starts, rows, side="right") - 1
            _, first = np.unique(owners, return_index=True)  # rows come nearest first
            claims = owners[np.sort(first)]
            if len(claims) >= k or count >= self.rows:
                return claims[:k]
            count = min(self.rows, count * 2)
