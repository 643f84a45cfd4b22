"""/check on a message in another language than the claim: the card says it matched across languages."""

from __future__ import annotations

from tests.e2e.conftest import Harness
from tests.e2e.test_e2e_check import pings_nobody


async def test_a_match_across_languages_says_so_above_the_card(harness: Harness) -> None:
    message = "Tehran sent ballistic missiles to Moscow, lo dicen en la tele"
    reply = await (await harness.fake.slash("check", statement=message)).reply()
    assert pings_nobody(reply.allowed_mentions)
    assert reply.content == "(matched across languages: Spanish → English)"
    assert reply.embeds[0]["title"].startswith("The United States alleges: Iran supplied")


async def test_a_match_in_the_claims_own_language_has_no_such_line(harness: Harness) -> None:
    exchange = await harness.fake.slash("check", statement="Tehran sent ballistic missiles to Moscow")
    reply = await exchange.reply()
    assert reply.embeds[0]["title"].startswith("The United States alleges: Iran supplied")
    assert "across languages" not in reply.text()
