"""Watch mode: one reply per confident match, never to bots, silent on "possible", cooldowns hold."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Harness
from tests.e2e.test_e2e_check import pings_nobody
from tests.fakes import payloads as p
from tests.fakes.markdown import rendered

MOD = {"user": p.MOD, "permissions": p.MANAGE_GUILD}
MISSILES = "Tehran sent ballistic missiles to Moscow"
DRONES = "Iranian Shahed drones are being used by Russia in Ukraine"


async def watch(harness: Harness, channel_id: int = p.CHANNEL_ID, **settings: float) -> None:
    answer = await (await harness.fake.slash("curate watch", channel=channel_id, enabled=True, **MOD)).reply()
    assert answer.content.startswith(f"Watching <#{channel_id}>: I reply to confident matches only")
    if settings:
        await (await harness.fake.slash("curate settings", **settings, **MOD)).reply()


async def skipped(harness: Harness, message: dict[str, object], reason: str) -> None:
    await harness.wait_for_log(lambda m: m.startswith(f"watch: skip {message['id']}: ") and reason in m)


async def test_watch_replies_once_to_a_match_and_then_respects_the_cooldown(harness: Harness) -> None:
    fake = harness.fake
    await watch(harness)
    first = await fake.post(MISSILES)
    await fake.wait_until(lambda: len(fake.channel_messages()) == 1, 5.0, "the watch reply")
    [reply] = fake.channel_messages()
    assert str(reply.reference["message_id"]) == first["id"]
    assert rendered(reply.content) == (
        "The United States alleges: Iran supplied short-range ballistic missiles to Russia for use in "
        "Ukraine\n"
        "Alleged by the United States and the United Kingdom · denied by Iran"
    )
    assert pings_nobody(reply.allowed_mentions)
    assert [b["label"] for b in reply.buttons()] == ["Full card", "Wrong match?"]

    flood = [await fake.post(MISSILES) for _ in range(10)]
    await skipped(harness, flood[-1], "cooling down")
    assert len(fake.channel_messages()) == 1

    # The full card, privately, about the message the reply answered.
    card = await (await fake.click(reply, "Full card")).reply()
    assert card.ephemeral
    assert card.embeds[0]["author"]["name"] == f"Checked: {MISSILES}"
    assert card.embeds[0]["title"].startswith("The United States alleges: ")

    # "Wrong match?" on the watch reply reports the member's message, not the bot's reply.
    modal = await (await fake.click(reply, "Wrong match?")).modal()
    await (await fake.submit_modal(modal, {"comment": ""})).reply()
    [report] = await harness.service.reports(p.GUILD_ID)
    assert (report.message_text, report.message_id, report.claim_id) == (
        MISSILES,
        int(first["id"]),
        "iran-srbm-russia",
    )


# The `possible` verdict this test reads for "missiles went to russia" is the one of words alone (with
# the semantic tier, similarity in meaning is one more feature of the decision).
@pytest.mark.lexical
async def test_watch_never_answers_bots_possible_matches_or_unwatched_channels(harness: Harness) -> None:
    fake = harness.fake
    await watch(harness)
    from_bot = await fake.post(MISSILES, author=p.OTHER_BOT)
    await skipped(harness, from_bot, "written by a bot")
    from_itself = await fake.post(MISSILES, author=p.BOT_USER)
    await skipped(harness, from_itself, "written by a bot")
    possible = await fake.post("missiles went to russia")
    await skipped(harness, possible, "verdict possible")
    await fake.post(MISSILES, channel_id=p.OTHER_CHANNEL_ID)
    sentinel = await fake.post(MISSILES)  # the first answerable message gets the only reply
    await fake.wait_until(lambda: bool(fake.channel_messages()), 5.0, "the watch reply")
    assert [str(m.reference["message_id"]) for m in fake.channel_messages()] == [sentinel["id"]]
    assert fake.channel_messages(p.OTHER_CHANNEL_ID) == []


async def test_cooldowns_come_from_the_guild_settings_per_channel_and_per_claim(harness: Harness) -> None:
    fake = harness.fake
    await watch(harness, channel_cooldown=0.0, claim_cooldown=3600.0)
    await fake.post(MISSILES)
    await fake.wait_until(lambda: len(fake.channel_messages()) == 1, 5.0, "the first reply")
    again = await fake.post(MISSILES)
    await skipped(harness, again, "answered recently")
    await fake.post(DRONES)  # another claim: the channel is not cooling down, so it is answered
    await fake.wait_until(lambda: len(fake.channel_messages()) == 2, 5.0, "the reply about drones")
    assert "Confirmed by Ukraine · acknowledged by Iran" in fake.channel_messages()[1].content


async def test_unwatching_a_channel_stops_the_replies(harness: Harness) -> None:
    fake = harness.fake
    await watch(harness)
    await (await fake.slash("curate watch", channel=p.CHANNEL_ID, enabled=False, **MOD)).reply()
    await fake.post(MISSILES)
    settings = await (await fake.slash("curate settings", **MOD)).reply()
    assert settings.embeds[0]["fields"][-1]["value"] == "none"
    assert fake.channel_messages() == []


async def test_a_flood_of_unmatched_messages_is_checked_at_most_ten_times_per_channel(
    harness: Harness,
) -> None:
    fake = harness.fake
    await watch(harness)
    chatter = "(@" + " " * 3000  # the quadratic input, cut short: costly before the fix
    flood = [await fake.post(f"{chatter} {i}") for i in range(25)]
    await skipped(harness, flood[-1], "busy")
    # the messages are handled concurrently, so the last one's line may come before another's:
    # wait until every message of the flood has its line
    lines = [f"watch: skip {m['id']}: " for m in flood]

    def accounted() -> bool:
        logged = harness.log.messages("bot.cogs.watch")
        return all(any(m.startswith(line) for m in logged) for line in lines)

    await fake.wait_until(accounted, 5.0, "a line for every message of the flood")
    checked = [m for m in harness.log.messages("bot.cogs.watch") if "verdict" in m]
    busy = [m for m in harness.log.messages("bot.cogs.watch") if "busy" in m]
    assert (len(checked), len(busy)) == (10, 15)
    assert fake.channel_messages() == []


async def test_a_check_over_the_time_budget_is_dropped(harness: Harness) -> None:
    fake = harness.fake
    await watch(harness)
    harness.bot.checker.budget_s = 0.0
    message = await fake.post(MISSILES)
    await skipped(harness, message, "time budget")
    assert fake.channel_messages() == []
    reply = await (await fake.slash("check", statement=MISSILES)).reply()
    assert reply.ephemeral and reply.content.startswith("Checking that text took longer than 0 s")
