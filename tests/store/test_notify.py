"""Change notifications on PostgreSQL (NOTIFY in the writing transaction, LISTEN per process, catch-up
after a dropped connection) and watch-mode cooldowns shared through the store."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable

import asyncpg
import pytest

from claims_db.errors import DuplicateClaim
from claims_db.service import ClaimService, ServiceEvents
from claims_db.store import open_store
from claims_db.store.notify import CHANNEL, asyncpg_dsn
from tests.conftest import claim_dict


async def _until(predicate: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def _claim(claim_id: str, statement: str) -> dict[str, object]:
    return claim_dict(claim_id, statement=statement, paraphrases=[], summary=None)


async def test_every_committed_claim_write_notifies_its_claim_and_audit_id(postgres_url: str) -> None:
    async with open_store(postgres_url) as store:
        heard: list[dict[str, object]] = []
        conn = await asyncpg.connect(asyncpg_dsn(postgres_url))
        await conn.add_listener(CHANNEL, lambda *args: heard.append(json.loads(args[3])))
        try:
            service = ClaimService(store)
            await service.add(_claim("first-claim", "The first claim of the test"), actor="t")
            with pytest.raises(DuplicateClaim):  # rolled back: no notification
                await service.add(_claim("first-claim", "The first claim again"), actor="t")
            await service.retract("first-claim", "withdrawn by the test", actor="t")
            await _until(lambda: len(heard) >= 2, "two notifications")
            await asyncio.sleep(0.1)  # a third (from the rolled-back insert) would have arrived by now
            history = await store.history("first-claim")
        finally:
            await conn.close()
    assert [(h["claim_id"], h["audit_id"], h["action"]) for h in heard] == [
        ("first-claim", e.seq, e.action) for e in history
    ]
    assert [e.action for e in history] == ["add", "retract"]


async def test_a_process_following_the_store_indexes_another_process_write_without_polling(
    postgres_url: str,
) -> None:
    async with open_store(postgres_url) as store_a, open_store(postgres_url) as store_b:
        follower = ClaimService(store_a, refresh_interval=3600)  # polling would take an hour
        await follower.load()
        writer = ClaimService(store_b)
        async with follower.following():
            await _until(lambda: follower.live, "the listener to connect")
            await writer.add(_claim("heard-claim", "Atlantis raised its sea walls by ten metres"), actor="t")
            await _until(lambda: "heard-claim" in follower.matcher, "the follower to index the new claim")
            await writer.retract("heard-claim", "withdrawn by the test", actor="t")
            await _until(lambda: "heard-claim" not in follower.matcher, "the follower to drop it")
        assert not follower.live


async def test_after_its_connection_is_killed_the_listener_catches_up_from_the_audit_log(
    postgres_url: str,
) -> None:
    async with open_store(postgres_url) as store_a, open_store(postgres_url) as store_b:
        follower = ClaimService(store_a, refresh_interval=3600)
        await follower.load()
        writer = ClaimService(store_b)
        # a reconnect delay long enough that the writes below land while nobody listens
        async with follower.following(reconnect_delay=1.0):
            await _until(lambda: follower.live, "the listener to connect")
            listener = follower.listener
            assert listener is not None and listener.server_pid is not None
            admin = await asyncpg.connect(asyncpg_dsn(postgres_url))
            try:
                assert await admin.fetchval("SELECT pg_terminate_backend($1)", listener.server_pid)
            finally:
                await admin.close()
            await _until(lambda: not follower.live, "the listener to notice the dropped connection")
            await writer.add(_claim("missed-one", "Atlantis banned paper straws in its harbours"), actor="t")
            await writer.add(_claim("missed-two", "Lemuria joined the Arctic Council"), actor="t")
            assert "missed-one" not in follower.matcher, "nobody was listening; polling is off"
            await _until(lambda: follower.live, "the listener to reconnect")
            await _until(
                lambda: "missed-one" in follower.matcher and "missed-two" in follower.matcher,
                "the follower to catch up from the audit log",
            )
            assert listener.connects == 2
            # and it listens again: a write after the reconnect arrives by notification
            await writer.add(_claim("after-reconnect", "Mu opened an embassy on the Moon"), actor="t")
            await _until(lambda: "after-reconnect" in follower.matcher, "the next notification")


async def test_sqlite_has_no_listener_and_keeps_polling(tmp_path: object) -> None:
    async with open_store(f"sqlite:///{tmp_path}/claims.db") as store:
        service = ClaimService(store)
        async with service.following():
            assert service.listener is None and not service.live


async def test_a_cooldown_is_taken_by_exactly_one_of_many_processes(store_url: str) -> None:
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(open_store(store_url))  # creates the store
        stores = [await stack.enter_async_context(open_store(store_url)) for _ in range(4)]
        keys = {"channel:3001": 60.0, "claim:3001:iran-srbm-russia": 600.0}
        results = await asyncio.gather(*(s.take_cooldowns(keys) for s in stores for _ in range(3)))
        assert sum(ok for ok, _ in results) == 1
        # one key still running blocks the pair; other channels are free
        ok, running = await stores[0].take_cooldowns({"channel:3001": 60.0, "claim:3001:other": 600.0})
        assert not ok and set(running) == {"channel:3001"}
        ok, _ = await stores[1].take_cooldowns({"channel:3002": 60.0})
        assert ok


async def test_an_expired_cooldown_can_be_taken_again(store_url: str) -> None:
    import datetime as dt

    async with open_store(store_url) as store:
        start = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
        assert (await store.take_cooldowns({"channel:1": 30.0}, now=start))[0]
        assert not (await store.take_cooldowns({"channel:1": 30.0}, now=start + dt.timedelta(seconds=29)))[0]
        assert (await store.take_cooldowns({"channel:1": 30.0}, now=start + dt.timedelta(seconds=31)))[0]


async def test_following_survives_a_failing_read_of_the_change_feed(postgres_url: str) -> None:
    class Errors(ServiceEvents):
        count = 0

        def store_error(self) -> None:
            Errors.count += 1

    async with open_store(postgres_url) as store_a, open_store(postgres_url) as store_b:
        follower = ClaimService(store_a, refresh_interval=3600)
        follower.events = Errors()
        await follower.load()
        async with follower.following():
            await _until(lambda: follower.live, "the listener to connect")
            admin = await asyncpg.connect(asyncpg_dsn(postgres_url))
            try:
                await admin.execute("ALTER TABLE audit RENAME TO audit_away")
                payload = json.dumps({"audit_id": 0, "claim_id": None, "action": "test", "at": 0})
                await admin.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)
                await _until(lambda: Errors.count >= 1, "the follower's read to fail")
                await admin.execute("ALTER TABLE audit_away RENAME TO audit")
            finally:
                await admin.close()
            writer = ClaimService(store_b)
            await writer.add(_claim("after-failure", "Atlantis rebuilt its lighthouse"), actor="t")
            await _until(lambda: "after-failure" in follower.matcher, "the follower to go on following")


async def test_a_big_import_sends_a_hundred_notifications_and_one_for_the_rest(postgres_url: str) -> None:
    async with open_store(postgres_url) as store_a, open_store(postgres_url) as store_b:
        follower = ClaimService(store_a, refresh_interval=3600)
        await follower.load()
        heard: list[dict[str, object]] = []
        conn = await asyncpg.connect(asyncpg_dsn(postgres_url))
        await conn.add_listener(CHANNEL, lambda *args: heard.append(json.loads(args[3])))
        try:
            async with follower.following():
                await _until(lambda: follower.live, "the listener to connect")
                bulk = [
                    _claim(f"bulk-{i}", f"Atlantis closed harbour number {i} to all ships")
                    for i in range(300)
                ]
                await ClaimService(store_b).import_claims(json.dumps(bulk), actor="t")
                await _until(lambda: all(f"bulk-{i}" in follower.matcher for i in range(300)), "all 300")
                await _until(lambda: len(heard) >= 101, "the notifications")
                await asyncio.sleep(0.1)
        finally:
            await conn.close()
    assert len(heard) == 101
    assert all(h["audit_id"] is not None and str(h["claim_id"]).startswith("bulk-") for h in heard[:100])
    assert heard[100]["action"] == "bulk" and "audit_id" not in heard[100]
