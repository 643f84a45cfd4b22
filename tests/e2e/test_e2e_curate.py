"""/curate: moderators only, every change audited with the Discord user, bad input changes nothing."""

from __future__ import annotations

import json

import pytest

from claims_db.errors import ClaimNotFound
from claims_db.models import Status
from tests.e2e.conftest import Harness
from tests.fakes import payloads as p

MOD = {"user": p.MOD, "permissions": p.MANAGE_GUILD}
ACTOR = f"discord:{p.MOD['id']}"


async def test_curate_add_opens_a_modal_and_stores_the_claim(harness: Harness) -> None:
    modal = await (await harness.fake.slash("curate add", **MOD)).modal()
    assert modal["title"] == "Add a claim"
    values = {
        "statement": "Belarus hosts Russian tactical nuclear weapons",
        "status": "alleged",
        "attribution": "Belarus",
        "denial": "",
        "source": "https://example.org/belarus",
    }
    saved = await (await harness.fake.submit_modal(modal, values, **MOD)).reply()
    assert saved.ephemeral
    assert saved.content.startswith("Added `")
    claim_id = saved.content.split("`")[1]
    stored = (await harness.service.get(claim_id)).claim
    assert stored.statement == values["statement"] and stored.status == "alleged"
    assert stored.attributions[0].actor == "Belarus"
    assert (await harness.service.history(claim_id))[-1].actor == ACTOR
    # The new claim matches at once.
    reply = await (
        await harness.fake.slash("check", statement="Belarus hosts Russian tactical nuclear weapons")
    ).reply()
    assert reply.embeds[0]["title"] == f"Belarus says: {values['statement']}"


async def test_curate_add_offers_every_status_to_pick_and_nothing_to_mistype(harness: Harness) -> None:
    before = await harness.service.export_claims()
    modal = await (await harness.fake.slash("curate add", **MOD)).modal()
    [status] = [c["component"] for c in modal["components"] if c["component"]["custom_id"] == "status"]
    assert status["type"] == 3  # a select, not a text input
    assert [o["value"] for o in status["options"]] == [s.value for s in Status]
    assert [o["value"] for o in status["options"] if o.get("default")] == ["alleged"]
    # Left alone, the status is the default; a bad field still says what is wrong and changes nothing.
    values = {"statement": "too short", "attribution": "Belarus"}
    answer = await (await harness.fake.submit_modal(modal, values, **MOD)).reply()
    assert answer.ephemeral and answer.content.startswith("statement: ")
    assert await harness.service.export_claims() == before


@pytest.mark.parametrize(
    ("command", "options", "expected"),
    [
        ("curate add-source", {"id": "nk-troops-russia", "url": "ftp://example.org/x"}, "http"),
        (
            "curate add-denial",
            {"id": "nk-troops-russia", "actor": "North Korea", "date": "2024-13-01"},
            "date",
        ),
        ("curate add-paraphrase", {"id": "nk-troops-russia", "text": "too short"}, "10"),
        ("curate edit", {"id": "no-such-claim"}, "No claim with id 'no-such-claim'."),
    ],
)
async def test_invalid_input_gets_an_ephemeral_explanation_and_changes_nothing(
    harness: Harness, command: str, options: dict[str, str], expected: str
) -> None:
    before = await harness.service.export_claims()
    answer = await (await harness.fake.slash(command, **MOD, **options)).reply()
    assert answer.ephemeral
    assert expected in answer.content
    assert await harness.service.export_claims() == before


async def test_a_member_without_permission_is_refused_every_subcommand(harness: Harness) -> None:
    before = await harness.service.export_claims()
    for command, options in [
        ("curate add", {}),
        ("curate retract", {"id": "nk-troops-russia", "reason": "testing"}),
        ("curate export", {}),
    ]:
        answer = await (await harness.fake.slash(command, user=p.ANA, **options)).reply()
        assert answer.ephemeral
        assert answer.content == "Only members with Manage Server can curate claims here."
    assert await harness.service.export_claims() == before


async def test_the_curator_role_may_curate_once_set(harness: Harness) -> None:
    as_curator = {"user": p.CURATOR, "roles": (p.CURATOR_ROLE_ID,)}
    refused = await (await harness.fake.slash("curate history", id="nk-troops-russia", **as_curator)).reply()
    assert "Manage Server" in refused.content
    set_role = await (await harness.fake.slash("curate admin-role", role=p.CURATOR_ROLE_ID, **MOD)).reply()
    assert f"<@&{p.CURATOR_ROLE_ID}>" in set_role.content
    added = await (
        await harness.fake.slash(
            "curate add-denial",
            id="nk-troops-russia",
            actor="Russia",
            quote="There are no North Korean troops here",
            **as_curator,
        )
    ).reply()
    assert added.content == "Added a denial to `nk-troops-russia`."
    history = await (await harness.fake.slash("curate history", id="nk-troops-russia", **as_curator)).reply()
    assert f"<@{p.CURATOR['id']}>" in history.embeds[0]["description"]


async def test_attribution_paraphrase_and_retract_are_audited(harness: Harness) -> None:
    fake = harness.fake
    await (
        await fake.slash(
            "curate add-attribution",
            id="nk-troops-russia",
            actor="Ukraine",
            verb="reports",
            date="2024-10-13",
            url="https://example.org/ua",
            outlet="Kyiv Wire",
            **MOD,
        )
    ).reply()
    await (
        await fake.slash(
            "curate add-paraphrase",
            id="nk-troops-russia",
            text="Pyongyang soldiers are fighting in Kursk",
            **MOD,
        )
    ).reply()
    claim = (await harness.service.get("nk-troops-russia")).claim
    assert claim.attributions[-1].actor == "Ukraine"
    assert "Pyongyang soldiers are fighting in Kursk" in claim.paraphrases
    retracted = await (
        await fake.slash("curate retract", id="nk-troops-russia", reason="duplicate entry", **MOD)
    ).reply()
    assert retracted.content.startswith("Retracted `nk-troops-russia`")
    assert (await harness.service.get("nk-troops-russia")).retracted
    entries = await harness.service.history("nk-troops-russia")
    assert [e.actor for e in entries[-3:]] == [ACTOR] * 3


async def test_edit_modal_is_prefilled_and_saves_only_changes(harness: Harness) -> None:
    modal = await (await harness.fake.slash("curate edit", id="nk-troops-russia", **MOD)).modal()
    defaults = {c["custom_id"]: c.get("value") for c in _inputs(modal)}
    assert defaults["statement"] == "North Korea sent troops to fight for Russia against Ukraine"
    values = {**{k: v or "" for k, v in defaults.items()}, "status": "disputed"}
    saved = await (await harness.fake.submit_modal(modal, values, **MOD)).reply()
    assert saved.content == "Updated `nk-troops-russia`."
    assert (await harness.service.get("nk-troops-russia")).claim.status == "disputed"


def _inputs(modal: dict[str, object]) -> list[dict[str, str]]:
    return [c["component"] for c in modal["components"]]  # type: ignore[index,union-attr]


async def test_import_with_one_bad_claim_imports_nothing_and_lists_the_problems(harness: Harness) -> None:
    good = {
        "id": "good-claim-one",
        "statement": "A perfectly valid statement for import",
        "status": "alleged",
        "attributions": [{"actor": "Someone"}],
    }
    bad = {
        "id": "bad-claim-two",
        "statement": "Another statement that is long enough",
        "status": "rumoured",
        "attributions": [{"actor": "Someone"}],
        "sources": [{"url": "javascript:alert(1)"}],
    }
    body = json.dumps([good, bad]).encode()
    answer = await (await harness.fake.slash("curate import", file=("claims.json", body), **MOD)).reply()
    assert answer.ephemeral
    assert "nothing was changed" in answer.content
    assert "bad-claim-two" in answer.content and "status" in answer.content and "url" in answer.content
    for claim_id in ("good-claim-one", "bad-claim-two"):
        with pytest.raises(ClaimNotFound):
            await harness.service.get(claim_id)


async def test_import_then_export_round_trips_through_attachments(harness: Harness) -> None:
    claim = {
        "id": "good-claim-one",
        "statement": "A perfectly valid statement for import",
        "status": "alleged",
        "attributions": [{"actor": "Someone"}],
    }
    answer = await (
        await harness.fake.slash("curate import", file=("new.json", json.dumps([claim]).encode()), **MOD)
    ).reply()
    assert answer.content.startswith("Imported 1 claim (")
    exported = await (await harness.fake.slash("curate export", **MOD)).reply()
    assert exported.ephemeral
    data = json.loads(exported.files["claims.json"])
    assert {c["id"] for c in data} >= {"good-claim-one", "iran-srbm-russia"}


async def test_import_refuses_to_clobber_unless_update_and_dry_run_changes_nothing(harness: Harness) -> None:
    stored = await harness.service.get("iran-srbm-russia")
    stale = {"id": "iran-srbm-russia", "statement": stored.claim.statement, "status": "confirmed",
             "attributions": [{"actor": "Someone"}]}  # fmt: skip
    upload = ("stale.json", json.dumps([stale]).encode())
    refused = await (await harness.fake.slash("curate import", file=upload, **MOD)).reply()
    # error replies are escaped: the parentheses arrive as \( \), and render as plain ones
    assert r"already exists in the store with other content \(iran-srbm-russia\)" in refused.content
    dry = await (
        await harness.fake.slash("curate import", file=upload, update=True, dry_run=True, **MOD)
    ).reply()
    assert dry.content.startswith("Dry run: nothing was changed.")
    assert (await harness.service.get("iran-srbm-russia")).claim == stored.claim
    done = await (await harness.fake.slash("curate import", file=upload, update=True, **MOD)).reply()
    assert done.content == "Imported 1 claim (0 new, 1 updated, 0 unchanged)."
    assert (await harness.service.get("iran-srbm-russia")).claim.status == "confirmed"


async def test_the_curator_role_cannot_change_who_curates(harness: Harness) -> None:
    await (await harness.fake.slash("curate admin-role", role=p.CURATOR_ROLE_ID, **MOD)).reply()
    as_curator = {"user": p.CURATOR, "roles": (p.CURATOR_ROLE_ID,)}
    to_everyone = await (await harness.fake.slash("curate admin-role", role=p.GUILD_ID, **as_curator)).reply()
    removed = await (await harness.fake.slash("curate admin-role", **as_curator)).reply()
    for refused in (to_everyone, removed):
        assert refused.ephemeral
        assert refused.content == "Only members with Manage Server can choose the curator role."
    assert (await harness.service.guild_settings(p.GUILD_ID)).admin_role_id == p.CURATOR_ROLE_ID
    # Manage Server still can.
    await (await harness.fake.slash("curate admin-role", **MOD)).reply()
    assert (await harness.service.guild_settings(p.GUILD_ID)).admin_role_id is None


async def test_curate_sources_lists_the_dead_links_and_since_when(harness: Harness) -> None:
    import datetime as dt

    from claims_db.models import SourceCheck

    empty = await (await harness.fake.slash("curate sources", **MOD)).reply()
    assert empty.ephemeral and "No link check has run yet" in empty.embeds[0]["description"]
    day = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)
    live, dead = "https://example.org/live", "https://example.org/dead"
    await harness.service.store.put_source_checks(
        [
            SourceCheck("nk-troops-russia", live, day, 200, live, "Up"),
            SourceCheck("nk-troops-russia", dead, day, 404, None, None, "HTTP 404 Not Found"),
        ]
    )
    answer = await (await harness.fake.slash("curate sources", **MOD)).reply()
    embed = answer.embeds[0]
    assert embed["title"] == "Unavailable sources"
    since = f"<t:{int(day.timestamp())}:d>"
    assert embed["description"] == f"• `nk-troops-russia` <{dead}>: HTTP 404 Not Found since {since}"
    assert embed["footer"]["text"] == "1 of 2 sources unavailable · last checked 2026-11-30 06:00 UTC"
    refused = await (await harness.fake.slash("curate sources", user=p.ANA)).reply()
    assert refused.content == "Only members with Manage Server can curate claims here."
