"""CheckThat! 2022 Task 2A (English) loading and metrics, shared by bench.py and tuning scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from claims_db.models import Attribution, Claim, Status

_ATTRIBUTION = (Attribution(actor="Snopes"),)

# split -> (queries file, qrels file)
SPLITS = {
    "train": ("queries-train-dev.tsv", "qrels-train.tsv"),
    "dev": ("queries-train-dev.tsv", "qrels-dev.tsv"),
    "dev-test": ("queries-dev-test.tsv", "qrels-dev-test.tsv"),
    "test": ("queries-test.tsv", "qrels-test.tsv"),
}


@dataclass(frozen=True, slots=True)
class VClaim:
    id: str
    vclaim: str
    title: str


def load_vclaims(root: Path) -> list[VClaim]:
    out = []
    with (root / "vclaims.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            out.append(VClaim(row["vclaim_id"], row["vclaim"] or "", row.get("title") or ""))
    return out


def to_claims(vclaims: Sequence[VClaim], *, title: bool = True) -> list[Claim]:
    """Claim objects built directly (the constructor does not validate lengths or id patterns)."""
    claims = []
    for v in vclaims:
        paraphrases = (v.title,) if title and v.title and v.title != v.vclaim else ()
        claims.append(
            Claim(
                id=v.id,
                statement=v.vclaim or v.title,
                status=Status.UNVERIFIED,
                attributions=_ATTRIBUTION,
                paraphrases=paraphrases,
            )
        )
    return claims


def load_split(root: Path, split: str) -> tuple[list[str], list[str], list[set[str]]]:
    """(tweet ids, texts, gold claim ids) of one split, queries paired with their own qrels."""
    qfile, rfile = SPLITS[split]
    gold: dict[str, set[str]] = {}
    for line in (root / rfile).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            gold.setdefault(parts[0], set()).add(parts[2])
    texts: dict[str, str] = {}
    for line in (root / qfile).read_text(encoding="utf-8").splitlines():
        tid, _, text = line.partition("\t")
        if tid in gold and tid != "tweet_id":
            texts[tid] = text
    ids = [t for t in gold if t in texts]
    return ids, [texts[t] for t in ids], [gold[t] for t in ids]


def average_precision(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """AP@k as the CheckThat! scorer computes it (sum of precisions at hits / number of gold)."""
    hits = 0
    total = 0.0
    for i, cid in enumerate(ranked[:k]):
        if cid in gold:
            hits += 1
            total += hits / (i + 1)
    return total / len(gold) if gold else 0.0


def metrics(rankings: Sequence[Sequence[str]], golds: Sequence[set[str]]) -> dict[str, float]:
    n = max(len(golds), 1)
    return {
        "map@1": sum(average_precision(r, g, 1) for r, g in zip(rankings, golds, strict=True)) / n,
        "map@5": sum(average_precision(r, g, 5) for r, g in zip(rankings, golds, strict=True)) / n,
        "r@5": sum(len(set(r[:5]) & g) / len(g) for r, g in zip(rankings, golds, strict=True)) / n,
    }
