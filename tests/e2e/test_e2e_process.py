"""The bot as operators and the Dockerfile start it: ``python -m bot`` in its own process, configured
only by environment variables, against the fake Discord; healthy while connected; stops on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

from tests.fakes import payloads as p
from tests.fakes.discord_api import FakeDiscord

REPO = Path(__file__).resolve().parents[2]


async def _health(env: dict[str, str]) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--health", cwd=REPO, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(proc.communicate(), 30.0)
    return proc.returncode or 0, out.decode()


async def test_python_m_bot_starts_from_the_environment_answers_is_healthy_and_stops_cleanly(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DISCORD_TOKEN": fake.token,
        "CLAIMBOT_DB": f"sqlite:///{tmp_path}/data/claims.db",
        "CLAIMBOT_GUILD_IDS": str(p.GUILD_ID),
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "CLAIMBOT_HEARTBEAT_FILE": str(tmp_path / "heartbeat.json"),
        "CLAIMBOT_HEARTBEAT_INTERVAL": "0.2",
    }
    code, out = await _health(env)
    assert code == 1 and "not connected to Discord" in out
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=REPO, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await fake.wait_until(lambda: bool(fake.identifies) and bool(fake.command_names()), 30.0, "the bot")
        await fake.wait_until((tmp_path / "heartbeat.json").exists, 10.0, "the first heartbeat")
        code, out = await _health(env)
        assert code == 0, out
        checked = await fake.slash("check", statement="Tehran sent ballistic missiles to Moscow")
        reply = await checked.reply()
        assert reply.embeds[0]["title"].startswith("The United States alleges: ")
    finally:
        if bot.returncode is None:
            bot.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(bot.communicate(), 30.0)
    assert bot.returncode == 0, stderr.decode()
    assert stderr.decode() == ""
    assert re.search(r"Loaded [1-9]\d* claims from the store", stdout.decode()), "seeded on first start"


def _env(fake: FakeDiscord, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DISCORD_TOKEN": fake.token,
        "CLAIMBOT_DB": f"sqlite:///{tmp_path}/data/claims.db",
        "CLAIMBOT_GUILD_IDS": str(p.GUILD_ID),
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "CLAIMBOT_HEARTBEAT_FILE": str(tmp_path / "heartbeat.json"),
        "CLAIMBOT_HEARTBEAT_INTERVAL": "0.2",
        **extra,
    }


def _bulk(count: int) -> bytes:
    claims = [
        {
            "id": f"bulk-claim-{i}",
            "statement": f"Bulk claim number {i} says that harbour {i} was closed",
            "status": "alleged",
            "attributions": [{"actor": "Someone", "verb": "says"}],
        }
        for i in range(count)
    ]
    return json.dumps(claims).encode()


async def _lines(stream: asyncio.StreamReader, into: list[str]) -> None:
    while line := await stream.readline():
        into.append(line.decode(errors="replace"))


async def test_sigterm_refuses_new_interactions_finishes_the_one_in_flight_and_exits_0(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    port = _free_port()
    # the import in flight is the point, not its vectors: on words alone it takes seconds, not minutes
    env = _env(
        fake, tmp_path, CLAIMBOT_METRICS_PORT=str(port), CLAIMBOT_LOG_FORMAT="json", CLAIMBOT_SEMANTIC="0"
    )
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=REPO, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert bot.stdout is not None and bot.stderr is not None
    out: list[str] = []
    reader = asyncio.create_task(_lines(bot.stdout, out))
    try:
        await fake.wait_until(lambda: bool(fake.identifies) and bool(fake.command_names()), 30.0, "the bot")
        await fake.wait_until((tmp_path / "heartbeat.json").exists, 10.0, "the first heartbeat")
        code, why = await _health(env)  # the Docker health check asks /healthz when the port is set
        assert code == 0 and "ok" in why, why
        body = _bulk(4000)
        mod = {"user": p.MOD, "permissions": p.MANAGE_GUILD}
        importing = await fake.slash("curate import", file=("bulk.json", body), **mod)
        # the bot is downloading the file: the import is in flight when SIGTERM arrives
        await fake.wait_until(
            lambda: any(path.startswith("/attachments/") for _, path in fake.requests), 10.0, "the download"
        )
        bot.send_signal(signal.SIGTERM)
        await fake.wait_until(lambda: any("Shutting down" in line for line in out), 10.0, "the shutdown")
        refused = await (
            await fake.slash("check", statement="Tehran sent ballistic missiles to Moscow")
        ).reply()
        assert refused.content == "claimbot is restarting; try again in a moment."
        done = await importing.reply(timeout=10.0)
        assert done.content.startswith("Imported 4000 claims (4000 new")
        started = asyncio.get_running_loop().time()
        await asyncio.wait_for(bot.wait(), 10.0)
        assert asyncio.get_running_loop().time() - started < 10.0
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
        await reader
    stderr = (await bot.stderr.read()).decode()
    assert bot.returncode == 0, stderr
    assert stderr == ""
    events = [json.loads(line) for line in out if line.startswith("{") and '"msg": "event"' in line]
    assert {(e["command"], e["outcome"]) for e in events} >= {("curate import", "ok"), ("check", "refused")}
    listed = subprocess.run(
        [sys.executable, "-m", "bot.cli", "list", "--json"], cwd=REPO, env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert len(set(re.findall(r'"bulk-claim-\d+"', listed.stdout))) == 4000, listed.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
