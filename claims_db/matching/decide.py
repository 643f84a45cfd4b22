"""Stage 5: a verdict for the best candidate, from the calibrated model and the party checks.

``MATCH`` needs two things: the decision model's probability that the candidate is the claim the
message states reaches the match cut point, and nothing vetoes it: the parties agree (none of the
claim's parties is left out or replaced, nobody's role is reversed; see
:mod:`claims_db.matching.parties`) and the message is no near miss. A high probability with such a
doubt is only ``POSSIBLE``. The cut points come with the model
(``data/decision.json``) and are documented with the precision each gave; :class:`Thresholds` lets a
caller raise or lower them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Verdict
from .calibrate import DecisionModel

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

    def resolve(self, model: DecisionModel, *, short: bool = False) -> tuple[float, float]:
        """(match, possible) with the model's values for the message's length band filled in."""
        own_match, own_possible = model.cuts(short=short)
        match = own_match if self.match is None else self.match
        possible = own_possible if self.possible is None else self.possible
        return match, min(possible, match)


def decide(probability: float, safe: bool, *, match: float, possible: float) -> Verdict:
    """The verdict for one candidate.

    Parameters
    ----------
    probability
        The decision model's probability for the candidate.
    safe
        Nothing vetoes a confident match: the parties agree (none left out, replaced or reversed)
        and the message is no near miss (see ``Scored.safe``).
    match, possible
        The cut points.
    """
    if probability >= match and safe:
        return Verdict.MATCH
    if probability >= possible:
        return Verdict.POSSIBLE
    return Verdict.NONE
