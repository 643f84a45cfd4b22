"""Fit the matcher's calibrated decision model and write claims_db/data/decision.json.

Training data (never a test set):

* CheckThat! 2022 2A train and dev tweets against all 14,231 claims: the best candidate of each
  tweet, labelled right or wrong, and the best candidate once the tweet's own claims are removed
  from the store (always wrong: what the bot faces when the claim is not in the store);
* claimbot's calibration set ``tests/data/matchset.jsonl`` against the bundled seed claims
  (matchable lines, swaps and chatter);
* generated restatements: a claim's statement as chat puts it (on 1,000 CheckThat! claims and on
  every seed claim), which must match; with ``--near-misses`` also as many generated near misses
  (one content word swapped for a word of another claim), which must not. On words alone the two
  cannot be told apart (the fit then gives up most matches), so near misses are left to the
  semantic feature.

A logistic regression over :data:`claims_db.matching.calibrate.FEATURES` is fitted; the cut points
are chosen on out-of-fold predictions (5 folds), with the party veto applied as at run time:
``match`` is the lowest probability at which wrong matches stay within ``--max-wrong`` of the
tweets whose claim is there, matches within ``--max-absent`` of the tweets whose claim was
removed, and confident wrong answers on the calibration set within ``--max-own``; ``possible`` is
where the out-of-fold precision of the band between it and ``match`` first reaches
``--possible-precision``.

    pip install -e '.[dev]'
    python benchmarks/fit_decision.py --checkthat PATH/TO/checkthat2022-2a-en
    python benchmarks/fit_decision.py --checkthat PATH/TO/checkthat2022-2a-en --semantic

With ``--semantic`` the candidates come from the matcher with the semantic tier on, the cosine
features join the model, and the result is written to ``decision-semantic.json`` (the model the
matcher uses when the tier is on).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkthat import load_split, load_vclaims, to_claims
from matchset import load_matchset, load_seed

from claims_db.matching import Matcher
from claims_db.matching.calibrate import FEATURES, DecisionModel

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = DecisionModel(
    FEATURES, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES), (0.0,) * len(FEATURES), 0.0, 0.9, 0.5, {}
)


def _matcher(claims: Sequence[Any], semantic: bool, texts: Sequence[str] = ()) -> Matcher:
    if not semantic:
        return Matcher(claims, model=PLACEHOLDER)
    from semantic_cache import semantic_index, warm

    index = semantic_index(claims)
    warm(index, texts)
    return Matcher(claims, model=PLACEHOLDER, semantic=index)


def rows_checkthat(
    root: Path,
    splits: Sequence[str],
    features: Sequence[str],
    generated: int = 0,
    near_miss: bool = False,
    semantic: bool = False,
) -> list[dict[str, Any]]:
    claims = to_claims(load_vclaims(root))
    queries = [t for split in splits for t in load_split(root, split)[1]]
    matcher = _matcher(claims, semantic, queries)
    rows = rows_generated(claims, matcher, features, generated, near_miss)
    for split in splits:
        _, texts, golds = load_split(root, split)
        for text, gold in zip(texts, golds, strict=True):
            for group, exclude in (("present", frozenset()), ("absent", frozenset(gold))):
                found = matcher.scored(text, limit=1, exclude=exclude)
                if not found:
                    continue
                s = found[0]
                rows.append(
                    {
                        "group": group,
                        "x": [s.features[f] for f in features],
                        "y": int(s.claim_id in gold),
                        "safe": s.safe,
                    }
                )
    return rows


_CONTENT = re.compile(r"[A-Za-z]{4,}")


def near_misses(statements: Sequence[str], n: int, seed: int = 0) -> list[tuple[int, str]]:
    """Generated near misses: a claim with one content word swapped for a word of another claim.

    "Kenya banned plastic bags" -> "Kenya banned plastic helmets": the same words nearly, another
    proposition. Returns ``(index of the claim, message)`` pairs; the claim must not be matched.
    """
    rng = random.Random(seed)
    pool = [w for s in statements for w in _CONTENT.findall(s) if w.islower()]
    out = []
    for i in rng.sample(range(len(statements)), min(n, len(statements))):
        words = [m for m in _CONTENT.finditer(statements[i]) if m[0].islower()]
        if not words or not pool:
            continue
        target = max(words, key=lambda m: len(m[0]) + rng.random())
        other = rng.choice(pool)
        if other.lower() == target[0].lower():
            continue
        out.append((i, statements[i][: target.start()] + other + statements[i][target.end() :]))
    return out


_FRAMES = ("{}", "is it true that {}?", "apparently {}", "i read that {}", "{} lol", "so {}, right?")


def restatements(statements: Sequence[str], n: int, seed: int = 1) -> list[tuple[int, str]]:
    """Generated positives: a claim's statement as chat puts it (lower case, in a frame).

    Without them every generated near miss (nearly the statement) would teach the model that a
    message close to the statement is a near miss."""
    rng = random.Random(seed)
    out = []
    for i in rng.sample(range(len(statements)), min(n, len(statements))):
        text = statements[i].rstrip(".")
        out.append(
            (i, rng.choice(_FRAMES).format(text[0].lower() + text[1:] if rng.random() < 0.5 else text))
        )
    return out


def rows_generated(
    claims: Sequence[Any], matcher: Matcher, features: Sequence[str], n: int, near_miss: bool = False
) -> list[dict[str, Any]]:
    rows = []
    statements = [c.statement for c in claims]
    kinds = [(1, restatements(statements, n))]
    if near_miss:
        kinds.append((0, near_misses(statements, n)))
    for label, pairs in kinds:
        for i, text in pairs:
            found = matcher.scored(text, limit=1)
            if not found:
                continue
            s = found[0]
            rows.append(
                {
                    "group": "generated" if label == 0 else "restated",
                    "x": [s.features[f] for f in features],
                    "y": int(label == 1 and s.claim_id == claims[i].id),
                    "safe": s.safe,
                }
            )
    return rows


def rows_matchset(
    lines_path: Path,
    seed: Path,
    features: Sequence[str],
    generated: int = 0,
    near_miss: bool = False,
    semantic: bool = False,
) -> list[dict[str, Any]]:
    claims = load_seed(seed)
    matcher = _matcher(claims, semantic, [line.text for line in load_matchset(lines_path)])
    rows = rows_generated(claims, matcher, features, generated, near_miss)
    for line in load_matchset(lines_path):
        found = matcher.scored(line.text, limit=1)
        if not found:
            continue
        s = found[0]
        rows.append(
            {
                "group": "own",
                "x": [s.features[f] for f in features],
                "y": int(line.expect is not None and s.claim_id == line.expect),
                "safe": s.safe,
            }
        )
    return rows


def choose_cuts(
    p: np.ndarray, rows: Sequence[dict[str, Any]], args: argparse.Namespace
) -> tuple[float, float, dict[str, Any]]:
    y = np.array([r["y"] for r in rows])
    safe = np.array([r["safe"] for r in rows])
    group = np.array([r["group"] for r in rows])
    present, absent, own = group == "present", group == "absent", group == "own"
    gen = group == "generated"

    def stats(t: float) -> dict[str, float]:
        m = (p >= t) & safe
        return {
            "present_right": float((m & present & (y == 1)).sum() / max(present.sum(), 1)),
            "present_wrong": float((m & present & (y == 0)).sum() / max(present.sum(), 1)),
            "absent_match": float((m & absent).sum() / max(absent.sum(), 1)),
            "own_right": float((m & own & (y == 1)).sum() / max(own.sum(), 1)),
            "own_wrong": float((m & own & (y == 0)).sum() / max(own.sum(), 1)),
            "generated_match": float((m & gen).sum() / max(gen.sum(), 1)),
            "restated_right": float(
                (m & (group == "restated") & (y == 1)).sum() / max((group == "restated").sum(), 1)
            ),
        }

    match = 0.99
    for t in np.arange(0.30, 0.995, 0.005):
        s = stats(float(t))
        if (
            s["present_wrong"] <= args.max_wrong
            and s["absent_match"] <= args.max_absent
            and s["own_wrong"] <= args.max_own
            and s["generated_match"] <= args.max_generated
        ):
            match = float(round(t, 3))
            break
    possible = match
    for t in np.arange(0.05, match, 0.005):
        band = (p >= t) & (p < match)
        if band.sum() and y[band].mean() >= args.possible_precision:
            possible = float(round(t, 3))
            break
    sel_m = (p >= match) & safe
    sel_p = (p >= possible) & ~sel_m
    info = {
        "at_match": stats(match),
        "precision_match": float(y[sel_m].mean()) if sel_m.sum() else None,
        "precision_possible_band": float(y[sel_p].mean()) if sel_p.sum() else None,
    }
    return match, possible, info


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkthat", type=Path, required=True)
    parser.add_argument("--matchset", type=Path, default=ROOT / "tests/data/matchset.jsonl")
    parser.add_argument("--seed", type=Path, default=ROOT / "claims_db/data/seed_claims.json")
    parser.add_argument(
        "--out", type=Path, default=None, help="default: decision.json or decision-semantic.json"
    )
    parser.add_argument("--semantic", action="store_true", help="fit the model the semantic tier uses")
    parser.add_argument("--max-wrong", type=float, default=0.005)
    parser.add_argument("--max-absent", type=float, default=0.015)
    parser.add_argument("--max-own", type=float, default=0.01)
    parser.add_argument("--possible-precision", type=float, default=0.5)
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument(
        "--generated", type=int, default=1000, help="generated near misses on CheckThat! claims"
    )
    parser.add_argument("--max-generated", type=float, default=1.0, help="share of near misses matched")
    parser.add_argument(
        "--near-misses",
        action="store_true",
        help="train on generated near misses too (on words alone they cannot be told from restatements)",
    )
    parser.add_argument(
        "--features", default=None, help="comma-separated (default: all; without --semantic, no cosine)"
    )
    args = parser.parse_args(argv)
    if args.out is None:
        args.out = ROOT / "claims_db/data" / ("decision-semantic.json" if args.semantic else "decision.json")
    if args.features is None:
        args.features = ",".join(f for f in FEATURES if args.semantic or not f.startswith("semantic"))
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    features = [f for f in args.features.split(",") if f]
    t0 = time.perf_counter()
    rows = rows_checkthat(
        args.checkthat, ("train", "dev"), features, args.generated, args.near_misses, args.semantic
    )
    rows += rows_matchset(
        args.matchset, args.seed, features, len(load_seed(args.seed)), args.near_misses, args.semantic
    )
    print(f"{len(rows)} rows in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    x = np.array([r["x"] for r in rows], dtype=np.float64)
    y = np.array([r["y"] for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    oof = np.zeros(len(rows))
    strata = np.array([f"{r['group']}{r['y']}" for r in rows])
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(z, strata):
        model = LogisticRegression(C=args.C, max_iter=2000).fit(z[train], y[train])
        oof[test] = model.predict_proba(z[test])[:, 1]
    match, possible, info = choose_cuts(oof, rows, args)
    final = LogisticRegression(C=args.C, max_iter=2000).fit(z, y)
    groups = {
        g: int(sum(r["group"] == g for r in rows))
        for g in ("present", "absent", "own", "generated", "restated")
    }
    info.update(
        {
            "fitted_on": "CheckThat! 2022 2A train+dev (claim present / removed), generated restatements "
            "and tests/data/matchset.jsonl",
            "rows": groups,
            "positives": int(y.sum()),
            "C": args.C,
            "cut_rule": {
                "max_wrong": args.max_wrong,
                "max_absent": args.max_absent,
                "max_own": args.max_own,
                "possible_precision": args.possible_precision,
            },
        }
    )
    out = DecisionModel(
        tuple(features),
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
        tuple(float(v) for v in final.coef_[0]),
        float(final.intercept_[0]),
        match,
        possible,
        info,
    )
    args.out.write_text(json.dumps(out.to_dict(), indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"match": match, "possible": possible, **info}, indent=1))
    for name, w in sorted(zip(features, final.coef_[0], strict=True), key=lambda kv: -abs(kv[1])):
        print(f"  {name:16s} {w:+.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
