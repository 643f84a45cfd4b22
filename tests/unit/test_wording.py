"""Reply wording: attribution first, every denial, the status in plain words, Discord's limits."""

from __future__ import annotations

import json

import pytest

from bot import formatting
from claims_db import wording
from claims_db.models import Claim, Framing, Match, MatchResult, Status, Verdict
from claims_db.transfer import claim_from_dict, parse_claims
from claims_db.wording import Part, PartKind
from tests.conftest import FIXTURES, claim_dict

CLAIMS = {c.id: c for c in parse_claims((FIXTURES / "sample_claims.json").read_text(encoding="utf-8"))}


def make(**overrides: object) -> Claim:
    return claim_from_dict(claim_dict(**overrides))


def result(
    claim_id: str, verdict: Verdict, framing: Framing = Framing.FACT, score: float = 0.9
) -> MatchResult:
    m = Match(claim_id, score, verdict, "Tehran→Iran, Moscow→Russia, missiles")
    return MatchResult("Tehran sent missiles to Moscow", verdict, framing, (m,))


def test_an_allegation_leads_with_who_alleges_it() -> None:
    lead = wording.lead_sentence(make())
    assert lead == (
        "The United States alleges that Iran supplied short-range ballistic missiles to Russia for use in "
        "Ukraine. Also asserted by the United Kingdom."
    )


@pytest.mark.parametrize("status", [s for s in Status if s is not Status.CONFIRMED])
def test_no_status_but_confirmed_states_the_claim_as_fact(status: Status) -> None:
    c = wording.card(make(status=status))
    assert c.title == (
        "The United States alleges: Iran supplied short-range ballistic missiles to Russia for use in Ukraine"
    )
    chip = wording.STATUS_CHIPS[status]
    kinds = [p.kind for p in c.parts]
    assert kinds[:3] == [PartKind.HEADING, PartKind.BYLINE, PartKind.LEAD]
    byline, lead = c.text_of(PartKind.BYLINE), c.text_of(PartKind.LEAD)
    assert byline.startswith(chip)
    assert byline.endswith(" · denied by Iran")
    assert lead.startswith("The United States alleges that Iran supplied")
    assert c.of(PartKind.STATUS) == (Part(PartKind.STATUS, wording.status_label(status)),)


def test_a_confirmed_claim_is_stated_with_who_confirmed_it() -> None:
    c = wording.card(CLAIMS["iran-drones-russia"])
    assert c.title == "Iran supplied attack drones to Russia that were used against Ukraine"
    assert c.text_of(PartKind.BYLINE) == "Confirmed by Ukraine · acknowledged by Iran"
    assert c.text_of(PartKind.LEAD) == (
        "Iran supplied attack drones to Russia that were used against Ukraine: "
        "confirmed by Ukraine; acknowledged by Iran."
    )
    assert "Also asserted" not in wording.card_text(c)
    assert "Iran acknowledged (Foreign Minister Hossein Amir-Abdollahian, 2022-11-05)" in [
        p.text for p in c.of(PartKind.ATTRIBUTION)
    ]


def test_status_words_and_colours_differ_for_every_status() -> None:
    labels = {wording.status_label(s) for s in Status}
    assert len(labels) == len(Status)
    assert wording.status_label(Status.FALSE) == "False: shown to be wrong"
    assert len(set(formatting.STATUS_COLOURS.values())) == len(Status)


def test_every_denial_is_listed_with_its_words() -> None:
    c = wording.card(CLAIMS["nk-missiles-russia"])
    assert [p.line() for p in c.of(PartKind.DENIAL)] == ["North Korea denies it", "Russia denies it"]
    c = wording.card(make())
    [denied] = c.of(PartKind.DENIAL)
    assert (denied.actor, denied.quote) == ("Iran", "Iran has not delivered ballistic missiles to Russia")
    assert denied.line() == (
        "Iran denies it (Foreign Minister Abbas Araghchi, 2024-09-11): "
        "“Iran has not delivered ballistic missiles to Russia”"
    )


def test_a_claim_without_denials_says_so() -> None:
    c = wording.card(CLAIMS["sunak-pm-sept-2024"])
    assert c.of(PartKind.DENIAL) == ()
    assert c.of(PartKind.NO_DENIAL) == (Part(PartKind.NO_DENIAL, "No denial on record."),)


def test_sources_and_review_date_are_shown() -> None:
    c = wording.card(make())
    sources = [p.line() for p in c.of(PartKind.SOURCE)]
    assert sources == [
        "U.S. Department of State — Press availability (2024-09-10)",
        "Example Wire — Missiles story <https://example.org/missiles>",
    ]
    assert c.of(PartKind.REVIEWED) == (Part(PartKind.REVIEWED, "2026-11-25"),)
    assert [s.outlet for s in c.sources] == ["U.S. Department of State", "Example Wire"]


def test_a_statement_of_fact_about_an_allegation_is_called_an_allegation() -> None:
    r = wording.reply(result("iran-srbm-russia", Verdict.MATCH), CLAIMS)
    assert (
        r.framing_note == "The message states this as fact. This is an allegation, not an established fact."
    )
    assert r.cards[0].text_of(PartKind.FRAMING) == r.framing_note
    assert r.text.startswith("A curated claim matches this message.")
    assert "The United States alleges that Iran supplied" in r.text
    assert r.cards[0].text_of(PartKind.MATCH) == "Match 0.90 (match) · Tehran→Iran, Moscow→Russia, missiles"


@pytest.mark.parametrize(
    ("framing", "words"),
    [
        (Framing.QUESTION, "The message asks about this claim"),
        (Framing.NEGATED, "The message denies this claim"),
        (Framing.HEDGED, "The message presents this as unconfirmed"),
        (Framing.ATTRIBUTED, "The message attributes this to a source"),
    ],
)
def test_the_framing_note_follows_the_message(framing: Framing, words: str) -> None:
    r = wording.reply(result("iran-srbm-russia", Verdict.MATCH, framing), CLAIMS)
    assert r.framing_note is not None and r.framing_note.startswith(words)


def test_a_false_claim_stated_as_fact_gets_the_rating_not_a_verdict_on_the_user() -> None:
    r = wording.reply(result("sunak-pm-sept-2024", Verdict.MATCH), CLAIMS)
    assert r.framing_note == "The message states this as fact. The claim store rates this claim false."
    assert "you are" not in r.text.lower()
    assert r.cards[0].title.startswith("A news article about the missile allegations says: Rishi Sunak")
    assert (
        r.cards[0]
        .text_of(PartKind.LEAD)
        .startswith("A news article about the missile allegations says that Rishi Sunak")
    )


def test_possible_offers_did_you_mean_with_up_to_three_candidates() -> None:
    matches = tuple(
        Match(cid, 0.6 - i / 100, Verdict.POSSIBLE, "missiles")
        for i, cid in enumerate(
            ["iran-srbm-russia", "nk-missiles-russia", "iran-drones-russia", "ukraine-biolabs"]
        )
    )
    r = wording.reply(MatchResult("missiles to russia?", Verdict.POSSIBLE, Framing.QUESTION, matches), CLAIMS)
    assert r.headline == "Did you mean…"
    assert [c.claim_id for c in r.cards] == ["iran-srbm-russia", "nk-missiles-russia", "iran-drones-russia"]
    assert r.text.startswith("Did you mean… (no confident match")


def test_none_says_so_plainly_and_offers_nothing() -> None:
    weak = (Match("ukraine-biolabs", 0.1, Verdict.NONE, "ukraine"),)
    r = wording.reply(MatchResult("nice weather in kyiv", Verdict.NONE, Framing.FACT, weak), CLAIMS)
    assert r.cards == ()
    assert r.headline == "No curated claim matches this message."
    assert "biolab" not in r.text.lower()


def test_short_line_for_watch_mode() -> None:
    assert wording.short_line(CLAIMS["iran-srbm-russia"]) == (
        "The United States alleges: Iran supplied short-range ballistic missiles to Russia for use in "
        "Ukraine\n"
        "Alleged by the United States and the United Kingdom · denied by Iran"
    )
    assert wording.short_line(CLAIMS["nk-missiles-russia"]).endswith(
        "\nAlleged by the United States · denied by North Korea and Russia"
    )


def test_huge_claims_keep_every_part_whole_and_the_embed_fits_without_losing_a_denial() -> None:
    long_quote = "word " * 380
    data = claim_dict(
        summary="s" * 1900,
        attributions=[{"actor": f"Government {i}", "verb": "says", "quote": long_quote} for i in range(30)],
        denials=[
            {"actor": f"Denier {i}", "speaker": "Spokesperson", "quote": "we deny " * 40} for i in range(12)
        ],
        sources=[
            {"outlet": f"Outlet {i}", "title": "t" * 150, "url": f"https://example.org/{i}"}
            for i in range(40)
        ],
    )
    c = wording.card(claim_from_dict(data), framing=Framing.FACT)
    # wording trims nothing: every quote whole, every source there
    assert all(p.quote == long_quote.strip() for p in c.of(PartKind.ATTRIBUTION))
    assert len(c.of(PartKind.DENIAL)) == 12 and len(c.sources) == 40
    assert c.title.startswith("Government 0 says: Iran")
    assert c.text_of(PartKind.LEAD).startswith("Government 0 says that Iran")
    # formatting fits it into Discord and names every denier
    [embed] = formatting.card_embeds(c)
    assert len(embed) <= 6000 and len(embed.fields) <= 25
    assert all(len(f.value or "") <= 1024 for f in embed.fields)
    denial_text = "\n".join(f.value or "" for f in embed.fields if (f.name or "").startswith("Denied by"))
    assert all(f"Denier {i}" in denial_text for i in range(12))


def test_reply_json_is_serialisable() -> None:
    r = wording.reply(result("iran-srbm-russia", Verdict.MATCH), CLAIMS)
    json.dumps({"text": r.text, "headline": r.headline})


def test_verbs_agree_with_plural_actors() -> None:
    data = claim_dict(
        attributions=[{"actor": "United Kingdom, France and Germany", "verb": "alleges"}],
        denials=[{"actor": "Russian officials"}],
    )
    c = wording.card(claim_from_dict(data))
    assert c.title.startswith("The United Kingdom, France and Germany allege: Iran")
    assert c.text_of(PartKind.LEAD).startswith("The United Kingdom, France and Germany allege that Iran")
    assert [p.text for p in c.of(PartKind.DENIAL)] == ["Russian officials deny it"]
    assert wording.verb_for("Iran", "says") == "says"
    assert wording.verb_for("German prosecutors", "says") == "say"
    assert wording.verb_for("German prosecutors", "concluded") == "concluded"


def test_a_source_whose_link_is_dead_says_since_when() -> None:
    claim = make()
    url = "https://example.org/missiles"
    card = wording.card(claim, unavailable={url: "2026-12-01"})
    [dead] = [p for p in card.of(PartKind.SOURCE) if p.source and p.source.url == url]
    assert dead.unavailable_since == "2026-12-01"
    assert dead.line() == f"Example Wire — Missiles story, unavailable since 2026-12-01 <{url}>"
    [embed] = formatting.card_embeds(card)
    sources = next(f.value for f in embed.fields if f.name == "Sources")
    assert "(https://example.org/missiles), unavailable since 2026-12-01" in (sources or "")
    assert all(p.unavailable_since is None for p in wording.card(claim).of(PartKind.SOURCE))


def test_every_part_has_its_kind_and_the_terminal_shows_them_all_whole() -> None:
    c = wording.card(make(), match=Match("iran-srbm-russia", 0.9, Verdict.MATCH, "why"), framing=Framing.FACT)
    assert [p.kind for p in c.parts] == [
        PartKind.HEADING,
        PartKind.BYLINE,
        PartKind.LEAD,
        PartKind.FRAMING,
        PartKind.SUMMARY,
        PartKind.STATUS,
        PartKind.ATTRIBUTION,
        PartKind.ATTRIBUTION,
        PartKind.DENIAL,
        PartKind.SOURCE,
        PartKind.SOURCE,
        PartKind.REVIEWED,
        PartKind.MATCH,
    ]
    text = wording.card_text(c)
    for p in c.parts:
        assert p.line() in text, p


@pytest.mark.parametrize(
    ("actor", "named"),
    [
        ("European Commission", "the European Commission"),
        ("Joint Investigation Team (JIT)", "the Joint Investigation Team (JIT)"),
        ("Kremlin Press Office", "the Kremlin Press Office"),
        ("Emmanuel Macron", "Emmanuel Macron"),
    ],
)
def test_an_institution_takes_the_and_a_person_does_not(actor: str, named: str) -> None:
    assert wording.actor_name(actor) == named


def test_a_claims_card_is_the_same_each_time_it_is_shown() -> None:
    claim = claim_from_dict(claim_dict(id="card-twice"))
    first = wording.card(claim, framing=Framing.FACT)
    again = wording.card(claim, framing=Framing.QUESTION)
    assert first.parts[:3] == again.parts[:3]
    assert [p.kind for p in again.parts][:4] == [
        PartKind.HEADING, PartKind.BYLINE, PartKind.LEAD, PartKind.FRAMING,
    ]  # fmt: skip
    assert again.parts[3].text != first.parts[3].text  # the framing note is the message's, not cached
