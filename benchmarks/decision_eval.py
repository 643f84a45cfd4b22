"""How the calibrated decision does on data it was not fitted on: CheckThat! 2022 2A test.

For every test tweet, against all 14,231 claims: MAP@5 and MAP@1 of the ranking, how often the
verdict is ``match`` with the right claim, ``match`` with a wrong one, and, with the tweet's own
claims removed from the store, how often it is ``match`` at all (it must not be: the claim is not
there). ``possible`` rates beside them. The decision model was fitted on train/dev only
(``benchmarks/fit_decision.py``).

    python benchmarks/decision_eval.py --checkthat PATH/TO/checkthat2022-2a-en [--split test] [--json]
        [--semantic [--weight W]]

With ``--semantic`` the same tweets are run twice in one run, on words alone and with the semantic
tier (MiniLM on onnxruntime; vectors cached in .cache/claimbot-bench), and both rows printed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkthat import load_split, load_vclaims, metrics, to_claims

from claims_db.matching import Matcher
from claims_db.models import Verdict


def evaluate(matcher: Matcher, texts: Sequence[str], golds: Sequence[set[str]]) -> dict[str, Any]:
    model = matcher.model
    rankings: list[list[str]] = []
    counts = {"right": 0, "wrong": 0, "possible": 0, "absent_match": 0, "absent_possible": 0}
    for text, gold in zip(texts, golds, strict=True):
        result = matcher.check(text, limit=5)
        rankings.append([m.claim_id for m in result.matches])
        if result.verdict is Verdict.MATCH:
            counts["right" if result.matches[0].claim_id in gold else "wrong"] += 1
        elif result.verdict is Verdict.POSSIBLE:
            counts["possible"] += 1
        found = matcher.scored(text, limit=1, exclude=frozenset(gold))
        if found:
            s = found[0]
            p = model.probability(s.features)
            match_cut, possible_cut = matcher.thresholds.resolve(model, short=s.short)
            safe = s.safe
            if p >= match_cut and safe:
                counts["absent_match"] += 1
            elif p >= possible_cut:
                counts["absent_possible"] += 1
    n = max(len(texts), 1)
    out: dict[str, Any] = {k: v / n for k, v in counts.items()}
    out.update(metrics(rankings, golds))
    out["n"] = len(texts)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkthat", type=Path, required=True)
    parser.add_argument("--split", default="test")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--semantic", action="store_true", help="also run with the semantic tier")
    parser.add_argument("--weight", type=float, default=None, help="semantic weight in the ranking")
    parser.add_argument("--only-semantic", action="store_true", help="skip the lexical row")
    args = parser.parse_args(argv)
    claims = to_claims(load_vclaims(args.checkthat))
    _, texts, golds = load_split(args.checkthat, args.split)
    results = {}
    if not args.only_semantic:
        t0 = time.perf_counter()
        matcher = Matcher(claims)
        build = time.perf_counter() - t0
        results["lexical"] = evaluate(matcher, texts, golds)
        results["lexical"]["build_s"] = build
    if args.semantic or args.only_semantic:
        from semantic_cache import semantic_index, warm

        t0 = time.perf_counter()
        index = semantic_index(claims)
        warm(index, texts)
        extra = {} if args.weight is None else {"semantic_weight": args.weight}
        matcher = Matcher(claims, semantic=index, **extra)
        build = time.perf_counter() - t0
        results["semantic"] = evaluate(matcher, texts, golds)
        results["semantic"]["build_s"] = build
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    for name, result in results.items():
        print(f"== {name}: {matcher_note(name)}")
        render(result, args.split)
    return 0


def matcher_note(name: str) -> str:
    return "words alone" if name == "lexical" else "with the semantic tier (MiniLM int8 on onnxruntime)"


def render(result: dict[str, Any], split: str) -> None:
    build = result["build_s"]
    print(f"CheckThat! 2022 2A {split}: {result['n']} tweets, 14,231 claims (index built in {build:.2f} s)")
    print(f"MAP@1 {result['map@1']:.3f}  MAP@5 {result['map@5']:.3f}  R@5 {result['r@5']:.3f}")
    right, wrong, possible = result["right"], result["wrong"], result["possible"]
    print(
        f"claim in the store:   match and right {right:.1%}, match and wrong {wrong:.1%}, "
        f"possible {possible:.1%}"
    )
    print(
        f"claim removed:        match {result['absent_match']:.1%}, possible {result['absent_possible']:.1%}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
