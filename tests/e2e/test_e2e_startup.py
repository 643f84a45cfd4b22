"""Start-up: login, command sync to the configured guild, READY, and the heartbeat."""

from __future__ import annotations

from pathlib import Path

from claims_db.service import ClaimService
from tests.e2e.conftest import Harness, bot_settings, running
from tests.fakes import payloads as p
from tests.fakes.discord_api import FakeDiscord


async def test_bot_logs_in_syncs_commands_to_the_guild_and_connects(harness: Harness) -> None:
    fake = harness.fake
    assert ("GET", "/api/v10/users/@me") in fake.requests
    names = fake.command_names()
    assert names.get(None) is None, "with guild ids set, nothing is synced globally"
    assert names[p.GUILD_ID] == ["Check this message", "check", "claim", "curate"]
    identify = fake.identifies[0]
    assert identify["intents"] & p.PRIVILEGED_INTENTS["message_content"]
    assert fake.unknown_routes == []


async def test_curate_is_hidden_by_default_and_claim_has_show_and_search(harness: Harness) -> None:
    curate = harness.fake.command("curate")
    assert curate["default_member_permissions"] == str(p.MANAGE_GUILD)
    subcommands = {o["name"] for o in curate["options"]}
    assert {
        "add",
        "edit",
        "add-attribution",
        "add-denial",
        "add-source",
        "add-paraphrase",
        "retract",
        "history",
        "import",
        "export",
        "reports",
        "watch",
        "admin-role",
    } <= subcommands
    claim = harness.fake.command("claim")
    assert {o["name"] for o in claim["options"]} == {"show", "search"}
    show = next(o for o in claim["options"] if o["name"] == "show")
    assert show["options"][0]["autocomplete"] is True


async def test_heartbeat_is_written_while_connected(harness: Harness) -> None:
    path = harness.bot.settings.heartbeat_file
    await harness.fake.wait_until(path.exists, 2.0, "the heartbeat file")


async def test_without_guild_ids_the_commands_are_synced_globally(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> None:
    async with running(fake, service, bot_settings(fake, tmp_path, guild_ids=())):
        assert fake.command_names() == {None: ["Check this message", "check", "claim", "curate"]}
        reply = await (await fake.slash("check", statement="I like pancakes with syrup")).reply()
        assert "No curated claim matches" in reply.text()


async def test_a_second_shard_identifies_as_its_shard_and_leaves_the_commands_alone(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> None:
    settings = bot_settings(fake, tmp_path, shard_id=1, shard_count=2)
    async with running(fake, service, settings):
        assert fake.identifies[-1]["shard"] == [1, 2]
        assert fake.command_names() == {}
