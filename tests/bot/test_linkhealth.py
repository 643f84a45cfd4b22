"""The bot's daily link check: settings, one process per sharded bot, rounds stored, against local servers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from bot.app import ClaimBot
from bot.linkhealth import LinkHealth
from bot.settings import Settings, SettingsError
from claims_db.service import ClaimService
from claims_db.sources import FetchPolicy, client_options, parse_allow
from claims_db.store import open_store
from tests.conftest import claim_dict
from tests.fakes.web import LocalSite


def test_link_checks_are_daily_by_default_and_can_be_turned_off() -> None:
    assert Settings.from_env({}).linkcheck_interval_s == 86400.0
    assert Settings.from_env({"CLAIMBOT_LINKCHECK_INTERVAL": "3600"}).linkcheck_interval_s == 3600.0
    assert Settings.from_env({"CLAIMBOT_LINKCHECK_INTERVAL": "off"}).linkcheck_interval_s is None
    assert Settings().linkcheck_interval_s is None  # built in code (tests): no checks unless asked
    allow = Settings.from_env({"CLAIMBOT_FETCH_ALLOW": "127.0.0.1, 10.0.0.0/8"}).fetch_allow
    assert [str(n) for n in allow] == ["127.0.0.1/32", "10.0.0.0/8"]
    with pytest.raises(SettingsError, match="CLAIMBOT_FETCH_ALLOW lists 'intranet'"):
        Settings.from_env({"CLAIMBOT_FETCH_ALLOW": "intranet"})
    with pytest.raises(SettingsError, match="CLAIMBOT_LINKCHECK_INTERVAL must be a number"):
        Settings.from_env({"CLAIMBOT_LINKCHECK_INTERVAL": "daily"})


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[ClaimService]:
    async with open_store(f"sqlite:///{tmp_path}/claims.db") as store:
        service = ClaimService(store)
        await service.load()
        yield service


async def test_only_shard_zero_runs_the_link_check(service: ClaimService) -> None:
    first = ClaimBot(service, settings=Settings(linkcheck_interval_s=3600, shard_id=0, shard_count=2))
    second = ClaimBot(service, settings=Settings(linkcheck_interval_s=3600, shard_id=1, shard_count=2))
    off = ClaimBot(service, settings=Settings())
    assert first.link_health is not None and first.link_health.interval_s == 3600
    assert second.link_health is None and off.link_health is None
    for bot in (first, second, off):
        await bot.close()


async def test_each_round_checks_every_source_and_stores_it(service: ClaimService) -> None:
    site = await LocalSite().start()

    async def story(request: web.Request) -> web.Response:
        return web.Response(text="<title>Still here</title>", content_type="text/html")

    site.route("/story")(story)
    claim = claim_dict("linked-claim", sources=[{"outlet": "Wire", "url": site.url("/story")},
                                                {"outlet": "Gone", "url": site.url("/gone")}])  # fmt: skip
    claim["attributions"][0].pop("source")
    await service.import_claims(json.dumps([claim]), actor="test")
    health = LinkHealth(
        service, interval_s=0.05, first_delay_s=0.0, fetch_policy=FetchPolicy(allow=parse_allow("127.0.0.1"))
    )

    async def second_round_stored() -> bool:
        checks = {c.url: c for c in await service.source_checks("linked-claim")}
        gone = checks.get(site.url("/gone"))
        return gone is not None and gone.failing_since is not None and gone.failing_since < gone.checked

    task = asyncio.create_task(health.run())
    try:
        for _ in range(100):
            await asyncio.sleep(0.05)
            if await second_round_stored():
                break
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await site.stop()
    assert len([s for s in site.seen if s.path == "/story"]) >= 2  # more than one round ran
    stored = {c.url: c for c in await service.source_checks("linked-claim")}
    assert stored[site.url("/story")].title == "Still here" and stored[site.url("/story")].reachable
    gone = stored[site.url("/gone")]
    assert gone.status == 404 and gone.failing_since is not None and gone.failing_since < gone.checked


async def test_a_round_refuses_private_addresses_like_the_cli(service: ClaimService) -> None:
    claim = claim_dict(
        "inside-claim", sources=[{"outlet": "Metadata", "url": "http://169.254.169.254/latest"}]
    )
    claim["attributions"][0].pop("source")
    await service.import_claims(json.dumps([claim]), actor="test")
    health = LinkHealth(service, interval_s=3600, fetch_policy=FetchPolicy())
    async with httpx.AsyncClient(**client_options()) as client:  # type: ignore[arg-type]
        (check,) = [c for c in await health.run_once(client) if c.claim_id == "inside-claim"]
    assert check.error == "refused: 169.254.169.254 is 169.254.169.254, a cloud metadata address"
