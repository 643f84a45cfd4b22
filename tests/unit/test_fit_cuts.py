"""The cut rule of benchmarks/fit_decision.py: the bounds on wrong answers pick the match cut."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import fit_decision


def _args(**kw: object) -> argparse.Namespace:
    base = {
        "max_wrong": 1.0,
        "max_absent": 1.0,
        "max_own": 1.0,
        "max_near_miss": 1.0,
        "confident": False,
        "max_generated": 1.0,
        "max_swap": 0.02,
        "max_dev_near": 1.0,
        "swap_per_kind": False,
        "possible_precision": 0.5,
        "possible_groups": "all",
        "one_cut": True,
    }
    base.update(kw)
    return argparse.Namespace(**base)


def _rows() -> tuple[np.ndarray, list[dict[str, object]]]:
    """100 right suite answers at p=0.8, 98 replaced-person swaps at p=0.1 and 10 direction swaps of
    which 2 score 0.85: 20% of that kind, 1.9% of all 108 swaps."""
    rows: list[dict[str, object]] = []
    p: list[float] = []
    for _ in range(100):
        rows.append({"group": "suite", "y": 1, "safe": True, "kind": "typo"})
        p.append(0.8)
    for _ in range(98):
        rows.append({"group": "swap", "y": 0, "safe": True, "kind": "replaced_person"})
        p.append(0.1)
    for i in range(10):
        rows.append({"group": "swap", "y": 0, "safe": True, "kind": "direction_swap"})
        p.append(0.85 if i < 2 else 0.1)
    return np.array(p), rows


def test_a_bound_on_all_swaps_lets_one_kind_through() -> None:
    p, rows = _rows()
    short = np.zeros(len(rows), dtype=bool)
    (match, _), _, info = fit_decision.choose_cuts(p, rows, _args(), short)
    assert match <= 0.8  # 2 of 108 swaps (1.9%) pass: within the bound on all of them
    assert info["at_match"]["swap_match_worst_kind"] == 0.0  # not bounded per kind, not counted


def test_a_bound_per_kind_raises_the_cut_past_that_kind() -> None:
    p, rows = _rows()
    short = np.zeros(len(rows), dtype=bool)
    (match, _), _, info = fit_decision.choose_cuts(p, rows, _args(swap_per_kind=True), short)
    assert match > 0.85  # 2 of 10 direction swaps (20%) would pass below it
    assert info["at_match"]["swap_match_worst_kind"] <= 0.02


def _present(wrong_high: int) -> tuple[np.ndarray, list[dict[str, object]]]:
    """1,000 tweets whose claim is there: 750 right at p=0.9, ``wrong_high`` wrong at p=0.8 and the
    rest wrong at p=0.2."""
    rows: list[dict[str, object]] = []
    p: list[float] = []
    for i in range(1000):
        right = i < 750
        rows.append({"group": "present", "y": int(right), "safe": True})
        p.append(0.9 if right else (0.8 if i < 750 + wrong_high else 0.2))
    return np.array(p), rows


def test_a_confident_bound_leaves_room_for_chance() -> None:
    # 7 wrong answers in 1,000 (0.7%) are within a 1% bound, but not surely: the upper end of their
    # 95% interval is 1.3%
    p, rows = _present(7)
    short = np.zeros(len(rows), dtype=bool)
    (match, _), _, _ = fit_decision.choose_cuts(p, rows, _args(max_wrong=0.01), short)
    assert match <= 0.8
    (match, _), _, info = fit_decision.choose_cuts(p, rows, _args(max_wrong=0.01, confident=True), short)
    assert 0.8 < match <= 0.9
    assert info["at_match"]["present_wrong"] == 0.0


def test_a_generated_near_miss_puts_another_content_word_in_a_content_words_place() -> None:
    statements = [
        "Kenya banned plastic bags in 2017",
        "The moon landing was filmed in a studio",
        "Bill Gates wants to microchip people with vaccines",
        "Officials said that it was about them and their rules",  # function words for the pool
    ]
    from claims_db.matching.analyze import analyze
    from claims_db.matching.normalize import normalize

    made = [pair for seed in range(20) for pair in fit_decision.near_misses(statements, 4, seed=seed)]
    assert made
    for i, text in made:
        before = set(analyze(normalize(statements[i])).terms)
        after = set(analyze(normalize(text)).terms)
        assert len(before - after) == 1  # one content word of the claim is gone
        assert len(after - before) == 1  # and another stands in its place, not "that" or "about"


def test_the_near_miss_gate_is_the_lowest_that_still_keeps_near_misses_out() -> None:
    # curators' paraphrases at cosine 0.78 and generated near misses at 0.72, all scored 0.9, all
    # near misses in words: a gate at 0.75 lets the paraphrases match and vetoes the near misses
    features = ["semantic", "message_terms"]
    rows: list[dict[str, object]] = []
    for _ in range(50):
        rows.append({"group": "para", "y": 1, "x": [0.78, 1.0], "safe_else": True, "near_in_words": True})
    for _ in range(10):
        rows.append(
            {"group": "generated", "y": 0, "x": [0.72, 1.0], "safe_else": True, "near_in_words": True}
        )
    p = np.full(len(rows), 0.9)
    short = np.ones(len(rows), dtype=bool)
    args = _args(max_generated=0.0, near_miss_cosines="0.6,0.7,0.75,0.8,0.85")
    gated, gate, align = fit_decision.choose_gate(p, rows, args, short, features)
    assert align is None  # none was offered
    assert gate == 0.75
    assert [r["safe"] for r in gated] == [True] * 50 + [False] * 10
    _, _, info = fit_decision.choose_cuts(p, gated, args, short)
    assert info["at_match"]["para_right"] == 1.0 and info["at_match"]["generated_match"] == 0.0


def test_an_alignment_gate_is_chosen_where_the_cosine_cannot_tell_near_misses_apart() -> None:
    # paraphrases and generated near misses at one cosine (0.8), all scored 0.9: no cosine gate
    # keeps one and not the other, while the weakest link (0.6 against 0.3) does
    features = ["semantic", "semantic_align", "message_terms"]
    rows: list[dict[str, object]] = []
    for _ in range(50):
        rows.append({"group": "para", "y": 1, "x": [0.8, 0.6, 1.0], "safe_else": True, "near_in_words": True})
    for _ in range(10):
        rows.append(
            {"group": "generated", "y": 0, "x": [0.8, 0.3, 1.0], "safe_else": True, "near_in_words": True}
        )
    p = np.full(len(rows), 0.9)
    short = np.ones(len(rows), dtype=bool)
    args = _args(max_generated=0.0, near_miss_cosines="0.75,0.85", near_miss_aligns="0.2,0.4,0.7")
    gated, gate, align = fit_decision.choose_gate(p, rows, args, short, features)
    assert (gate, align) == (0.75, 0.4)
    assert [r["safe"] for r in gated] == [True] * 50 + [False] * 10
    # without alignment gates to choose from, the best the cosine can do matches no paraphrase
    args = _args(max_generated=0.0, near_miss_cosines="0.75,0.85")
    gated, gate, align = fit_decision.choose_gate(p, rows, args, short, features)
    _, _, info = fit_decision.choose_cuts(p, gated, args, short)
    assert align is None and info["at_match"]["para_right"] == 0.0


def test_a_bound_on_a_development_sets_near_misses_raises_the_cut() -> None:
    # 40 right answers at 0.9 and 20 at 0.7 on a development set; 2 of its 20 near misses at 0.75
    rows: list[dict[str, object]] = []
    p: list[float] = []
    for i in range(60):
        rows.append({"group": "dev", "y": 1, "safe": True})
        p.append(0.9 if i < 40 else 0.7)
    for i in range(20):
        rows.append({"group": "dev_near", "y": 0, "safe": True})
        p.append(0.75 if i < 2 else 0.1)
    short = np.zeros(len(rows), dtype=bool)
    (match, _), _, info = fit_decision.choose_cuts(np.array(p), rows, _args(), short)
    assert match <= 0.7 and info["at_match"]["dev_right"] == 1.0
    (match, _), _, info = fit_decision.choose_cuts(np.array(p), rows, _args(max_dev_near=0.05), short)
    assert 0.75 < match <= 0.9
    assert info["at_match"]["dev_near_match"] == 0.0 and info["at_match"]["dev_right"] == 40 / 60


def test_a_development_set_gives_rows_for_each_kind_of_message(tmp_path: Path) -> None:
    import json

    claims = [
        {
            "id": "corvo-jets-chile",
            "statement": "Corvo Aviation sold twelve cargo jets to Chile",
            "status": "alleged",
            "attributions": [{"actor": "Chile", "verb": "says"}],
        },
        {
            "id": "corvo-jets-peru",
            "statement": "Corvo Aviation leased two cargo jets to Peru",
            "status": "confirmed",
            "attributions": [{"actor": "Peru", "verb": "says"}],
        },
        {
            "id": "lake-dam-fish",
            "statement": "The Lindow dam killed most of the salmon in the Kell river",
            "status": "disputed",
            "attributions": [{"actor": "an anglers' club", "verb": "claims"}],
        },
    ]
    lines = [
        {
            "text": "corvo aviation sold 12 cargo jets to chile",
            "kind": "paraphrase",
            "expect": "corvo-jets-chile",
        },
        {
            "text": "Chile sold twelve cargo jets to Corvo Aviation",
            "kind": "direction_swap",
            "other": "corvo-jets-chile",
        },
        {"text": "anyone know a good salmon recipe", "kind": "chatter"},
    ]
    (tmp_path / "claims.json").write_text(json.dumps(claims), encoding="utf-8")
    body = "".join(json.dumps({"framing": "fact", "expect": None, **d}) + "\n" for d in lines)
    (tmp_path / "messages.jsonl").write_text(body, encoding="utf-8")
    features = ["bm25", "message_terms"]
    rows = fit_decision.rows_devset(tmp_path, features)
    groups = [(r["group"], r["y"], r["kind"]) for r in rows]
    assert ("dev", 1, "paraphrase") in groups  # found first among its store
    assert ("dev_absent", 0, "paraphrase") in groups  # its claim left out: another claim, not right
    assert ("dev_near", 0, "direction_swap") in groups
    assert all(len(r["x"]) == 2 for r in rows)
    (tmp_path / "messages.jsonl").write_text(
        json.dumps({"text": "x", "kind": "paraphrase", "expect": "no-such", "framing": "fact"}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit, match="no-such"):
        fit_decision.rows_devset(tmp_path, features)


def test_monotone_trees_never_lower_the_probability_as_the_evidence_rises() -> None:
    """Rows where, by chance of the sample, the highest recall is labelled wrong: free trees learn
    the dip, monotone ones (--monotonic) may not, and a missing party still only lowers it."""
    pytest.importorskip("sklearn", reason="fitting needs scikit-learn (the dev extra); the bot does not")
    rng = np.random.default_rng(0)
    recall = rng.uniform(0, 1, 2000)
    missing = rng.integers(0, 2, 2000).astype(float)
    y = ((recall > 0.5) & (missing == 0)).astype(int)
    y[recall > 0.93] = 0  # the dip
    x = np.column_stack([recall, missing])
    names = ["recall", "parties_missing"]
    cst = [fit_decision.MONOTONE[n] for n in names]
    assert cst == [1, -1]
    grid = np.column_stack([np.linspace(0, 1, 101), np.zeros(101)])
    free = fit_decision.make_model("trees", 1.0).fit(x, y).predict_proba(grid)[:, 1]
    tied = fit_decision.make_model("trees", 1.0, cst).fit(x, y)
    p = tied.predict_proba(grid)[:, 1]
    assert np.diff(free).min() < -0.2  # the free model follows the dip
    assert np.diff(p).min() >= -1e-12
    gone = tied.predict_proba(np.column_stack([np.linspace(0, 1, 101), np.ones(101)]))[:, 1]
    assert (gone <= p + 1e-12).all()


def test_every_constrained_feature_is_one_the_model_knows() -> None:
    from claims_db.matching.calibrate import FEATURES

    assert set(fit_decision.MONOTONE) <= set(FEATURES)
    assert set(fit_decision.MONOTONE.values()) <= {-1, 1}


def test_learning_only_what_the_probability_decides_leaves_vetoed_rows_out() -> None:
    rows = [
        {"group": "present", "y": 1, "safe": True, "safe_else": True},
        {"group": "swap", "y": 0, "safe": False, "safe_else": False},  # a reversal: vetoed anyway
        {"group": "near", "y": 0, "safe": False, "safe_else": True},  # only the near-miss rule vetoes it
        {"group": "generated", "y": 0, "safe": True, "safe_else": True},
    ]
    assert fit_decision.learned(rows, set()).tolist() == [True, True, True, True]
    assert fit_decision.learned(rows, set(), decided_only=True).tolist() == [True, False, True, True]
    assert fit_decision.learned(rows, {"generated"}, decided_only=True).tolist() == [True, False, True, False]
