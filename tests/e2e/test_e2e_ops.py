"""What an operator sees: /metrics and /healthz on CLAIMBOT_METRICS_PORT, one log line per event."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from pathlib import Path

import aiohttp
import pytest

from bot.app import ClaimBot
from bot.telemetry import JsonFormatter
from claims_db.service import ClaimService
from tests.e2e.conftest import Harness, bot_settings, running
from tests.e2e.test_e2e_watch import watch
from tests.fakes import payloads as p
from tests.fakes.discord_api import FakeDiscord

MOD = {"user": p.MOD, "permissions": p.MANAGE_GUILD}
MISSILES = "Tehran sent ballistic missiles to Moscow"


async def _get(port: int, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}{path}") as response:
        return response.status, await response.text()


def _samples(text: str) -> dict[str, float]:
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


async def test_metrics_count_checks_by_source_and_verdict(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> None:
    async with running(fake, service, bot_settings(fake, tmp_path, metrics_port=0)) as h:
        port = h.bot.metrics_server.port  # type: ignore[union-attr]
        await (await fake.slash("check", statement=MISSILES)).reply()
        await (await fake.slash("check", statement="I like pancakes with syrup")).reply()
        target = await fake.post(MISSILES, channel_id=p.OTHER_CHANNEL_ID)
        await (await fake.context_menu("Check this message", target)).reply()
        await watch(h)
        await fake.post(MISSILES)
        await fake.wait_until(lambda: len(fake.channel_messages()) == 1, 5.0, "the watch reply")
        status, text = await _get(port, "/metrics")
    assert status == 200
    samples = _samples(text)
    assert samples['claimbot_checks_total{source="slash",verdict="match"}'] == 1
    assert samples['claimbot_checks_total{source="slash",verdict="none"}'] == 1
    assert samples['claimbot_checks_total{source="context_menu",verdict="match"}'] == 1
    assert samples['claimbot_checks_total{source="watch",verdict="match"}'] == 1
    assert samples["claimbot_match_seconds_count"] == 4
    assert samples["claimbot_claims"] == service.indexed_claims > 0
    assert samples['claimbot_gateway_connected{shard="0"}'] == 1
    assert 'claimbot_gateway_latency_seconds{shard="0"}' in samples
    assert samples["claimbot_store_errors_total"] == 0
    assert samples["claimbot_change_listener_connected"] == 0  # SQLite: polling
    for name in ("claimbot_index_rebuild_seconds", "claimbot_change_lag_seconds"):
        assert f"# TYPE {name} histogram" in text


async def test_healthz_is_200_only_while_connected_to_the_gateway_and_the_store_answers(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> None:
    bot = ClaimBot(service, settings=bot_settings(fake, tmp_path, metrics_port=0))
    await bot.login(fake.token)  # setup_hook starts the server; not connected yet
    try:
        port = bot.metrics_server.port  # type: ignore[union-attr]
        assert await _get(port, "/healthz") == (503, "not connected to Discord\n")
        task = asyncio.create_task(bot.connect())
        await fake.wait_until(bot.is_ready, 5.0, "the bot to be ready")
        assert await _get(port, "/healthz") == (200, "ok\n")
        with sqlite3.connect(tmp_path / "claims.db") as db:  # the store breaks under the bot
            db.execute("DROP TABLE audit")
        status, why = await _get(port, "/healthz")
        assert status == 503 and why.startswith("the claim store does not answer")
        assert "claimbot_store_errors_total 1.0" in (await _get(port, "/metrics"))[1]
    finally:
        await bot.close()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(task, 5.0)
    with pytest.raises(aiohttp.ClientConnectionError):
        await _get(port, "/healthz")


def _events(h: Harness) -> list[logging.LogRecord]:
    return [r for r in h.log.records if r.name == "bot.events"]


async def test_one_log_line_per_event_with_its_fields_and_never_the_text(harness: Harness) -> None:
    fake = harness.fake
    await (await fake.slash("check", statement=MISSILES)).reply()
    await (await fake.slash("curate settings", channel_cooldown=30, **MOD)).reply()
    await fake.wait_until(lambda: len(_events(harness)) == 2, 5.0, "two event lines")
    check, settings = _events(harness)
    line = check.getMessage()
    assert line.startswith("event source=slash command=check guild=")
    assert f"channel={p.CHANNEL_ID}" in line and "verdict=match claim=iran-srbm-russia latency_ms=" in line
    assert "Tehran" not in line
    assert settings.getMessage().startswith('event source=slash command="curate settings"')
    as_json = json.loads(JsonFormatter().format(check))
    assert as_json["msg"] == "event" and as_json["logger"] == "bot.events"
    assert {k: as_json[k] for k in ("source", "command", "guild", "channel", "verdict", "claim")} == {
        "source": "slash",
        "command": "check",
        "guild": p.GUILD_ID,
        "channel": p.CHANNEL_ID,
        "verdict": "match",
        "claim": "iran-srbm-russia",
    }
    assert "text" not in as_json and as_json["latency_ms"] >= 0
    # nothing the bot logs at its running level holds the text (discord.py's DEBUG would)
    ours = [r for r in harness.log.records if r.name.startswith("bot") and r.levelno >= logging.INFO]
    assert ours and all("Tehran" not in r.getMessage() for r in ours)


async def test_the_text_is_logged_only_when_the_operator_asks(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> None:
    async with running(fake, service, bot_settings(fake, tmp_path, log_content=True)) as h:
        await (await fake.slash("check", statement=MISSILES)).reply()
        await fake.wait_until(lambda: len(_events(h)) == 1, 5.0, "the event line")
        [check] = _events(h)
    assert json.loads(JsonFormatter().format(check))["text"] == MISSILES
    assert f"text={json.dumps(MISSILES)}" in check.getMessage()
