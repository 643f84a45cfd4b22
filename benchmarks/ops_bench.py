"""Running at scale (issue 10, "Measured"): propagation between shard processes, watch-mode screening
throughput, and concurrent writers.

    python benchmarks/ops_bench.py propagation [--trials 100] [--postgres postgresql://postgres@127.0.0.1/postgres]
    python benchmarks/ops_bench.py throughput [--claims 10000] [--data /work/shared/data/checkthat2022-2a-en]
    python benchmarks/ops_bench.py writers [--processes 4] [--claims 1000] [--postgres ...]

- ``propagation``: two ``python -m bot`` processes (shards 0 and 1 of 2) on one PostgreSQL, each
  against a fake Discord of its own. Each trial adds a claim through ``/curate add`` (the modal) on
  shard 0 and then sends ``/check`` with its statement through shard 1 until the reply shows that
  claim; the delay runs from shard 0's "Added" reply to shard 1's first matching reply (so it includes
  one ``/check`` round trip). Then every database connection of shard 1 is terminated
  (``pg_terminate_backend``) and the trials run again.
- ``throughput``: one process, one thread, the watch-mode path (``ClaimService.check_now``, what the
  checker's worker runs) on N claims sampled from CheckThat! 2022 2A (the fact-checked claims);
  messages that match nothing (chat lines) and messages that match (the claims' own titles).
- ``writers``: P processes add C claims each at once (``ClaimService.add``, one transaction each)
  into one PostgreSQL database and into one SQLite file; then counts claims, distinct ids, audit rows
  per claim, and the errors the writers saw.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PG_DEFAULT = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
CHECKTHAT = Path("/work/shared/data/checkthat2022-2a-en")


async def _admin(server: str) -> Any:
    import asyncpg

    return await asyncpg.connect(server.rsplit("/", 1)[0] + "/postgres")


async def _fresh_db(server: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = await _admin(server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"{server.rsplit('/', 1)[0]}/{name}"


async def _drop_db(url: str) -> None:
    admin = await _admin(url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await admin.close()


def _summary(delays: list[float]) -> dict[str, float]:
    ms = sorted(d * 1000 for d in delays)
    return {
        "trials": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p90_ms": round(ms[int(0.9 * (len(ms) - 1))], 1),
        "max_ms": round(ms[-1], 1),
    }


# -- propagation ----------------------------------------------------------------------------------


async def propagation(server: str, trials: int) -> dict[str, Any]:
    from tests.fakes import payloads as p
    from tests.fakes.discord_api import FakeDiscord

    url = await _fresh_db(server, "claimbot_ops_bench")
    tmp = Path(tempfile.mkdtemp(prefix="ops-bench-"))
    subprocess.run([sys.executable, "-m", "bot.cli", "--db", url, "init"], cwd=REPO, check=True,
                   capture_output=True)  # fmt: skip
    fakes = [FakeDiscord(), FakeDiscord()]
    for fake in fakes:
        await fake.start()
    procs = []
    try:
        for shard, fake in enumerate(fakes):
            env = {
                **os.environ, "DISCORD_TOKEN": fake.token, "CLAIMBOT_DB": url,
                "CLAIMBOT_GUILD_IDS": str(p.GUILD_ID), "DISCORD_API_BASE": fake.api_base,
                "DISCORD_GATEWAY_URL": fake.gateway_url, "CLAIMBOT_SHARD_ID": str(shard),
                "CLAIMBOT_SHARD_COUNT": "2", "CLAIMBOT_HEARTBEAT_FILE": str(tmp / f"hb{shard}"),
                "CLAIMBOT_SEED": "0", "CLAIMBOT_LINKCHECK_INTERVAL": "off",
            }  # fmt: skip
            cmd = [sys.executable, "-m", "bot"]
            procs.append(
                subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )
        await fakes[0].wait_until(lambda: bool(fakes[0].command_names()), 60.0, "shard 0 to sync")
        fakes[1].commands = fakes[0].commands  # shard 1 does not sync; Discord knows them anyway
        for fake in fakes:
            await fake.wait_until(lambda f=fake: bool(f.identifies) and f.connected, 60.0, "a shard")  # type: ignore[misc]
        await asyncio.sleep(1.0)  # READY and the listeners
        users = iter(range(6_000_000, 7_000_000))
        mod = {"user": p.MOD, "permissions": p.MANAGE_GUILD}

        async def trial(n: int, label: str) -> float:
            statement = f"The harbour of Port {label.title()} {n} closed to grain ships in March"
            modal = await (await fakes[0].slash("curate add", **mod)).modal()
            values = {"statement": statement, "status": "Alleged", "attribution": "Ruritania",
                      "denial": "", "source": f"https://example.org/{label}/{n}"}  # fmt: skip
            added = await (await fakes[0].submit_modal(modal, values, **mod)).reply(timeout=10)
            assert added.content.startswith("Added `"), added.content
            start = time.perf_counter()
            while True:
                user = {"id": str(next(users)), "username": "u", "discriminator": "0", "avatar": None}
                reply = await (await fakes[1].slash("check", statement=statement, user=user)).reply(10)
                if reply.embeds and reply.embeds[0].get("title") == statement:
                    return time.perf_counter() - start
                if time.perf_counter() - start > 30:
                    raise RuntimeError(f"trial {n}: shard 1 never matched {statement!r}")

        live = [await trial(i, "alpha") for i in range(trials)]
        admin = await _admin(url)
        try:
            killed = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name LIKE $1 AND datname = $2",
                f"%pid {procs[1].pid}", url.rsplit("/", 1)[1],
            )  # fmt: skip
        finally:
            await admin.close()
        after = [await trial(i, "bravo") for i in range(trials)]
        return {
            "live": _summary(live),
            "after_kill": {**_summary(after), "first_ms": round(after[0] * 1000, 1), "killed": killed},
        }
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        for fake in fakes:
            await fake.close()
        await _drop_db(url)


# -- throughput -----------------------------------------------------------------------------------

_CHAT = [
    "anyone up for pizza tonight",
    "the build is green again",
    "my cat knocked the plant over",
    "who is bringing the projector tomorrow",
    "lol that meme is ancient",
    "good morning everyone",
    "can someone review my pull request",
    "the bus was late again today",
    "happy birthday Sam",
    "rain all weekend, great",
    "I finally beat that level",
    "meeting moved to 3pm",
    "does the coffee machine work yet",
    "thanks for the help earlier",
    "what time is the match",
    "new keyboard arrived, very clicky",
    "did you watch the show last night",
    "brb grabbing lunch",
]


def _chat(n: int, rng: random.Random) -> list[str]:
    return [f"{rng.choice(_CHAT)} {rng.choice(_CHAT)}" if rng.random() < 0.5 else rng.choice(_CHAT)
            for _ in range(n)]  # fmt: skip


def throughput(claims_n: int, data: Path, messages: int) -> dict[str, Any]:
    from benchmarks.checkthat import load_vclaims, to_claims
    from claims_db.matching import Matcher
    from claims_db.models import Verdict

    rng = random.Random(10)
    vclaims = rng.sample(load_vclaims(data), min(claims_n, len(load_vclaims(data))))
    claims = to_claims(vclaims)
    started = time.perf_counter()
    matcher = Matcher(claims)
    build_s = time.perf_counter() - started
    misses = _chat(messages, rng)
    hits = [v.title or v.vclaim for v in rng.sample(vclaims, messages)]
    out: dict[str, Any] = {"claims": len(claims), "index_build_s": round(build_s, 2)}
    for label, texts in (("non_matching", misses), ("matching", hits)):
        for t in texts[:50]:  # warm up
            matcher.check(t)
        verdicts = []
        per: list[float] = []
        t0 = time.process_time()
        w0 = time.perf_counter()
        for t in texts:
            s = time.perf_counter()
            verdicts.append(matcher.check(t).verdict)
            per.append(time.perf_counter() - s)
        cpu = time.process_time() - t0
        wall = time.perf_counter() - w0
        per.sort()
        out[label] = {
            "messages": len(texts),
            "per_s_cpu": round(len(texts) / cpu),
            "per_s_wall": round(len(texts) / wall),
            "p99_ms": round(per[int(0.99 * (len(per) - 1))] * 1000, 2),
            "match_verdicts": sum(v is Verdict.MATCH for v in verdicts),
        }
    return out


# -- writers --------------------------------------------------------------------------------------


def _writer(url: str, worker: int, count: int, queue: Any) -> None:
    from claims_db.service import ClaimService
    from claims_db.store import open_store

    async def main() -> tuple[int, list[str]]:
        errors: list[str] = []
        ok = 0
        async with open_store(url) as store:
            service = ClaimService(store)
            for i in range(count):
                claim = {
                    "id": f"w{worker}-claim-{i}",
                    "statement": f"Writer {worker} says that harbour {i} closed to grain ships",
                    "status": "alleged",
                    "attributions": [{"actor": "Ruritania"}],
                }
                try:
                    await service.add(claim, actor=f"bench:{worker}")
                    ok += 1
                except Exception as exc:  # what a user would have seen
                    errors.append(f"{type(exc).__name__}: {exc}")
        return ok, errors

    queue.put((worker, *asyncio.run(main())))


async def _count(url: str) -> dict[str, Any]:
    import sqlalchemy as sa

    from claims_db.store import open_store
    from claims_db.store.schema import audit, claims

    async with open_store(url) as store, store._engine.connect() as conn:  # type: ignore[attr-defined]
        rows = (await conn.execute(sa.select(sa.func.count(), sa.func.count(sa.distinct(claims.c.id))))).one()
        per_claim = (
            await conn.execute(
                sa.select(audit.c.claim_id, sa.func.count())
                .where(audit.c.claim_id.is_not(None))
                .group_by(audit.c.claim_id)
            )
        ).all()
    return {"claims": rows[0], "distinct_ids": rows[1], "audit_rows": sum(n for _, n in per_claim),
            "claims_with_one_audit_row": sum(1 for _, n in per_claim if n == 1)}  # fmt: skip


def writers(url: str, processes: int, count: int) -> dict[str, Any]:
    subprocess.run([sys.executable, "-m", "bot.cli", "--db", url, "init", "--empty"], cwd=REPO, check=True,
                   capture_output=True)  # fmt: skip
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    started = time.perf_counter()
    workers = [ctx.Process(target=_writer, args=(url, w, count, queue)) for w in range(processes)]
    for w in workers:
        w.start()
    results = [queue.get(timeout=600) for _ in workers]
    for w in workers:
        w.join()
    took = time.perf_counter() - started
    errors = [e for _, _, errs in results for e in errs]
    counted = asyncio.run(_count(url))
    return {
        "writes": processes * count,
        "told_ok": sum(ok for _, ok, _ in results),
        **counted,
        "errors": len(errors),
        "locked_errors": sum("locked" in e.lower() for e in errors),
        "first_error": errors[0] if errors else None,
        "seconds": round(took, 1),
        "writes_per_s": round(processes * count / took),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    prop = sub.add_parser("propagation")
    prop.add_argument("--trials", type=int, default=100)
    prop.add_argument("--postgres", default=PG_DEFAULT)
    thr = sub.add_parser("throughput")
    thr.add_argument("--claims", type=int, default=10_000)
    thr.add_argument("--messages", type=int, default=2_000)
    thr.add_argument("--data", type=Path, default=CHECKTHAT)
    wr = sub.add_parser("writers")
    wr.add_argument("--processes", type=int, default=4)
    wr.add_argument("--claims", type=int, default=1_000)
    wr.add_argument("--postgres", default=PG_DEFAULT)
    args = parser.parse_args()
    if args.what == "propagation":
        result: Any = asyncio.run(propagation(args.postgres, args.trials))
    elif args.what == "throughput":
        result = throughput(args.claims, args.data, args.messages)
    else:
        pg = asyncio.run(_fresh_db(args.postgres, "claimbot_ops_writers"))
        try:
            result = {"postgres": writers(pg, args.processes, args.claims)}
        finally:
            asyncio.run(_drop_db(pg))
        with tempfile.TemporaryDirectory() as tmp:
            result["sqlite"] = writers(f"sqlite:///{tmp}/claims.db", args.processes, args.claims)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
