"""Watch mode's gate to the semantic tier: a cheap lexical test that a message may be about a claim.

Watch mode reads every message of a channel, and most match nothing. Encoding a message costs
milliseconds, and so does the matcher's own lexical pass; this test costs tens of microseconds. The
message's index terms (the matcher's own ``normalize`` and ``analyze``) are looked up in an inverted
index of the claims, and each claim scores the summed IDF (``ln((N + 1) / df)``) of the terms it
shares with the message. The message passes when the best claim's score, in units of
``L = ln(N + 1)`` (the weight of one term that a single claim has), reaches ``slope * L``: the
evidence a match needs grows with the store, like ``L`` squared in nats. Singling out one claim
among ``N`` takes about ``log N`` words of the message, each worth about ``log N`` nats; a store of
fifty claims is told apart by one or two words, one of ten thousand is not, and chance overlaps of
everyday words with some claim grow with it (at 10,000 CheckThat! claims three quarters of chat
lines share one distinctive word's worth with some claim; a tenth share ``1.66 L``).

A message that fails shares too little with any single claim for ``/check`` to answer it ``match``
(measured on the data named at :data:`DEFAULT_SLOPE`, with the exceptions given there); watch mode
then stays silent without encoding it. ``/check``, the context menu and the CLI never use this:
they always get the tier.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable

import numpy as np

from claims_db.matching.analyze import analyze
from claims_db.matching.normalize import normalize
from claims_db.models import Claim

__all__ = ["DEFAULT_SLOPE", "Prefilter"]

# Chosen on the messages that /check (semantic tier on) answers `match`, from tuning data only:
# CheckThat! 2022 2A train and dev tweets against all 14,231 claims (lowest: 1.76 L at L = 9.56,
# so a slope of at most 0.184) and tests/data/matchset.jsonl against the seed store (lowest 1.05 L
# at L = 4.0, slope 0.263). Held out, measured by benchmarks/screening_bench.py: the CheckThat! test
# tweets, matchset-heldout.jsonl and the unseen-claims set (lowest slopes 0.198, 0.519 and 0.653);
# of 2,330 generated messages that /check matches, 5 would need less (down to 0.146): fragments of
# truncated claims and a message with two misspelt words (docs/benchmarks.md).
DEFAULT_SLOPE = 0.18


def _terms(claim: Claim) -> frozenset[str]:
    return frozenset(t for text in claim.texts for t in analyze(normalize(text)).index_terms)


class Prefilter:
    """An inverted index of the claims' terms; :meth:`passes` is the gate.

    Parameters
    ----------
    claims
        The claims matched (not retracted).
    slope
        The cut is ``slope * ln(N + 1)`` in units of ``ln(N + 1)`` (see the module's docstring).
    threshold
        A fixed cut in units of ``ln(N + 1)`` instead, whatever the size of the store.
    """

    def __init__(
        self,
        claims: Iterable[Claim] = (),
        *,
        slope: float = DEFAULT_SLOPE,
        threshold: float | None = None,
    ) -> None:
        self.slope = slope
        self._fixed = threshold
        self._lock = threading.Lock()
        self._slot: dict[str, int] = {}  # claim id -> column of the score vector
        self._terms: list[frozenset[str]] = []  # by slot (empty: free)
        self._free: list[int] = []
        self._postings: dict[str, set[int]] = {}
        self._arrays: dict[str, np.ndarray] = {}  # postings as arrays, made on first use
        self.update(claims)

    def __len__(self) -> int:
        return len(self._slot)

    @property
    def threshold(self) -> float:
        """The cut :meth:`passes` applies now, in units of ``ln(N + 1)``."""
        if self._fixed is not None:
            return self._fixed
        return self.slope * math.log(len(self._slot) + 1)

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
        """Whether the message is worth the semantic tier (never when it shares no term)."""
        score = self.score(text)
        return score > 0.0 and score >= self.threshold
