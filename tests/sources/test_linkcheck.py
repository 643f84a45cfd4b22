"""Link health over one shared client: retries, Retry-After, per-host limits, against local servers."""

from __future__ import annotations

import asyncio
import email.utils
import time

import httpx
from aiohttp import web

from claims_db.sources import CheckPolicy, FetchPolicy, LinkChecker, _retry_after
from tests.fakes.web import LocalSite
from tests.sources.conftest import ALLOW

FAST = CheckPolicy(interval=0.0, backoff=0.05, retries=2)


def checker(client: httpx.AsyncClient, policy: CheckPolicy = FAST, deadline: float = 5.0) -> LinkChecker:
    return LinkChecker(client, fetch_policy=FetchPolicy(allow=ALLOW, deadline=deadline), policy=policy)


def page(title: str, status: int = 200, **headers: str) -> web.Response:
    return web.Response(
        status=status, text=f"<title>{title}</title>", content_type="text/html", headers=headers
    )


async def test_every_outcome_of_a_check(
    site: LocalSite, private_site: LocalSite, client: httpx.AsyncClient
) -> None:
    async def ok(r: web.Request) -> web.Response:
        return page("A live page")

    async def gone(r: web.Request) -> web.Response:
        return page("Not found", 404)

    async def moved(r: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/ok")

    async def inside(r: web.Request) -> web.Response:
        raise web.HTTPFound(private_site.url("/secret"))

    for path, handler in {"/ok": ok, "/gone": gone, "/moved": moved, "/inside": inside}.items():
        site.route(path)(handler)
    results = await checker(client).check_all([site.url(p) for p in ("/ok", "/gone", "/moved", "/inside")])
    live, dead, redirected, refused = results.values()
    assert (live.status, live.title, live.error, live.reachable) == (200, "A live page", None, True)
    assert (dead.status, dead.title, dead.error, dead.reachable) == (404, None, "HTTP 404 Not Found", False)
    assert (redirected.status, redirected.final_url) == (200, site.url("/ok"))
    assert refused.status is None and refused.error is not None and refused.error.startswith("refused:")
    assert not refused.reachable and private_site.seen == []


async def test_a_429_is_retried_after_the_time_it_asks_for(
    site: LocalSite, client: httpx.AsyncClient
) -> None:
    hits: list[float] = []

    async def limited(r: web.Request) -> web.Response:
        hits.append(time.monotonic())
        return page("slow down", 429, **{"Retry-After": "1"}) if len(hits) == 1 else page("Finally")

    site.route("/limited")(limited)
    got = await checker(client).check(site.url("/limited"))
    assert (got.status, got.title, got.attempts) == (200, "Finally", 2)
    assert hits[1] - hits[0] >= 0.95


async def test_a_429_asking_too_long_a_wait_is_reported_not_waited(
    site: LocalSite, client: httpx.AsyncClient
) -> None:
    site.route("/later")(lambda r: _answer(page("later", 429, **{"Retry-After": "3600"})))
    start = time.monotonic()
    got = await checker(client).check(site.url("/later"))
    assert (got.status, got.error, got.attempts) == (429, "HTTP 429 Too Many Requests", 1)
    assert time.monotonic() - start < 1


async def test_5xx_is_retried_with_backoff_then_reported(site: LocalSite, client: httpx.AsyncClient) -> None:
    site.route("/down")(lambda r: _answer(page("down", 503)))
    got = await checker(client).check(site.url("/down"))
    assert (got.status, got.error, got.attempts) == (503, "HTTP 503 Service Unavailable", 3)
    assert len(site.seen) == 3


async def test_a_slow_server_is_reported_as_timed_out(site: LocalSite, client: httpx.AsyncClient) -> None:
    async def slow(r: web.Request) -> web.Response:
        await asyncio.sleep(10)
        return page("late")

    site.route("/slow")(slow)
    got = await checker(client, CheckPolicy(retries=0)).check(site.url("/slow"))
    assert got.status is None and got.error == "timed out"


async def test_an_oversized_page_is_reachable_and_read_only_to_the_cap(
    site: LocalSite, client: httpx.AsyncClient
) -> None:
    body = b"<title>Huge</title>" + b"." * 3_000_000
    site.route("/huge")(lambda r: _answer(web.Response(body=body, content_type="text/html")))
    got = await checker(client, CheckPolicy(max_bytes=10_000)).check(site.url("/huge"))
    assert (got.status, got.title, got.reachable) == (200, "Huge", True)


async def test_one_host_gets_at_most_per_host_requests_at_a_time_and_paced(
    site: LocalSite, client: httpx.AsyncClient
) -> None:
    in_flight = peak = 0

    async def counted(r: web.Request) -> web.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.1)
        in_flight -= 1
        return page(r.path)

    site.route("/p")(counted)
    urls = [site.url(f"/p?n={n}") for n in range(8)]
    start = time.monotonic()
    results = await checker(client, CheckPolicy(per_host=2, interval=0.05)).check_all(urls + urls[:2])
    assert len(results) == 8 and all(r.reachable for r in results.values())  # repeats fetched once
    assert peak == 2
    assert len(site.seen) == 8
    assert time.monotonic() - start >= 7 * 0.05


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert _retry_after("120") == 120.0
    assert _retry_after(None) is None and _retry_after("soon") is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (_retry_after(later) or 0) <= 31


async def _answer(response: web.StreamResponse) -> web.StreamResponse:
    return response
