"""The bot as operators and the Dockerfile start it: ``python -m bot`` in its own process, configured
only by environment variables, against the fake Discord; healthy while connected; stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import re
import signal
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
