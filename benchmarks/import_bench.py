"""How long `claimbot import` takes for a big claim file (target: 14k claims in at most 5 s).

Generates a synthetic file of N claims shaped like curated ones (attributions with sources, a
denial, paraphrases, topics), then times, each into a fresh store:

- ``claimbot import --no-vectors FILE`` end to end (a new process: start-up, parse, validate,
  write, commit), the claims stored without the semantic tier's vectors;
- a second import of the same file (every claim unchanged: the read-back path);
- ``claimbot history ID`` on the big store (a reading command: it must not build the match index);
- ``claimbot reindex``: the vectors of every claim computed and stored afterwards;
- unless ``--skip-vectors``, on SQLite: ``claimbot import FILE`` as by default, which computes the
  vectors before it stores the claims (the encoder's time: minutes, not seconds, at 14k claims).

    python benchmarks/import_bench.py [--claims 14000] [--postgres postgresql://postgres@127.0.0.1/postgres]
        [--skip-vectors]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

CLAIMBOT = shutil.which("claimbot", path=str(Path(sys.executable).parent)) or "claimbot"
ACTORS = ["United States", "Ukraine", "Russia", "Iran", "China", "United Kingdom", "France", "Germany"]


def synthetic_claims(n: int) -> list[dict[str, Any]]:
    claims = []
    for i in range(n):
        a, b = ACTORS[i % len(ACTORS)], ACTORS[(i * 3 + 1) % len(ACTORS)]
        claims.append(
            {
                "id": f"synthetic-claim-{i:06d}",
                "statement": f"{a} sent shipment number {i} of drones and shells to {b} in {2000 + i % 25}",
                "status": ["alleged", "disputed", "false", "confirmed"][i % 4],
                "summary": f"Synthetic benchmark claim {i}; {b} denies receiving anything.",
                "paraphrases": [
                    f"{a} shipped drones to {b} (batch {i})",
                    f"{b} got shells from {a}, lot {i}",
                ],
                "attributions": [
                    {
                        "actor": a,
                        "verb": "alleges",
                        "speaker": "A spokesperson",
                        "date": "2024-09-10",
                        "source": {"outlet": "Example Wire", "url": f"https://example.org/story/{i}"},
                    }
                ],
                "denials": [{"actor": b, "quote": "We received nothing of the kind", "date": "2024-09-11"}],
                "sources": [
                    {"outlet": "Example Wire", "title": f"Story {i}", "url": f"https://example.org/{i}"}
                ],
                "topics": ["benchmark", f"topic-{i % 50}"],
                "reviewed": "2026-11-25",
            }
        )
    return claims


def timed(*args: str, env: dict[str, str]) -> tuple[str, str]:
    """Wall-clock and CPU seconds of one claimbot run (CPU time is what a busy machine cannot inflate)."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([CLAIMBOT, *args], capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"claimbot {' '.join(args)} failed: {done.stderr}")
    said = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    return f"{elapsed:.2f} s wall, {cpu:.2f} s CPU", said


def bench(url: str, file: Path, env: dict[str, str], label: str, *, reindex: bool) -> None:
    env = {**env, "CLAIMBOT_DB": url}
    timed("init", "--empty", env=env)
    first, said = timed("import", "--no-vectors", str(file), env=env)
    second, said_again = timed("import", "--no-vectors", str(file), env=env)
    history, _ = timed("history", "synthetic-claim-000007", env=env)
    noop, _ = timed("--version", env=env)
    print(f"{label}: import --no-vectors {first} ({said})")
    print(f"{label}: same file again {second} ({said_again})")
    print(f"{label}: history of one claim {history}; process start-up alone {noop}")
    if reindex:
        took, said = timed("reindex", env=env)
        print(f"{label}: reindex afterwards {took} ({said})")


def bench_encoding(url: str, file: Path, env: dict[str, str], label: str) -> None:
    env = {**env, "CLAIMBOT_DB": url}
    timed("init", "--empty", env=env)
    took, said = timed("import", str(file), env=env)
    print(f"{label}: import with vectors (the default) {took} ({said})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=14_000)
    parser.add_argument(
        "--postgres", help="also time a PostgreSQL server (a database is created and dropped)"
    )
    parser.add_argument(
        "--skip-vectors", action="store_true", help="time no encoding (no reindex, no default import)"
    )
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("CLAIMBOT_DB", "CLAIMBOT_DEBUG")}
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "claims.json"
        file.write_text(json.dumps(synthetic_claims(args.claims)), encoding="utf-8")
        print(f"{args.claims} claims, {file.stat().st_size / 1e6:.1f} MB")
        bench(str(Path(tmp) / "claims.db"), file, env, "SQLite", reindex=not args.skip_vectors)
        if not args.skip_vectors:
            bench_encoding(str(Path(tmp) / "encoded.db"), file, env, "SQLite")
        if args.postgres:
            import asyncio

            import asyncpg

            name = f"claimbot_bench_{uuid.uuid4().hex[:8]}"
            server = args.postgres.rsplit("/", 1)[0]

            async def admin(sql: str) -> None:
                conn = await asyncpg.connect(server + "/postgres")
                try:
                    await conn.execute(sql)
                finally:
                    await conn.close()

            asyncio.run(admin(f'CREATE DATABASE "{name}"'))
            try:
                bench(f"{server}/{name}", file, env, "PostgreSQL", reindex=False)
            finally:
                asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
