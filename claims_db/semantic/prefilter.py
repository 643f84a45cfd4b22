"""Watch mode's gate to the semantic tier: a cheap lexical test that a message may be about a claim.

Watch mode reads every message of a channel, and most match nothing. Encoding a message costs
milliseconds; this test costs tens of microseconds. The message's index terms (the matcher's own
``normalize`` and ``analyze``) are looked up in an inverted index of the claims, and each claim
scores the summed IDF (``ln((N + 1) / df)``) of the terms it shares with the message. The message
passes when the best claim's score reaches ``threshold`` times ``ln(N + 1)``, the weight of one
term that a single claim has: in words, it has about as much in common with one claim as one
distinctive word. Scaling by ``ln(N + 1)`` keeps the test alike for a store of three claims and
one of a million.

A message that fails shares almost nothing with any single claim, so words alone could not match
it confidently either; watch mode then stays silent without encoding it. ``/check``, the context
menu and the CLI never use this: they always get the tier.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable

import numpy as np

from claims_db.matching.analyze import analyze
from claims_db.matching.normalize import normalize
from claims_db.models import Claim

__all__ = ["DEFAULT_THRESHOLD", "Prefilter"]

# The highest that lets through every message that words alone confidently match, on the seed
# store's match sets (lowest such message: 1.05), on the three claims of the e2e tests (1.62) and on
# CheckThat! with all 14,231 claims (dev and 600 train tweets: 2.02). benchmarks/semantic_bench.py
# reports the share of chatter that passes and the share of /check's right matches that do.
DEFAULT_THRESHOLD = 1.0


def _terms(claim: Claim) -> frozenset[str]:
    return frozenset(t for text in claim.texts for t in analyze(normalize(text)).index_terms)


class Prefilter:
    """An inverted index of the claims' terms; :meth:`passes` is the gate.

    Parameters
    ----------
    claims
        The claims matched (not retracted).
    threshold
        The share of ``ln(N + 1)`` the best claim's shared IDF must reach.
    """

    def __init__(self, claims: Iterable[Claim] = (), *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._lock = threading.Lock()
        self._slot: dict[str, int] = {}  # claim id -> column of the score vector
        self._terms: list[frozenset[str]] = []  # by slot (empty: free)
        self._free: list[int] = []
        self._postings: dict[str, set[int]] = {}
        self._arrays: dict[str, np.ndarray] = {}  # postings as arrays, made on first use
        self.update(claims)

    def __len__(self) -> int:
        return len(self._slot)

    def update(self, upserts: Iterable[Claim] = (), removals: Iterable[str] = ()) -> None:
        """Add or replace claims, then drop ``removals`` (unknown ids are ignored)."""
        fresh = [(c.id, _terms(c)) for c in upserts]
        with self._lock:
            for claim_id, terms in fresh:
                self._forget(claim_id)
                slot = self._free.pop() if self._free else len(self._terms)
                if slot == len(self._terms):
                    self._terms.append(terms)
                else:
                    self._terms[slot] = terms
                self._slot[claim_id] = slot
                for term in terms:
                    self._postings.setdefault(term, set()).add(slot)
                    self._arrays.pop(term, None)
            for claim_id in removals:
                self._forget(claim_id)

    def _forget(self, claim_id: str) -> None:
        slot = self._slot.pop(claim_id, None)
        if slot is None:
            return
        for term in self._terms[slot]:
            posting = self._postings.get(term)
            if posting is not None:
                posting.discard(slot)
                if not posting:
                    del self._postings[term]
            self._arrays.pop(term, None)
        self._terms[slot] = frozenset()
        self._free.append(slot)

    def _array(self, term: str) -> np.ndarray | None:
        array = self._arrays.get(term)
        if array is None:
            posting = self._postings.get(term)
            if posting is None:
                return None
            array = np.fromiter(posting, dtype=np.int64, count=len(posting))
            self._arrays[term] = array
        return array

    def score(self, text: str) -> float:
        """The best claim's shared IDF, in units of ``ln(N + 1)``."""
        n = len(self._slot)
        if not n:
            return 0.0
        found = []
        with self._lock:
            for term in set(analyze(normalize(text)).index_terms):
                array = self._array(term)
                if array is not None:
                    found.append((array, math.log((n + 1) / len(array))))
            if not found:
                return 0.0
            scores = np.zeros(len(self._terms), dtype=np.float64)
            for array, weight in found:
                scores[array] += weight
        return float(scores.max()) / math.log(n + 1)

    def passes(self, text: str) -> bool:
        """Whether the message is worth the semantic tier."""
        return self.score(text) >= self.threshold
