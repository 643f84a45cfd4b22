"""Follow-ups: a claim changed (here by `claimbot import --update` in another process) reaches the
earlier public card and the watch-mode thread once, and a restart neither repeats nor loses it."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path

from claims_db.service import ClaimService
from claims_db.transfer import claim_to_dict
from tests.e2e.conftest import Harness, bot_settings, running
from tests.e2e.test_e2e_check import pings_nobody
from tests.e2e.test_e2e_watch import watch
from tests.fakes import payloads as p
from tests.fakes.discord_api import FakeDiscord

MOD = {"user": p.MOD, "permissions": p.MANAGE_GUILD}
MISSILES = "Tehran sent ballistic missiles to Moscow"
UPDATED = re.compile(r"^Updated \d{4}-\d{2}-\d{2}: status changed from alleged to confirmed$")


def _rounds(h: Harness) -> int:
    return h.bot.followups.rounds if h.bot.followups is not None else 0


async def rounds(h: Harness, n: int) -> None:
    """Wait until the follow-up loop has read the change feed ``n`` times in all."""
    await h.fake.wait_until(lambda: _rounds(h) >= n, 5.0, f"{n} follow-up rounds")


async def _import_update(db: Path, claim: dict[str, object], tmp_path: Path) -> str:
    file = tmp_path / "update.json"
    file.write_text(json.dumps([claim]), encoding="utf-8")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "--db", f"sqlite:///{db}", "import", str(file), "--update",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    return out.decode()


async def test_a_change_from_another_process_edits_the_card_and_notes_the_thread_once(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> None:
    settings = bot_settings(fake, tmp_path, followup_interval_s=0.05)
    async with running(fake, service, settings) as h:
        await watch(h)
        public = await (await fake.slash("check", statement=MISSILES, private=False)).reply()
        private = await (await fake.slash("check", statement=MISSILES)).reply()
        assert not public.ephemeral and private.ephemeral
        await fake.post("Iran sent ballistic missiles to Moscow")
        await fake.wait_until(lambda: len(fake.channel_messages()) == 1, 5.0, "the watch reply")
        [watch_reply] = fake.channel_messages()
        cards: list[object] = []

        async def recorded() -> int:
            cards[:] = await service.cards()
            return len(cards)

        for _ in range(100):
            if await recorded() == 2:
                break
            await asyncio.sleep(0.02)
        assert len(cards) == 2  # the public card and the watch reply; never the ephemeral answer

        stored = claim_to_dict((await service.get("iran-srbm-russia")).claim)
        out = await _import_update(tmp_path / "claims.db", {**stored, "status": "confirmed"}, tmp_path)
        assert "1 updated" in out

        await fake.wait_until(lambda: public.edits == 1, 5.0, "the public card edited")
        assert UPDATED.match(public.content), public.content
        fields = {f["name"]: f["value"] for f in public.embeds[0]["fields"]}
        assert fields["Status"].startswith("Confirmed")
        assert public.embeds[0]["author"]["name"] == f"Checked: {MISSILES}"
        assert [b["label"] for b in public.buttons()] == ["Sources", "Wrong match?"]  # still there
        await fake.wait_until(lambda: len(fake.channel_messages()) == 2, 5.0, "the note in the thread")
        note = fake.channel_messages()[1]
        assert str(note.reference["message_id"]) == str(watch_reply.id)
        assert UPDATED.match(note.content.splitlines()[0])
        assert pings_nobody(note.allowed_mentions)
        assert private.edits == 0
        rounds = h.bot.followups.rounds if h.bot.followups else 0
        await fake.wait_until(
            lambda: h.bot.followups is not None and h.bot.followups.rounds > rounds + 3, 5.0, "more rounds"
        )
        assert public.edits == 1 and len(fake.channel_messages()) == 2  # once, not every round

    # A restart: the new process catches up with every recorded card and finds nothing to do.
    async with running(fake, service, settings) as h:
        await fake.wait_until(
            lambda: h.bot.followups is not None and h.bot.followups.rounds >= 3, 5.0, "rounds"
        )
        assert public.edits == 1 and len(fake.channel_messages()) == 2


async def test_changes_while_the_bot_was_down_and_while_rate_limited_are_not_lost(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> None:
    settings = bot_settings(fake, tmp_path, followup_interval_s=0.05)
    async with running(fake, service, settings):
        public = await (await fake.slash("check", statement=MISSILES, private=False)).reply()
        for _ in range(100):
            if await service.cards():
                break
            await asyncio.sleep(0.02)
    # Changed while no bot runs: a denial added.
    await service.add_denial("iran-srbm-russia", {"actor": "Belarus"}, actor="test")
    await service.update_guild_settings(p.GUILD_ID, actor="test", followup_rate_per_hour=0)
    async with running(fake, service, settings) as h:
        await fake.wait_until(
            lambda: h.bot.followups is not None and h.bot.followups.rounds >= 3, 5.0, "rounds"
        )
        assert public.edits == 0  # held back by the rate limit, not dropped
        await service.update_guild_settings(p.GUILD_ID, actor="test", followup_rate_per_hour=5)
        h.bot.guild_settings.forget(p.GUILD_ID)
        await fake.wait_until(lambda: public.edits == 1, 5.0, "the card edited once the limit allows")
        assert re.match(r"^Updated \d{4}-\d{2}-\d{2}: denial by Belarus added$", public.content)


async def test_a_server_that_turned_follow_ups_off_gets_none(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> None:
    settings = bot_settings(fake, tmp_path, followup_interval_s=0.05)
    async with running(fake, service, settings) as h:
        answer = await (await fake.slash("curate settings", followups=False, **MOD)).reply()
        assert {"name": "Follow-ups", "value": "off", "inline": True} in answer.embeds[0]["fields"]
        public = await (await fake.slash("check", statement=MISSILES, private=False)).reply()
        for _ in range(100):
            if await service.cards():
                break
            await asyncio.sleep(0.02)
        await service.edit("iran-srbm-russia", {"status": "confirmed"}, actor="test")
        await rounds(h, 5)
        assert public.edits == 0
        # Marked as seen: turning follow-ups on later does not flood the channel with old news.
        [card] = await service.cards()
        assert card.shown["status"] == "confirmed"


async def test_a_deleted_card_is_let_go_without_an_error(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> None:
    settings = bot_settings(fake, tmp_path, followup_interval_s=0.05)
    async with running(fake, service, settings) as h:
        public = await (await fake.slash("check", statement=MISSILES, private=False)).reply()
        for _ in range(100):
            if await service.cards():
                break
            await asyncio.sleep(0.02)
        public.deleted = True  # a moderator deleted the bot's message
        await service.edit("iran-srbm-russia", {"status": "confirmed"}, actor="test")
        await h.wait_for_log(lambda m: m.startswith("follow-ups: cannot reach message"))
        [card] = await service.cards()
        assert card.shown["status"] == "confirmed"  # not tried again every round
        assert public.edits == 0
