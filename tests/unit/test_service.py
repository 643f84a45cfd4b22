"""ClaimService on a real SQLite store: curation, audit, import atomicity, matching kept in step."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from claims_db.errors import ClaimNotFound, DuplicateClaim, ExistingClaims, InvalidClaimFile, InvalidInput
from claims_db.models import Framing, Status, Verdict
from claims_db.service import ClaimService, bundled_claims
from claims_db.store import open_store
from tests.conftest import FIXTURES, claim_dict

SAMPLE = (FIXTURES / "sample_claims.json").read_text(encoding="utf-8")


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[ClaimService]:
    async with open_store(f"sqlite:///{tmp_path}/claims.db") as store:
        svc = ClaimService(store)
        await svc.load()
        await svc.import_claims(SAMPLE, actor="test:setup")
        yield svc


async def test_check_matches_with_attribution_and_framing(service: ClaimService) -> None:
    outcome = await service.check("Tehran sent ballistic missiles to Moscow")
    assert outcome.result.verdict is Verdict.MATCH
    assert outcome.result.framing is Framing.FACT
    assert outcome.result.matches[0].claim_id == "iran-srbm-russia"
    assert outcome.reply.cards[0].title.startswith("The United States alleges: Iran supplied")
    data = outcome.to_json()
    assert set(data) == {"text", "verdict", "framing", "matches", "reply"}
    assert set(data["matches"][0]) >= {"claim_id", "score", "statement", "status", "why"}


async def test_an_added_claim_is_matchable_at_once_and_a_retracted_one_is_not(service: ClaimService) -> None:
    before = await service.check("China sold artillery shells to Russia")
    assert before.result.verdict is not Verdict.MATCH
    await service.add(
        {"statement": "China sold artillery shells to Russia for the war in Ukraine", "status": "unverified",
         "attributions": [{"actor": "Anonymous officials", "verb": "claim"}]},
        actor="test:mod",
    )  # fmt: skip
    after = await service.check("China sold artillery shells to Russia")
    assert after.result.verdict is Verdict.MATCH
    assert after.result.matches[0].claim_id == "china-sold-artillery-shells-to-russia-for-the-war-in-ukraine"
    await service.retract(after.result.matches[0].claim_id, "could not be sourced", actor="test:mod")
    gone = await service.check("China sold artillery shells to Russia")
    assert all(m.claim_id != after.result.matches[0].claim_id for m in gone.result.matches)
    stored = await service.get(after.result.matches[0].claim_id)
    assert stored.retracted and stored.retracted_reason == "could not be sourced"


async def test_curation_steps_each_leave_an_audit_entry(service: ClaimService) -> None:
    cid = "kakhovka-dam-destroyed"
    await service.add_attribution(
        cid, {"actor": "Ukrainian prosecutors", "verb": "say", "date": "2023-06-06"}, actor="discord:1"
    )
    await service.add_denial(
        cid, {"actor": "Kremlin", "speaker": "Dmitry Peskov", "date": "2023-06-06"}, actor="discord:2"
    )
    await service.add_source(cid, {"outlet": "Example", "url": "https://example.org/dam"}, actor="discord:3")
    await service.add_paraphrase(cid, "the russians blew the dam", actor="discord:4")
    await service.edit(cid, {"status": "alleged", "summary": "Changed by a moderator."}, actor="discord:5")
    claim = (await service.get(cid)).claim
    assert claim.status is Status.ALLEGED
    assert claim.attributions[-1].actor == "Ukrainian prosecutors"
    assert claim.denials[-1].speaker == "Dmitry Peskov"
    assert claim.sources[-1].url == "https://example.org/dam"
    assert claim.paraphrases == ("the russians blew the dam",)
    history = await service.history(cid)
    assert [(e.action, e.actor) for e in history][-5:] == [
        ("edit", "discord:1"), ("edit", "discord:2"), ("edit", "discord:3"),
        ("edit", "discord:4"), ("edit", "discord:5"),
    ]  # fmt: skip
    assert history[-1].before["status"] == "disputed" and history[-1].after["status"] == "alleged"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda s: s.add_source(
                "iran-srbm-russia", {"outlet": "x", "url": "ftp://example.org"}, actor="t"
            ),
            "Invalid source: url: URL must start with http:// or https://",
        ),
        (
            lambda s: s.add_attribution("iran-srbm-russia", {"actor": "x", "date": "2024-31-12"}, actor="t"),
            "Invalid attribution: date: '2024-31-12' is not a real calendar date",
        ),
        (
            lambda s: s.edit("iran-srbm-russia", {"status": "probably"}, actor="t"),
            "status: input should be 'alleged'",
        ),
        (
            lambda s: s.edit("iran-srbm-russia", {"statement": "too short"}, actor="t"),
            "statement: string should have at least 10 characters",
        ),
        (
            lambda s: s.add(
                {"statement": "x" * 301, "status": "alleged", "attributions": [{"actor": "A"}]}, actor="t"
            ),
            "string should have at most 300 characters",
        ),
        (
            lambda s: s.add_paraphrase(
                "iran-srbm-russia", "Tehran sent ballistic missiles to Moscow", actor="t"
            ),
            "already has that wording",
        ),
        (lambda s: s.retract("iran-srbm-russia", "", actor="t"), "Give a reason"),
    ],
)
async def test_bad_admin_input_explains_itself_and_changes_nothing(
    service: ClaimService, call: Any, message: str
) -> None:
    before = await service.export_claims(include_retracted=True)
    seq = await service.store.last_seq()
    with pytest.raises(InvalidInput) as exc:
        await call(service)
    assert message in str(exc.value)
    assert await service.export_claims(include_retracted=True) == before
    assert await service.store.last_seq() == seq


async def test_unknown_and_duplicate_ids(service: ClaimService) -> None:
    with pytest.raises(ClaimNotFound, match="No claim with id 'nope'"):
        await service.add_paraphrase("nope", "something long enough", actor="t")
    with pytest.raises(DuplicateClaim):
        await service.add(claim_dict("iran-srbm-russia"), actor="t")


async def test_an_import_with_one_bad_claim_changes_nothing_and_lists_every_problem(
    service: ClaimService,
) -> None:
    before = await service.export_claims(include_retracted=True)
    good = claim_dict("brand-new-claim", statement="A brand new claim that is fine")
    bad = claim_dict("bad-claim", status="maybe", related=["no-such-claim"])
    bad["attributions"][0]["date"] = "yesterday"
    with pytest.raises(InvalidClaimFile) as exc:
        await service.import_claims(json.dumps([good, bad]), actor="t", filename="batch.json")
    assert len(exc.value.problems) == 2
    assert str(exc.value).startswith("batch.json has 2 problems; nothing was changed:")
    assert await service.export_claims(include_retracted=True) == before
    assert "brand-new-claim" not in service.matcher


async def test_import_reports_new_updated_unchanged_and_related_must_exist(service: ClaimService) -> None:
    data = json.loads(SAMPLE)
    data[0]["status"] = "disputed"
    data.append(claim_dict("new-one", statement="A new claim added by import", related=["ghost"]))
    with pytest.raises(InvalidClaimFile, match="related: no claim with id 'ghost'"):
        await service.import_claims(json.dumps(data), actor="t")
    data[-1]["related"] = ["iran-srbm-russia"]
    with pytest.raises(ExistingClaims) as refused:
        await service.import_claims(json.dumps(data), actor="t")
    assert refused.value.claim_ids == ["iran-srbm-russia"]
    assert (await service.get("iran-srbm-russia")).claim.status is Status.ALLEGED
    report = await service.import_claims(json.dumps(data), actor="t", update=True)
    assert report.added == ("new-one",)
    assert report.replaced == ("iran-srbm-russia",)
    assert len(report.unchanged) == 5
    assert str(report) == "Imported 2 claims (1 new, 1 updated, 5 unchanged)."


async def test_export_import_round_trip_between_stores(service: ClaimService, tmp_path: Path) -> None:
    exported = await service.export_claims()
    async with open_store(f"sqlite:///{tmp_path}/other.db") as store:
        other = ClaimService(store)
        await other.import_claims(exported, actor="t")
        assert await other.export_claims() == exported


async def test_changes_by_another_process_reach_the_matcher_within_the_refresh_interval(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/shared.db"
    async with open_store(url) as store_a, open_store(url) as store_b:
        bot = ClaimService(store_a, refresh_interval=0.2)
        await bot.load()
        cli = ClaimService(store_b)
        await cli.load()
        await cli.import_claims(SAMPLE, actor="cli:op")
        await asyncio.sleep(0.25)
        assert (await bot.check("Tehran sent ballistic missiles to Moscow")).result.verdict is Verdict.MATCH
        await cli.retract("iran-srbm-russia", "withdrawn", actor="cli:op")
        await asyncio.sleep(0.25)
        outcome = await bot.check("Tehran sent ballistic missiles to Moscow")
        assert all(m.claim_id != "iran-srbm-russia" for m in outcome.result.matches)


async def test_checks_keep_being_answered_while_claims_change(service: ClaimService) -> None:
    async def writer() -> None:
        for i in range(30):
            await service.add(
                {"statement": f"Filler claim number {i} about shipping grain", "status": "unverified",
                 "attributions": [{"actor": "Someone"}]}, actor="t")  # fmt: skip

    async def reader() -> list[str]:
        seen = []
        for _ in range(60):
            outcome = await service.check("Tehran sent ballistic missiles to Moscow")
            seen.append(outcome.result.matches[0].claim_id)
            await asyncio.sleep(0)
        return seen

    _, seen = await asyncio.gather(writer(), reader())
    assert set(seen) == {"iran-srbm-russia"}
    assert len(service.matcher) == 6 + 30


async def test_guild_settings_and_watch_channels(service: ClaimService) -> None:
    s = await service.set_watch(2001, 3001, True, actor="discord:1")
    s = await service.set_watch(2001, 3002, True, actor="discord:1")
    s = await service.set_watch(2001, 3001, False, actor="discord:1")
    assert s.watch_channels == frozenset({3002})
    s = await service.update_guild_settings(2001, actor="discord:1", channel_cooldown_s=5, admin_role_id=99)
    assert (await service.guild_settings(2001)) == s
    with pytest.raises(InvalidInput, match="Unknown setting 'colour'"):
        await service.update_guild_settings(2001, actor="discord:1", colour="red")
    with pytest.raises(InvalidInput, match=r"match_threshold must be between 0\.05 and 1"):
        await service.update_guild_settings(2001, actor="discord:1", match_threshold=3)


async def test_a_guild_threshold_only_raises_the_bar(service: ClaimService) -> None:
    # the claim as the store states it: a confident match under the default cut, not under 1.0
    text = "Iran supplied short-range ballistic missiles to Russia for use in Ukraine"
    await service.update_guild_settings(2001, actor="t", match_threshold=1.0)
    strict = await service.check(text, guild_id=2001)
    assert strict.result.verdict is not Verdict.MATCH
    assert (await service.check(text, guild_id=2002)).result.verdict is Verdict.MATCH


async def test_review_queue_accept_adds_a_paraphrase_and_dismiss_does_not(service: ClaimService) -> None:
    text = "the ayatollahs armed putin with rockets"
    r1 = await service.file_report(guild_id=1, reporter_id=5, message_text=text,
                                   claim_id=None, comment="missed this one")  # fmt: skip
    r2 = await service.file_report(
        guild_id=1, reporter_id=5, message_text="spam", claim_id="ukraine-biolabs", comment=None
    )
    assert [r.id for r in await service.reports(1)] == [r1.id, r2.id]
    done = await service.resolve_report(r1.id, actor="discord:9", accept_as="iran-srbm-russia")
    assert done.status == "accepted"
    assert (
        "the ayatollahs armed putin with rockets" in (await service.get("iran-srbm-russia")).claim.paraphrases
    )
    assert (await service.check("the ayatollahs armed putin with rockets")).result.matches[
        0
    ].claim_id == "iran-srbm-russia"
    await service.resolve_report(r2.id, actor="discord:9", accept_as=None)
    assert await service.reports(1) == []
    with pytest.raises(InvalidInput, match="already dismissed"):
        await service.resolve_report(r2.id, actor="discord:9", accept_as=None)


async def test_search_finds_by_id_and_words(service: ClaimService) -> None:
    assert [c.id for c in await service.search("iran-")][:2] == ["iran-drones-russia", "iran-srbm-russia"]
    assert (await service.search("biological weapons"))[0].id == "ukraine-biolabs"


def test_bundled_seed_claims_are_valid_and_plentiful() -> None:
    claims = bundled_claims()
    ids = {c.id for c in claims}
    assert len(claims) >= 40
    assert {"iran-srbm-russia"} <= ids
    assert {s for c in claims for s in [c.status]} == set(Status)
    assert all(r in ids for c in claims for r in c.related)


def test_the_domain_never_loads_discord() -> None:
    code = (
        "import sys, claims_db.service, claims_db.store.sql, claims_db.matching, claims_db.wording, bot.cli; "
        "assert 'discord' not in sys.modules, 'discord was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_seeding_fills_a_new_store_but_not_one_made_empty_on_purpose(tmp_path: Path) -> None:
    async with open_store(f"sqlite:///{tmp_path}/new.db") as store:
        assert await ClaimService(store).load(seed_if_empty=True) == len(bundled_claims())
    async with open_store(f"sqlite:///{tmp_path}/empty.db") as store:
        await store.mark("init", actor="test", note="created empty")
        assert await ClaimService(store).load(seed_if_empty=True) == 0


async def test_derived_ids_never_reuse_a_retracted_claims_id(service: ClaimService) -> None:
    fields = {"statement": "Tehran sent ballistic missiles to Moscow", "status": "alleged",
              "attributions": [{"actor": "Someone"}]}  # fmt: skip
    first = await service.add(fields, actor="t")
    await service.retract(first.id, "duplicate", actor="t")
    second = await service.add(fields, actor="t")
    assert (first.id, second.id) == (
        "tehran-sent-ballistic-missiles-to-moscow",
        "tehran-sent-ballistic-missiles-to-moscow-2",
    )


async def test_another_processs_bulk_import_is_indexed_off_the_event_loop(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/bulk.db"
    bulk = json.dumps(
        [
            {"id": f"bulk-{i:04d}", "statement": f"Company number {i} sold turbines to the city of Town{i}",
             "status": "unverified", "attributions": [{"actor": "Test"}]}
            for i in range(500)
        ]
    )  # fmt: skip
    async with open_store(url) as reader_store, open_store(url) as writer_store:
        reader = ClaimService(reader_store)
        await reader.load()
        matcher = reader.matcher
        threads: list[str] = []
        update = matcher.update

        def watched(*args: Any, **kwargs: Any) -> None:
            threads.append(threading.current_thread().name)
            update(*args, **kwargs)

        matcher.update = watched  # type: ignore[method-assign]
        await ClaimService(writer_store).import_claims(bulk, actor="test:other-process")
        assert await reader.refresh() == 500
        # one rebuild for the whole batch, and not on the event loop's thread
        assert len(threads) == 1 and threads[0] != threading.main_thread().name
        outcome = await reader.check("Company number 123 sold turbines to the city of Town123")
        assert outcome.result.matches[0].claim_id == "bulk-0123"
