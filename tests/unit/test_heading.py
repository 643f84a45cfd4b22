"""The heading rule: for every status but confirmed, no title or first line shows the claim without
who says so; and the wording reads as English (capitals, articles, one side per party, counts).

Checked on what readers get: the CLI text (``card_text``), the embed dicts Discord receives, the
watch-mode reply, the "Did you mean…" candidates, over every bundled claim with every status.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot import formatting
from claims_db import wording
from claims_db.models import Claim, Framing, Match, MatchResult, Status, Verdict
from claims_db.service import bundled_claims
from claims_db.transfer import claim_from_dict
from tests.conftest import claim_dict

SEED = bundled_claims()


def make(**overrides: object) -> Claim:
    return claim_from_dict(claim_dict(**overrides))


def attribution_first(text: str, claim: Claim) -> bool:
    """Whether ``text`` opens with the first asserting party, not with the claim."""
    first = claim.attributions[0]
    return text.startswith(wording.actor_name(first.actor, start=True) + " ") and not text.startswith(
        claim.statement[:40]
    )


def readers_first_lines(claim: Claim) -> dict[str, str]:
    card = wording.card(claim)
    [embed, *_] = formatting.card_embeds(card)
    shown = embed.to_dict()
    result = MatchResult("x", Verdict.POSSIBLE, Framing.FACT, (Match(claim.id, 0.6, Verdict.POSSIBLE, "x"),))
    candidates = formatting.candidates_embed(wording.reply(result, {claim.id: claim})).to_dict()
    return {
        "cli": wording.card_text(card).splitlines()[0],
        "embed title": shown["title"].replace("\\", ""),
        "watch": formatting.watch_text(claim).splitlines()[0].replace("\\", ""),
        "did you mean": candidates["description"].splitlines()[0].removeprefix("**1.** ").replace("\\", ""),
    }


@pytest.mark.parametrize("status", list(Status))
def test_no_heading_shows_an_unconfirmed_claim_without_who_says_so(status: Status) -> None:
    for seed in SEED:
        claim = dataclasses.replace(seed, status=status)
        lines = readers_first_lines(claim)
        if status is Status.CONFIRMED:
            assert all(line.startswith(claim.statement[:40]) for line in lines.values()), (claim.id, lines)
            continue
        for where, line in lines.items():
            assert attribution_first(line, claim), (claim.id, where, line)
        # the description opens with the status chip and who stands where
        [embed, *_] = formatting.card_embeds(wording.card(claim))
        first_line = embed.to_dict()["description"].splitlines()[0]
        assert first_line.startswith(wording.STATUS_CHIPS[status]), (claim.id, first_line)


@pytest.mark.parametrize("status", list(Status))
def test_the_byline_names_the_status_the_asserting_and_the_denying(status: Status) -> None:
    claim = make(status=status)
    byline = wording.byline(claim)
    assert byline.startswith(wording.STATUS_CHIPS[status])
    assert "the United States and the United Kingdom" in byline
    assert byline.endswith("denied by Iran")
    assert wording.card_text(wording.card(claim)).splitlines()[1] == byline


def test_the_cli_card_reads_heading_then_byline_then_lead() -> None:
    text = wording.card_text(wording.card(make()))
    lines = text.splitlines()
    assert lines[0] == (
        "The United States alleges: Iran supplied short-range ballistic missiles to Russia for use in "
        "Ukraine [iran-srbm-russia]"
    )
    assert lines[1] == "Alleged by the United States and the United Kingdom · denied by Iran"
    assert lines[3].startswith("The United States alleges that Iran supplied")


@pytest.mark.parametrize(
    ("statement", "inside"),
    [
        ("A Ukrainian team carried out the sabotage of the pipelines", "a Ukrainian team carried out"),
        ("Allowing Ukraine to strike Russia would mean war with NATO", "allowing Ukraine to strike"),
        ("The United States blew up the Nord Stream pipelines", "the United States blew up"),
        ("The Kremlin ordered the downing of the plane", "the Kremlin ordered"),
        ("In November 2024 Biden allowed strikes inside Russia", "in November 2024 Biden"),
        ("British navy personnel were behind the explosions", "British navy personnel"),
        ("NATO troops are fighting in Ukraine already", "NATO troops are fighting"),
        ("North Korea sent troops to fight for Russia", "North Korea sent troops"),
        ("Zelensky bought two luxury yachts with aid money", "Zelensky bought"),
        ("MH17 was shot down by a Ukrainian fighter jet", "MH17 was shot down"),
        ("Boris Johnson persuaded Ukraine to walk away from talks", "Boris Johnson persuaded"),
    ],
)
def test_a_statement_inside_a_sentence_loses_its_capital_but_names_keep_theirs(
    statement: str, inside: str
) -> None:
    lead = wording.lead_sentence(make(statement=statement, status="alleged"))
    assert f"alleges that {inside}" in lead


def test_a_word_the_claim_writes_in_lower_case_elsewhere_is_lowered() -> None:
    claim = make(
        statement="Grain shipped under the deal went to rich countries",
        paraphrases=["the grain went to rich countries"],
    )
    assert "alleges that grain shipped" in wording.lead_sentence(claim)


@pytest.mark.parametrize(
    ("actor", "inside"),
    [
        ("District Court of The Hague", "the District Court of The Hague"),
        ("International Criminal Court", "the International Criminal Court"),
        ("Joint Investigation Team (JIT)", "the Joint Investigation Team (JIT)"),
        ("UN Panel of Experts on Yemen", "the UN Panel of Experts on Yemen"),
        ("ICAO Council", "the ICAO Council"),
        ("Associated Press", "the Associated Press"),
        ("Yale Humanitarian Research Lab", "the Yale Humanitarian Research Lab"),
        ("United Kingdom", "the United Kingdom"),
        ("Amnesty International", "Amnesty International"),
        ("NATO", "NATO"),
        ("Seymour Hersh", "Seymour Hersh"),
        ("News media", "news media"),
        ("Independent researchers and investigators", "independent researchers and investigators"),
        ("Russian officials", "Russian officials"),
    ],
)
def test_bodies_get_their_article_and_descriptions_their_lower_case(actor: str, inside: str) -> None:
    claim = make(attributions=[{"actor": "Germany", "verb": "alleges"}, {"actor": actor}])
    assert f"Also asserted by {inside}" in wording.lead_sentence(claim)
    assert f"{inside} · denied by Iran" in wording.byline(claim)


def test_a_party_on_record_both_ways_is_listed_once_with_its_turns_in_date_order() -> None:
    claim = make(
        status="confirmed",
        statement="Iran supplied attack drones to Russia",
        attributions=[
            {"actor": "Ukraine", "verb": "reports", "date": "2022-09"},
            {"actor": "Iran", "verb": "acknowledged", "date": "2022-11-05"},
        ],
        denials=[{"actor": "Iran", "date": "2022-10"}, {"actor": "Russia", "date": "2022-10-18"}],
    )
    p = wording.parties(claim)
    assert p.both == ("Iran",) and "Iran" not in p.asserting + p.denying
    lead = wording.lead_sentence(claim)
    assert lead.endswith("Iran denied it (2022-10), then acknowledged it (2022-11-05).")
    assert wording.byline(claim) == "Confirmed by Ukraine · denied by Russia · asserted and denied by Iran"
    undated = make(attributions=[{"actor": "Iran"}], denials=[{"actor": "Iran"}])
    assert "Iran has both asserted and denied it" in wording.lead_sentence(undated)


def test_a_confirmed_claim_credits_the_outside_findings_before_an_interested_party() -> None:
    claim = make(
        status="confirmed",
        statement="Ukraine struck the bridge with sea drones in October 2022",
        attributions=[
            {"actor": "Ukraine", "verb": "says"},
            {"actor": "Joint Investigation Team (JIT)", "verb": "concluded"},
        ],
        denials=[],
    )
    lead = wording.lead_sentence(claim)
    assert lead.endswith(": confirmed by the Joint Investigation Team (JIT) and Ukraine.")
    assert "Also asserted" not in lead
    acknowledged = make(
        status="confirmed",
        statement="Ukraine struck the bridge with sea drones in October 2022",
        attributions=[
            {"actor": "Ukraine", "verb": "acknowledged"},
            {"actor": "United Nations", "verb": "reports"},
        ],
        denials=[],
    )
    assert wording.lead_sentence(acknowledged).endswith(
        ": confirmed by the United Nations; acknowledged by Ukraine."
    )
    assert wording.byline(acknowledged) == "Confirmed by the United Nations · acknowledged by Ukraine"


def test_no_bundled_claim_reads_with_a_stray_capital_a_missing_article_or_a_party_on_both_sides() -> None:
    stray = re.compile(r"\bthat (A|An|The|In|Allowing|Grain) ")
    heads = "Court|Council|Team|Panel|Press|Lab"
    bare_body = re.compile(rf"(?:\bby|\band|,) (?!the )(?:[A-Z][\w()]* )*(?:{heads})\b")
    for claim in SEED:
        lead, byline = wording.lead_sentence(claim), wording.byline(claim)
        assert not stray.search(lead), lead
        assert not bare_body.search(lead) and not bare_body.search(byline), (lead, byline)
        p = wording.parties(claim)
        assert not set(p.asserting) & set(p.denying), claim.id


def test_counts_agree_with_their_nouns() -> None:
    assert wording.counted(1, "claim") == "1 claim"
    assert wording.counted(2, "claim") == "2 claims"
    assert wording.counted(0, "source") == "0 sources"
    assert wording.counted(1, "entry", "entries") == "1 entry"


def test_search_results_list_each_claim_by_its_heading() -> None:
    unconfirmed = make(status="disputed")
    line = formatting.claim_line(unconfirmed)
    assert line.startswith("`iran-srbm-russia` — The United States alleges: Iran supplied")
    assert line.endswith("(disputed)")
    confirmed = make(status="confirmed")
    assert formatting.claim_line(confirmed).startswith("`iran-srbm-russia` — Iran supplied")


def test_the_grammar_file_loads_whole_and_names_words_not_claims() -> None:
    import json
    from importlib import resources

    data = json.loads(resources.files("claims_db").joinpath("data/wording.json").read_text("utf-8"))
    lists = ("the_prefixes", "institution_heads", "plural_nouns", "acknowledging_verbs", "sentence_openers")
    assert set(data) == {"about", "plural_verbs", *lists}
    for name in lists:
        assert data[name] and all(w == w.lower() for w in data[name]), name
    seed_ids = {c.id for c in SEED}
    words = {w for name in lists for w in data[name]} | set(data["plural_verbs"])
    assert not words & seed_ids
