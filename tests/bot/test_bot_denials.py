"""A claim with more denials than a card holds: every denier on the card, every statement behind Sources."""

from __future__ import annotations

import discord

from bot import formatting
from claims_db import wording
from claims_db.models import Attribution, Claim, Denial, Source, Status
from tests.fakes.markdown import rendered

DENIERS = ["Iran", "Russia", "North Korea", "Belarus", "Syria"]


def many_denials(count: int = 30, quote_words: int = 90) -> Claim:
    denials = tuple(
        Denial(
            actor=DENIERS[i % len(DENIERS)] if i < 25 else f"Ministry number {i}",
            speaker=f"Spokesperson {i}",
            date="2024-09-10",
            quote=f"Statement {i:02d}: " + " ".join(["we deny *everything*"] * (quote_words // 3)),
            source=Source(outlet=f"Outlet {i}", url=f"https://example.org/denial/{i}"),
        )
        for i in range(count)
    )
    return Claim(
        id="many-denials",
        statement="Iran supplied short-range ballistic missiles to Russia for use in Ukraine",
        status=Status.ALLEGED,
        attributions=(Attribution(actor="United States", verb="alleges", date="2024-09-10"),),
        denials=denials,
        sources=tuple(Source(outlet=f"Wire {i}", url=f"https://example.org/wire/{i}") for i in range(12)),
        summary="A summary. " * 40,
        reviewed="2024-09-12",
    )


def within_discord_limits(messages: list[list[discord.Embed]]) -> bool:
    for embeds in messages:
        assert len(embeds) <= 10 and sum(len(e) for e in embeds) <= 6000
        for e in embeds:
            assert len(e.title or "") <= 256 and len(e.description or "") <= 4096
            assert len(e.fields) <= 25
            assert all(len(f.name or "") <= 256 and 0 < len(f.value or "") <= 1024 for f in e.fields)
    return True


def shown(embeds: list[discord.Embed]) -> str:
    parts = []
    for e in embeds:
        parts += [e.title or "", e.description or ""]
        parts += [f"{f.name}\n{f.value}" for f in e.fields]
    return rendered("\n".join(parts))


def test_the_card_names_every_denier_and_how_many_statements_the_button_adds() -> None:
    claim = many_denials()
    embeds = formatting.card_embeds(wording.card(claim))
    messages = formatting.batches(embeds)
    assert len(messages) == 1 and within_discord_limits(messages)
    text = shown(embeds)
    for denier in {d.actor for d in claim.denials}:
        assert denier in text, denier
    in_full = sum(f"Statement {i:02d}:" in text for i in range(30))
    assert 0 < in_full < 30
    assert f"…and {30 - in_full} more statements" in text
    assert "press Sources to read them all" in text


def test_a_card_whose_denials_fit_shows_them_all_word_for_word() -> None:
    claim = many_denials(count=4, quote_words=30)
    text = shown(formatting.card_embeds(wording.card(claim)))
    assert all(f"Statement {i:02d}:" in text for i in range(4))
    assert "more statements" not in text


def test_the_sources_button_shows_every_statement_and_source_across_messages() -> None:
    claim = many_denials(quote_words=600)
    messages = formatting.batches(formatting.sources_embeds(claim))
    assert len(messages) > 1 and within_discord_limits(messages)
    text = shown([e for m in messages for e in m])
    for d in claim.denials:
        assert " ".join(wording.denial_line(d, quote_limit=2000).split()) in " ".join(text.split())
    assert all(f"https://example.org/wire/{i}" in text for i in range(12))
