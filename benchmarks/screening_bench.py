"""Watch-mode screening with the semantic tier on: throughput, and no loss of confident matches.

    python benchmarks/screening_bench.py --checkthat DIR [--runs 3] [--out results.json] [--cache DIR]
                                         [--cases FILE [--sample 3000]] [--skip-throughput | --skip-loss]

One pinned core (onnxruntime, BLAS and OpenMP get one thread each). Two gates are compared in one
run, each in front of the same ``ClaimService.check_now(text, screen=True)`` (what the watch cog's
checker runs):

* **before**: the prefilter with a fixed cut of ``1.0 * ln(N + 1)`` (this branch's base);
* **after**: the prefilter's default, a cut that grows with the store (``slope * ln(N + 1)``,
  ``claims_db/semantic/prefilter.py``), and the kept vectors of recent messages.

**Throughput** at 10,000 CheckThat! claims (the first 10,000 that are no test tweet's claim, as
``semantic_bench.py`` builds them): messages per CPU-second of this thread, median of ``--runs``,
on messages that match nothing (2,000 distinct chat lines, recombined from the match sets' chatter,
and the 209 CheckThat! test tweets, whose claims are left out), with words alone beside them, and
on repeated spam (2,000 messages, 20 distinct texts that pass the gate; before: every message
encoded, after: the kept vectors of recent messages). Kept message vectors are dropped before every
run of distinct messages.

**No loss**: every message that ``/check`` (``check_now`` without ``screen``) answers ``match``
must be answered ``match``, with the same claim, in watch mode. Counted on the seed store with
``tests/data/matchset.jsonl`` and ``matchset-heldout.jsonl``, on the unseen-claims store with its
messages, and on all 14,231 CheckThat! claims with the train, dev and test tweets (each tweet's
claim is in that store), and with ``--cases`` on a seeded sample of the messages
``benchmarks/behaviour.py --checkthat DIR --full-store --cases FILE --no-match`` generates from the
claims (restatements, typos, negations, questions, swaps...). Claim vectors come from
``benchmarks/semantic_cache.py``; messages are encoded live.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from checkthat import load_split  # noqa: E402
from semantic_bench import _build_store, _pin_one_core, _store_claims, chatter_messages  # noqa: E402
from semantic_cache import DEFAULT_CACHE  # noqa: E402

from claims_db.models import Verdict  # noqa: E402
from claims_db.semantic.prefilter import Prefilter  # noqa: E402
from claims_db.service import ClaimService  # noqa: E402
from claims_db.store import open_store  # noqa: E402

BEFORE_THRESHOLD = 1.0  # the fixed cut, in units of ln(N + 1), this work replaces


def _gates(service: ClaimService) -> dict[str, Prefilter]:
    claims = list(service._claims.values())
    return {"before": Prefilter(claims, threshold=BEFORE_THRESHOLD), "after": Prefilter(claims)}


def _use(service: ClaimService, gate: Prefilter) -> None:
    service._prefilter = gate  # the benchmark swaps the gate; the service builds the default one


def _cpu_rate(service: ClaimService, messages: Sequence[str], runs: int, *, keep: str = "run") -> float:
    """Median messages per CPU-second; message vectors kept within a run (``run``), across runs
    (``all``) or never (``none``: each message encoded as if new)."""
    semantic = service._semantic
    rates = []
    for _ in range(runs):
        if keep != "all" and semantic is not None:
            semantic.forget_queries()
        started = time.thread_time()
        for m in messages:
            if keep == "none" and semantic is not None:
                semantic.forget_queries()
            service.check_now(m, screen=True)
        rates.append(len(messages) / (time.thread_time() - started))
    return round(statistics.median(rates))


async def throughput(root: Path, cache: Path, runs: int) -> dict[str, Any]:
    claims_json, ids = _store_claims(root)
    rows = json.loads(claims_json)
    _, test_texts, test_gold = load_split(root, "test")
    golds = {ids[g] for gs in test_gold for g in gs if g in ids}
    keep = [r for r in rows if r["id"] not in golds][:10_000]
    chatter = chatter_messages()
    out: dict[str, Any] = {"claims": len(keep), "runs": runs}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/10k.db"
        await _build_store(url, json.dumps(keep), cache)
        async with open_store(url) as store:
            lexical = ClaimService(store, semantic=False)
            await lexical.ensure_index()
            service = ClaimService(store, semantic=True, screening=True)
            await service.ensure_index()
            gates = _gates(service)
            service.check_now("warm up the caches", screen=True)
            for name, messages in (("chatter", chatter), ("unmatched_tweets", test_texts)):
                row: dict[str, Any] = {"messages": len(messages)}
                row["words_alone_msg_per_cpu_s"] = _cpu_rate(lexical, messages, runs)
                for gate_name, gate in gates.items():
                    _use(service, gate)
                    row[f"{gate_name}_msg_per_cpu_s"] = _cpu_rate(service, messages, runs)
                    row[f"{gate_name}_passed"] = round(
                        sum(gate.passes(m) for m in messages) / len(messages), 4
                    )
                    row[f"{gate_name}_cut"] = round(gate.threshold, 3)
                out[name] = row
            gate_cpu = []
            for _ in range(runs):
                started = time.thread_time()
                for m in chatter:
                    gates["after"].passes(m)
                gate_cpu.append((time.thread_time() - started) / len(chatter))
            out["gate_alone_us_per_msg"] = round(statistics.median(gate_cpu) * 1e6, 1)
            passing = [m for m in chatter if gates["after"].passes(m)][:20]
            spam = [passing[i % len(passing)] for i in range(2000)]
            row = {"messages": len(spam), "distinct": len(set(spam))}
            for gate_name, gate in gates.items():  # before: no kept vectors either
                _use(service, gate)
                keep = "none" if gate_name == "before" else "all"
                row[f"{gate_name}_msg_per_cpu_s"] = _cpu_rate(service, spam, runs, keep=keep)
            out["repeated_spam"] = row
    return out


def _matchset(path: Path) -> list[str]:
    return [json.loads(raw)["text"] for raw in path.read_text(encoding="utf-8").splitlines() if raw.strip()]


async def _losses(service: ClaimService, messages: Sequence[str]) -> dict[str, Any]:
    """How many /check matches watch mode keeps, per gate."""
    gates = _gates(service)
    matched = []
    for text in messages:
        result = service.check_now(text).result
        if result.verdict is Verdict.MATCH:
            matched.append((text, result.matches[0].claim_id))
    row: dict[str, Any] = {"messages": len(messages), "check_match": len(matched)}
    if matched:  # the gate's score of the /check match that shares least, and the slope it allows
        lowest = min(gates["after"].score(text) for text, _ in matched)
        row["lowest_match_score"] = round(lowest, 3)
        row["largest_slope_keeping_all"] = round(lowest / math.log(len(service._claims) + 1), 3)
    for name, gate in gates.items():
        _use(service, gate)
        lost = []
        for text, claim_id in matched:
            watched = service.check_now(text, screen=True).result
            if watched.verdict is not Verdict.MATCH or watched.matches[0].claim_id != claim_id:
                lost.append(text)
        row[f"{name}_lost"] = len(lost)
        row[f"{name}_lost_examples"] = lost[:5]
        if lost or name == "after":
            row[f"{name}_cut"] = round(gate.threshold, 3)
    return row


def _generated(path: Path, sample: int) -> list[str]:
    """A seeded sample of the messages ``behaviour.py --cases FILE --no-match`` wrote."""
    rows = [json.loads(raw) for raw in path.read_text(encoding="utf-8").splitlines() if raw.strip()]
    random.Random(0).shuffle(rows)
    return [row["message"] for row in rows[:sample]]


async def no_loss(root: Path, cache: Path, cases: Path | None = None, sample: int = 3000) -> dict[str, Any]:
    data = ROOT / "tests" / "data"
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        async with open_store(f"sqlite:///{tmp}/seed.db") as store:
            service = ClaimService(store, semantic=True, screening=True)
            await service.load(seed_if_empty=True)
            for name in ("matchset.jsonl", "matchset-heldout.jsonl"):
                out[f"seed/{name}"] = await _losses(service, _matchset(data / name))
        async with open_store(f"sqlite:///{tmp}/unseen.db") as store:
            service = ClaimService(store, semantic=True, screening=True)
            await store.mark("init", actor="bench", note="created empty")
            await service.load()
            await service.import_claims(
                (data / "unseen" / "claims.json").read_text(encoding="utf-8"), actor="bench"
            )
            out["unseen/messages.jsonl"] = await _losses(
                service, _matchset(data / "unseen" / "messages.jsonl")
            )
        claims_json, _ = _store_claims(root)
        url = f"sqlite:///{tmp}/full.db"
        await _build_store(url, claims_json, cache)
        async with open_store(url) as store:
            service = ClaimService(store, semantic=True, screening=True)
            await service.ensure_index()
            for split in ("train", "dev", "test"):
                _, texts, _ = load_split(root, split)
                out[f"checkthat/{split}"] = await _losses(service, texts)
            if cases is not None:
                out["checkthat/generated"] = await _losses(service, _generated(cases, sample))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checkthat", type=Path, required=True, help="CheckThat! 2022 2A English directory")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where claim vectors are cached")
    parser.add_argument("--runs", type=int, default=3, help="throughput runs (median)")
    parser.add_argument("--skip-loss", action="store_true", help="throughput only")
    parser.add_argument("--skip-throughput", action="store_true", help="lost matches only")
    parser.add_argument(
        "--cases", type=Path, help="generated messages (behaviour.py --full-store --cases FILE --no-match)"
    )
    parser.add_argument("--sample", type=int, default=3000, help="--cases: how many to check (seeded)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here too")
    args = parser.parse_args(argv)
    _pin_one_core()
    results: dict[str, Any] = {}
    if not args.skip_throughput:
        print("throughput ...", file=sys.stderr)
        results["throughput"] = asyncio.run(throughput(args.checkthat, args.cache, args.runs))
    if not args.skip_loss:
        print("no loss of confident matches ...", file=sys.stderr)
        results["no_loss"] = asyncio.run(no_loss(args.checkthat, args.cache, args.cases, args.sample))
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
