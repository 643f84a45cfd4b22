"""Fit the matcher's calibrated decision model and write claims_db/data/decision.json.

Training data (never a test set):

* CheckThat! 2022 2A train and dev tweets against all 14,231 claims: the best candidate of each
  tweet, labelled right or wrong, and the best candidate once the tweet's own claims are removed
  from the store (always wrong: what the bot faces when the claim is not in the store);
* claimbot's calibration set ``tests/data/matchset.jsonl`` against the bundled seed claims
  (matchable lines, swaps and chatter);
* the hand-written near misses of the seed claims ``tests/data/nearmiss.jsonl`` (the same parties,
  another thing said of them: "Russia rebuilt the Kakhovka dam"), which must not match: a group of
  their own, bounded by ``--max-near-miss``;
* with ``--paraphrases``, each seed claim's curator-written paraphrases as messages: left out of
  its claim's texts, the claim must be found and matched (group ``para``), and with the claim removed
  from the store nothing may match (``para_absent``, bounded by ``--max-absent``);
* generated restatements: a claim's statement as chat puts it (on 1,000 CheckThat! claims and on
  every seed claim), which must match; with ``--near-misses`` also as many generated near misses
  (one content word swapped for a content word of another claim), which must not. The semantic
  tier's model is fitted with them. The words-alone model is not: it matches 81% of them out of
  fold, and fitted with them it lost a quarter of its right matches on chat (docs/matching.md).

A logistic regression (or, with ``--model trees``, boosted trees) over
:data:`claims_db.matching.calibrate.FEATURES` is fitted; the cut points
are chosen on out-of-fold predictions (5 folds), with the party veto applied as at run time:
``match`` is the lowest probability at which wrong matches stay within ``--max-wrong`` of the
tweets whose claim is there, matches within ``--max-absent`` of the tweets whose claim was
removed, and confident wrong answers on the calibration set within ``--max-own``; ``possible`` is
where the out-of-fold precision of the band between it and ``match`` first reaches
``--possible-precision``. With ``--semantic --near-miss-cosines LIST`` the near-miss rule's cosine
gate is chosen among LIST the same way (the gate whose cut points get the most right answers).

    pip install -e '.[dev]'
    python benchmarks/fit_decision.py --checkthat PATH/TO/checkthat2022-2a-en
    python benchmarks/fit_decision.py --checkthat PATH/TO/checkthat2022-2a-en --semantic

With ``--semantic`` the candidates come from the matcher with the semantic tier on, the cosine
features join the model, and the result is written to ``decision-semantic.json`` (the model the
matcher uses when the tier is on).

Accepted "Wrong match?" reports add labelled negatives (``claimbot reports export FILE``, then
``--negatives FILE``, repeatable): the claim a curator confirmed the text is not about, scored
against the text, is a wrong answer in the ``own`` group.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import re
import sys
import time
from collections.abc import Mapping, Sequence, Set
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkthat import load_split, load_vclaims, to_claims
from matchset import load_matchset, load_seed

from claims_db.matching import Matcher
from claims_db.matching.analyze import analyze
from claims_db.matching.calibrate import FEATURES, NEAR_MISS_COSINE, DecisionModel, Tree
from claims_db.matching.normalize import normalize
from claims_db.models import Attribution, Claim, Status

ROOT = Path(__file__).resolve().parent.parent
# the groups of training rows (see the module docstring); bounds and gains are per group
GROUPS = (
    "present", "absent", "own", "near", "generated", "restated", "swap", "suite", "para", "para_absent",
    "dev", "dev_absent", "dev_near", "dev_chatter",
)  # fmt: skip
# the groups whose right matches the cut points maximise (summed), each where it has rows
RIGHT_GROUPS = ("present", "own", "restated", "suite", "para", "dev")
PLACEHOLDER = DecisionModel(
    FEATURES, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES), (0.0,) * len(FEATURES), 0.0, 0.9, 0.5, {}
)


def _flags(s: Any) -> dict[str, bool]:
    """What could veto a match, kept with each row so that veto rules can be compared offline."""
    p = s.parties
    return {
        "agrees": p.agrees,
        "missing": bool(p.missing),
        "replaced": bool(p.replaced),
        "reversed": bool(p.reversed),
        "conflict": bool(s.evidence.conflict),
        "near_miss": s.near_miss,
        "adds": s.adds_party,
        "opposed": bool(s.opposed),
        "short": s.short,
        # the near-miss rule apart, so that its cosine gate can be chosen on these rows
        "near_in_words": s.near_in_words,
        "safe_else": dataclasses.replace(s, near_miss_cosine=0.0).safe,
    }


def _row(
    s: Any, features: Sequence[str], group: str, y: int, key: str | None = None, **extra: Any
) -> dict[str, Any]:
    """One training row: the candidate's features, its label and what could veto it."""
    row: dict[str, Any] = {"group": group}
    if key is not None:
        row["key"] = key
    row.update(extra)
    row.update({"x": [s.features[f] for f in features], "y": y, "safe": s.safe, **_flags(s)})
    return row


def _matcher(
    claims: Sequence[Any], semantic: bool, texts: Sequence[str] = (), prepared: dict[str, Any] | None = None
) -> Matcher:
    """A matcher over ``claims`` with the placeholder model; ``prepared`` keeps claims' analyses
    between matchers over nearly the same claims."""
    if not semantic:
        return Matcher(claims, model=PLACEHOLDER, prepared=prepared)
    from semantic_cache import semantic_index, warm

    index = semantic_index(claims)
    warm(index, texts)
    return Matcher(claims, model=PLACEHOLDER, semantic=index, prepared=prepared)


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
        for n, (text, gold) in enumerate(zip(texts, golds, strict=True)):
            for group, exclude in (("present", frozenset()), ("absent", frozenset(gold))):
                found = matcher.scored(text, limit=1, exclude=exclude)
                if not found:
                    continue
                s = found[0]
                rows.append(_row(s, features, group, int(s.claim_id in gold), f"tweet:{split}:{n}"))
    return rows


_CONTENT = re.compile(r"[A-Za-z]{4,}")


@cache
def _term(word: str) -> str | None:
    """The index term of one word, or None for a word the index leaves out ("that", "with")."""
    terms = analyze(normalize(word)).terms
    return terms[0] if len(terms) == 1 else None


def near_misses(statements: Sequence[str], n: int, seed: int = 0) -> list[tuple[int, str]]:
    """Generated near misses: a claim with one content word swapped for a word of another claim.

    "Kenya banned plastic bags" -> "Kenya banned plastic helmets": the same words nearly, another
    proposition. Both words are content words the index keeps, and the new one is none of the
    claim's: a function word in the place ("Kenya banned plastic that") would only leave a word
    out, as paraphrases do, and teach the model that a shortened restatement is a near miss.
    Returns ``(index of the claim, message)`` pairs; the claim must not be matched.
    """
    rng = random.Random(seed)
    pool = [w for s in statements for w in _CONTENT.findall(s) if w.islower() and _term(w)]
    out = []
    for i in rng.sample(range(len(statements)), min(n, len(statements))):
        words = [m for m in _CONTENT.finditer(statements[i]) if m[0].islower() and _term(m[0])]
        if not words or not pool:
            continue
        target = max(words, key=lambda m: len(m[0]) + rng.random())
        other = rng.choice(pool)
        own = set(analyze(normalize(statements[i])).terms)
        if _term(other) in own:
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
            group = "generated" if label == 0 else "restated"
            rows.append(
                _row(
                    s,
                    features,
                    group,
                    int(label == 1 and s.claim_id == claims[i].id),
                    f"claim:{claims[i].id}",
                )
            )
    return rows


def rows_matchset(
    lines_path: Path,
    seed: Path,
    features: Sequence[str],
    generated: int = 0,
    near_miss: bool = False,
    semantic: bool = False,
    group: str = "own",
) -> list[dict[str, Any]]:
    claims = load_seed(seed)
    matcher = _matcher(claims, semantic, [line.text for line in load_matchset(lines_path)])
    rows = rows_generated(claims, matcher, features, generated, near_miss)
    for n, line in enumerate(load_matchset(lines_path)):
        found = matcher.scored(line.text, limit=1)
        if not found:
            continue
        s = found[0]
        key = f"claim:{line.expect}" if line.expect else f"{group}:{n}"
        rows.append(_row(s, features, group, int(line.expect is not None and s.claim_id == line.expect), key))
    return rows


def rows_paraphrases(seed: Path, features: Sequence[str], semantic: bool = False) -> list[dict[str, Any]]:
    """Each seed claim's paraphrases, written by curators in the words people use, as messages:
    one at a time, left out of its claim's texts (group ``para``: the claim must be found and
    matched in words it was not given), and again with its claim left out of the store (group
    ``para_absent``: what the bot faces when a chat line's claim is not there; it must not match).
    """
    claims = load_seed(seed)
    everything = [t for c in claims for t in (c.statement, *c.paraphrases)]
    prepared: dict[str, Any] = {}
    full = _matcher(claims, semantic, everything)
    rows = []
    for n, claim in enumerate(claims):
        for k, text in enumerate(claim.paraphrases):
            kept = dataclasses.replace(claim, paraphrases=claim.paraphrases[:k] + claim.paraphrases[k + 1 :])
            store = [*claims[:n], kept, *claims[n + 1 :]]
            matcher = _matcher(store, semantic, [text], prepared)
            for group, found in (
                ("para", matcher.scored(text, limit=1)),
                ("para_absent", full.scored(text, limit=1, exclude=frozenset({claim.id}))),
            ):
                if not found:
                    continue
                s = found[0]
                y = int(group == "para" and s.claim_id == claim.id)
                rows.append(_row(s, features, group, y, f"claim:{claim.id}"))
    return rows


def rows_devset(folder: Path, features: Sequence[str], semantic: bool = False) -> list[dict[str, Any]]:
    """A development set in the unseen set's layout (``claims.json``, ``messages.jsonl``): claims of
    domains the seed store does not cover, with chat messages about them, matched against that
    store alone, as a curator's new store would be.

    Groups: ``dev`` (a matchable message: its claim must come first and match), ``dev_absent`` (the
    same message with its claim left out of the store: it must not match), ``dev_near`` (near
    misses and swaps: must not match) and ``dev_chatter``.
    """
    from matchset import NEAR_MISS, SWAPS

    from claims_db.transfer import parse_claims

    path = folder / "claims.json"
    claims = parse_claims(path.read_bytes(), filename=str(path))
    lines = load_matchset(folder / "messages.jsonl")
    known = {c.id for c in claims}
    for line in lines:
        for ref in (line.expect, line.other):
            if ref is not None and ref not in known:
                raise SystemExit(f"{folder}/messages.jsonl: {line.text!r} names {ref!r}, not in claims.json")
    matcher = _matcher(claims, semantic, [line.text for line in lines])
    rows = []
    for n, line in enumerate(lines):
        key = f"dev:{folder.name}:{line.expect or n}"
        if line.expect is not None:
            looks = (("dev", frozenset()), ("dev_absent", frozenset({line.expect})))
        elif line.kind in SWAPS or line.kind == NEAR_MISS:
            looks = (("dev_near", frozenset()),)
        else:
            looks = (("dev_chatter", frozenset()),)
        for group, exclude in looks:
            found = matcher.scored(line.text, limit=1, exclude=exclude)
            if not found:
                continue
            s = found[0]
            y = int(group == "dev" and s.claim_id == line.expect)
            rows.append(_row(s, features, group, y, key, kind=line.kind))
    return rows


def rows_suite(
    root: Path,
    features: Sequence[str],
    n: int,
    semantic: bool,
    *,
    rng: int | None = None,
    held_out: tuple[int, int] | None = None,
) -> list[dict[str, Any]]:
    """The behavioural suite's generated cases (benchmarks/checklist.py) on ``n`` CheckThat! claims
    sampled with seed ``rng``, leaving out the claims ``behaviour.py --checkthat --n N --rng R``
    reports on (``held_out``): swaps and replacements must not match, the other kinds must."""
    from behaviour import FITTED, REPORTED, checkthat_claims
    from checklist import cases, context

    rng = FITTED[1] if rng is None else rng
    held_out = REPORTED if held_out is None else held_out
    everything, reported = checkthat_claims(root, held_out[0], held_out[1])
    skip = {c.id for c in reported}
    pool = [c for c in everything if c.id not in skip]
    sample = random.Random(rng).sample(pool, min(n, len(pool)))
    matcher = _matcher(everything, semantic)
    ctx = context(c.statement for c in everything)
    rows = []
    for claim in sample:
        for case in cases(claim.statement, ctx, seed=rng):
            if case.kind == "original":
                continue
            found = matcher.scored(case.message, limit=1)
            if not found:
                continue
            s = found[0]
            swap = case.expect == "not_match"
            group = "swap" if swap else "suite"
            y = int(not swap and s.claim_id == claim.id)
            rows.append(_row(s, features, group, y, f"claim:{claim.id}", kind=case.kind))
    return rows


def export_trees(model: Any) -> tuple[float, tuple[Tree, ...]]:
    """A fitted HistGradientBoostingClassifier as (baseline, trees) for claims_db to apply."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        trees.append(
            Tree(
                tuple(
                    -1 if leaf else int(f)
                    for f, leaf in zip(nodes["feature_idx"], nodes["is_leaf"], strict=True)
                ),
                tuple(float(t) for t in nodes["num_threshold"]),
                tuple(int(v) for v in nodes["left"]),
                tuple(int(v) for v in nodes["right"]),
                tuple(float(v) for v in nodes["value"]),
            )
        )
    return float(np.ravel(model._baseline_prediction)[0]), tuple(trees)


# With --monotonic, the direction in which each feature may move the probability, whatever the
# others are: more of the claim's words found, a closer meaning or a wider margin over the
# runner-up never lowers it, a missing or replaced party never raises it. Features with no such
# reading for every message (its length, the number of parties, words of its own) are free (0).
# Unconstrained trees learn their shape where the training rows are, and CheckThat!'s tweets are
# no chat: out of their range a tree may answer anything ("Spain's interior ministry says police
# arrested Redwater gang boss Dario Castell in Malaga", cosine 0.96 with every party there, got
# 0.11 against the claim it restates).
MONOTONE = {
    "score": 1,
    "recall": 1,
    "precision": 1,
    "coverage": 1,
    "fuzzy": 1,
    "bm25": 1,
    "margin": 1,
    "runner_up_bm25": -1,
    "matched_terms": 1,
    "parties_present": 1,
    "parties_missing": -1,
    "parties_replaced": -1,
    "table_conflict": -1,
    "idf_found": 1,
    "idf_missed": -1,
    "idf_swapped": -1,
    "predicate_recall": 1,
    "predicate_missed": -1,
    "semantic": 1,
    "semantic_margin": 1,
}


def learned(
    rows: Sequence[Mapping[str, Any]], bound_only: Set[str], *, decided_only: bool = False
) -> np.ndarray:
    """Which rows the model learns from: not those of the ``bound_only`` groups, and with
    ``decided_only`` (``--learn-decided``) not those a veto other than the near-miss rule decides.
    A vetoed row is never a match whatever its probability; learning from it teaches the trees
    that a message with every word and party of a claim (a direction swap) is doubtful."""
    learn = np.array([r["group"] not in bound_only for r in rows], dtype=bool)
    if decided_only:
        learn &= np.array([bool(r.get("safe_else", r["safe"])) for r in rows], dtype=bool)
    return learn


def make_model(kind: str, C: float, monotonic: Sequence[int] | None = None) -> Any:
    if kind == "trees":
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(
            max_iter=300,
            learning_rate=0.05,
            max_leaf_nodes=15,
            min_samples_leaf=20,
            random_state=0,
            monotonic_cst=list(monotonic) if monotonic is not None else None,
        )
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=2000)


def rows_negatives(
    path: Path, seed: Path, features: Sequence[str], semantic: bool = False
) -> list[dict[str, Any]]:
    """Accepted "Wrong match?" reports, as ``claimbot reports export`` writes them: labelled negatives.

    Each line names a text and the claim it was wrongly matched to (``other``), with that claim's
    texts (``claim``), so the pair can be scored against the seed claims plus the reported ones. The
    reported claim's candidate row is a wrong answer (y = 0) in the group ``own``, whose confident
    wrong answers ``--max-own`` bounds. A text whose reported claim is no longer even a candidate
    has nothing to teach and is left out.
    """
    claims = {c.id: c for c in load_seed(seed)}
    lines = [json.loads(raw) for raw in path.read_text(encoding="utf-8").splitlines() if raw.strip()]
    for line in lines:
        c = line["claim"]
        if c["id"] not in claims:
            actors = c.get("actors") or ["unknown"]
            claims[c["id"]] = Claim(
                id=c["id"],
                statement=c["statement"],
                status=Status.ALLEGED,
                attributions=tuple(Attribution(actor=a) for a in actors),
                paraphrases=tuple(c.get("paraphrases", ())),
            )
    matcher = _matcher(list(claims.values()), semantic, [line["text"] for line in lines])
    rows = []
    for line in lines:
        found = [s for s in matcher.scored(line["text"], limit=20) if s.claim_id == line["other"]]
        if found:
            s = found[0]
            rows.append(_row(s, features, "own", 0))
    return rows


def choose_cuts(
    p: np.ndarray, rows: Sequence[dict[str, Any]], args: argparse.Namespace, short: np.ndarray
) -> tuple[tuple[float, float], tuple[float, float], dict[str, Any]]:
    """Cut points for long and for short messages: ``((match, possible) long, (match, possible)
    short, info)``. The pair of match cuts that keeps every rate of wrong answers within its bound
    and gets the most right answers (summed over the groups) wins; with ``--one-cut`` both bands
    share one."""
    y = np.array([r["y"] for r in rows])
    safe = np.array([r["safe"] for r in rows])
    group = np.array([r["group"] for r in rows])
    masks = {g: group == g for g in GROUPS}
    sizes = {g: max(int(m.sum()), 1) for g, m in masks.items()}
    # with --swap-per-kind, each kind of swap (direction, replaced country, person ...) is bounded
    # alone: direction swaps are a tenth of the suite's swaps, and a bound on all of them together
    # lets those through
    kinds = np.array([r.get("kind", "") for r in rows])
    per_kind = {
        k: masks["swap"] & (kinds == k) for k in sorted(set(kinds[masks["swap"]])) if args.swap_per_kind and k
    }
    if args.swap_per_kind and not per_kind:
        raise SystemExit("--swap-per-kind: the rows carry no swap kinds (dump them again with this version)")

    def stats(long_cut: float, short_cut: float) -> dict[str, float]:
        m = safe & (((p >= short_cut) & short) | ((p >= long_cut) & ~short))
        right, wrong = m & (y == 1), m & (y == 0)
        return {
            "present_right": float((right & masks["present"]).sum() / sizes["present"]),
            "present_wrong": float((wrong & masks["present"]).sum() / sizes["present"]),
            "absent_match": float((m & masks["absent"]).sum() / sizes["absent"]),
            "own_right": float((right & masks["own"]).sum() / sizes["own"]),
            "own_wrong": float((wrong & masks["own"]).sum() / sizes["own"]),
            "near_miss_match": float((m & masks["near"]).sum() / sizes["near"]),
            "generated_match": float((m & masks["generated"]).sum() / sizes["generated"]),
            "restated_right": float((right & masks["restated"]).sum() / sizes["restated"]),
            "swap_match": float((m & masks["swap"]).sum() / sizes["swap"]),
            "suite_right": float((right & masks["suite"]).sum() / sizes["suite"]),
            "para_right": float((right & masks["para"]).sum() / sizes["para"]),
            "para_absent_match": float((m & masks["para_absent"]).sum() / sizes["para_absent"]),
            "dev_right": float((right & masks["dev"]).sum() / sizes["dev"]),
            "dev_wrong": float((wrong & masks["dev"]).sum() / sizes["dev"]),
            "dev_absent_match": float((m & masks["dev_absent"]).sum() / sizes["dev_absent"]),
            "dev_near_match": float((m & masks["dev_near"]).sum() / sizes["dev_near"]),
            "dev_chatter_match": float((m & masks["dev_chatter"]).sum() / sizes["dev_chatter"]),
            "swap_match_worst_kind": max(
                (float((m & km).sum() / max(int(km.sum()), 1)) for km in per_kind.values()), default=0.0
            ),
        }

    def held(rate: float, group: str, bound: float) -> bool:
        """Is ``rate`` (of the group's rows) within ``bound``? With ``--confident``, the upper end of
        its one-sided 95% Wilson interval must be: the bound then holds on new tweets too, not
        only on these."""
        if not args.confident:
            return rate <= bound
        n, z = sizes[group], 1.645
        centre = rate + z * z / (2 * n)
        spread = z * math.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n))
        return (centre + spread) / (1 + z * z / n) <= bound

    def allowed(s: dict[str, float]) -> bool:
        return (
            held(s["present_wrong"], "present", args.max_wrong)
            and held(s["absent_match"], "absent", args.max_absent)
            and (
                not masks["para_absent"].any() or held(s["para_absent_match"], "para_absent", args.max_absent)
            )
            and s["own_wrong"] <= args.max_own
            and (not masks["dev"].any() or s["dev_wrong"] <= args.max_own)
            and (not masks["dev_absent"].any() or held(s["dev_absent_match"], "dev_absent", args.max_absent))
            and s["dev_near_match"] <= args.max_dev_near
            and s["dev_chatter_match"] <= args.max_own
            and s["near_miss_match"] <= args.max_near_miss
            and s["generated_match"] <= args.max_generated
            and s["swap_match"] <= args.max_swap
            and s["swap_match_worst_kind"] <= args.max_swap
        )

    def gain(s: dict[str, float]) -> float:
        present = [g for g in RIGHT_GROUPS if masks[g].any()]
        return sum(s[f"{g}_right"] for g in present)

    grid = [float(round(t, 3)) for t in np.arange(0.30, 0.995, 0.01)]
    best: tuple[float, float, float] = (-1.0, 0.99, 0.99)
    for long_cut in grid:
        for short_cut in [long_cut] if args.one_cut else grid:
            s = stats(long_cut, short_cut)
            if allowed(s) and gain(s) > best[0]:
                best = (gain(s), long_cut, short_cut)
    _, match_long, match_short = best

    def possible_for(band: np.ndarray, match: float) -> float:
        for t in np.arange(0.05, match, 0.005):
            inside = band & (p >= t) & (p < match)
            if inside.sum() and y[inside].mean() >= args.possible_precision:
                return float(round(t, 3))
        return match

    # the precision of "possible" as real messages see it: without the generated and adversarial
    # groups, whose share of the rows is a choice of this script, not of the bot's users
    real = np.ones(len(rows), dtype=bool)
    if args.possible_groups != "all":
        real = np.isin(group, args.possible_groups.split(","))
    possible_long = possible_for(real & ~short, match_long)
    possible_short = possible_for(real & short, match_short)
    sel_m = safe & (((p >= match_short) & short) | ((p >= match_long) & ~short))
    sel_p = ~sel_m & (((p >= possible_short) & short) | ((p >= possible_long) & ~short))
    info = {
        "at_match": stats(match_long, match_short),
        "precision_match": float(y[sel_m].mean()) if sel_m.sum() else None,
        "precision_possible_band": float(y[sel_p].mean()) if sel_p.sum() else None,
    }
    return (match_long, possible_long), (match_short, possible_short), info


def choose_gate(
    p: np.ndarray,
    rows: Sequence[dict[str, Any]],
    args: argparse.Namespace,
    short: np.ndarray,
    features: Sequence[str],
) -> tuple[list[dict[str, Any]], float, float | None]:
    """The near-miss rule's gates among ``--near-miss-cosines`` (``DecisionModel.near_miss_cosine``)
    and, with ``--near-miss-aligns``, the alignment gate (``DecisionModel.near_miss_align``; none
    is one of the choices): the pair whose cut points (:func:`choose_cuts`, every bound held) get
    the most right answers; a tie goes to the stricter rule (the higher cosine gate, then an
    alignment gate, the higher). Returns the rows with ``safe`` as those gates make it, and the
    gates."""
    if any("safe_else" not in r for r in rows):
        raise SystemExit("--near-miss-cosines: the rows carry no near-miss flags (dump them again)")
    cosine = features.index("semantic")
    aligns: list[float | None] = [None]
    if getattr(args, "near_miss_aligns", None):
        if "semantic_align" not in features:
            raise SystemExit("--near-miss-aligns: the rows carry no semantic_align feature")
        aligns += sorted((float(g) for g in args.near_miss_aligns.split(",")), reverse=True)
    align = features.index("semantic_align") if len(aligns) > 1 else -1

    def near(r: dict[str, Any], gate: float, by_align: float | None) -> bool:
        if not r["near_in_words"]:
            return False
        return r["x"][cosine] < gate or (by_align is not None and r["x"][align] < by_align)

    best: tuple[float, float, float | None, list[dict[str, Any]]] | None = None
    for gate in sorted((float(g) for g in args.near_miss_cosines.split(",")), reverse=True):
        for by_align in aligns:
            gated = [dict(r, safe=bool(r["safe_else"] and not near(r, gate, by_align))) for r in rows]
            _, _, info = choose_cuts(p, gated, args, short)
            s = info["at_match"]
            got = sum(s[f"{g}_right"] for g in RIGHT_GROUPS)
            said = f"near-miss cosine {gate:.2f}"
            said += "" if by_align is None else f", alignment {by_align:.2f}"
            print(f"{said}: right answers summed over the groups {got:.3f}", file=sys.stderr)
            if best is None or got > best[0] + 1e-9:
                best = (got, gate, by_align, gated)
    assert best is not None
    return best[3], best[1], best[2]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkthat", type=Path, required=True)
    parser.add_argument("--matchset", type=Path, default=ROOT / "tests/data/matchset.jsonl")
    parser.add_argument("--seed", type=Path, default=ROOT / "claims_db/data/seed_claims.json")
    parser.add_argument(
        "--near-miss-set",
        type=Path,
        default=ROOT / "tests/data/nearmiss.jsonl",
        help="hand-written near misses of the seed claims (never to match); their own group",
    )
    parser.add_argument("--max-near-miss", type=float, default=1.0, help="share of --near-miss-set matched")
    parser.add_argument(
        "--out", type=Path, default=None, help="default: decision.json or decision-semantic.json"
    )
    parser.add_argument("--semantic", action="store_true", help="fit the model the semantic tier uses")
    parser.add_argument("--dump", type=Path, default=None, help="also write the training rows here (JSON)")
    parser.add_argument("--rows", type=Path, default=None, help="fit on rows an earlier --dump wrote")
    parser.add_argument("--max-wrong", type=float, default=0.005)
    parser.add_argument("--max-absent", type=float, default=0.015)
    parser.add_argument("--max-own", type=float, default=0.01)
    parser.add_argument(
        "--confident",
        action="store_true",
        help="hold --max-wrong and --max-absent by the upper end of a 95%% interval, not the rate",
    )
    parser.add_argument("--possible-precision", type=float, default=0.5)
    parser.add_argument(
        "--possible-groups",
        default="all",
        help="comma-separated row groups the precision of 'possible' is measured on (default: all)",
    )
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--one-cut", action="store_true", help="one match cut for every message length")
    parser.add_argument(
        "--model", choices=("logistic", "trees"), default=None, help="default: trees with --semantic"
    )
    parser.add_argument(
        "--generated", type=int, default=1000, help="generated near misses on CheckThat! claims"
    )
    parser.add_argument("--max-generated", type=float, default=1.0, help="share of near misses matched")
    parser.add_argument("--suite", type=int, default=0, help="generated suite cases from this many claims")
    parser.add_argument(
        "--near-miss-cosines",
        default="",
        metavar="LIST",
        help="with --semantic: choose the near-miss rule's cosine gate among these (e.g. 0.6,0.65,...,0.85)",
    )
    parser.add_argument(
        "--near-miss-aligns",
        default="",
        metavar="LIST",
        help="with --near-miss-cosines: also choose an alignment gate among these or none (e.g. 0.3,0.35)",
    )
    parser.add_argument(
        "--paraphrases",
        action="store_true",
        help="also each seed claim's paraphrases, each left out of its texts (and with the claim removed)",
    )
    parser.add_argument(
        "--devset",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a development set (claims.json + messages.jsonl, matched against its own store); repeatable",
    )
    parser.add_argument(
        "--max-dev-near", type=float, default=1.0, help="share of --devset near misses and swaps matched"
    )
    parser.add_argument("--max-swap", type=float, default=0.02, help="share of generated swaps matched")
    parser.add_argument(
        "--swap-per-kind",
        action="store_true",
        help="bound every kind of generated swap by --max-swap, not only all of them together",
    )
    parser.add_argument(
        "--near-misses",
        action="store_true",
        help="train on generated near misses too (the semantic tier's model is)",
    )
    parser.add_argument(
        "--bound-only",
        default="",
        metavar="GROUPS",
        help="comma-separated row groups (e.g. generated) that bound the cut points but are not learned from",
    )
    parser.add_argument(
        "--learn-decided",
        action="store_true",
        help="learn only from rows the probability decides: a row that a veto other than the "
        "near-miss rule decides (a reversal, a party replaced, an opposite ...) bounds the cuts "
        "but is not learned from",
    )
    parser.add_argument(
        "--monotonic",
        action="store_true",
        help="trees only: each feature moves the probability one way only (see MONOTONE)",
    )
    parser.add_argument(
        "--features", default=None, help="comma-separated (default: all; without --semantic, no cosine)"
    )
    parser.add_argument(
        "--negatives",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="labelled negatives from `claimbot reports export` (accepted wrong-match reports); repeatable",
    )
    args = parser.parse_args(argv)
    if args.out is None:
        args.out = ROOT / "claims_db/data" / ("decision-semantic.json" if args.semantic else "decision.json")
    if args.features is None:
        args.features = ",".join(f for f in FEATURES if args.semantic or not f.startswith("semantic"))
    from sklearn.model_selection import StratifiedKFold

    kind = args.model or ("trees" if args.semantic else "logistic")

    features = [f for f in args.features.split(",") if f]
    t0 = time.perf_counter()
    if args.rows is not None:  # rows computed and dumped by an earlier run on the same code
        dumped = json.loads(args.rows.read_text(encoding="utf-8"))
        if dumped["features"] != features:
            raise SystemExit(f"{args.rows} has features {dumped['features']}, not {features}")
        rows = dumped["rows"]
    else:
        rows = rows_checkthat(
            args.checkthat, ("train", "dev"), features, args.generated, args.near_misses, args.semantic
        )
        rows += rows_matchset(
            args.matchset, args.seed, features, len(load_seed(args.seed)), args.near_misses, args.semantic
        )
        if args.near_miss_set and args.near_miss_set.exists():
            rows += rows_matchset(
                args.near_miss_set, args.seed, features, 0, False, args.semantic, group="near"
            )
        if args.suite:
            rows += rows_suite(args.checkthat, features, args.suite, args.semantic)
        if args.paraphrases:
            rows += rows_paraphrases(args.seed, features, args.semantic)
        print(f"{len(rows)} rows in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        if args.dump:
            args.dump.write_text(json.dumps({"features": features, "rows": rows}), encoding="utf-8")
    if args.devset:  # added to dumped rows too: a development set changes without the rest
        rows = [r for r in rows if not str(r["group"]).startswith("dev")]
        for folder in args.devset:
            extra = rows_devset(folder, features, args.semantic)
            print(f"{len(extra)} rows from the development set {folder}", file=sys.stderr)
            rows += extra
    for negatives in args.negatives:
        extra = rows_negatives(negatives, args.seed, features, args.semantic)
        print(f"{len(extra)} labelled negatives from {negatives}", file=sys.stderr)
        rows += extra
    x = np.array([r["x"] for r in rows], dtype=np.float64)
    y = np.array([r["y"] for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    monotonic = [MONOTONE.get(f, 0) for f in features] if args.monotonic else None
    if monotonic is not None and kind != "trees":
        raise SystemExit("--monotonic: only with --model trees (a logistic model is fitted freely)")
    oof = np.zeros(len(rows))
    strata = np.array([f"{r['group']}{r['y']}" for r in rows])
    # with --bound-only GROUPS, those rows bound the cut points but are not learned from
    bound_only = {g for g in args.bound_only.split(",") if g}
    learn = learned(rows, bound_only, decided_only=args.learn_decided)
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(z, strata):
        train = train[learn[train]]
        model = make_model(kind, args.C, monotonic).fit((x if kind == "trees" else z)[train], y[train])
        oof[test] = model.predict_proba((x if kind == "trees" else z)[test])[:, 1]
    short = x[:, features.index("message_terms")] <= math.log1p(12)  # Scored.short
    gate, align_gate = NEAR_MISS_COSINE, None
    if args.semantic and args.near_miss_cosines:
        rows, gate, align_gate = choose_gate(oof, rows, args, short, features)
    (match, possible), (match_short, possible_short), info = choose_cuts(oof, rows, args, short)
    info["near_miss_cosine"] = gate
    info["near_miss_align"] = align_gate
    final = make_model(kind, args.C, monotonic).fit((x if kind == "trees" else z)[learn], y[learn])
    groups = {g: int(sum(r["group"] == g for r in rows)) for g in GROUPS}
    info.update(
        {
            "fitted_on": "CheckThat! 2022 2A train+dev (claim present / removed), generated restatements "
            "and tests/data/matchset.jsonl; with --suite, the generated behavioural cases of CheckThat! "
            "claims outside the sample behaviour.py reports on"
            + ("; accepted wrong-match reports" if args.negatives else "")
            + "".join(f"; development set {d}" for d in args.devset),
            "rows": groups,
            "positives": int(y.sum()),
            "C": args.C,
            "cut_rule": {
                "max_wrong": args.max_wrong,
                "max_absent": args.max_absent,
                "max_own": args.max_own,
                "max_near_miss": args.max_near_miss,
                "confident": bool(args.confident),
                "possible_precision": args.possible_precision,
                "possible_groups": args.possible_groups,
                "max_generated": args.max_generated,
                "max_swap": args.max_swap,
                "max_dev_near": args.max_dev_near,
                "swap_per_kind": bool(args.swap_per_kind),
            },
            "semantic": bool(args.semantic),
            "monotonic": bool(args.monotonic),
            "bound_only": sorted(bound_only),
            "learn_decided": bool(args.learn_decided),
        }
    )
    info["model"] = kind
    if kind == "trees":
        baseline, trees = export_trees(final)
        out = DecisionModel(
            tuple(features), (0.0,) * len(features), (1.0,) * len(features), (0.0,) * len(features),
            baseline, match, possible, info, trees, match_short, possible_short, gate, align_gate,
        )  # fmt: skip
        check = np.array([out.probability(dict(zip(features, row, strict=True))) for row in x[:200]])
        assert np.allclose(check, final.predict_proba(x[:200])[:, 1], atol=1e-6), "tree export differs"
    else:
        out = DecisionModel(
            tuple(features),
            tuple(float(v) for v in mean),
            tuple(float(v) for v in scale),
            tuple(float(v) for v in final.coef_[0]),
            float(final.intercept_[0]),
            match,
            possible,
            info,
            (),
            match_short,
            possible_short,
            gate,
            align_gate,  # None unless --near-miss-aligns, which needs the semantic_align feature
        )
    args.out.write_text(json.dumps(out.to_dict(), indent=1) + "\n", encoding="utf-8")
    cuts = {
        "match": match,
        "possible": possible,
        "match_short": match_short,
        "possible_short": possible_short,
    }
    print(json.dumps({**cuts, **info}, indent=1))
    for name, w in sorted(zip(features, out.coef, strict=True), key=lambda kv: -abs(kv[1])):
        if kind == "logistic":
            print(f"  {name:16s} {w:+.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
