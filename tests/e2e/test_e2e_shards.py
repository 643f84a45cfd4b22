"""Two shards on one PostgreSQL store: shard 0 in this process, shard 1 as ``python -m bot`` (each with
a fake Discord of its own: discord.py's REST base is process-wide). A claim curated on shard 0 is
matched through shard 1 at once, and watch-mode cooldowns hold across the two processes (two copies of
a shard, as in a rolling restart, both see a message: one answers)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from claims_db.service import ClaimService
from claims_db.store import open_store
from tests.e2e.conftest import CLAIMS_FILE, Harness, bot_settings, running
from tests.e2e.test_e2e_process import REPO
from tests.fakes import payloads as p
from tests.fakes.discord_api import FakeDiscord
from tests.store.conftest import fresh_postgres_database

MOD = {"user": p.MOD, "permissions": p.MANAGE_GUILD}
MISSILES = "Tehran sent ballistic missiles to Moscow"


@dataclass
class Process:
    fake: FakeDiscord
    proc: asyncio.subprocess.Process
    out: list[str] = field(default_factory=list)

    def events(self) -> list[dict[str, object]]:
        lines = [json.loads(line) for line in self.out if line.startswith("{")]
        return [e for e in lines if e.get("msg") == "event"]


async def _read(stream: asyncio.StreamReader, into: list[str]) -> None:
    while line := await stream.readline():
        into.append(line.decode(errors="replace"))


@pytest.fixture
async def shards(tmp_path: Path, restore_endpoints: None) -> AsyncIterator[tuple[Harness, Process]]:
    async with fresh_postgres_database() as url:
        async with open_store(url) as store:
            await ClaimService(store).import_claims(CLAIMS_FILE.read_text(encoding="utf-8"), actor="t")
        fake0, fake1 = FakeDiscord(), FakeDiscord()
        await fake0.start()
        await fake1.start()
        env = {
            **os.environ, "DISCORD_TOKEN": fake1.token, "CLAIMBOT_DB": url,
            "CLAIMBOT_GUILD_IDS": str(p.GUILD_ID), "DISCORD_API_BASE": fake1.api_base,
            "DISCORD_GATEWAY_URL": fake1.gateway_url, "CLAIMBOT_SHARD_ID": "1", "CLAIMBOT_SHARD_COUNT": "2",
            "CLAIMBOT_HEARTBEAT_FILE": str(tmp_path / "hb1"), "CLAIMBOT_LOG_FORMAT": "json",
        }  # fmt: skip
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=REPO, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert proc.stdout is not None
        one = Process(fake1, proc)
        reader = asyncio.create_task(_read(proc.stdout, one.out))
        try:
            async with open_store(url) as store:
                service = ClaimService(store, refresh_interval=3600)  # no polling: notifications only
                await service.load()
                async with service.following():
                    settings = bot_settings(fake0, tmp_path, database_url=url, shard_id=0, shard_count=2)
                    async with running(fake0, service, settings) as zero:
                        fake1.commands = fake0.commands  # shard 1 does not sync; Discord knows them
                        await fake1.wait_until(lambda: any("Ready as" in m for m in one.out), 30.0, "shard 1")
                        yield zero, one
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 15.0)
            await reader
            await fake0.close()
            await fake1.close()


async def test_a_claim_curated_on_shard_0_is_matched_through_shard_1(shards: tuple[Harness, Process]) -> None:
    zero, one = shards
    statement = "Belarus hosts Russian tactical nuclear weapons"
    modal = await (await zero.fake.slash("curate add", **MOD)).modal()
    values = {"statement": statement, "status": "alleged", "attribution": "Belarus", "denial": "",
              "source": "https://example.org/belarus"}  # fmt: skip
    added = await (await zero.fake.submit_modal(modal, values, **MOD)).reply()
    assert added.content.startswith("Added `")
    for attempt in range(50):  # the notification's way: milliseconds (benchmarks/ops_bench.py)
        reply = await (await one.fake.slash("check", statement=statement, user=_user(attempt))).reply()
        if reply.embeds and statement in reply.embeds[0].get("title", ""):  # "Belarus alleges: …"
            break
        await asyncio.sleep(0.05)
    else:
        pytest.fail("shard 1 never matched the claim added on shard 0")
    assert one.proc.returncode is None


async def test_watch_cooldowns_hold_across_processes(shards: tuple[Harness, Process]) -> None:
    zero, one = shards
    answer = await (await zero.fake.slash("curate watch", channel=p.CHANNEL_ID, enabled=True, **MOD)).reply()
    assert answer.content.startswith("Watching")
    # both copies of the shard see the message, know of no cooldown yet, match it and race to answer
    await zero.fake.post(MISSILES)
    await one.fake.post(MISSILES)
    await one.fake.wait_until(lambda: len(one.events()) == 1, 10.0, "shard 1 to handle it")
    await zero.fake.wait_until(
        lambda: any(m.startswith("event source=watch") for m in zero.log.messages("bot.events")),
        10.0,
        "shard 0 to handle it",
    )
    assert one.events()[0]["verdict"] == "match"
    replies = len(zero.fake.channel_messages()) + len(one.fake.channel_messages())
    assert replies == 1, f"{replies} replies to the same message across the two processes"


def _user(n: int) -> dict[str, object]:  # /check is rate-limited per member
    return {"id": str(7_000_000 + n), "username": "u", "discriminator": "0", "avatar": None}
