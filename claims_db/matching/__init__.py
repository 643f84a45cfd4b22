"""Matching messages against the claim store.

A pipeline of small stages, each tested alone::

    normalize -> analyze -> index (BM25 candidates) -> score -> decide
                 framing (how the message puts it); spelling (a second try for typos)

:class:`Matcher` ties them together and is what the service uses. It is safe to ``add`` and
``remove`` claims from one thread while others ``check``: every check works on one consistent
snapshot of the index, and an added claim is matchable as soon as ``add`` returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..models import Claim, Match, MatchResult, Verdict

# Stage functions are imported under private names so that `claims_db.matching.<stage>` stays the module.
from .analyze import ALIASES, SYNONYMS, Analysis
from .analyze import analyze as _analyze
from .decide import Thresholds
from .decide import decide as _decide
from .framing import frame
from .index import Bm25, Index
from .normalize import normalize as _normalize
from .score import ClaimFacts, Evidence, Weights, claim_facts
from .score import score as _score
from .spelling import Speller

__all__ = ["Bm25", "Matcher", "Thresholds", "Weights", "frame"]

DEFAULT_CANDIDATES = 15


@dataclass(frozen=True, slots=True)
class _Entry:
    """What the scorer keeps about one claim: the analyses of its texts."""

    claim_id: str
    texts: tuple[Analysis, ...]
    facts: ClaimFacts


def _prepare(claim: Claim) -> tuple[_Entry, tuple[tuple[str, ...]], list[str]]:
    texts = []
    terms: list[str] = []
    words: list[str] = []
    for text in dict.fromkeys(claim.texts):  # a paraphrase equal to the statement adds nothing
        normalized = _normalize(text)
        words += normalized.split()
        a = _analyze(normalized)
        terms += a.index_terms
        # surfaces are only read from messages; dropping them keeps a large store small
        texts.append(Analysis(a.text, a.terms, (), a.entities, a.roles))
    # The index holds one document per claim, its texts together: on CheckThat! (MAP@5 test 0.885 vs
    # 0.874) and on the match set (top-1 0.956 vs 0.937) that retrieves better than ranking a claim by
    # its best single text. The scorer then judges each text on its own, and the best one counts.
    return _Entry(claim.id, tuple(texts), claim_facts(texts)), (tuple(terms),), words


_TABLE_WORDS = [w for phrase in (*ALIASES, *SYNONYMS) for w in phrase.split()]


class Matcher:
    """Finds the curated claims a message states, asks about or denies.

    Parameters
    ----------
    claims
        The initial claim store; a later claim with the same id replaces an earlier one.
    thresholds
        Where verdicts change; defaults to :class:`Thresholds`.
    weights
        How scoring signals are mixed; defaults to :class:`Weights`.
    candidates
        How many claims BM25 retrieval hands to the scorer per message.
    bm25
        BM25 parameters of the index.
    typos
        When a message finds nothing confident as written, try again with unknown words replaced
        by the closest words of the claim store ("missles" -> "missiles").
    """

    thresholds: Thresholds

    def __init__(
        self,
        claims: Iterable[Claim] = (),
        *,
        thresholds: Thresholds | None = None,
        weights: Weights | None = None,
        candidates: int = DEFAULT_CANDIDATES,
        bm25: Bm25 | None = None,
        typos: bool = True,
    ) -> None:
        self.thresholds = thresholds or Thresholds()
        self.weights = weights or Weights()
        self.candidates = candidates

        self.typos = typos
        self._speller = Speller(_TABLE_WORDS)

        def items() -> Iterable[tuple[str, tuple[tuple[str, ...], ...], _Entry]]:
            for claim in claims:
                entry, docs, words = _prepare(claim)
                self._speller.add(words)
                yield claim.id, docs, entry

        self._index: Index[str, _Entry] = Index(items(), params=bm25)

    def add(self, claim: Claim) -> None:
        """Add a claim, or replace the one with the same id; matchable when this returns."""
        entry, docs, words = _prepare(claim)
        self._speller.add(words)
        self._index.add(claim.id, docs, entry)

    def remove(self, claim_id: str) -> None:
        """Stop matching a claim (e.g. retracted); an unknown id is ignored."""
        self._index.remove(claim_id)

    def update(self, upserts: Iterable[Claim] = (), removals: Iterable[str] = ()) -> None:
        """Apply one batch of changes: add or replace ``upserts``, then stop matching ``removals``.

        The service sends every change through here, once per write or import, so that a batch can
        become one rebuild of the index.
        """
        for claim in upserts:
            self.add(claim)
        for claim_id in removals:
            self.remove(claim_id)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._index

    def evidence(self, message: str, *, limit: int = 3) -> list[tuple[str, Evidence]]:
        """The best ``limit`` claims with the full evidence behind their scores, best first."""
        normalized = _normalize(message)
        scored = self._rank(normalized, limit)
        if self.typos and (not scored or scored[0][1].score < self.thresholds.match):
            fixed = self._speller.correct_text(normalized)
            if fixed != normalized:
                retry = self._rank(fixed, limit)
                if retry and (not scored or retry[0][1].score > scored[0][1].score):
                    scored = retry
        return scored

    def _rank(self, normalized: str, limit: int) -> list[tuple[str, Evidence]]:
        query = _analyze(normalized)
        retrieval = self._index.search(query.index_terms, k=max(self.candidates, limit))
        if not retrieval.candidates:
            return []
        top = retrieval.candidates[0].bm25 or 1.0
        idf = retrieval.idf_table.__getitem__  # a C-level lookup once a term is known
        scored = [
            (
                c.key,
                _score(
                    query,
                    c.payload.texts,
                    idf=idf,
                    bm25=c.bm25 / top,
                    weights=self.weights,
                    facts=c.payload.facts,
                ),
            )
            for c in retrieval.candidates
        ]
        scored.sort(key=lambda kv: kv[1].score, reverse=True)
        return scored[:limit]

    def check(self, message: str, *, limit: int = 3) -> MatchResult:
        """Match one message.

        Parameters
        ----------
        message
            What a user posted.
        limit
            How many claims to return; the best ``limit`` candidates are returned even when
            none is good enough for a verdict other than ``NONE``.

        Returns
        -------
        MatchResult
            Matches ranked best first, each with a score in [0, 1], its own verdict and a one-line
            reason; the overall verdict is that of the best match (``NONE`` without matches); the
            framing says how the message puts it.
        """
        framing = frame(message)
        matches = tuple(
            Match(claim_id, round(ev.score, 4), _decide(ev, self.thresholds), ev.why())
            for claim_id, ev in self.evidence(message, limit=limit)
        )
        verdict = matches[0].verdict if matches else Verdict.NONE
        return MatchResult(text=message, verdict=verdict, framing=framing, matches=matches)

    def check_many(self, messages: Sequence[str], *, limit: int = 3) -> list[MatchResult]:
        """Match many messages; the same as :meth:`check` on each, in order."""
        return [self.check(m, limit=limit) for m in messages]
