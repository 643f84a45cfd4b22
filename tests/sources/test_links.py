"""Links in checked messages, against real servers on 127.0.0.0/8 (127.0.0.1 allowed, as
CLAIMBOT_FETCH_ALLOW=127.0.0.1 does; 127.0.0.2 stands in for a private address)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.checker import Checker
from bot.links import LinkReader
from claims_db.models import Verdict
from claims_db.service import ClaimService
from claims_db.sources import FetchPolicy
from claims_db.store import open_store
from tests.conftest import FIXTURES
from tests.fakes.web import LocalSite
from tests.sources.conftest import ALLOW, resolver_for

POLICY = FetchPolicy(allow=ALLOW)


def page(*, og_title: str = "", title: str = "", description: str = "") -> web.Response:
    head = f"<title>{title}</title>" if title else ""
    if og_title:
        head += f'<meta property="og:title" content="{og_title}">'
    if description:
        head += f'<meta name="description" content="{description}">'
    return web.Response(text=f"<html><head>{head}</head><body></body></html>", content_type="text/html")


async def _const(response: web.StreamResponse) -> web.StreamResponse:
    return response


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[ClaimService]:
    async with open_store(f"sqlite:///{tmp_path}/claims.db") as store:
        svc = ClaimService(store)
        await svc.load()
        await svc.import_claims((FIXTURES / "sample_claims.json").read_text("utf-8"), actor="test:setup")
        yield svc


@pytest.fixture
async def reader() -> AsyncIterator[LinkReader]:
    r = LinkReader(policy=POLICY, budget_s=1.0)
    yield r
    await r.close()


async def test_the_pages_a_message_links_are_read(site: LocalSite, reader: LinkReader) -> None:
    site.route("/a")(lambda r: _const(page(og_title="Iran ships missiles", description="Officials say so")))
    site.route("/b")(lambda r: _const(page(title="Second page")))
    got = await reader.read(f"see {site.url('/a')} and {site.url('/b')}!")
    assert [(p.og_title, p.title, p.description) for p in got] == [
        ("Iran ships missiles", None, "Officials say so"),
        (None, "Second page", None),
    ]
    assert [s.path for s in site.seen] == ["/a", "/b"] or [s.path for s in site.seen] == ["/b", "/a"]


async def test_a_slow_page_is_given_up_at_the_budget_and_the_others_still_count(site: LocalSite) -> None:
    released = asyncio.Event()

    async def slow(request: web.Request) -> web.StreamResponse:
        await released.wait()
        return page(title="Too late")

    site.route("/slow")(slow)
    site.route("/fast")(lambda r: _const(page(title="In time")))
    reader = LinkReader(policy=POLICY, budget_s=0.3)
    try:
        got = await reader.read(f"{site.url('/slow')} {site.url('/fast')}")
    finally:
        released.set()
        await reader.close()
    assert [p.title for p in got] == ["In time"]


async def test_a_link_to_a_refused_address_is_never_contacted(
    site: LocalSite, private_site: LocalSite
) -> None:
    private_site.route("/admin")(lambda r: _const(page(title="Internal admin")))
    site.route("/go")(lambda r: _const(web.HTTPFound(private_site.url("/admin"))))
    names = resolver_for({"intranet.example": ["127.0.0.2"]})
    reader = LinkReader(policy=POLICY, budget_s=1.0, max_links=3, resolver=names)
    intranet = f"http://intranet.example:{private_site.port}/admin"
    try:
        got = await reader.read(f"{private_site.url('/admin')} {intranet} {site.url('/go')}")
    finally:
        await reader.close()
    assert got == []
    assert private_site.seen == []  # refused before connecting, the redirect's hop included
    assert [s.path for s in site.seen] == ["/go"]


async def test_dead_pages_and_pages_without_a_title_give_nothing(site: LocalSite, reader: LinkReader) -> None:
    site.route("/plain")(lambda r: _const(web.Response(text="just text", content_type="text/plain")))
    assert await reader.read(f"{site.url('/gone')} {site.url('/plain')}") == []


async def test_a_link_whose_title_states_a_claim_matches_it(service: ClaimService, site: LocalSite) -> None:
    site.route("/story")(
        lambda r: _const(page(og_title="Tehran sent ballistic missiles to Moscow", title="Wire | Story"))
    )
    reader = LinkReader(policy=POLICY, budget_s=1.0)
    checker = Checker(service, links=reader)
    try:
        outcome = await checker.check(f"wow {site.url('/story')}")
        alone = await Checker(service).check(f"wow {site.url('/story')}")
    finally:
        checker.close()
        await reader.close()
    assert outcome.result.verdict is Verdict.MATCH
    assert outcome.result.best is not None and outcome.result.best.claim_id == "iran-srbm-russia"
    assert outcome.via is not None
    assert (outcome.via.url, outcome.via.what) == (site.url("/story"), "og:title")
    assert alone.result.verdict is not Verdict.MATCH and alone.via is None  # the words alone do not


async def test_a_message_that_matches_on_its_own_fetches_nothing(
    service: ClaimService, site: LocalSite
) -> None:
    site.route("/x")(lambda r: _const(page(title="Unrelated")))
    reader = LinkReader(policy=POLICY, budget_s=1.0)
    checker = Checker(service, links=reader)
    try:
        outcome = await checker.check(f"Tehran sent ballistic missiles to Moscow {site.url('/x')}")
    finally:
        checker.close()
        await reader.close()
    assert outcome.result.verdict is Verdict.MATCH and outcome.via is None
    assert site.seen == []
