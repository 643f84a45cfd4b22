"""``claims:search`` against a local server answering recorded responses (127.0.0.1 only)."""

from __future__ import annotations

import httpx
import pytest
from aiohttp import web

from claims_db.errors import InvalidFactCheckResponse, SourceFetchError
from claims_db.sources import search_fact_checks
from tests.conftest import FIXTURES
from tests.fakes.web import LocalSite

RECORDED = (FIXTURES / "factcheck" / "search_biolabs.json").read_bytes()
KEY = "test-key-not-a-secret-0123"


def answer(body: bytes, status: int = 200) -> web.Response:
    return web.Response(body=body, status=status, content_type="application/json")


async def test_the_query_and_key_are_sent_and_three_results_come_back(
    site: LocalSite, client: httpx.AsyncClient
) -> None:
    asked: list[dict[str, str]] = []

    async def search(request: web.Request) -> web.StreamResponse:
        asked.append(dict(request.query))
        return answer(RECORDED)

    site.route("/v1alpha1/claims:search")(search)
    found = await search_fact_checks(
        client, "  the US runs\nbiolabs in Ukraine ", key=KEY, endpoint=site.url("/v1alpha1/claims:search")
    )
    assert [r.publisher for r in found] == ["Example Fact Desk", "checkers.example", "Wire Check"]
    [params] = asked
    assert params["query"] == "the US runs biolabs in Ukraine"  # one line, as typed words
    assert params["key"] == KEY and params["languageCode"] == "en"


async def test_an_error_status_is_refused_without_showing_the_key(
    site: LocalSite, client: httpx.AsyncClient
) -> None:
    async def denied(request: web.Request) -> web.StreamResponse:
        return answer(b'{"error": {"code": 403, "message": "API key not valid"}}', status=403)

    site.route("/search")(denied)
    with pytest.raises(SourceFetchError) as exc:
        await search_fact_checks(client, "biolabs", key=KEY, endpoint=site.url("/search"))
    assert str(exc.value) == f"Cannot fetch {site.url('/search')}: HTTP 403 Forbidden."
    assert KEY not in str(exc.value)


async def test_a_malformed_answer_is_refused_with_a_clear_message(
    site: LocalSite, client: httpx.AsyncClient
) -> None:
    async def broken(request: web.Request) -> web.StreamResponse:
        return answer(b'{"claims": [{"text": "x", "claimReview": [{"url": "https://a.example/"}]}]}')

    site.route("/search")(broken)
    with pytest.raises(InvalidFactCheckResponse) as exc:
        await search_fact_checks(client, "biolabs", key=KEY, endpoint=site.url("/search"))
    assert "claims[0].claimReview[0].publisher: should be an object" in str(exc.value)


async def test_an_answer_larger_than_the_cap_is_refused(site: LocalSite, client: httpx.AsyncClient) -> None:
    async def huge(request: web.Request) -> web.StreamResponse:
        return answer(b'{"claims": [' + b'{"text": "x", "claimReview": []},' * 50_000 + b"{}]}")

    site.route("/search")(huge)
    with pytest.raises(SourceFetchError, match="larger than 100000 bytes"):
        await search_fact_checks(client, "biolabs", key=KEY, endpoint=site.url("/search"), max_bytes=100_000)
