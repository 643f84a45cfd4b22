"""Cards as embeds: Discord's limits after escaping, denials never cut, escaping, colours, links."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot import formatting
from claims_db import wording
from claims_db.models import Attribution, Claim, Denial, Source, Status
from claims_db.wording import Card, Part, PartKind


def claim(**overrides: Any) -> Claim:
    values: dict[str, Any] = {
        "id": "iran-srbm-russia",
        "statement": "Iran supplied short-range ballistic missiles to Russia for use in Ukraine",
        "status": Status.ALLEGED,
        "attributions": (
            Attribution(
                actor="United States",
                verb="alleges",
                date="2024-09-10",
                source=Source(outlet="State", title="Press", url="https://example.org/a"),
            ),
        ),
        "denials": (Denial(actor="Iran", quote="We sent *nothing* to @everyone"),),
        "sources": (
            Source(outlet="Example Wire", title="Missiles [story]", url="https://example.org/m_(1)"),
        ),
        "reviewed": "2024-09-12",
    }
    values.update(overrides)
    return Claim(**values)


def total(embeds: list[discord.Embed]) -> int:
    return sum(len(e) for e in embeds)


def assert_within_limits(embeds: list[discord.Embed]) -> None:
    for batch in formatting.batches(embeds):
        assert len(batch) <= 10 and total(batch) <= 6000
    for e in embeds:
        assert len(e.title or "") <= 256
        assert len(e.description or "") <= 4096
        assert len(e.fields) <= 25
        assert all(len(f.name or "") <= 256 and 0 < len(f.value or "") <= 1024 for f in e.fields)
        assert len(e.footer.text or "") <= 2048
        assert len(e.author.name or "") <= 256


def test_a_card_leads_with_the_attribution_and_shows_denials_sources_and_review_date() -> None:
    [embed] = formatting.card_embeds(wording.card(claim()), checked="Tehran sent missiles")
    assert embed.title == (
        "The United States alleges: Iran supplied short-range ballistic missiles to Russia for use in Ukraine"
    )
    assert embed.description == (
        "Alleged by the United States · denied by Iran\n\n"
        "The United States alleges that Iran supplied short-range ballistic missiles to Russia for use in "
        "Ukraine."
    )
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Denied by"] == r"Iran denies it: “We sent \*nothing\* to @" + "\u200beveryone”"
    assert fields["Reviewed"] == "2024-09-12"
    assert embed.author.name == "Checked: Tehran sent missiles"


def test_sources_are_markdown_links_with_safe_labels_and_urls() -> None:
    [embed] = formatting.card_embeds(wording.card(claim()))
    sources = {f.name: f.value for f in embed.fields}["Sources"]
    assert "[State — Press](https://example.org/a)" in sources
    assert r"[Example Wire — Missiles \(story\)](https://example.org/m_%281%29)" in sources


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        (Status.ALLEGED, 0xE6A23C),
        (Status.CONFIRMED, 0x2E8B57),
        (Status.FALSE, 0xC0392B),
        (Status.DISPUTED, 0x9B59B6),
        (Status.MISLEADING, 0xE67E22),
        (Status.UNVERIFIED, 0x7F8C8D),
    ],
)
def test_the_colour_follows_the_status(status: Status, colour: int) -> None:
    [embed] = formatting.card_embeds(wording.card(claim(status=status)))
    assert embed.colour == discord.Colour(colour)


def test_user_text_is_escaped_for_markdown_and_mentions() -> None:
    assert formatting.escape("**bold** @everyone <@123456789012345678> `x`") == (
        "\\*\\*bold\\*\\* @\u200beveryone \\<@\u200b123456789012345678\\> \\`x\\`"
    )
    assert formatting.escape("[a](https://evil.example) [b](https://evil.example)") == (
        r"\[a\]\(https\://evil.example\) \[b\]\(https\://evil.example\)"
    )
    assert formatting.escape("-# small\n- item\n1. first\n> quote </cmd:1> <#1> <t:1:R>") == (
        r"-\# small" "\n" r"\- item" "\n" r"1\. first" "\n" r"\> quote \</cmd:1\> \<\#1\> \<t:1:R\>"
    )
    assert formatting.escape("a\u202eb\u200bc\u2066d\ufeff") == "abcd"


def test_the_checked_text_round_trips_through_the_author_line() -> None:
    [embed] = formatting.card_embeds(wording.card(claim()), checked="@everyone look *here*")
    assert embed.author.name == "Checked: @\u200beveryone look *here*"  # the author line shows no markdown
    assert formatting.checked_text([embed]) == "@everyone look *here*"
    assert formatting.checked_text([discord.Embed(title="x")]) is None


def _stress_card(denials: int, denial_len: int) -> Card:
    """A card whose plain text fits, but whose markdown-heavy text grows when escaped."""
    parts = [
        Part(PartKind.HEADING, "*" * 256),
        Part(PartKind.BYLINE, "Alleged by the United States · denied by " + "_" * 100),
        Part(PartKind.LEAD, "The United States alleges that " + "~" * 4000),
        Part(PartKind.STATUS, "Alleged: asserted by a party, not independently established"),
        Part(PartKind.ATTRIBUTION, "The United States alleges " + "_" * 900),
    ]
    parts += [
        Part(PartKind.DENIAL, f"D{i:02d} " + "*_" * (denial_len // 2), actor=f"Denier {i:02d}")
        for i in range(denials)
    ]
    parts += [
        Part(
            PartKind.SOURCE,
            f"Outlet {i}",
            source=Source(outlet=f"Outlet {i}", url=f"https://example.org/{i}"),
        )
        for i in range(60)
    ]
    parts += [
        Part(PartKind.REVIEWED, "2024-09-12"),
        Part(PartKind.MATCH, "Match 0.92 · " + "@everyone " * 250),
    ]
    return Card(claim_id="x-claim", status=Status.ALLEGED, parts=tuple(parts))


@pytest.mark.parametrize(("denials", "denial_len"), [(2, 300), (6, 480), (12, 480), (3, 1500)])
def test_limits_hold_after_escaping_and_no_denial_is_cut(denials: int, denial_len: int) -> None:
    card = _stress_card(denials, denial_len)
    embeds = formatting.card_embeds(card, checked="x" * 400)
    assert_within_limits(embeds)
    shown = "".join(f.value for e in embeds for f in e.fields if f.name.startswith("Denied by"))
    flat = shown.replace(" ", "").replace("\n", "")
    whole = [p for p in card.of(PartKind.DENIAL) if formatting.escape(p.text).replace(" ", "") in flat]
    # each denial is on the card whole, or named among those behind the Sources button; none is cut
    left = [p for p in card.of(PartKind.DENIAL) if p not in whole]
    for p in left:
        assert f"D{p.text[1:3]} " not in shown
    if left:
        tail = formatting.escape(wording.denials_left(left))
        assert tail.replace(" ", "") in flat
    assert embeds[0].description is not None
    assert embeds[0].description.startswith("Alleged by the United States")
    assert embeds[0].title is not None and embeds[0].title.startswith("\\*")


def test_denials_in_brief_keep_one_card_one_message() -> None:
    card = _stress_card(12, 480)
    embeds = formatting.card_embeds(card)
    assert len(embeds) == 1
    shown = "\n".join(f.value for f in embeds[0].fields if f.name.startswith("Denied by"))
    assert "more statements by" in shown and "press Sources to read them all" in shown


def test_sources_give_way_first_and_the_rest_are_behind_the_button() -> None:
    card = _stress_card(6, 480)
    [first, *_] = formatting.card_embeds(card)
    sources = next((f.value for f in first.fields if f.name == "Sources"), "")
    assert "press Sources" in sources


def test_candidates_embed_lists_up_to_three_with_score_and_why() -> None:
    cards = tuple(
        Card(
            claim_id=f"c-{i}",
            status=Status.ALLEGED,
            parts=(Part(PartKind.HEADING, f"Claim *{i}*"), Part(PartKind.STATUS, "Alleged")),
            score=0.5 + i / 100,
            why=f"why {i}",
        )
        for i in range(4)
    )
    reply = wording.Reply(
        verdict=wording.Verdict.POSSIBLE,
        framing=wording.Framing.FACT,
        headline="Did you mean…",
        text="",
        cards=cards,
    )
    embed = formatting.candidates_embed(reply, checked="what")
    assert embed.title == "Did you mean…"
    assert embed.description == "\n".join(f"**{i + 1}.** Claim \\*{i}\\* — *Alleged*" for i in range(3))
    assert embed.footer.text == "#1 0.50 · why 0 | #2 0.51 · why 1 | #3 0.52 · why 2"


def test_sources_embeds_split_long_lists_without_losing_any() -> None:
    many = tuple(
        Source(outlet=f"Outlet {i}", title="t" * 150, url=f"https://example.org/{i}") for i in range(80)
    )
    embeds = formatting.sources_embeds(claim(sources=many))
    assert_within_limits(embeds)
    text = "\n".join(e.description or "" for e in embeds)
    assert all(f"https://example.org/{i})" in text for i in range(80))


def test_batches_keep_each_message_within_6000_and_10_embeds() -> None:
    embeds = [discord.Embed(description="x" * 2500) for _ in range(5)] + [discord.Embed(title="t")] * 12
    batches = formatting.batches(embeds)
    assert [len(b) for b in batches] == [2, 2, 10, 3]
    assert all(total(b) <= 6000 for b in batches)


def test_clip_cuts_at_a_word_and_never_leaves_a_dangling_escape() -> None:
    assert formatting.clip("one two three", 9) == "one two…"
    assert not formatting.clip("ab\\*cd\\*ef\\*gh", 5).rstrip("…").endswith("\\")


def test_a_denial_is_known_by_its_kind_and_kept_whole_while_assertions_give_way() -> None:
    # Nothing in the wording says "denied": the part's kind alone tells formatting what it is.
    rejection = "We reject this claim entirely " * 45  # 1,350 characters: split, never cut
    parts = [
        Part(PartKind.HEADING, "Some outlet reports: something happened"),
        Part(PartKind.BYLINE, "Alleged by some outlet"),
        Part(PartKind.LEAD, "Some outlet reports that something happened."),
        Part(PartKind.STATUS, "Alleged"),
        *[Part(PartKind.ATTRIBUTION, f"Outlet {i} reports", quote="it happened " * 150) for i in range(4)],
        Part(PartKind.DENIAL, "The government rejects it", actor="the government", quote=rejection),
    ]
    card = Card(claim_id="x-claim", status=Status.ALLEGED, parts=tuple(parts))
    [embed] = formatting.card_embeds(card)
    assert_within_limits([embed])
    denied = "".join(f.value or "" for f in embed.fields if (f.name or "").startswith("Denied by"))
    assert rejection.replace(" ", "") in denied.replace(" ", "").replace("\n", "")  # split across fields
    asserted = next(f.value or "" for f in embed.fields if f.name == "Asserted by")
    assert "…" in asserted  # the assertions' quotes were shortened instead
    assert " ".join(rejection.split()) in wording.card_text(card)  # the terminal shows it all
