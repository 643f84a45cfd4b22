"""Stage 5: a verdict from a score, by thresholds calibrated on labelled messages.

Precision comes first: a confident wrong match is worse than none. So ``MATCH`` needs more than a
high score: the message must share at least ``min_terms`` of the claim's terms, name every party
the claim needs and no other party as doer or recipient, and not reverse who did what to whom.
Anything short of that that still scores ``possible`` or more is only ``POSSIBLE``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Verdict
from .score import Evidence

__all__ = ["Thresholds", "decide"]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where verdicts change; the defaults were calibrated on the bundled match set.

    Attributes
    ----------
    match
        score >= match (and the safety conditions below) -> ``Verdict.MATCH``.
    possible
        score >= possible -> ``Verdict.POSSIBLE``.
    min_terms
        distinct claim terms a message must share for ``MATCH``.
    """

    match: float = 0.72
    possible: float = 0.45
    min_terms: int = 2


def decide(evidence: Evidence, thresholds: Thresholds) -> Verdict:
    """The verdict for one scored claim.

    Parameters
    ----------
    evidence
        What :func:`~claims_db.matching.score.score` found.
    thresholds
        Where the verdicts change.
    """
    safe = not (evidence.conflict or evidence.missing or evidence.extra)
    enough = len({term for term, _ in evidence.matched}) >= thresholds.min_terms
    if evidence.score >= thresholds.match and safe and enough:
        return Verdict.MATCH
    if evidence.score >= thresholds.possible:
        return Verdict.POSSIBLE
    return Verdict.NONE
