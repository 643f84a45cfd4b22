"""Stage 5: a verdict for the best candidate, from the calibrated model and the party checks.

``MATCH`` needs two things: the decision model's probability that the candidate is the claim the
message states reaches the match cut point, and the parties agree (none of the claim's parties is
left out or replaced, nobody's role is reversed; see :mod:`claims_db.matching.parties`). A high
probability with a doubt about the parties is only ``POSSIBLE``. The cut points come with the model
(``data/decision.json``) and are documented with the precision each gave; :class:`Thresholds` lets a
caller raise or lower them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Verdict
from .calibrate import DecisionModel
from .parties import PartyCheck
from .score import Evidence

__all__ = ["Thresholds", "decide"]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Cut points on the calibrated probability; ``None`` takes the model's own.

    Attributes
    ----------
    match
        probability >= match (and the parties agree) -> ``Verdict.MATCH``.
    possible
        probability >= possible -> ``Verdict.POSSIBLE``.
    """

    match: float | None = None
    possible: float | None = None

    def resolve(self, model: DecisionModel) -> tuple[float, float]:
        """(match, possible) with the model's values filled in."""
        match = model.match if self.match is None else self.match
        possible = model.possible if self.possible is None else self.possible
        return match, min(possible, match)


def decide(
    probability: float, parties: PartyCheck, best: Evidence, *, match: float, possible: float
) -> Verdict:
    """The verdict for one candidate.

    Parameters
    ----------
    probability
        The decision model's probability for the candidate.
    parties
        How the message treats the claim's parties.
    best
        The candidate's lexical evidence (its table-based conflicts veto a match too).
    match, possible
        The cut points.
    """
    safe = parties.agrees and not best.conflict
    if probability >= match and safe:
        return Verdict.MATCH
    if probability >= possible:
        return Verdict.POSSIBLE
    return Verdict.NONE
