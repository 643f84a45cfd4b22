"""/check and "Check this message" as a member sees them: match, possible, none."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from bot import interactions
from tests.e2e.conftest import Harness
from tests.fakes import payloads as p


def pings_nobody(allowed: dict[str, object] | None) -> bool:
    """Discord's allowed_mentions that resolve no mention at all (what AllowedMentions.none() sends)."""
    if allowed is None:
        return False
    return allowed.get("parse") == [] and not any(allowed.get(k) for k in ("users", "roles", "replied_user"))


async def test_check_match_answers_privately_with_the_card_attribution_first(harness: Harness) -> None:
    exchange = await harness.fake.slash("check", statement="Tehran sent ballistic missiles to Moscow")
    reply = await exchange.reply()
    assert reply.ephemeral
    assert pings_nobody(reply.allowed_mentions)
    card = reply.embeds[0]
    assert card["title"].startswith("The United States alleges: Iran supplied")
    assert card["description"].startswith("Alleged by the United States")
    assert "\n\nThe United States alleges that Iran supplied" in card["description"]
    assert card["color"] == 0xE6A23C  # alleged: amber
    assert card["author"]["name"] == "Checked: Tehran sent ballistic missiles to Moscow"
    fields = {f["name"]: f["value"] for f in card["fields"]}
    assert fields["Denied by"].startswith("Iran denies it")
    # Curator text is escaped: markdown shows literally and @everyone cannot resolve.
    assert r"\*any\*" in fields["Denied by"]
    assert "@\u200beveryone" in fields["Denied by"]
    assert "[Example Wire — Missiles story](https://example.org/missiles)" in fields["Sources"]
    assert fields["Reviewed"] == "2024-09-12"
    assert re.match(r"Match (1\.00|0\.9\d) ", card["footer"]["text"])  # a confident probability
    assert "Tehran→Iran" in card["footer"]["text"]
    assert [b["custom_id"] for b in reply.buttons()] == [
        "claims:sources:iran-srbm-russia",
        "claims:wrong:iran-srbm-russia",
    ]


async def test_check_possible_offers_did_you_mean_with_candidates(harness: Harness) -> None:
    reply = await (await harness.fake.slash("check", statement="missiles went to russia")).reply()
    embed = reply.embeds[0]
    assert embed["title"] == "Did you mean…"
    assert "Iran supplied short-range ballistic missiles to Russia" in embed["description"]
    assert re.match(r"#1 0\.\d\d · .*Russia", embed["footer"]["text"])  # score and why, per candidate
    labels = [b["label"] for b in reply.buttons()]
    assert labels[0] == "Show 1" and labels[-1] == "None of these?"
    # "Show 1" opens the full card of that candidate, privately.
    card = await (await harness.fake.click(reply, "Show 1")).reply()
    assert card.ephemeral
    assert card.embeds[0]["title"].startswith("The United States alleges: ")
    assert card.embeds[0]["author"]["name"] == "Checked: missiles went to russia"


async def test_check_none_says_so_plainly_and_names_no_claim(harness: Harness) -> None:
    reply = await (await harness.fake.slash("check", statement="I like pancakes with syrup")).reply()
    text = reply.text()
    assert "No curated claim matches this message." in text
    assert "no match says nothing about whether the message is true" in text
    assert "Iran" not in text and "claims:sources" not in str(reply.components)
    assert [b["label"] for b in reply.buttons()] == ["Report a missed claim"]


async def test_check_with_private_off_posts_in_the_channel(harness: Harness) -> None:
    exchange = await harness.fake.slash(
        "check", statement="Tehran sent ballistic missiles to Moscow", private=False
    )
    reply = await exchange.reply()
    assert not reply.ephemeral
    assert pings_nobody(reply.allowed_mentions)


async def test_check_quotes_user_text_without_pinging_or_markdown(harness: Harness) -> None:
    statement = "@everyone **Tehran** sent ballistic missiles to Moscow <@123456789012345678>"
    reply = await (await harness.fake.slash("check", statement=statement, private=False)).reply()
    assert pings_nobody(reply.allowed_mentions)
    author = reply.embeds[0]["author"]["name"]
    assert "@\u200beveryone" in author and "<@\u200b123456789012345678>" in author


async def test_sources_button_lists_every_denial_and_every_source_as_a_link(harness: Harness) -> None:
    reply = await (
        await harness.fake.slash("check", statement="Tehran sent ballistic missiles to Moscow")
    ).reply()
    sources = await (await harness.fake.click(reply, "Sources")).reply()
    assert sources.ephemeral
    denied, listed = sources.embeds
    assert denied["title"] == "Denied by" and denied["description"].startswith("• Iran denies it")
    assert listed["title"] == "Sources"
    text = listed["description"]
    assert (
        "[U.S. Department of State — Press availability in London](https://example.org/state/press)" in text
    )
    assert "[Example Daily — Second look](https://example.org/second) (2024-09-12)" in text


async def test_context_menu_checks_the_target_message(harness: Harness) -> None:
    target = p.message(6001, "Tehran sent ballistic missiles to Moscow", author=p.MOD)
    reply = await (await harness.fake.context_menu("Check this message", target)).reply()
    assert reply.ephemeral
    assert reply.embeds[0]["title"].startswith("The United States alleges: Iran supplied short-range")


async def test_context_menu_on_a_message_without_text_says_so(harness: Harness) -> None:
    target = p.message(6002, "", author=p.MOD)
    reply = await (await harness.fake.context_menu("Check this message", target)).reply()
    assert reply.ephemeral and reply.content == "That message has no text to check."


async def test_check_is_rate_limited_per_member(harness: Harness) -> None:
    await harness.service.update_guild_settings(p.GUILD_ID, actor="test", check_rate_per_minute=2)
    harness.bot.guild_settings.forget(p.GUILD_ID)
    for _ in range(2):
        await (await harness.fake.slash("check", statement="I like pancakes with syrup")).reply()
    refused = await (await harness.fake.slash("check", statement="I like pancakes with syrup")).reply()
    assert refused.ephemeral and "faster than 2 times a minute" in refused.content
    other = await (await harness.fake.slash("check", statement="pancakes", user=p.MOD)).reply()
    assert "faster" not in other.text()


async def test_claim_show_and_search_with_autocomplete(harness: Harness) -> None:
    choices = await (await harness.fake.slash("claim show", id="drones", focused="id")).choices()
    assert choices[0]["value"] == "iran-drones-russia"
    shown = await (await harness.fake.slash("claim show", id="iran-drones-russia")).reply()
    # Confirmed: the statement is stated as fact, with who confirmed it.
    assert shown.embeds[0]["title"] == "Iran supplied attack drones to Russia that were used against Ukraine"
    assert shown.embeds[0]["description"].startswith("Confirmed by Ukraine")
    found = await (await harness.fake.slash("claim search", query="North Korea")).reply()
    assert "`nk-troops-russia`" in found.embeds[0]["description"]
    missing = await (await harness.fake.slash("claim show", id="no-such-claim")).reply()
    assert missing.ephemeral and missing.content == "No claim with id 'no-such-claim'."


async def test_slow_work_is_deferred_within_the_deadline_then_answered(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(interactions, "DEFER_AFTER_S", 0.05)
    check = harness.service.check_now

    def slow_check(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)  # matching runs on the checker's worker thread
        return check(*args, **kwargs)

    monkeypatch.setattr(harness.service, "check_now", slow_check)
    exchange = await harness.fake.slash("check", statement="Tehran sent ballistic missiles to Moscow")
    reply = await exchange.reply()
    assert [c["type"] for c in exchange.callbacks] == [5]  # "claimbot is thinking…", privately
    assert exchange.callbacks[0]["data"]["flags"] == 64
    assert reply.embeds[0]["title"].startswith("The United States alleges: ")


async def test_an_error_inside_a_command_is_answered_and_logged(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_check(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("matcher exploded")

    monkeypatch.setattr(harness.service, "check_now", broken_check)
    harness.expected_errors.append("Error while handling check")
    reply = await (await harness.fake.slash("check", statement="anything at all")).reply()
    assert reply.ephemeral
    assert reply.content.startswith("Something went wrong")
    [record] = harness.log.errors()
    assert record.exc_info is not None and "matcher exploded" in str(record.exc_info[1])


async def test_thirty_denials_every_denier_on_the_card_every_statement_behind_sources(
    harness: Harness,
) -> None:
    for i in range(30):
        await harness.service.add_denial(
            "iran-srbm-russia",
            {"actor": f"Ministry {i}", "quote": f"Denial {i:02d}: " + "we sent nothing at all " * 25},
            actor="test:setup",
        )
    exchange = await harness.fake.slash("check", statement="Tehran sent ballistic missiles to Moscow")
    card = await exchange.reply()
    text = " ".join(f["value"] for e in card.embeds for f in e.get("fields", []))
    assert all(f"Ministry {i}" in text for i in range(30))
    assert "more statements by" in text and "press Sources to read them all" in text
    # Every statement, word for word, in as many messages as it takes; the fake refuses any message
    # over Discord's limits (6,000 characters, 10 embeds, 4,096 per description).
    pressed = await harness.fake.click(card, "Sources")
    first = await pressed.reply()
    await harness.fake.wait_until(
        lambda: sum(" 29:" in str(m.embeds) for m in pressed.visible()) == 1, 5.0, "the last denial"
    )
    shown = " ".join(e.get("description", "") for m in pressed.visible() for e in m.embeds)
    assert len(pressed.visible()) > 1 and first.ephemeral
    assert all(f"Denial {i:02d}: " + "we sent nothing at all " * 24 in shown for i in range(30))
