"""The curators' loop as curators and members see it: unanswered questions become claims, counts rise
with matches, and only curators reach any of it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import sqlalchemy as sa

from bot import interactions
from tests.e2e.conftest import Harness
from tests.fakes import payloads as p

MOD = {"user": p.MOD, "permissions": p.MANAGE_GUILD}
MISSILES = "Tehran sent ballistic missiles to Moscow"
UNANSWERED = "Chile banned plastic bags in every supermarket"
REFUSED = "Only members with Manage Server"


async def test_a_check_with_no_match_is_listed_and_becomes_a_claim_in_two_clicks(harness: Harness) -> None:
    fake = harness.fake
    for text in (UNANSWERED, "chile has banned plastic bags in supermarkets!", "I like pancakes with syrup"):
        await (await fake.slash("check", statement=text)).reply()
    listing = await (await fake.slash("curate unanswered", **MOD)).reply()
    assert listing.ephemeral
    [embed] = listing.embeds
    names = [f["name"] for f in embed["fields"]]
    assert names == ["1. Asked once", "2. Asked 2 times"]  # grouped by similarity, newest first
    assert embed["fields"][1]["value"].startswith("> chile has banned plastic bags in supermarkets!")
    assert "without authors" in embed["footer"]["text"]
    assert str(p.ANA["id"]) not in str(listing.data)

    # Click one: the "Add a claim" form, with the group's text as the statement.
    modal = await (await fake.click(listing, "New claim from 2", **MOD)).modal()
    statement = next(
        c["component"] for c in modal["components"] if c["component"].get("custom_id") == "statement"
    )
    assert statement["value"] == "chile has banned plastic bags in supermarkets!"
    # Click two: submit it (status and who asserts it filled in).
    saved = await (
        await fake.submit_modal(modal, {"status": "confirmed", "attribution": "Chile"}, **MOD)
    ).reply()
    assert saved.content.startswith("Added `")
    claim_id = saved.content.split("`")[1]
    assert (await harness.service.get(claim_id)).claim.statement == statement["value"]
    # The next member who asks gets the new claim; the group left the list.
    answer = await (await fake.slash("check", statement="Chile has banned plastic bags!")).reply()
    assert answer.embeds[0]["title"] == statement["value"]
    again = await (await fake.slash("curate unanswered", **MOD)).reply()
    assert [f["name"] for f in again.embeds[0]["fields"]] == ["1. Asked once"]
    assert "pancakes" in again.embeds[0]["fields"][0]["value"]


async def test_an_unanswered_question_becomes_a_paraphrase_of_the_claim_it_resembles(
    harness: Harness,
) -> None:
    fake = harness.fake
    asked = "missiles went to russia"
    first = await (await fake.slash("check", statement=asked)).reply()
    assert first.embeds[0]["title"] == "Did you mean…"  # possible: recorded too
    listing = await (await fake.slash("curate unanswered", **MOD)).reply()
    [select] = listing.selects()
    assert "para:iran-srbm-russia" in [o["value"] for o in select["options"]]
    done = await (await fake.choose(listing, select["custom_id"], ["para:iran-srbm-russia"], **MOD)).reply()
    assert done.content == "Added as a paraphrase of `iran-srbm-russia` (it was asked once)."
    assert asked in (await harness.service.get("iran-srbm-russia")).claim.paraphrases
    now = await (await fake.slash("check", statement=asked)).reply()
    heading = (
        "The United States alleges: Iran supplied short-range ballistic missiles to Russia for use in Ukraine"
    )
    assert now.embeds[0]["title"] == heading


async def test_nothing_is_recorded_when_the_server_turned_it_off_and_no_author_ever(harness: Harness) -> None:
    fake = harness.fake
    await (await fake.slash("curate settings", record_unanswered=False, **MOD)).reply()
    await (await fake.slash("check", statement=UNANSWERED)).reply()
    listing = await (await fake.slash("curate unanswered", **MOD)).reply()
    assert "Recording is off" in listing.embeds[0]["description"]
    await (await fake.slash("curate settings", record_unanswered=True, **MOD)).reply()
    await (await fake.slash("check", statement=UNANSWERED, user=p.ANA)).reply()
    engine = harness.service.store._engine  # type: ignore[attr-defined]
    async with engine.connect() as conn:
        rows = (await conn.execute(sa.text("select * from unanswered"))).mappings().all()
    assert [r["text"] for r in rows] == [UNANSWERED]
    assert str(p.ANA["id"]) not in str([dict(r) for r in rows])


async def test_counts_rise_with_matches_and_the_card_says_asked_here(harness: Harness) -> None:
    fake = harness.fake
    first = await (await fake.slash("check", statement=MISSILES)).reply()
    assert first.content == ""  # asked once: nothing to say
    second = await (await fake.slash("check", statement=MISSILES, user=p.CURATOR)).reply()
    assert second.content == "Asked here 2 times."
    target = p.message(6001, "Tehran sent ballistic missiles to Moscow", author=p.MOD)
    menu = await (await fake.context_menu("Check this message", target)).reply()
    assert menu.content == "Asked here 3 times."
    # A "Wrong match?" report counts as a report, not as asking.
    modal = await (await fake.click(first, "Wrong match?")).modal()
    await (await fake.submit_modal(modal, {"comment": ""})).reply()

    shown = await (await fake.slash("claim show", id="iran-srbm-russia", **MOD)).reply()
    assert "/check 2 · Check this message 1 · watch mode 0 · wrong-match reports 1" in shown.content
    stats = await (await fake.slash("curate stats", **MOD)).reply()
    assert stats.embeds[0]["description"].startswith("`iran-srbm-russia` asked 3 times: /check 2")
    member_view = await (await fake.slash("claim show", id="iran-srbm-russia")).reply()
    assert "In this server" not in member_view.content  # counts are for curators


async def test_a_plain_member_reaches_none_of_the_curator_views(harness: Harness) -> None:
    fake = harness.fake
    await (await fake.slash("check", statement=UNANSWERED)).reply()
    await (await fake.slash("check", statement=MISSILES)).reply()
    for command in ("curate unanswered", "curate stats"):
        refused = await (await fake.slash(command)).reply()
        assert refused.ephemeral and refused.content.startswith(REFUSED), command
    # The curator's list, clicked by a member who can see it (a forwarded screenshot, a shared view).
    listing = await (await fake.slash("curate unanswered", **MOD)).reply()
    click = await fake.click(listing, "New claim from 1")
    refused = await click.reply()
    assert refused.content.startswith(REFUSED)
    assert all(c["type"] != 9 for c in click.callbacks)  # no form opened
    [select] = listing.selects()
    picked = await (await fake.choose(listing, select["custom_id"], ["dismiss"])).reply()
    assert picked.content.startswith(REFUSED)
    assert [g.count for g in await harness.service.unanswered(p.GUILD_ID)] == [1]  # nothing dismissed


async def test_slow_bookkeeping_defers_the_answer_instead_of_missing_the_deadline(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(interactions, "DEFER_AFTER_S", 0.05)
    count_use = harness.service.count_use

    async def busy_store(*args: Any, **kwargs: Any) -> int:
        await asyncio.sleep(0.3)  # another process holds the write lock for a while
        return await count_use(*args, **kwargs)

    monkeypatch.setattr(harness.service, "count_use", busy_store)
    exchange = await harness.fake.slash("check", statement=MISSILES)
    reply = await exchange.reply()
    assert [c["type"] for c in exchange.callbacks] == [5]  # "thinking…" first, then the card
    assert reply.embeds[0]["title"].startswith(
        "The United States alleges: Iran supplied short-range ballistic"
    )
