"""The development sets (tests/data/devsets) are well formed: claim files ``claimbot import``
accepts, statements only, every id a message names exists, the kinds and framings of the match set.

They are training data for the decision (``fit_decision.py --devset``); these tests set no target
for the matcher.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from claims_db.models import Framing
from claims_db.transfer import parse_claims

DEVSETS = Path(__file__).resolve().parents[1] / "data" / "devsets"
MATCHABLE = {"paraphrase", "alias", "slang", "typo", "word_order", "question", "attributed", "negated"}
MATCHABLE |= {"hedged", "long"}
NOT_MATCH = {"near_miss", "actor_swap", "direction_swap"}


@pytest.mark.parametrize("name", ["a", "b"])
def test_a_development_set_is_well_formed(name: str) -> None:
    folder = DEVSETS / name
    claims = parse_claims((folder / "claims.json").read_bytes(), filename=f"{name}/claims.json")
    ids = {c.id for c in claims}
    assert len(claims) == len(ids) == 30
    assert all(not c.paraphrases and not c.summary and c.attributions for c in claims)
    lines = [json.loads(raw) for raw in (folder / "messages.jsonl").read_text("utf-8").splitlines() if raw]
    assert len({line["text"] for line in lines}) == len(lines)  # no message twice
    per_claim: Counter[str] = Counter()
    for line in lines:
        Framing(line["framing"])  # a framing the matcher reports
        if line["kind"] in MATCHABLE:
            assert line["expect"] in ids, line
            per_claim[line["expect"]] += 1
        elif line["kind"] in NOT_MATCH:
            assert line["expect"] is None and line["other"] in ids, line
        else:
            assert line["kind"] == "chatter" and line["expect"] is None and "other" not in line, line
    assert set(per_claim) == ids and min(per_claim.values()) >= 6  # every claim has its messages
