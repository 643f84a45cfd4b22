"""One contract, every ClaimStore: SQLite always, PostgreSQL when a server is reachable.

PostgreSQL is the real server (TEST_DATABASE_URL, default the local one with trust auth); each test
gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa

from claims_db.errors import ClaimNotFound, DuplicateClaim, ReportNotFound, StoreUnavailable
from claims_db.models import GuildSettings, Report
from claims_db.store import ClaimStore, open_store
from claims_db.store import sql as sql_store
from claims_db.transfer import claim_from_dict
from tests.conftest import claim_dict


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[ClaimStore]:
    async with open_store(store_url) as s:
        yield s


def claim(claim_id: str = "iran-srbm-russia", **overrides: Any) -> Any:
    return claim_from_dict(claim_dict(claim_id, **overrides))


async def test_a_claim_round_trips_exactly(store: ClaimStore) -> None:
    original = claim()
    await store.add(original, actor="test:ana")
    stored = await store.get(original.id)
    assert stored.claim == original
    assert not stored.retracted
    assert [s.claim.id for s in await store.list_all()] == [original.id]


async def test_unknown_id_and_reused_id_are_domain_errors(store: ClaimStore) -> None:
    with pytest.raises(ClaimNotFound) as missing:
        await store.get("no-such-claim")
    assert missing.value.claim_id == "no-such-claim"
    await store.add(claim(), actor="test:ana")
    with pytest.raises(DuplicateClaim):
        await store.add(claim(statement="Another statement entirely, same id"), actor="test:ana")
    assert (await store.get("iran-srbm-russia")).claim.statement.startswith("Iran supplied")


async def test_every_change_is_in_the_audit_log_with_before_and_after(store: ClaimStore) -> None:
    await store.add(claim(), actor="test:ana")
    await store.replace(claim(status="confirmed"), actor="discord:42", note="evidence published")
    await store.retract("iran-srbm-russia", "duplicate of another entry", actor="cli:root")
    entries = await store.history("iran-srbm-russia")
    assert [(e.action, e.actor) for e in entries] == [
        ("add", "test:ana"),
        ("edit", "discord:42"),
        ("retract", "cli:root"),
    ]
    assert entries[0].before is None and entries[0].after["status"] == "alleged"
    assert entries[1].before["status"] == "alleged" and entries[1].after["status"] == "confirmed"
    assert entries[1].note == "evidence published"
    assert entries[2].note == "duplicate of another entry"
    assert all(e.at.tzinfo is not None for e in entries)
    assert entries[0].at <= entries[1].at <= entries[2].at <= dt.datetime.now(dt.UTC)


async def test_retracted_claims_are_hidden_but_kept_with_their_history(store: ClaimStore) -> None:
    await store.add(claim(), actor="t")
    await store.add(
        claim("nk-missiles-russia", statement="North Korea supplied missiles to Russia"), actor="t"
    )
    await store.retract("iran-srbm-russia", "wrong", actor="t")
    assert [s.claim.id for s in await store.list_all()] == ["nk-missiles-russia"]
    everything = {s.claim.id: s for s in await store.list_all(include_retracted=True)}
    assert everything["iran-srbm-russia"].retracted
    assert everything["iran-srbm-russia"].retracted_reason == "wrong"
    await store.restore("iran-srbm-russia", actor="t")
    assert len(await store.list_all()) == 2
    assert [e.action for e in await store.history("iran-srbm-russia")] == ["add", "retract", "restore"]


async def test_apply_is_all_or_nothing_when_a_write_fails_midway(
    store: ClaimStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.add(claim(), actor="t")
    real_insert = sql_store.SQLStore._insert
    calls = 0

    async def failing_insert(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk pulled out mid-import")
        await real_insert(self, *args, **kwargs)

    monkeypatch.setattr(sql_store.SQLStore, "_insert", failing_insert)
    batch = [
        claim(status="disputed"),
        claim("claim-two", statement="A second claim for the batch"),
        claim("claim-three", statement="A third claim for the batch"),
    ]
    with pytest.raises(RuntimeError):
        await store.apply(batch, actor="t")
    monkeypatch.undo()
    assert [s.claim.id for s in await store.list_all(include_retracted=True)] == ["iran-srbm-russia"]
    assert (await store.get("iran-srbm-russia")).claim.status == "alleged"
    assert [e.action for e in await store.history("iran-srbm-russia")] == ["add"]


async def test_apply_adds_and_replaces_and_skips_unchanged(store: ClaimStore) -> None:
    await store.add(claim(), actor="t")
    _, position = await store.snapshot()
    await store.apply([claim(), claim("claim-two", statement="A second claim for the batch")], actor="t")
    after, changed = await store.changes(position)
    assert [s.claim.id for s in changed] == ["claim-two"]
    assert after.seq > position.seq
    assert (await store.changes(after))[1] == []


async def test_changes_include_retractions(store: ClaimStore) -> None:
    await store.add(claim(), actor="t")
    _, position = await store.snapshot()
    await store.retract("iran-srbm-russia", "gone", actor="t")
    _, changed = await store.changes(position)
    assert [(s.claim.id, s.retracted) for s in changed] == [("iran-srbm-russia", True)]


async def test_guild_settings_default_then_persist(store: ClaimStore) -> None:
    assert await store.get_guild_settings(2001) == GuildSettings(guild_id=2001)
    wanted = GuildSettings(guild_id=2001, watch_channels=frozenset({3001, 3002}), admin_role_id=77,
                           match_threshold=0.9, channel_cooldown_s=5.0)  # fmt: skip
    await store.put_guild_settings(wanted, actor="discord:1")
    await store.put_guild_settings(dataclasses.replace(wanted, claim_cooldown_s=30.0), actor="discord:1")
    got = await store.get_guild_settings(2001)
    assert got == dataclasses.replace(wanted, claim_cooldown_s=30.0)
    assert await store.get_guild_settings(2002) == GuildSettings(guild_id=2002)


async def test_reports_queue_and_accepting_one_adds_the_paraphrase_atomically(store: ClaimStore) -> None:
    await store.add(claim(), actor="t")
    now = dt.datetime.now(dt.UTC)
    filed = await store.add_report(
        Report(id=0, guild_id=2001, reporter_id=5001, message_text="tehran gave putin rockets",
               claim_id=None, comment="should match the Iran claim", created_at=now, channel_id=3001)
    )  # fmt: skip
    assert filed.id > 0
    assert [r.id for r in await store.list_reports(2001)] == [filed.id]
    assert await store.list_reports(2002) == []
    updated = claim(paraphrases=["Tehran sent ballistic missiles to Moscow", "tehran gave putin rockets"])
    done = await store.resolve_report(filed.id, status="accepted", actor="discord:9", paraphrase_of=updated)
    assert done.status == "accepted" and done.resolved_by == "discord:9"
    assert await store.list_reports(2001) == []
    assert "tehran gave putin rockets" in (await store.get("iran-srbm-russia")).claim.paraphrases
    with pytest.raises(ReportNotFound):
        await store.get_report(99999)


async def test_reopening_runs_no_migration_twice_and_keeps_data(store_url: str) -> None:
    async with open_store(store_url) as s:
        await s.add(claim(), actor="t")
    async with open_store(store_url) as s:
        assert (await s.get("iran-srbm-russia")).claim == claim()


async def test_migrations_produce_exactly_the_schema_the_store_queries(store: ClaimStore) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from claims_db.store.schema import metadata

    engine = store._engine  # type: ignore[attr-defined]

    def diff(conn: sa.Connection) -> list[Any]:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        return [
            d
            for d in compare_metadata(ctx, metadata)
            if d[0] != "remove_table" or d[1].name != "alembic_version"
        ]

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []
        version = (await conn.execute(sa.text("select version_num from alembic_version"))).scalar()
    assert version == "0006"


async def test_the_migration_read_at_start_up_is_the_one_alembic_reads(store_url: str) -> None:
    """Opening a store reads its revision and the shipped head without importing Alembic; both
    must agree with Alembic's own reading, or a store behind would not be migrated."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy.ext.asyncio import create_async_engine

    from claims_db.store.sql import _config, current_revision, head_revision

    assert head_revision() == ScriptDirectory.from_config(_config()).get_current_head()
    engine = create_async_engine(store_url.replace("postgresql://", "postgresql+asyncpg://", 1).replace(
        "sqlite:///", "sqlite+aiosqlite:///", 1))  # fmt: skip
    try:
        async with engine.connect() as conn:  # nothing there yet
            assert await conn.run_sync(current_revision) is None
        async with open_store(store_url):
            pass
        async with engine.connect() as conn:
            ours = await conn.run_sync(current_revision)
            theirs = await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())
        assert ours == theirs == head_revision()
    finally:
        await engine.dispose()


async def test_a_bad_url_or_missing_driver_is_a_plain_error() -> None:
    with pytest.raises(StoreUnavailable, match="Cannot open the claim store"):
        async with open_store("postgresql://nobody@127.0.0.1:1/none"):
            pass
    with pytest.raises(StoreUnavailable, match=r"Not a database URL|not installed"):
        async with open_store("nosuchdb://x/y"):
            pass


async def test_source_checks_keep_when_a_source_first_failed(store: ClaimStore) -> None:
    from claims_db.models import SourceCheck

    day = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    url = "https://example.org/missiles"

    def check(n: int, status: int | None, error: str | None = None) -> SourceCheck:
        return SourceCheck("iran-srbm-russia", url, day + dt.timedelta(days=n), status, url, "T", error)

    (first,) = await store.put_source_checks([check(0, 200)])
    assert first.failing_since is None
    (down,) = await store.put_source_checks([check(1, 404, "HTTP 404 Not Found")])
    assert down.failing_since == day + dt.timedelta(days=1)
    (still,) = await store.put_source_checks([check(2, None, "timed out")])
    assert still.failing_since == day + dt.timedelta(days=1)  # unavailable since the first failure
    assert await store.list_source_checks("iran-srbm-russia") == [still]
    (back,) = await store.put_source_checks([check(3, 200)])
    assert back.failing_since is None and back.reachable
    assert await store.list_source_checks("no-such-claim") == []
    assert [c.checked for c in await store.list_source_checks()] == [day + dt.timedelta(days=3)]
