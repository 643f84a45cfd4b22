"""Published fact-checks elsewhere: when nothing curated matches and a key is set, /check shows up
to three results from Google Fact Check Tools, labelled external, and a curator imports one with a
click. The API is a local server answering recorded responses (tests/data/factcheck)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from claims_db.factcheck import DRAFT_TOPIC
from claims_db.models import Status
from claims_db.service import ClaimService
from tests.conftest import FIXTURES
from tests.e2e.conftest import Harness, bot_settings, running
from tests.fakes import payloads as p
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.markdown import rendered
from tests.fakes.web import LocalSite

RECORDED = (FIXTURES / "factcheck" / "search_biolabs.json").read_bytes()
NOTHING_LOCAL = "Grandma says pancakes cure the flu"
KEY = "test-key-not-a-secret-0123"


class FactCheckApi(LocalSite):
    body: bytes = RECORDED

    async def serve(self, request: web.Request) -> web.StreamResponse:
        return web.Response(body=self.body, content_type="application/json")


@pytest.fixture
async def api() -> AsyncIterator[FactCheckApi]:
    s = FactCheckApi()
    s.route("/v1alpha1/claims:search")(s.serve)
    await s.start()
    yield s
    await s.stop()


@pytest.fixture
async def with_key(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None, api: FactCheckApi
) -> AsyncIterator[Harness]:
    settings = bot_settings(
        fake, tmp_path, factcheck_api_key=KEY, factcheck_url=api.url("/v1alpha1/claims:search")
    )
    async with running(fake, service, settings) as h:
        yield h


async def test_nothing_local_shows_up_to_three_external_results_labelled_as_such(
    with_key: Harness, api: FactCheckApi
) -> None:
    reply = await (await with_key.fake.slash("check", statement=NOTHING_LOCAL)).reply()
    none, external = reply.embeds
    assert rendered(none["description"]).startswith("No curated claim matches this message.")
    assert external["title"] == "Published fact-checks elsewhere (external, not curated here)"
    fields = external["fields"]
    assert [f["name"] for f in fields] == [
        "1. Example Fact Desk rates it “False”",
        "2. checkers.example rates it “Misleading”",
        "3. Wire Check rates it “Lacks evidence”",
    ]
    first = fields[0]["value"]
    assert "Social media users (2022-03-08)" in rendered(first)
    assert "(https://factdesk.example/2022/03/ukraine-biolabs) (2022-03-10)" in first
    assert "not reviewed" in external["footer"]["text"]
    labels = [b["label"] for b in reply.buttons()]
    assert labels == [
        "Report a missed claim",
        "Import 1 (curators)",
        "Import 2 (curators)",
        "Import 3 (curators)",
    ]
    [asked] = [s for s in api.seen if s.path.startswith("/v1alpha1/claims:search")]
    assert f"key={KEY}" in asked.path and "query=Grandma" in asked.path


async def test_a_curator_imports_one_with_a_click_as_an_unverified_draft(with_key: Harness) -> None:
    reply = await (await with_key.fake.slash("check", statement=NOTHING_LOCAL)).reply()
    refused = await (await with_key.fake.click(reply, "Import 1 (curators)")).reply()
    assert refused.ephemeral and refused.content.startswith("Only members with Manage Server")
    done = await (
        await with_key.fake.click(reply, "Import 1 (curators)", user=p.MOD, permissions=p.MANAGE_GUILD)
    ).reply()
    assert done.ephemeral
    assert rendered(done.content).startswith(
        "Imported `the-pentagon-is-funding-secret-bioweapons-labs-in-ukraine`"
    )
    claim_id = "the-pentagon-is-funding-secret-bioweapons-labs-in-ukraine"
    stored = (await with_key.service.get(claim_id)).claim
    assert stored.status is Status.UNVERIFIED and DRAFT_TOPIC in stored.topics
    assert stored.attributions[0].actor == "Social media users"
    assert stored.sources[0].url == "https://factdesk.example/2022/03/ukraine-biolabs"
    assert (await with_key.service.history(claim_id))[-1].actor == f"discord:{p.MOD['id']}"
    again = await (
        await with_key.fake.click(reply, "Import 1 (curators)", user=p.MOD, permissions=p.MANAGE_GUILD)
    ).reply()
    assert rendered(again.content) == f"That fact-check is already in the store as `{claim_id}`."


async def test_a_malformed_answer_is_refused_with_a_clear_message(
    with_key: Harness, api: FactCheckApi
) -> None:
    api.body = b'{"claims": [{"text": "x", "claimReview": [{"publisher": {"name": "P"}}]}]}'
    reply = await (await with_key.fake.slash("check", statement=NOTHING_LOCAL)).reply()
    assert len(reply.embeds) == 1 and reply.buttons()[-1]["label"] == "Report a missed claim"
    text = rendered(reply.content)
    assert text.startswith(
        "Published fact-checks could not be searched: Google Fact Check Tools sent an answer"
    )
    assert "claims[0].claimReview[0].textualRating: missing" in text


async def test_a_local_match_or_no_key_asks_nobody_else(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None, api: FactCheckApi
) -> None:
    async with running(fake, service, bot_settings(fake, tmp_path, factcheck_url=api.url("/x"))) as h:
        reply = await (await h.fake.slash("check", statement=NOTHING_LOCAL)).reply()
        assert len(reply.embeds) == 1
    assert api.seen == []


async def test_a_confident_local_match_does_not_search_elsewhere(
    with_key: Harness, api: FactCheckApi
) -> None:
    reply = await (
        await with_key.fake.slash("check", statement="Tehran sent ballistic missiles to Moscow")
    ).reply()
    assert reply.embeds[0]["title"].startswith("The United States alleges: ")
    assert api.seen == []
