"""What the wiring promises, seen from Discord: claim ids autocomplete everywhere, settings ranges hold."""

from __future__ import annotations

import json
from typing import Any

import pytest

from claims_db.errors import InvalidInput
from claims_db.models import SETTING_BOUNDS
from tests.e2e.conftest import Harness
from tests.fakes import payloads as p

MOD = {"user": p.MOD, "permissions": p.MANAGE_GUILD}


def _options(command: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    for option in command.get("options", []):
        if option["type"] in (1, 2):  # a subcommand or a group
            found += _options(option, f"{path} {option['name']}".strip())
        else:
            found.append((f"{path if path else command['name']}", option))
    return found


async def test_every_claim_id_option_autocompletes_without_a_hand_kept_list(harness: Harness) -> None:
    ids = []
    for scope in harness.fake.commands.values():
        for command in scope:
            for where, option in _options(command):
                if option["name"] == "id":
                    ids.append(f"{command['name']} {where}")
                    assert option.get("autocomplete") is True, f"/{command['name']} {where}: id"
    assert len(ids) >= 8  # /claim show and the /curate subcommands on one claim
    choices = await (
        await harness.fake.slash("curate add-denial", id="drones", actor="x", focused="id", **MOD)
    ).choices()
    assert choices[0]["value"] == "iran-drones-russia"
    assert choices[0]["name"].startswith("iran-drones-russia — ")


async def test_discord_offers_exactly_the_settings_ranges_the_service_enforces(harness: Harness) -> None:
    settings = harness.fake.command("curate")
    [sub] = [o for o in settings["options"] if o["name"] == "settings"]
    offered = {o["name"]: (o.get("min_value"), o.get("max_value")) for o in sub["options"]}
    names = {
        "match_threshold": "match_threshold",
        "channel_cooldown": "channel_cooldown_s",
        "claim_cooldown": "claim_cooldown_s",
        "check_rate": "check_rate_per_minute",
        "unanswered_days": "unanswered_days",
        "followup_rate": "followup_rate_per_hour",
    }
    for option, key in names.items():
        bound = SETTING_BOUNDS[key]
        assert offered[option] == (bound.low, bound.high), option
    # The week-long claim cooldown Discord accepts is stored, not refused by the service.
    week = SETTING_BOUNDS["claim_cooldown_s"].high
    answer = await (await harness.fake.slash("curate settings", claim_cooldown=week, **MOD)).reply()
    assert answer.embeds[0]["title"] == "Settings updated"
    assert (await harness.service.guild_settings(p.GUILD_ID)).claim_cooldown_s == week
    with pytest.raises(InvalidInput, match="between 0 and 604800 seconds"):
        await harness.service.update_guild_settings(p.GUILD_ID, actor="test", claim_cooldown_s=week + 1)


async def test_fixed_choices_are_enums_offered_as_discord_choices(harness: Harness) -> None:
    curate = harness.fake.command("curate")
    [export] = [o for o in curate["options"] if o["name"] == "export"]
    [fmt] = export["options"]
    assert fmt["choices"] == [
        {"name": "claim file (JSON)", "value": "claims"},
        {"name": "ClaimReview (JSON-LD)", "value": "claimreview"},
    ]
    answer = await (await harness.fake.slash("curate export", format="claimreview", **MOD)).reply()
    assert answer.content == "All current claims, as schema.org ClaimReview JSON-LD."
    reviews = json.loads(answer.files["claimreview.jsonld"])
    assert "iran-srbm-russia" in json.dumps(reviews)
    plain = await (await harness.fake.slash("curate export", **MOD)).reply()
    assert {c["id"] for c in json.loads(plain.files["claims.json"])} >= {"iran-srbm-russia"}


async def test_the_edit_form_preselects_the_current_status_and_keeps_it_unless_picked(
    harness: Harness,
) -> None:
    modal = await (await harness.fake.slash("curate edit", id="nk-troops-russia", **MOD)).modal()
    [status] = [c["component"] for c in modal["components"] if c["component"]["custom_id"] == "status"]
    assert [o["value"] for o in status["options"] if o.get("default")] == ["confirmed"]
    saved = await (
        await harness.fake.submit_modal(modal, {"summary": "Seen by several governments."}, **MOD)
    ).reply()
    assert saved.content == "Updated `nk-troops-russia`."
    [last] = (await harness.service.history("nk-troops-russia"))[-1:]
    assert last.before["status"] == last.after["status"] == "confirmed"
    assert last.after["summary"] == "Seen by several governments."
    picked = await (
        await harness.fake.submit_modal(
            await (await harness.fake.slash("curate edit", id="nk-troops-russia", **MOD)).modal(),
            {"status": "disputed"},
            **MOD,
        )
    ).reply()
    assert picked.content == "Updated `nk-troops-russia`."
    assert (await harness.service.get("nk-troops-russia")).claim.status == "disputed"
