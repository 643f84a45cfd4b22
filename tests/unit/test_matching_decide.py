"""The verdict: calibrated probability first, then the party veto."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from claims_db.matching import Scored, Thresholds
from claims_db.matching.calibrate import FEATURES, DecisionModel, load_model
from claims_db.matching.decide import decide
from claims_db.matching.parties import Party, PartyCheck
from claims_db.matching.score import Evidence
from claims_db.models import Verdict

EV = Evidence(0.9, 0, 1.0, 1.0, 1.0, 1.0, (("peru", "peru"),))
PERU = Party("peru", "Peru", "country", "receiver", frozenset({"peru"}), True)
CHILE = Party("chile", "Chile", "country", "receiver", frozenset({"chile"}), True)


@pytest.mark.parametrize(
    ("p", "verdict"),
    [
        (0.95, Verdict.MATCH),
        (0.80, Verdict.MATCH),
        (0.79, Verdict.POSSIBLE),
        (0.3, Verdict.POSSIBLE),
        (0.29, Verdict.NONE),
    ],
)
def test_cut_points(p: float, verdict: Verdict) -> None:
    assert decide(p, True, match=0.8, possible=0.3) is verdict


@pytest.mark.parametrize(
    "parties",
    [
        PartyCheck(missing=(PERU,), claim_parties=1),
        PartyCheck(missing=(PERU,), replaced=((PERU, CHILE),), claim_parties=1),
        PartyCheck(reversed=(PERU, CHILE), present=2, claim_parties=2),
    ],
)
def test_a_doubt_about_the_parties_is_only_possible(parties: PartyCheck) -> None:
    scored = Scored("c", EV, parties, {"semantic": 0.0})
    assert not scored.safe
    assert decide(0.999, scored.safe, match=0.8, possible=0.3) is Verdict.POSSIBLE


def test_a_near_miss_is_unsafe_on_words_alone_but_not_with_similar_meaning() -> None:
    near = dataclasses.replace(EV, recall=0.5, precision=0.5)
    agree = PartyCheck(present=1, claim_parties=1)
    short = {"semantic": 0.0, "message_terms": math.log1p(4)}
    assert Scored("c", near, agree, short).near_miss
    assert not Scored("c", near, agree, {**short, "semantic": 0.95}).near_miss
    assert not Scored("c", EV, agree, short).near_miss
    assert not Scored("c", near, agree, {**short, "message_terms": math.log1p(30)}).near_miss  # a tweet


def test_the_near_miss_gate_is_the_decision_model_s() -> None:
    near = dataclasses.replace(EV, recall=0.5, precision=0.5)
    agree = PartyCheck(present=1, claim_parties=1)
    similar = {"semantic": 0.78, "message_terms": math.log1p(4)}
    assert Scored("c", near, agree, similar).near_miss  # the gate before models carried one: 0.85
    assert not Scored("c", near, agree, similar, near_miss_cosine=0.75).near_miss
    assert Scored("c", near, agree, similar, near_miss_cosine=0.75).near_in_words


def test_a_near_miss_close_in_meaning_is_still_one_when_a_word_has_no_counterpart() -> None:
    near = dataclasses.replace(EV, recall=0.5, precision=0.5)
    agree = PartyCheck(present=1, claim_parties=1)
    similar = {"semantic": 0.9, "semantic_align": 0.3, "message_terms": math.log1p(4)}
    assert not Scored("c", near, agree, similar, near_miss_cosine=0.75).near_miss  # no alignment gate
    assert Scored("c", near, agree, similar, near_miss_cosine=0.75, near_miss_align=0.4).near_miss
    linked = {**similar, "semantic_align": 0.5}  # every word has a close counterpart
    assert not Scored("c", near, agree, linked, near_miss_cosine=0.75, near_miss_align=0.4).near_miss
    # the gate reads only a short message that has lost a good share of the claim's words
    assert not Scored("c", EV, agree, similar, near_miss_cosine=0.75, near_miss_align=0.4).near_miss


def test_the_shipped_model_loads_and_is_ordered() -> None:
    model = load_model()
    assert set(model.names) <= set(FEATURES)
    assert 0 < model.possible <= model.match < 1
    match, possible = Thresholds().resolve(model)
    assert (match, possible) == (model.match, model.possible)
    assert Thresholds(match=0.99).resolve(model)[0] == 0.99


def test_probability_rises_with_evidence_the_model_weighs_up() -> None:
    model = DecisionModel(("recall",), (0.5,), (0.25,), (2.0,), 0.0, 0.9, 0.5, {})
    assert model.probability({"recall": 0.5}) == pytest.approx(0.5)
    assert model.probability({"recall": 1.0}) > 0.95 > 0.05 > model.probability({"recall": 0.0})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"features": ["recall", "nope"]}, "unknown features"),
        ({"scale": [0.0]}, "scale must be positive"),
        ({"coef": [1.0, 2.0]}, "one value per feature"),
        ({"match": 0.2, "possible": 0.5}, "possible <= match"),
        ({"near_miss_cosine": 1.5}, "near_miss_cosine must be between 0 and 1"),
        ({"near_miss_align": 0.4}, "near_miss_align needs the semantic_align feature"),
        (
            {"features": ["semantic_align"], "near_miss_align": 2.0},
            "near_miss_align must be between -1 and 1",
        ),
    ],
)
def test_a_broken_model_file_is_refused_with_a_reason(change: dict[str, object], message: str) -> None:
    good = {"features": ["recall"], "mean": [0.0], "scale": [1.0], "coef": [1.0], "intercept": 0.0,
            "match": 0.9, "possible": 0.5}  # fmt: skip
    DecisionModel.from_dict(good)
    with pytest.raises(ValueError, match=message):
        DecisionModel.from_dict(json.loads(json.dumps({**good, **change})))


def test_a_model_file_carries_its_near_miss_gate() -> None:
    good = {"features": ["recall"], "mean": [0.0], "scale": [1.0], "coef": [1.0], "intercept": 0.0,
            "match": 0.9, "possible": 0.5}  # fmt: skip
    assert DecisionModel.from_dict(good).near_miss_cosine == 0.85  # a file from before the field
    model = DecisionModel.from_dict({**good, "near_miss_cosine": 0.7})
    assert DecisionModel.from_dict(model.to_dict()).near_miss_cosine == 0.7
    assert model.near_miss_align is None and "near_miss_align" not in model.to_dict()
    aligned = DecisionModel.from_dict({**good, "features": ["semantic_align"], "near_miss_align": 0.35})
    assert DecisionModel.from_dict(aligned.to_dict()).near_miss_align == 0.35


def test_in_a_long_message_a_missing_party_is_evidence_but_a_reversal_still_vetoes() -> None:
    long = {"semantic": 0.0, "message_terms": math.log1p(25)}
    missing = PartyCheck(missing=(PERU,), present=1, claim_parties=2)
    replaced = PartyCheck(missing=(PERU,), replaced=((PERU, CHILE),), present=1, claim_parties=2)
    reversed_ = PartyCheck(reversed=(PERU, CHILE), present=2, claim_parties=2)
    assert Scored("c", EV, missing, long).safe
    assert Scored("c", EV, replaced, long).safe
    assert not Scored("c", EV, reversed_, long).safe
    short = {**long, "message_terms": math.log1p(6)}
    assert not Scored("c", EV, missing, short).safe
    assert not Scored("c", EV, replaced, short).safe


TREES = {
    "features": ["recall", "semantic"], "mean": [0.0, 0.0], "scale": [1.0, 1.0], "coef": [0.0, 0.0],
    "intercept": -1.0, "match": 0.9, "possible": 0.5,
    "trees": [
        # recall <= 0.5 ? -2 : (semantic <= 0.8 ? 1 : 3)
        {"feature": [0, -1, 1, -1, -1], "threshold": [0.5, 0, 0.8, 0, 0], "left": [1, 0, 3, 0, 0],
         "right": [2, 0, 4, 0, 0], "value": [0, -2.0, 0, 1.0, 3.0]},
        {"feature": [-1], "threshold": [0], "left": [0], "right": [0], "value": [0.5]},
    ],
}  # fmt: skip


def test_a_boosted_tree_model_adds_its_leaves_on_the_logistic_scale() -> None:
    model = DecisionModel.from_dict(TREES)

    def sigmoid(z: float) -> float:
        return 1 / (1 + math.exp(-z))

    assert model.probability({"recall": 0.2, "semantic": 0.99}) == pytest.approx(sigmoid(-1 - 2 + 0.5))
    assert model.probability({"recall": 0.9, "semantic": 0.7}) == pytest.approx(sigmoid(-1 + 1 + 0.5))
    assert model.probability({"recall": 0.9, "semantic": 0.9}) == pytest.approx(sigmoid(-1 + 3 + 0.5))
    assert DecisionModel.from_dict(model.to_dict()) == model


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        ({"feature": [0, -1], "threshold": [0.5, 0], "left": [0, 0], "right": [1, 0],
          "value": [0, 1]}, "follow"),
        ({"feature": [5, -1, -1], "threshold": [0, 0, 0], "left": [1, 0, 0], "right": [2, 0, 0],
          "value": [0, 1, 2]}, "uses feature 5"),
        ({"feature": [-1], "threshold": [], "left": [0], "right": [0], "value": [1]}, "one length"),
    ],
)  # fmt: skip
def test_a_malformed_tree_is_refused(tree: dict[str, list[float]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DecisionModel.from_dict({**TREES, "trees": [tree]})


@pytest.mark.parametrize("semantic", [False, True])
def test_the_shipped_trees_give_what_walking_each_tree_gives(semantic: bool) -> None:
    import random

    from claims_db.matching.calibrate import default_model

    model = default_model(semantic=semantic)
    rng = random.Random(0)
    for _ in range(300):
        values = {n: rng.choice([0.0, 1.0, rng.uniform(-1.0, 5.0)]) for n in model.names}
        x = [values[n] for n in model.names]
        z = model.intercept + sum(tree.output(x) for tree in model.trees)  # one tree at a time
        assert model.probability(values) == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-12, abs=1e-15)


def test_the_matcher_reads_the_near_miss_gate_from_its_model() -> None:
    from claims_db.matching import Matcher
    from claims_db.models import Attribution, Claim, Status

    claim = Claim(
        id="peru-rifles", statement="Peru sold rifles to Chile", status=Status.ALLEGED,
        attributions=(Attribution(actor="Chile"),),
    )  # fmt: skip
    model = dataclasses.replace(load_model(), near_miss_cosine=0.5)
    found = Matcher([claim], model=model).scored("peru sold boats to chile")
    assert found[0].near_miss_cosine == 0.5
    assert (
        Matcher([claim]).scored("peru sold boats to chile")[0].near_miss_cosine
        == load_model().near_miss_cosine
    )
