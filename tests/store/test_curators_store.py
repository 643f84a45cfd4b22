"""The curators' loop in the store and the service, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from claims_db import followups
from claims_db.models import AskedVia, CardKind, Verdict
from claims_db.service import ClaimService
from claims_db.store import open_store

GUILD = 2001
OTHER = 2002
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_claims.json"


@pytest.fixture
async def service(store_url: str) -> AsyncIterator[ClaimService]:
    async with open_store(store_url) as store:
        service = ClaimService(store)
        await service.load()
        await service.import_claims(SAMPLE.read_text(encoding="utf-8"), actor="test:setup")
        yield service


async def test_unanswered_texts_are_kept_normalised_without_authors_and_grouped(
    service: ClaimService,
) -> None:
    day = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
    texts = [
        "Did <@123456789012345678> see that Chile banned plastic bags? https://x.example/a",
        "chile banned plastic bags???",
        "Chile has banned plastic bags!",
        "The moon landing was staged in a studio",
    ]
    for i, text in enumerate(texts):
        outcome = await service.check(text)
        assert outcome.result.verdict != Verdict.MATCH
        await service.record_unanswered(
            GUILD, text, outcome, via=AskedVia.SLASH, now=day + dt.timedelta(minutes=i)
        )
    await service.record_unanswered(
        OTHER, texts[1], await service.check(texts[1]), via=AskedVia.MENU, now=day
    )
    groups = await service.unanswered(GUILD, now=day + dt.timedelta(days=1))
    assert [(g.text, g.count) for g in groups] == [
        ("The moon landing was staged in a studio", 1),  # newest first
        ("Chile has banned plastic bags!", 3),
    ]
    assert groups[1].entries[-1].text == "Did see that Chile banned plastic bags?"  # no mention, no link
    assert {g.guild_id for g in await service.unanswered(now=day)} == {GUILD, OTHER}
    # A match is not kept; nor anything when the guild turned it off.
    assert (
        await service.record_unanswered(
            GUILD, "x", await service.check("Tehran sent missiles to Moscow"), via=AskedVia.SLASH
        )
        is None
    )
    await service.update_guild_settings(OTHER, actor="t", record_unanswered=False)
    assert (
        await service.record_unanswered(OTHER, texts[3], await service.check(texts[3]), via=AskedVia.SLASH)
        is None
    )


async def test_unanswered_texts_go_after_the_guilds_retention(service: ClaimService) -> None:
    await service.update_guild_settings(GUILD, actor="t", unanswered_days=30)
    old = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    text = "The moon landing was staged in a studio"
    await service.record_unanswered(GUILD, text, await service.check(text), via=AskedVia.SLASH, now=old)
    assert len(await service.unanswered(GUILD, now=old + dt.timedelta(days=29))) == 1
    assert await service.unanswered(GUILD, now=old + dt.timedelta(days=31)) == []
    # the default is 90 days
    await service.record_unanswered(OTHER, text, await service.check(text), via=AskedVia.SLASH, now=old)
    assert len(await service.unanswered(OTHER, now=old + dt.timedelta(days=89))) == 1
    assert await service.unanswered(OTHER, now=old + dt.timedelta(days=91)) == []


async def test_counts_per_claim_guild_and_way_concurrently(service: ClaimService) -> None:
    import asyncio

    totals = await asyncio.gather(
        *(service.count_use(GUILD, "iran-srbm-russia", AskedVia.SLASH) for _ in range(10))
    )
    assert sorted(totals) == list(range(1, 11))  # none lost
    assert await service.count_use(GUILD, "iran-srbm-russia", AskedVia.WATCH) == 11
    assert await service.count_use(GUILD, "iran-srbm-russia", AskedVia.REPORT) == 11  # reports are not asks
    assert await service.count_use(OTHER, "iran-srbm-russia", AskedVia.MENU) == 1
    usage = await service.usage(GUILD)
    assert usage == {"iran-srbm-russia": {AskedVia.SLASH: 10, AskedVia.WATCH: 1, AskedVia.REPORT: 1}}


async def test_posted_cards_keep_the_state_they_show(service: ClaimService) -> None:
    claim = (await service.get("iran-srbm-russia")).claim
    card = await service.record_card(
        guild_id=GUILD,
        channel_id=3001,
        message_id=77,
        claim=claim,
        kind=CardKind.CARD,
        checked="Tehran sent missiles",
    )
    await service.edit("iran-srbm-russia", {"status": "confirmed"}, actor="test")
    changed = (await service.get("iran-srbm-russia")).claim
    [stored] = await service.cards(["iran-srbm-russia"])
    assert stored == card
    assert followups.changes(stored.shown, followups.shown_state(changed)) == (
        "status changed from alleged to confirmed",
    )
    await service.mark_card(stored, changed, note_id=99)
    [after] = await service.cards()
    assert after.note_id == 99 and followups.changes(after.shown, followups.shown_state(changed)) == ()


async def test_accepted_wrong_match_reports_become_labelled_negatives(service: ClaimService) -> None:
    text = "Russia sent ballistic missiles to Iran"
    one = await service.file_report(
        guild_id=GUILD, reporter_id=5, message_text=text, claim_id="iran-srbm-russia", comment=None
    )
    two = await service.file_report(
        guild_id=GUILD,
        reporter_id=5,
        message_text="Tehran sent missiles to Moscow again",
        claim_id="iran-srbm-russia",
        comment=None,
    )
    three = await service.file_report(
        guild_id=GUILD, reporter_id=5, message_text="noise", claim_id="iran-srbm-russia", comment=None
    )
    await service.resolve_report(one.id, actor="t", accept_as=None, wrong=True)  # wrong, no claim fits
    await service.resolve_report(two.id, actor="t", accept_as="iran-srbm-russia")  # right claim, new words
    await service.resolve_report(three.id, actor="t", accept_as=None)  # dismissed
    [row] = await service.wrong_match_negatives()
    assert (row["text"], row["kind"], row["other"], row["expect"]) == (
        text,
        "wrong_match",
        "iran-srbm-russia",
        None,
    )
    assert row["claim"]["statement"].startswith("Iran supplied")
