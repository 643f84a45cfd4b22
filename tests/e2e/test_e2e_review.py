""" "Wrong match?" → modal → report in the queue → a moderator resolves it with one pick."""

from __future__ import annotations

from tests.e2e.conftest import Harness
from tests.e2e.test_e2e_check import pings_nobody
from tests.fakes import payloads as p
from tests.fakes.markdown import live_markup, rendered


async def test_wrong_match_files_a_report_that_moderators_resolve(harness: Harness) -> None:
    fake = harness.fake
    reply = await (await fake.slash("check", statement="Iran sent drones and missiles to Russia")).reply()
    modal = await (await fake.click(reply, reply.buttons()[-1]["label"])).modal()
    assert modal["title"] == "Report a wrong match"
    thanks = await (await fake.submit_modal(modal, {"comment": "It is about the drones"})).reply()
    assert thanks.ephemeral and "report #1" in thanks.content

    [report] = await harness.service.reports(p.GUILD_ID)
    assert report.message_text == "Iran sent drones and missiles to Russia"
    assert report.comment == "It is about the drones"
    assert report.reporter_id == int(p.ANA["id"])

    queue = await (await fake.slash("curate reports", user=p.MOD, permissions=p.MANAGE_GUILD)).reply()
    assert queue.ephemeral
    assert "Iran sent drones and missiles to Russia" in queue.embeds[0]["fields"][0]["value"]
    [select] = queue.selects()
    values = [o["value"] for o in select["options"]]
    assert "accept:iran-drones-russia" in values and values[-1] == "dismiss"

    done = await (
        await fake.choose(
            queue, select["custom_id"], ["accept:iran-drones-russia"], user=p.MOD, permissions=p.MANAGE_GUILD
        )
    ).reply()
    assert "now a paraphrase of `iran-drones-russia`" in done.content
    claim = (await harness.service.get("iran-drones-russia")).claim
    assert "Iran sent drones and missiles to Russia" in claim.paraphrases
    assert await harness.service.reports(p.GUILD_ID) == []
    history = await harness.service.history("iran-drones-russia")
    assert history[-1].actor == f"discord:{p.MOD['id']}"


async def test_a_member_cannot_resolve_reports_even_with_a_forged_click(harness: Harness) -> None:
    fake = harness.fake
    reply = await (await fake.slash("check", statement="I like pancakes with syrup")).reply()
    modal = await (await fake.click(reply, "Report a missed claim")).modal()
    await (await fake.submit_modal(modal, {})).reply()
    queue = await (await fake.slash("curate reports", user=p.MOD, permissions=p.MANAGE_GUILD)).reply()
    [select] = queue.selects()
    refused = await (await fake.choose(queue, select["custom_id"], ["dismiss"], user=p.ANA)).reply()
    assert refused.ephemeral and "Manage Server" in refused.content
    assert len(await harness.service.reports(p.GUILD_ID)) == 1


PHISHING = (
    "[docs](https://example.org) **URGENT** [Re-verify your moderator account](https://evil.example/login)"
)


async def test_a_phishing_comment_reaches_moderators_as_plain_text(harness: Harness) -> None:
    fake = harness.fake
    checked = "<#3001> -# Iran sent drones </curate admin-role:1> to Russia"
    reply = await (await fake.slash("check", statement=checked)).reply()
    modal = await (await fake.click(reply, reply.buttons()[-1]["label"])).modal()
    await (await fake.submit_modal(modal, {"comment": PHISHING + "\n\n- @everyone"})).reply()

    queue = await (await fake.slash("curate reports", user=p.MOD, permissions=p.MANAGE_GUILD)).reply()
    value = queue.embeds[0]["fields"][0]["value"]
    quoted, _matched, comment = value.split("\n")
    assert quoted.startswith("> ") and not live_markup(quoted[2:])
    assert not live_markup(comment)
    assert rendered(comment) == f"Comment: {PHISHING} - @\u200beveryone"
    assert pings_nobody(queue.allowed_mentions)


async def test_an_error_reply_echoing_input_renders_it_literally(harness: Harness) -> None:
    bad = "[Re-verify](https://evil.example/login) <@&2101>"
    reply = await (await harness.fake.slash("claim show", id=bad)).reply()
    assert reply.ephemeral and pings_nobody(reply.allowed_mentions)
    assert not live_markup(reply.content)
    assert rendered(reply.content).replace("@\u200b", "@") == f"No claim with id {bad!r}."


async def test_reports_are_limited_per_member_with_a_clear_reply_and_capped_text(harness: Harness) -> None:
    fake = harness.fake
    reply = await (await fake.slash("check", statement="Iran sent drones and missiles to Russia")).reply()
    # Six forms opened before any is sent (or forged): the sixth submission is refused.
    modals = [await (await fake.click(reply, reply.buttons()[-1]["label"])).modal() for _ in range(6)]
    answers = [(await (await fake.submit_modal(m, {"comment": "x" * 5000})).reply()) for m in modals]
    assert all("is in the moderators' review queue" in a.content for a in answers[:5])
    limited = "You have filed 5 reports in the last 10 minutes; try again in 10 minutes."
    assert answers[5].ephemeral and answers[5].content == limited
    # Once limited, the button says so instead of opening the form.
    again = await (await fake.click(reply, reply.buttons()[-1]["label"])).reply()
    assert again.ephemeral and again.content == limited
    stored = await harness.service.reports(p.GUILD_ID)
    assert len(stored) == 5 and all(len(r.comment or "") == 500 for r in stored)
    # Another member may still report.
    modal = await (await fake.click(reply, reply.buttons()[-1]["label"], user=p.CURATOR)).modal()
    other = await (await fake.submit_modal(modal, {}, user=p.CURATOR)).reply()
    assert "report #6" in other.content
