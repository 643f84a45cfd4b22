"""Concurrent curation loses no write, and a follower of the change feed misses no commit.

Real concurrency: coroutines and threads in one process, and separate processes, each on SQLite and
on the local PostgreSQL server. Every write must be kept, and in the audit log each change's
"before" must be the previous change's "after".
"""

from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from claims_db.service import ClaimService
from claims_db.store import open_store
from tests.conftest import claim_dict
from tests.unit.test_cli import CLAIMBOT

CLAIM = "iran-srbm-russia"

WORKER = """
import asyncio, sys, time
from pathlib import Path
from claims_db.service import ClaimService
from claims_db.store import open_store

url, name, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])

async def main():
    async with open_store(url, busy_timeout=60) as store:
        service = ClaimService(store)
        while not go.exists():
            time.sleep(0.005)
        for i in range(count):
            await service.add_denial(
                "iran-srbm-russia", {"actor": f"{name} {i}", "speaker": name}, actor=f"test:{name}"
            )

asyncio.run(main())
"""


async def _seeded(url: str) -> None:
    async with open_store(url) as store:
        await ClaimService(store).import_claims(json.dumps([claim_dict(CLAIM)]), actor="test:setup")


async def _assert_all_kept(url: str, expected: set[str]) -> None:
    async with open_store(url) as store:
        denials = {d.actor for d in (await store.get(CLAIM)).claim.denials}
        history = await store.history(CLAIM)
    assert len(denials - {"Iran"}) == len(expected), f"kept {len(denials - {'Iran'})} of {len(expected)}"
    assert denials - {"Iran"} == expected
    for previous, entry in itertools.pairwise(history):
        assert entry.before == previous.after, f"audit entry {entry.seq} does not follow {previous.seq}"


async def test_concurrent_add_denial_in_one_process_keeps_every_write(store_url: str) -> None:
    await _seeded(store_url)
    async with open_store(store_url) as store:
        service = ClaimService(store)
        await asyncio.gather(
            *(service.add_denial(CLAIM, {"actor": f"Curator {i}"}, actor=f"discord:{i}") for i in range(20))
        )
    await _assert_all_kept(store_url, {f"Curator {i}" for i in range(20)})


async def test_concurrent_add_denial_from_threads_keeps_every_write(store_url: str) -> None:
    await _seeded(store_url)
    errors: list[BaseException] = []

    async def curate(name: str) -> None:
        async with open_store(store_url, busy_timeout=60) as store:
            service = ClaimService(store)
            for i in range(10):
                await service.add_denial(CLAIM, {"actor": f"{name} {i}"}, actor=f"test:{name}")

    def thread(name: str) -> None:
        try:
            asyncio.run(curate(name))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=thread, args=(f"T{t}",)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    await _assert_all_kept(store_url, {f"T{t} {i}" for t in range(4) for i in range(10)})


async def test_four_processes_adding_denials_to_one_claim_keep_all_100(
    store_url: str, tmp_path: Path
) -> None:
    await _seeded(store_url)
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, store_url, f"P{p}", "25", str(go)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in range(4)
    ]
    time.sleep(0.5)  # let every process open the store before they race
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
    await _assert_all_kept(store_url, {f"P{p} {i}" for p in range(4) for i in range(25)})


async def test_concurrent_watch_toggles_keep_every_channel(store_url: str) -> None:
    async with open_store(store_url) as store:
        service = ClaimService(store)
        await asyncio.gather(*(service.set_watch(7, 100 + c, True, actor="discord:1") for c in range(15)))
        assert (await service.guild_settings(7)).watch_channels == frozenset(range(100, 115))


async def test_a_follower_sees_every_claim_of_a_long_import_that_commits_after_a_short_write(
    postgres_url: str, tmp_path: Path
) -> None:
    """PostgreSQL hands out audit sequences at insert time: the short write below gets a higher
    sequence than the import's rows but commits first. A follower that only asks for "above the
    highest sequence seen" skips the whole import for good."""
    async with open_store(postgres_url) as store:
        await store.mark("init", actor="test", note="created empty")  # no seed claims
    big = tmp_path / "big.json"
    claims: list[dict[str, Any]] = [
        claim_dict(f"bulk-claim-{i}", statement=f"Bulk claim number {i} about grain shipments")
        for i in range(3000)
    ]
    big.write_text(json.dumps(claims), encoding="utf-8")
    importer = subprocess.Popen(
        [CLAIMBOT, "--db", postgres_url, "import", str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    async with open_store(postgres_url) as store, open_store(postgres_url) as writer_store:
        follower = ClaimService(store, refresh_interval=0)
        await follower.load()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # until the import has taken sequences
            async with store._engine.connect() as conn:  # type: ignore[attr-defined]
                taken = (await conn.execute(sa.text("select last_value from audit_seq_seq"))).scalar()
            if taken and taken > 1000:
                break
            await asyncio.sleep(0.01)
        writer = ClaimService(writer_store)
        await writer.add(
            claim_dict("short-write", statement="A short write during the long import"), actor="t"
        )
        await follower.refresh()
        import_still_running = importer.poll() is None
        _, err = importer.communicate(timeout=240)
        assert importer.returncode == 0, err
        assert import_still_running, "the import finished before the short write; make the file bigger"
        await follower.refresh()
        assert "short-write" in follower.matcher
        missed = [c["id"] for c in claims if c["id"] not in follower.matcher]
        assert missed == [], f"the follower missed {len(missed)} of {len(claims)} imported claims"
