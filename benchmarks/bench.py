"""Benchmark the matcher against two baselines, side by side, in one run.

    python benchmarks/bench.py --checkthat DIR [--matchset FILE ...]
                               [--sizes 1000,10000,14231,100000] [--out results.json] [--quick]

Methods:

* ours      claims_db.matching.Matcher (normalize, analyze, BM25 index, score, decide; framing too)
* rapidfuzz a full scan with ``rapidfuzz.process.extract`` (``token_set_ratio`` on texts lower-cased
            and stripped of punctuation by ``rapidfuzz.utils.default_process``)
* bm25s     BM25 via ``bm25s`` (English stopwords, PyStemmer English stems)

Accuracy: CheckThat! 2022 Task 2A English (claims = vclaim + title; MAP@1, MAP@5, R@5 on dev, where
tuning happened, and on test), and claimbot's own match set over the seed claims (top-1 on matchable
lines, confident answers on chatter and on actor/direction swaps, framing accuracy). Ours is confident
when its verdict is MATCH. The baselines have no verdict: they are "confident" when their top score is
above a threshold set to the lowest value that gives zero confident answers on the chatter lines (so
their chatter rate is 0 by construction and the swap rate shows what that threshold lets through).

Speed: median and p99 latency per message (ours: the whole ``check``, matching and framing; bm25s:
tokenize + retrieve of one query, one thread; rapidfuzz: one full scan), index build time and peak
RSS, at each store size, each (size, method) in a fresh child process so peaks do not mix. Stores
larger than the 14,231 CheckThat claims are synthesized from them: each synthetic claim joins the
first half of one claim's words with the second half of another's (and likewise for titles), so the
vocabulary and length distribution stay realistic. Queries are the CheckThat dev and test tweets.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from checkthat import VClaim, load_split, load_vclaims, metrics, to_claims  # noqa: E402
from matchset import Line, Prediction, evaluate, load_matchset, load_seed  # noqa: E402

METHODS = ("ours", "bm25s", "rapidfuzz")
DEFAULT_SIZES = "1000,10000,14231,100000"  # 14,231: the CheckThat! store itself


# --- the three methods ----------------------------------------------------------------------------


class Ours:
    name = "ours"

    def __init__(self, claims: Sequence[Any]) -> None:
        from claims_db.matching import Matcher

        self.matcher = Matcher(claims)

    def rank(self, text: str, k: int) -> tuple[list[str], float, Any]:
        result = self.matcher.check(text, limit=k)
        return [m.claim_id for m in result.matches], (result.best.score if result.best else 0.0), result


class Bm25s:
    name = "bm25s"

    def __init__(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        import bm25s
        import Stemmer

        self._bm25s = bm25s
        self.stemmer = Stemmer.Stemmer("english")
        self.ids = list(ids)
        tokens = bm25s.tokenize(list(texts), stopwords="en", stemmer=self.stemmer, show_progress=False)
        self.retriever = bm25s.BM25()
        self.retriever.index(tokens, show_progress=False)

    def rank(self, text: str, k: int) -> tuple[list[str], float, Any]:
        q = self._bm25s.tokenize(
            [text], stopwords="en", stemmer=self.stemmer, return_ids=False, show_progress=False
        )
        if not q[0]:
            return [], 0.0, None
        k = min(k, len(self.ids))
        docs, scores = self.retriever.retrieve(q, k=k, show_progress=False, n_threads=1)
        ranked = [self.ids[d] for d, s in zip(docs[0], scores[0], strict=True) if s > 0]
        return ranked, float(scores[0][0]), None


class FullScan:
    name = "rapidfuzz"

    def __init__(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        from rapidfuzz import fuzz, process, utils

        self._extract, self._scorer, self._prep = process.extract, fuzz.token_set_ratio, utils.default_process
        self.ids = list(ids)
        self.texts = [self._prep(t) for t in texts]

    def rank(self, text: str, k: int) -> tuple[list[str], float, Any]:
        # several texts may belong to one claim: take more and keep each claim's best
        found = self._extract(self._prep(text), self.texts, scorer=self._scorer, processor=None, limit=k * 4)
        ranked: list[str] = []
        for _, _, i in found:
            if self.ids[i] not in ranked:
                ranked.append(self.ids[i])
        return ranked[:k], (found[0][1] / 100 if found else 0.0), None


def build(method: str, vclaims: Sequence[VClaim]) -> Any:
    if method == "ours":
        return Ours(to_claims(vclaims))
    ids = [v.id for v in vclaims]
    texts = [f"{v.vclaim} {v.title}".strip() for v in vclaims]
    return Bm25s(ids, texts) if method == "bm25s" else FullScan(ids, texts)


# --- accuracy -------------------------------------------------------------------------------------


def checkthat_accuracy(
    root: Path, methods: Sequence[str], splits: Sequence[str], rf_sample: int | None
) -> dict[str, Any]:
    vclaims = load_vclaims(root)
    out: dict[str, dict[str, Any]] = {}
    for method in methods:
        t0 = time.perf_counter()
        engine = build(method, vclaims)
        out[method] = {"build_s": time.perf_counter() - t0}
        for split in splits:
            _, texts, golds = load_split(root, split)
            if method == "rapidfuzz" and rf_sample and len(texts) > rf_sample:
                texts, golds = texts[:rf_sample], golds[:rf_sample]
            ranks = [engine.rank(t, 5)[0] for t in texts]
            out[method][split] = {**metrics(ranks, golds), "n": len(texts)}
        del engine
    return out


def _ours_prediction(ranked: dict[str, tuple[list[str], float, Any]]) -> Callable[[str], Prediction]:
    from claims_db.models import Verdict

    def predict(text: str) -> Prediction:
        top, _, result = ranked[text]
        return (top[0] if top else None, result.verdict is Verdict.MATCH, result.framing.value)

    return predict


def _baseline_prediction(
    ranked: dict[str, tuple[list[str], float, Any]], threshold: float
) -> Callable[[str], Prediction]:
    def predict(text: str) -> Prediction:
        top, best, _ = ranked[text]
        return (top[0] if top else None, best > threshold, "")

    return predict


def matchset_accuracy(lines: Sequence[Line], seed: Path, methods: Sequence[str]) -> dict[str, Any]:
    claims = load_seed(seed)
    ids = [c.id for c in claims for _ in c.texts]
    texts = [t for c in claims for t in c.texts]
    out: dict[str, Any] = {}
    for method in methods:
        if method == "ours":
            engine: Any = Ours(claims)
        elif method == "bm25s":
            engine = Bm25s([c.id for c in claims], [" ".join(c.texts) for c in claims])
        else:
            engine = FullScan(ids, texts)
        ranked = {ln.text: engine.rank(ln.text, 3) for ln in lines}
        if method == "ours":
            out[method] = evaluate(lines, _ours_prediction(ranked))
        else:
            threshold = max((ranked[ln.text][1] for ln in lines if ln.kind == "chatter"), default=0.0)
            out[method] = {
                **evaluate(lines, _baseline_prediction(ranked, threshold)),
                "confidence_threshold": threshold,
            }
    return out


# --- speed ----------------------------------------------------------------------------------------


def synthesize(vclaims: Sequence[VClaim], size: int, seed: int = 7) -> list[VClaim]:
    """``size`` claims: the real ones first, then recombinations of halves of two real claims."""
    rng = random.Random(seed)
    if size <= len(vclaims):
        return rng.sample(list(vclaims), size)
    out = list(vclaims)
    n = len(vclaims)
    i = 0
    while len(out) < size:
        a, b, c = vclaims[rng.randrange(n)], vclaims[rng.randrange(n)], vclaims[rng.randrange(n)]
        wa, wb = a.vclaim.split(), b.vclaim.split()
        ta, tc = a.title.split(), c.title.split()
        text = " ".join(wa[: max(1, len(wa) // 2)] + wb[len(wb) // 2 :])
        title = " ".join(ta[: max(1, len(ta) // 2)] + tc[len(tc) // 2 :])
        out.append(VClaim(f"synthetic-{i}", text, title))
        i += 1
    return out


def _peak_rss_mb() -> float:
    """This process's peak resident set. ru_maxrss is not used: Linux carries it over an exec from the
    parent, so a child started by a big parent would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(values: Sequence[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def speed_child(root: Path, size: int, method: str, n_queries: int) -> dict[str, Any]:
    """Runs in a fresh interpreter: build one method at one size, time its queries."""
    vclaims = synthesize(load_vclaims(root), size)
    queries = [t for split in ("dev", "test") for t in load_split(root, split)[1]]
    if n_queries and len(queries) > n_queries:
        queries = random.Random(3).sample(queries, n_queries)
    base_rss = _peak_rss_mb()
    t0 = time.perf_counter()
    engine = build(method, vclaims)
    build_s = time.perf_counter() - t0
    engine.rank(queries[0], 5)  # warm caches once
    lat = []
    for q in queries:
        t = time.perf_counter()
        engine.rank(q, 5 if method != "ours" else 3)
        lat.append((time.perf_counter() - t) * 1000)
    peak = _peak_rss_mb()
    return {
        "size": size,
        "method": method,
        "queries": len(lat),
        "build_s": build_s,
        "median_ms": statistics.median(lat),
        "p99_ms": _percentile(lat, 0.99),
        "mean_ms": statistics.fmean(lat),
        "peak_rss_mb": peak,
        "rss_before_build_mb": base_rss,
    }


def run_child(root: Path, size: int, method: str, n_queries: int) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--checkthat",
        str(root),
        "--_child",
        f"{size}:{method}:{n_queries}",
    ]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        return {"size": size, "method": method, "error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def claim_file(vclaims: Sequence[VClaim]) -> str:
    """The CheckThat claims as a valid claim file (ids made valid, texts cut to 300 characters)."""
    from claims_db.transfer import slugify

    def cut(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= 300 else text[:300].rsplit(" ", 1)[0]

    taken: set[str] = set()
    rows = []
    for v in vclaims:
        cid = slugify(v.id, taken=taken)[:80].strip("-")
        taken.add(cid)
        statement, title = cut(v.vclaim or v.title), cut(v.title)
        if len(statement) < 10:
            statement = (statement + " (untitled claim)")[:300]
        row: dict[str, Any] = {
            "id": cid,
            "statement": statement,
            "status": "unverified",
            "attributions": [{"actor": "Snopes"}],
        }
        if len(title) >= 10 and title.lower() != statement.lower():
            row["paraphrases"] = [title]
        rows.append(row)
    return json.dumps(rows)


def cli_batch(root: Path, n_runs: int = 7, *, semantic: bool = False) -> dict[str, Any]:
    """``claimbot check --json --batch`` on the CheckThat store and tweets, against bm25s in the same run.

    On words alone (``CLAIMBOT_SEMANTIC=0``) by default; with ``semantic`` the tier is on (vectors are
    computed by the import, so start-up loads them and each message is encoded once).

    Per message = (time of the batch - time of the same command on an empty batch) / messages, so
    the interpreter start, the store load and the index build are counted once, apart. Both wall
    time and CPU time (user + system of the child, and the process time of bm25s) are reported;
    the two commands run in turn, so drift in the machine's speed hits both alike. On a shared
    machine the CPU ratio is the steadier of the two.
    """
    exe = shutil.which("claimbot") or (
        str(ROOT / ".venv/bin/claimbot") if (ROOT / ".venv/bin/claimbot").exists() else None
    )
    if exe is None:
        return {"skipped": "the claimbot console script is not installed in this environment"}
    vclaims = load_vclaims(root)
    queries = [t for split in ("dev", "test") for t in load_split(root, split)[1]]
    env = {**os.environ, "CLAIMBOT_SEMANTIC": "1" if semantic else "0"}
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/bench.db"
        claims_path = Path(tmp) / "claims.json"
        claims_path.write_text(claim_file(vclaims), encoding="utf-8")
        batch, empty = Path(tmp) / "batch.jsonl", Path(tmp) / "empty.jsonl"
        batch.write_text("".join(json.dumps({"text": q}) + "\n" for q in queries), encoding="utf-8")
        empty.write_text("", encoding="utf-8")
        for cmd in (["init", "--empty"], ["import", str(claims_path)]):
            done = subprocess.run(
                [exe, "--db", db, *cmd], capture_output=True, text=True, check=False, env=env
            )
            if done.returncode != 0:
                return {"skipped": f"claimbot {cmd[0]} failed: {(done.stderr or done.stdout).strip()[-300:]}"}

        def timed(path: Path) -> tuple[float, float, str]:
            t, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            proc = subprocess.run(
                [exe, "--db", db, "check", "--json", "--batch", str(path)],
                capture_output=True,
                text=True,
                check=False,
                env=env,
            )
            if proc.returncode != 0:
                raise RuntimeError((proc.stderr or proc.stdout).strip()[-300:])
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            return time.perf_counter() - t, cpu, proc.stdout

        # bm25s alone on the same claims (statement + title) and the same tweets, in this run
        bm = Bm25s([v.id for v in vclaims], [f"{v.vclaim} {v.title}".strip() for v in vclaims])
        bm_runs: list[float] = []
        bm_cpu: list[float] = []

        def bm_pass() -> float:
            t, c = time.perf_counter(), time.process_time()
            for q in queries:
                bm.rank(q, 5)
            bm_runs.append((time.perf_counter() - t) / len(queries) * 1000)
            bm_cpu.append((time.process_time() - c) / len(queries) * 1000)
            return bm_cpu[-1]

        try:
            full, start, round_ratios = [], [], []
            for _ in range(n_runs):
                # in turn, with a bm25s pass before, between and after: a slow spell of a shared
                # machine hits the batch, the empty batch and the baseline it is compared with alike
                around = [bm_pass()]
                full.append(timed(batch))
                around.append(bm_pass())
                start.append(timed(empty))
                around.append(bm_pass())
                cpu_each = (full[-1][1] - start[-1][1]) / len(queries) * 1000
                round_ratios.append(cpu_each / statistics.mean(around))
        except RuntimeError as exc:
            return {"skipped": f"claimbot check failed: {exc}"}
    out_lines = [x for x in full[-1][2].splitlines() if x.strip()]
    total, startup = statistics.median(r[0] for r in full), statistics.median(r[0] for r in start)
    per_message = (total - startup) / len(queries) * 1000
    cpu_total, cpu_startup = statistics.median(r[1] for r in full), statistics.median(r[1] for r in start)
    per_message_cpu = (cpu_total - cpu_startup) / len(queries) * 1000
    bm_ms, bm_cpu_ms = statistics.median(bm_runs), statistics.median(bm_cpu)
    return {
        "per_message_cpu_ms": per_message_cpu,
        "bm25s_per_message_cpu_ms": bm_cpu_ms,
        "ratio_cpu": per_message_cpu / bm_cpu_ms,
        # each round's CPU per message over the mean of the bm25s passes around it, median of rounds
        "ratio_cpu_paired": statistics.median(round_ratios),
        "ratio_cpu_rounds": round_ratios,
        "claims": len(vclaims),
        "messages": len(queries),
        "output_lines": len(out_lines),
        "median_total_s": total,
        "startup_s": startup,
        "per_message_ms": per_message,
        "bm25s_per_message_ms": bm_ms,
        "ratio": per_message / bm_ms,
        "runs": n_runs,
        "tier": "semantic" if semantic else "lexical",
    }


# --- report ---------------------------------------------------------------------------------------


def _f(x: Any, nd: int = 3) -> str:
    return f"{x:.{nd}f}" if isinstance(x, float) else str(x)


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def report(results: dict[str, Any]) -> str:
    out = []
    ct = results.get("checkthat")
    if ct:
        out.append("## CheckThat! 2022 Task 2A English (14,231 claims; text = vclaim + title)\n")
        out.append("| method | split | n | MAP@1 | MAP@5 | R@5 |\n| --- | --- | --- | --- | --- | --- |")
        for method, r in ct.items():
            for split in ("dev", "test"):
                if split in r:
                    m = r[split]
                    out.append(_row(method, split, m["n"], _f(m["map@1"]), _f(m["map@5"]), _f(m["r@5"])))
        out.append("")
    for name, ms in (results.get("matchset") or {}).items():
        out.append(f"## Own match set `{name}` (seed claims)\n")
        out.append(
            _row(
                "method",
                "top-1 matchable",
                "confident right (matchable)",
                "confident wrong (matchable)",
                "confident chatter",
                "confident swaps",
                "framing",
                "confidence rule",
            )
        )
        out.append(_row(*["---"] * 8))
        for method, r in ms.items():
            rule = (
                "verdict MATCH"
                if method == "ours"
                else f"top score > {r['confidence_threshold']:.3f} (0 chatter hits)"
            )
            fr = "n/a" if r["framing_accuracy"] != r["framing_accuracy"] else _f(r["framing_accuracy"])
            out.append(
                _row(
                    method,
                    _f(r["top1_matchable"]),
                    _f(r["confident_right_matchable"]),
                    _f(r["confident_wrong_matchable"]),
                    _f(r["confident_chatter"]),
                    _f(r["confident_swaps"]),
                    fr,
                    rule,
                )
            )
        any_r = next(iter(ms.values()))
        out.append(
            f"\n{any_r['n_matchable']} matchable lines, {any_r['n_chatter']} chatter, "
            f"{any_r['n_swaps']} swaps.\n"
        )
    sp = results.get("speed")
    if sp:
        out.append("## Speed (one core; per message)\n")
        out.append(
            "| claims | method | queries | median ms | p99 ms | ours/bm25s (median) | build s | peak RSS MB "
            "| RSS before build MB |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
        )
        by = {(r["size"], r["method"]): r for r in sp}
        for r in sp:
            if "error" in r:
                out.append(f"| {r['size']} | {r['method']} | error: {r['error']} | | | | | |")
                continue
            ratio = ""
            b = by.get((r["size"], "bm25s"))
            if r["method"] == "ours" and b and "median_ms" in b:
                ratio = f"{r['median_ms'] / b['median_ms']:.2f}x"
            out.append(
                _row(
                    r["size"],
                    r["method"],
                    r["queries"],
                    _f(r["median_ms"], 2),
                    _f(r["p99_ms"], 2),
                    ratio,
                    _f(r["build_s"], 2),
                    _f(r["peak_rss_mb"], 0),
                    _f(r["rss_before_build_mb"], 0),
                )
            )
        out.append("")
    for key, tier in (("cli", "words alone"), ("cli_semantic", "with the semantic tier")):
        cli = results.get(key)
        if not cli:
            continue
        title = f"## CLI batch ({tier}): `claimbot --db sqlite:///… check --json --batch FILE`"
        out.append(title + " vs bm25s, same run\n")
        if "skipped" in cli:
            out.append(f"skipped: {cli['skipped']}\n")
        else:
            out.append(
                f"{cli['claims']} CheckThat claims, {cli['messages']} dev+test tweets, "
                f"median of {cli['runs']} runs: {cli['median_total_s']:.2f} s for the batch, "
                f"of which {cli['startup_s']:.2f} s is start-up (interpreter, store load, index build: "
                "the same command on an empty batch). "
                f"Per message (matching, framing, reply wording, JSON): **{cli['per_message_ms']:.2f} ms**; "
                f"bm25s retrieval alone on the same claims and tweets: {cli['bm25s_per_message_ms']:.2f} ms; "
                f"ratio **{cli['ratio']:.1f}x** (target ≤ 5x).\n"
            )
            if "ratio_cpu" in cli:
                out.append(
                    f"In CPU time (the child's user + system; bm25s's process time): "
                    f"**{cli['per_message_cpu_ms']:.2f} ms** a message against "
                    f"{cli['bm25s_per_message_cpu_ms']:.2f} ms, ratio **{cli['ratio_cpu']:.1f}x**; "
                    f"each run against the bm25s passes just before, between and after it: median "
                    f"**{cli['ratio_cpu_paired']:.1f}x** (runs: "
                    + ", ".join(f"{r:.1f}x" for r in cli["ratio_cpu_rounds"])
                    + ").\n"
                )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--checkthat", type=Path, required=True, help="folder of the CheckThat! 2022 2A English data"
    )
    p.add_argument(
        "--matchset",
        type=Path,
        action="append",
        help="own match set(s) over the seed claims (repeatable; default: the calibration set "
        "tests/data/matchset.jsonl and the held-out tests/data/matchset-heldout.jsonl)",
    )
    p.add_argument("--seed", type=Path, default=ROOT / "claims_db/data/seed_claims.json")
    p.add_argument("--sizes", default=DEFAULT_SIZES)
    p.add_argument("--out", type=Path)
    p.add_argument(
        "--queries", type=int, default=0, help="speed: queries per size (default: all 408 dev+test tweets)"
    )
    p.add_argument(
        "--fullscan-queries", type=int, default=40, help="speed: queries for the full scan at >= 50k claims"
    )
    p.add_argument(
        "--quick", action="store_true", help="sizes 1000,10000; 100 speed queries; full scan on test only"
    )
    p.add_argument(
        "--skip",
        default="",
        help="comma-separated parts to skip: checkthat,matchset,speed,cli (both tiers),cli_semantic",
    )
    p.add_argument("--_child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args._child:
        size, method, nq = args._child.split(":")
        n = int(nq)
        if method == "rapidfuzz" and int(size) >= 50_000:
            n = min(n or 10**9, args.fullscan_queries)
        print(json.dumps(speed_child(args.checkthat, int(size), method, n)))
        return 0

    skip = set(filter(None, args.skip.split(",")))
    sizes = [
        int(s)
        for s in ("1000,10000" if args.quick and args.sizes == DEFAULT_SIZES else args.sizes).split(",")
    ]
    n_queries = args.queries or (100 if args.quick else 0)
    results: dict[str, Any] = {
        "config": {
            "sizes": sizes,
            "queries": n_queries or "all dev+test",
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
        }
    }
    started = time.perf_counter()
    if "checkthat" not in skip:
        print("CheckThat accuracy ...", file=sys.stderr)
        splits = ("test",) if args.quick else ("dev", "test")
        results["checkthat"] = checkthat_accuracy(args.checkthat, METHODS, splits, None)
    if "matchset" not in skip:
        results["matchset"] = {}
        for path in args.matchset or [
            ROOT / "tests/data/matchset.jsonl",
            ROOT / "tests/data/matchset-heldout.jsonl",
        ]:
            if path.exists() and args.seed.exists():
                print(f"match set accuracy: {path.name} ...", file=sys.stderr)
                results["matchset"][path.name] = matchset_accuracy(load_matchset(path), args.seed, METHODS)
            else:
                print(f"no match set at {path} (or no seed claims): skipped", file=sys.stderr)
    if "speed" not in skip:
        results["speed"] = []
        for size in sizes:
            for method in METHODS:
                print(f"speed: {size} claims, {method} ...", file=sys.stderr)
                results["speed"].append(run_child(args.checkthat, size, method, n_queries))
    if "cli" not in skip:
        print("CLI batch ...", file=sys.stderr)
        results["cli"] = cli_batch(args.checkthat)
        if "cli_semantic" not in skip:
            results["cli_semantic"] = cli_batch(args.checkthat, semantic=True)
    results["elapsed_s"] = time.perf_counter() - started
    text = report(results)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
