"""The SSRF-safe fetcher against real servers on 127.0.0.0/8.

127.0.0.1 is allowed (as CLAIMBOT_FETCH_ALLOW=127.0.0.1 does); 127.0.0.2 stands in for a private
address: the guard must refuse it before connecting, which its server's request log proves.
"""

from __future__ import annotations

import asyncio
import gzip
import ssl
import time

import httpx
import pytest
import trustme
from aiohttp import web

from claims_db.errors import FetchRefused, SourceFetchError
from claims_db.sources import FetchPolicy, fetch, page_title
from tests.fakes.web import LocalSite
from tests.sources.conftest import ALLOW, POLICY, resolver_for


def html(title: str, status: int = 200) -> web.Response:
    return web.Response(
        status=status, text=f"<html><head><title>{title}</title></head></html>", content_type="text/html"
    )


async def test_a_page_is_fetched_and_its_title_read(site: LocalSite, client: httpx.AsyncClient) -> None:
    site.route("/story")(lambda r: _const(html("Iran sent missiles, Blinken says")))
    got = await fetch(client, site.url("/story"), policy=POLICY)
    assert (got.status, got.final_url, got.truncated) == (200, site.url("/story"), False)
    assert page_title(got.body, got.content_type) == "Iran sent missiles, Blinken says"
    assert site.seen[0].host == f"127.0.0.1:{site.port}"


async def test_redirects_are_followed_and_each_hop_recorded(
    site: LocalSite, client: httpx.AsyncClient
) -> None:
    site.route("/old")(lambda r: _const(web.HTTPMovedPermanently("/middle")))
    site.route("/middle")(lambda r: _const(web.HTTPFound(site.url("/new"))))
    site.route("/new")(lambda r: _const(html("Moved here")))
    got = await fetch(client, site.url("/old"), policy=POLICY)
    assert got.status == 200
    assert got.final_url == site.url("/new")
    assert got.redirects == (site.url("/middle"), site.url("/new"))


async def test_a_redirect_to_a_refused_address_is_not_followed(
    site: LocalSite, private_site: LocalSite, client: httpx.AsyncClient
) -> None:
    private_site.route("/admin")(lambda r: _const(html("internal")))
    site.route("/go")(lambda r: _const(web.HTTPFound(private_site.url("/admin"))))
    with pytest.raises(FetchRefused, match=r"127\.0\.0\.2 is 127\.0\.0\.2, a loopback address"):
        await fetch(client, site.url("/go"), policy=POLICY)
    assert private_site.seen == []  # refused before connecting


async def test_a_name_that_resolves_to_a_refused_address_is_never_contacted(
    private_site: LocalSite, client: httpx.AsyncClient
) -> None:
    resolve = resolver_for({"intranet.example": ["127.0.0.2"]})
    url = private_site.url("/", host="intranet.example")
    with pytest.raises(FetchRefused, match=r"intranet\.example is 127\.0\.0\.2, a loopback address"):
        await fetch(client, url, policy=POLICY, resolver=resolve)
    assert private_site.seen == []


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.2]/",
        "http://0.0.0.0:80/",
        "http://10.0.0.1/",
        "http://2130706434/",  # 127.0.0.2 spelled as one number
    ],
)
async def test_literal_refused_addresses_are_refused_at_once(url: str, client: httpx.AsyncClient) -> None:
    with pytest.raises(FetchRefused):
        await fetch(client, url, policy=POLICY)  # the system resolver reads numeric hosts itself


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://127.0.0.1:70/"])
async def test_only_http_and_https_are_fetched(url: str, client: httpx.AsyncClient) -> None:
    with pytest.raises(FetchRefused, match="only http and https"):
        await fetch(client, url, policy=POLICY)


async def test_a_redirect_to_another_scheme_is_refused(site: LocalSite, client: httpx.AsyncClient) -> None:
    site.route("/x")(lambda r: _const(web.Response(status=302, headers={"Location": "file:///etc/passwd"})))
    with pytest.raises(FetchRefused, match="only http and https"):
        await fetch(client, site.url("/x"), policy=POLICY)


async def test_redirects_are_capped(site: LocalSite, client: httpx.AsyncClient) -> None:
    site.route("/loop")(lambda r: _const(web.HTTPFound("/loop")))
    with pytest.raises(SourceFetchError, match="more than 3 redirects"):
        await fetch(client, site.url("/loop"), policy=FetchPolicy(allow=ALLOW, max_redirects=3))
    assert len(site.seen) == 4


async def test_the_checked_address_is_the_one_connected_to(
    site: LocalSite, client: httpx.AsyncClient
) -> None:
    # a rebinding resolver would answer a private address the second time; it is asked once per hop
    calls: list[str] = []
    answers = iter([["127.0.0.1"], ["127.0.0.2"]])

    async def rebinding(host: str, port: int):  # type: ignore[no-untyped-def]
        calls.append(host)
        return await resolver_for({host: next(answers)})(host, port)

    site.route("/")(lambda r: _const(html("ok")))
    got = await fetch(client, site.url("/", host="news.example"), policy=POLICY, resolver=rebinding)
    assert got.status == 200
    assert calls == ["news.example"]
    assert site.seen[0].host == f"news.example:{site.port}"  # the Host header keeps the name


async def test_https_keeps_sni_and_checks_the_certificate_against_the_name() -> None:
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("news.example").configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    site = await LocalSite(ssl_context=server_ctx).start()
    site.route("/")(lambda r: _const(html("over TLS")))
    resolve = resolver_for({"news.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
    try:
        async with httpx.AsyncClient(trust_env=False, verify=client_ctx, timeout=2.0) as c:
            got = await fetch(c, site.url("/", host="news.example"), policy=POLICY, resolver=resolve)
            assert page_title(got.body, got.content_type) == "over TLS"
            with pytest.raises(SourceFetchError):  # the certificate is not for this name
                await fetch(c, site.url("/", host="other.example"), policy=POLICY, resolver=resolve)
    finally:
        await site.stop()


async def test_a_slow_server_times_out(site: LocalSite, client: httpx.AsyncClient) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(10)
        return html("late")

    site.route("/slow")(slow)
    start = time.monotonic()
    with pytest.raises(SourceFetchError, match="timed out"):
        await fetch(client, site.url("/slow"), policy=POLICY)
    assert time.monotonic() - start < 3


async def test_a_server_that_trickles_forever_hits_the_deadline(
    site: LocalSite, client: httpx.AsyncClient
) -> None:
    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(200):
            await response.write(b" ")
            await asyncio.sleep(0.1)
        return response

    site.route("/drip")(trickle)
    start = time.monotonic()
    with pytest.raises(SourceFetchError, match=r"no complete answer within 1 s"):
        await fetch(client, site.url("/drip"), policy=FetchPolicy(allow=ALLOW, deadline=1.0))
    assert time.monotonic() - start < 2.5


async def test_an_oversized_body_is_cut_at_the_cap(site: LocalSite, client: httpx.AsyncClient) -> None:
    page = b"<title>Big</title>" + b"x" * 5_000_000
    site.route("/big")(lambda r: _const(web.Response(body=page, content_type="text/html")))
    got = await fetch(client, site.url("/big"), policy=FetchPolicy(allow=ALLOW, max_bytes=65_536))
    assert got.truncated and len(got.body) == 65_536
    assert page_title(got.body, got.content_type) == "Big"


async def test_a_compressed_body_is_inflated_no_further_than_the_cap(
    site: LocalSite, client: httpx.AsyncClient
) -> None:
    bomb = gzip.compress(b"<title>Zip</title>" + b"\0" * 50_000_000)
    assert len(bomb) < 100_000

    async def zipped(request: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})

    site.route("/zip")(zipped)
    got = await fetch(client, site.url("/zip"), policy=FetchPolicy(allow=ALLOW, max_bytes=100_000))
    assert got.truncated and len(got.body) == 100_000
    assert page_title(got.body, got.content_type) == "Zip"


async def test_a_dead_host_is_a_fetch_error(client: httpx.AsyncClient) -> None:
    with pytest.raises(SourceFetchError, match=r"cannot resolve gone\.example"):
        await fetch(client, "http://gone.example/", policy=POLICY, resolver=resolver_for({}))
    with pytest.raises(SourceFetchError, match="connection failed"):
        await fetch(client, "http://127.0.0.1:9/", policy=POLICY)  # the discard port: nothing listens


def test_titles_are_read_from_title_then_og_title_in_the_page_charset() -> None:
    assert page_title(b"<title>\n  Two\n words </title>") == "Two words"
    assert page_title(b'<meta property="og:title" content="From OG">') == "From OG"
    latin = "<title>Caf\xe9</title>".encode("latin-1")
    assert page_title(latin, "text/html; charset=iso-8859-1") == "Café"
    assert page_title(b"%PDF-1.4", "application/pdf") is None
    assert page_title(b"<p>no title</p>") is None


async def _const(response: web.StreamResponse) -> web.StreamResponse:
    if isinstance(response, web.HTTPException):
        raise response
    return response
