"""A link in a checked or watched message: the bot reads the page's title and matches it, deferring
a command at once so that it is never late (a real page server on 127.0.0.1, allowed as
CLAIMBOT_FETCH_ALLOW=127.0.0.1 does)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from claims_db.service import ClaimService
from claims_db.sources import parse_allow
from tests.e2e.conftest import Harness, bot_settings, running
from tests.e2e.test_e2e_watch import watch
from tests.fakes import payloads as p
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.markdown import rendered
from tests.fakes.web import LocalSite

STORY = (
    "<html><head><meta property='og:title' content='Tehran sent ballistic missiles to Moscow'></head></html>"
)


async def _story(request: web.Request) -> web.StreamResponse:
    return web.Response(text=STORY, content_type="text/html")


@pytest.fixture
async def site() -> AsyncIterator[LocalSite]:
    s = await LocalSite().start()
    s.route("/story")(_story)
    yield s
    await s.stop()


@pytest.fixture
async def linked(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> AsyncIterator[Harness]:
    settings = bot_settings(fake, tmp_path, fetch_allow=parse_allow("127.0.0.1"))
    async with running(fake, service, settings) as h:
        yield h


async def test_check_with_a_link_defers_at_once_and_answers_with_what_the_page_matches(
    linked: Harness, site: LocalSite
) -> None:
    exchange = await linked.fake.slash("check", statement=f"is this true?? {site.url('/story')}")
    reply = await exchange.reply()
    assert [c["type"] for c in exchange.callbacks] == [5]  # deferred before any fetch, privately
    assert exchange.callbacks[0]["data"]["flags"] == 64
    assert reply.embeds[0]["title"].startswith("The United States alleges: Iran supplied")
    host = f"127.0.0.1:{site.port}"
    assert rendered(reply.content) == (
        f"The linked page ({host}) matches by its title: “Tehran sent ballistic missiles to Moscow”."
    )
    assert [s.path for s in site.seen] == ["/story"]


async def test_check_this_message_reads_the_link_of_the_target_message(
    linked: Harness, site: LocalSite
) -> None:
    target = p.message(6001, f"look {site.url('/story')}", author=p.MOD)
    reply = await (await linked.fake.context_menu("Check this message", target)).reply()
    assert reply.embeds[0]["title"].startswith("The United States alleges: Iran supplied")
    assert "matches by its title" in rendered(reply.content)


async def test_a_watched_message_with_a_link_is_answered_from_the_page(
    linked: Harness, site: LocalSite
) -> None:
    fake = linked.fake
    await watch(linked)
    await fake.post(f"omg {site.url('/story')}")
    await fake.wait_until(lambda: len(fake.channel_messages()) == 1, 5.0, "the watch reply")
    [reply] = fake.channel_messages()
    lines = rendered(reply.content).splitlines()
    assert lines[0].startswith(f"The linked page (127.0.0.1:{site.port}) matches by its title")
    assert lines[1].startswith("The United States alleges: Iran supplied")
