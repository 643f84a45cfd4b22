from __future__ import annotations

import dataclasses

import pytest

from claims_db.matching import Thresholds
from claims_db.matching.decide import decide
from claims_db.matching.score import Evidence
from claims_db.models import Verdict

MATCHED = (("@iran", "iran"), ("~missile", "missiles"), ("@russia", "russia"))


def evidence(value: float, **kw: object) -> Evidence:
    return dataclasses.replace(Evidence(value, 0, 1.0, 1.0, 1.0, 1.0, MATCHED), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        (0.95, Verdict.MATCH),
        (0.70, Verdict.MATCH),
        (0.69, Verdict.POSSIBLE),
        (0.45, Verdict.POSSIBLE),
        (0.44, Verdict.NONE),
        (0.0, Verdict.NONE),
    ],
)
def test_thresholds(value: float, verdict: Verdict) -> None:
    assert decide(evidence(value), Thresholds(match=0.70, possible=0.45)) is verdict


@pytest.mark.parametrize(
    "unsafe",
    [
        {"roles_reversed": True},
        {"substituted": ("north-korea",), "missing": ("iran",)},
        {"missing": ("iran",)},
        {"extra": ("france",)},
        {"matched": (("@iran", "iran"),)},
    ],
)
def test_high_scores_with_a_doubt_are_only_possible(unsafe: dict[str, object]) -> None:
    assert decide(evidence(0.99, **unsafe), Thresholds()) is Verdict.POSSIBLE


def test_defaults_are_ordered() -> None:
    t = Thresholds()
    assert 0 < t.possible < t.match <= 1
