"""Claimbot's own match set: loading, and the figures the matcher is held to (shared by bench.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from claims_db.models import Attribution, Claim, Status

# a party swapped or replaced by another entity: never a confident match
SWAPS = ("actor_swap", "direction_swap", "replaced")
NEAR_MISS = "near_miss"


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    kind: str
    expect: str | None
    framing: str
    other: str | None = None


def load_matchset(path: Path) -> list[Line]:
    rows = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            d = json.loads(raw)
            rows.append(Line(d["text"], d["kind"], d.get("expect"), d["framing"], d.get("other")))
    return rows


def load_seed(path: Path) -> list[Claim]:
    """The seed claims with just what matching reads (ids and texts)."""
    claims = []
    for d in json.loads(path.read_text(encoding="utf-8")):
        attributions = tuple(Attribution(actor=a["actor"]) for a in d["attributions"])
        claims.append(
            Claim(
                id=d["id"],
                statement=d["statement"],
                status=Status(d["status"]),
                attributions=attributions,
                paraphrases=tuple(d.get("paraphrases", ())),
            )
        )
    return claims


# one prediction per line: (top claim id or None, confident?, framing)
Prediction = tuple[str | None, bool, str]


def evaluate(lines: Sequence[Line], predict: Callable[[str], Prediction]) -> dict[str, float]:
    """top-1 on matchable lines, confident-hit rates on chatter, swaps and near misses, framing accuracy.

    Swaps count ``replaced`` lines with the actor and direction swaps; ``near_miss`` lines (same words,
    a proposition the store does not hold) have their own rate.
    """
    matchable = hits = chatter = chatter_conf = swaps = swap_conf = frames = frames_ok = 0
    near = near_conf = 0
    wrong_conf = right_conf = 0
    for line in lines:
        top, confident, framing = predict(line.text)
        if framing:
            frames += 1
            frames_ok += framing == line.framing
        if line.expect is not None:
            matchable += 1
            hits += top == line.expect
            wrong_conf += confident and top != line.expect
            right_conf += confident and top == line.expect
        elif line.kind == "chatter":
            chatter += 1
            chatter_conf += confident
        elif line.kind in SWAPS:
            swaps += 1
            swap_conf += confident
        elif line.kind == NEAR_MISS:
            near += 1
            near_conf += confident
    return {
        "top1_matchable": hits / max(matchable, 1),
        "confident_right_matchable": right_conf / max(matchable, 1),
        "confident_wrong_matchable": wrong_conf / max(matchable, 1),
        "confident_chatter": chatter_conf / max(chatter, 1),
        "confident_swaps": swap_conf / max(swaps, 1),
        "confident_near_miss": near_conf / max(near, 1),
        "framing_accuracy": frames_ok / frames if frames else float("nan"),
        "n_matchable": matchable,
        "n_chatter": chatter,
        "n_swaps": swaps,
        "n_near_miss": near,
    }
