"""What a posted card shows of a claim, and how a later version of the claim differs from it.

A card that the bot posted in a channel records ``shown_state(claim)``: the status, who asserts the
claim and who denies it (the parts of a card whose change alters what a reader should believe).
When the stored claim no longer has that state, ``changes`` says what changed in words a reader
understands ("status changed from alleged to confirmed", "denial by Iran added"); an edit of the
summary or a source does not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from claims_db.models import Attribution, Claim, Denial

__all__ = ["changes", "shown_state"]


def _party(part: Attribution | Denial) -> list[str]:
    return [part.actor, part.speaker or "", part.date or ""]


def shown_state(claim: Claim) -> dict[str, Any]:
    """The parts of ``claim`` that a follow-up watches, as JSON-ready data.

    Parameters
    ----------
    claim
        The claim as the card shows it.
    """
    return {
        "status": str(claim.status),
        "attributions": [_party(a) for a in claim.attributions],
        "denials": [_party(d) for d in claim.denials],
    }


def _keys(parts: Iterable[Sequence[str]]) -> list[tuple[str, ...]]:
    return [tuple(str(x) for x in p) for p in parts]


def _diff(kind: str, before: list[tuple[str, ...]], after: list[tuple[str, ...]]) -> list[str]:
    lines = []
    added = [p for p in after if p not in before]
    removed = [p for p in before if p not in after]
    for p in added:
        lines.append(f"{kind} by {p[0]} added")
    for p in removed:
        lines.append(f"{kind} by {p[0]} removed")
    return lines


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """What changed between two ``shown_state`` values, one phrase each, status first; empty when
    nothing a follow-up reports changed.

    Parameters
    ----------
    before
        The state the card shows.
    after
        The state of the claim now.
    """
    lines: list[str] = []
    if before.get("status") != after.get("status"):
        lines.append(f"status changed from {before.get('status')} to {after.get('status')}")
    for key, kind in (("attributions", "attribution"), ("denials", "denial")):
        lines += _diff(kind, _keys(before.get(key, ())), _keys(after.get(key, ())))
    return tuple(lines)
