"""Watch mode's gate to the semantic tier: a cheap lexical test that a message may be about a claim.

Watch mode reads every message of a channel, and most match nothing. Encoding a message costs
milliseconds; this test costs microseconds: the message's index terms (the matcher's own
``normalize`` and ``analyze``) are looked up in the store's vocabulary, and the message passes when
the terms it shares with the store weigh at least ``threshold`` in IDF (``ln((N + 1) / df)``, so a
term every claim has weighs almost nothing and a rare one a lot). A message that fails has no
word of weight in common with any claim: words alone could not match it confidently either, so
watch mode stays silent without encoding it. ``/check``, the context menu and the CLI never use
this: they always get the tier.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable

from claims_db.matching.analyze import analyze
from claims_db.matching.normalize import normalize
from claims_db.models import Claim

__all__ = ["DEFAULT_THRESHOLD", "Prefilter"]

# Set on the match sets and CheckThat! dev (benchmarks/semantic_bench.py --prefilter): every message
# of the match set that words alone confidently match passes, chatter mostly does not.
DEFAULT_THRESHOLD = 4.0


def _terms(claim: Claim) -> set[str]:
    return {t for text in claim.texts for t in analyze(normalize(text)).index_terms}


class Prefilter:
    """The store's vocabulary with document frequencies; :meth:`passes` is the gate.

    Parameters
    ----------
    claims
        The claims matched (not retracted).
    threshold
        The summed IDF of shared terms a message needs to pass.
    """

    def __init__(self, claims: Iterable[Claim] = (), *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._lock = threading.Lock()
        self._df: Counter[str] = Counter()
        self._terms: dict[str, frozenset[str]] = {}
        self.update(claims)

    def __len__(self) -> int:
        return len(self._terms)

    def update(self, upserts: Iterable[Claim] = (), removals: Iterable[str] = ()) -> None:
        """Add or replace claims, then drop ``removals`` (unknown ids are ignored)."""
        fresh = [(c.id, frozenset(_terms(c))) for c in upserts]
        with self._lock:
            for claim_id, terms in fresh:
                self._forget(claim_id)
                self._terms[claim_id] = terms
                self._df.update(terms)
            for claim_id in removals:
                self._forget(claim_id)

    def _forget(self, claim_id: str) -> None:
        old = self._terms.pop(claim_id, None)
        if old:
            self._df.subtract(old)
            for term in old:
                if self._df[term] <= 0:
                    del self._df[term]

    def weight(self, text: str) -> float:
        """The summed IDF of the message's terms that some claim has."""
        n = len(self._terms)
        df = self._df
        total = 0.0
        for term in set(analyze(normalize(text)).index_terms):
            count = df.get(term, 0)
            if count:
                total += math.log((n + 1) / count)
        return total

    def passes(self, text: str) -> bool:
        """Whether the message is worth the semantic tier."""
        return self.weight(text) >= self.threshold
