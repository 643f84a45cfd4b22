"""The gateway: resuming after a dropped connection, running without the message-content intent,
and a token Discord rejects."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

from claims_db.service import ClaimService
from tests.e2e.conftest import Harness, bot_settings, running
from tests.fakes import payloads as p
from tests.fakes.discord_api import FakeDiscord

REPO = Path(__file__).resolve().parents[2]
MISSILES = "Tehran sent ballistic missiles to Moscow"


async def test_after_a_dropped_connection_the_bot_resumes_and_answers_what_it_missed(
    harness: Harness,
) -> None:
    fake = harness.fake
    await fake.drop_connection(code=4000)
    # Sent while the bot is away: Discord keeps it and replays it on RESUME.
    missed = await fake.slash("check", statement=MISSILES)
    reply = await missed.reply()
    assert reply.embeds[0]["title"].startswith("The United States alleges: ")
    assert len(fake.resumes) == 1 and fake.resumes[0]["session_id"]
    assert len(fake.identifies) == 1, "a resume, not a new session"
    after = await (await fake.slash("check", statement="I like pancakes with syrup")).reply()
    assert "No curated claim matches" in after.text()


async def test_without_the_message_content_intent_the_bot_says_so_and_runs(
    service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> None:
    fake = FakeDiscord(privileged_intents=())
    await fake.start()
    try:
        async with running(fake, service, bot_settings(fake, tmp_path)) as h:
            warning = h.log.messages("bot", logging.WARNING)
            assert any("message-content intent is not enabled" in m for m in warning)
            first, second = fake.identifies
            assert first["intents"] & p.PRIVILEGED_INTENTS["message_content"]
            assert not second["intents"] & p.PRIVILEGED_INTENTS["message_content"]
            reply = await (await fake.slash("check", statement=MISSILES)).reply()
            assert reply.embeds
            answer = await (
                await fake.slash(
                    "curate watch", channel=p.CHANNEL_ID, enabled=True, user=p.MOD, permissions=p.MANAGE_GUILD
                )
            ).reply()
            assert "message-content intent is not enabled" in answer.content
    finally:
        await fake.close()


async def _run_bot(env: dict[str, str], *args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=REPO,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), 30.0)
    return proc.returncode or 0, err.decode()


async def test_a_rejected_token_is_one_line_on_stderr_and_exit_code_2(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    env = {
        "DISCORD_TOKEN": "not-the-token",
        "CLAIMBOT_DB": f"sqlite:///{tmp_path}/claims.db",
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "CLAIMBOT_HEARTBEAT_FILE": str(tmp_path / "heartbeat.json"),
    }
    code, stderr = await _run_bot(env)
    assert code == 2
    assert stderr == "claimbot: Discord rejected DISCORD_TOKEN (401 Unauthorized)\n"
    assert ("GET", "/api/v10/users/@me") in fake.requests


async def test_buttons_keep_working_after_the_bot_restarts(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> None:
    async with running(fake, service, bot_settings(fake, tmp_path)):
        reply = await (await fake.slash("check", statement=MISSILES)).reply()
    async with running(fake, service, bot_settings(fake, tmp_path)):  # a new process, in effect
        sources = await (await fake.click(reply, "Sources")).reply()
        assert "https://example.org/missiles" in sources.embeds[-1]["description"]
        modal = await (await fake.click(reply, "Wrong match?")).modal()
        await (await fake.submit_modal(modal, {"comment": "after a restart"})).reply()
    [report] = await service.reports(p.GUILD_ID)
    assert (report.message_text, report.comment) == (MISSILES, "after a restart")
