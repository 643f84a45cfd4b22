"""Stage 5: a calibrated verdict, learned from labelled messages instead of hand-set thresholds.

The decision rests on evidence that means the same for any claim: how much of the claim the
message states and how much of the message is the claim (IDF-weighted), fuzzy similarity, how far
the best candidate stands above the runner-up, how many of the claim's parties the message names,
and, when the semantic tier is on, similarity in meaning. A logistic model over these features,
fitted by ``benchmarks/fit_decision.py`` on CheckThat! 2022 train/dev and claimbot's own
calibration set (never on a test set), gives the probability that the best candidate is the claim
the message states. Its coefficients and the two cut points ship as ``data/decision.json`` and are
applied here with plain arithmetic.

Probability decides how sure; the parties decide whether a match is possible at all: a message
that leaves out a party of the claim, puts another in its place, or reverses who did what to whom
is never ``MATCH`` however similar its words (see :mod:`claims_db.matching.parties`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .parties import PartyCheck
from .score import Evidence

__all__ = ["FEATURES", "DecisionModel", "features", "load_model"]

FEATURES = (
    "score",
    "recall",
    "precision",
    "coverage",
    "fuzzy",
    "bm25",
    "margin",
    "runner_up_bm25",
    "matched_terms",
    "message_terms",
    "claim_parties",
    "parties_present",
    "parties_missing",
    "parties_extra",
    "table_conflict",
    "idf_found",
    "idf_missed",
    "idf_unmatched",
    "idf_swapped",
    "semantic",
    "semantic_margin",
)


def features(
    best: Evidence,
    runner_up: Evidence | None,
    parties: PartyCheck,
    *,
    message_terms: int,
    semantic: float | None = None,
    semantic_runner_up: float | None = None,
) -> dict[str, float]:
    """The features of one (message, best candidate) pair, by name."""
    distinct = len({term for term, _ in best.matched})
    return {
        "score": best.score,
        "recall": best.recall,
        "precision": best.precision,
        "coverage": best.coverage,
        "fuzzy": best.fuzzy,
        "bm25": best.bm25,
        "margin": best.score - (runner_up.score if runner_up is not None else 0.0),
        "runner_up_bm25": runner_up.bm25 if runner_up is not None else 0.0,
        "matched_terms": math.log1p(distinct),
        "message_terms": math.log1p(message_terms),
        "claim_parties": float(min(parties.claim_parties, 4)),
        "parties_present": float(min(parties.present, 4)),
        "parties_missing": float(min(len(parties.missing), 4)),
        "parties_extra": float(min(len(parties.extra), 4)),
        "table_conflict": float(best.conflict),
        "idf_found": math.log1p(best.weights[0]),
        "idf_missed": math.log1p(best.weights[1]),
        "idf_unmatched": math.log1p(best.weights[2]),
        # a word of the claim missing while the message has another in its place: a near miss
        "idf_swapped": math.log1p(min(best.weights[1], best.weights[2])),
        "semantic": semantic if semantic is not None else 0.0,
        # how much closer in meaning than the closest other claim
        "semantic_margin": (semantic or 0.0) - (semantic_runner_up or 0.0) if semantic is not None else 0.0,
    }


@dataclass(frozen=True, slots=True)
class DecisionModel:
    """A fitted logistic model with its cut points.

    Attributes
    ----------
    names
        Feature names, in the order of ``coef``.
    mean, scale
        Standardisation applied before the linear part.
    coef, intercept
        The logistic model.
    match, possible
        ``P >= match`` (and the parties agree) -> ``MATCH``; ``P >= possible`` -> ``POSSIBLE``.
    precision
        What each cut point gave on the data it was chosen on, for the docs.
    """

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    match: float
    possible: float
    info: Mapping[str, Any]

    def probability(self, values: Mapping[str, float]) -> float:
        """P(the best candidate is the claim the message states)."""
        z = self.intercept
        for name, mu, sd, w in zip(self.names, self.mean, self.scale, self.coef, strict=True):
            z += w * (values.get(name, 0.0) - mu) / sd
        if z < -40.0:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DecisionModel:
        names = tuple(str(n) for n in data["features"])
        unknown = set(names) - set(FEATURES)
        if unknown:
            raise ValueError(f"decision model: unknown features {sorted(unknown)}")
        vectors = [tuple(float(x) for x in data[k]) for k in ("mean", "scale", "coef")]
        if any(len(v) != len(names) for v in vectors):
            raise ValueError("decision model: mean, scale and coef must have one value per feature")
        if any(s <= 0 for s in vectors[1]):
            raise ValueError("decision model: every scale must be positive")
        match, possible = float(data["match"]), float(data["possible"])
        if not 0.0 < possible <= match < 1.0:
            raise ValueError("decision model: need 0 < possible <= match < 1")
        return cls(
            names, vectors[0], vectors[1], vectors[2], float(data["intercept"]), match, possible,
            dict(data.get("info", {})),
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.names),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "match": self.match,
            "possible": self.possible,
            "info": dict(self.info),
        }


@lru_cache(maxsize=4)
def load_model(name: str = "decision.json") -> DecisionModel:
    """The decision model shipped in ``claims_db/data`` (loaded once)."""
    raw = resources.files("claims_db").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return DecisionModel.from_dict(json.loads(raw))


SEMANTIC_MODEL = "decision-semantic.json"


def default_model(*, semantic: bool) -> DecisionModel:
    """The shipped model for the tier in use: fitted with the cosine feature when the semantic
    tier is on (a lexical model would read its cosine as 0), on words alone otherwise."""
    if semantic and resources.files("claims_db").joinpath(f"data/{SEMANTIC_MODEL}").is_file():
        return load_model(SEMANTIC_MODEL)
    return load_model()


def as_vector(values: Mapping[str, float], names: Sequence[str] = FEATURES) -> list[float]:
    return [values.get(n, 0.0) for n in names]
