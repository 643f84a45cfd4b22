"""Hostile text through every builder of replies and embeds: no live link, mention or formatting survives.

Thousands of generated strings (markdown, masked links, autolinks, angle-bracket mentions, lists,
headings, subtext, bidi overrides, zero-width characters) go into every text a curator or member can
set. Each reply is compared, construct by construct, with the same reply built from harmless words:
the hostile one may have no more live markup than the template itself has (``tests/fakes/markdown``
models the client's parser).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterable

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import errors, formatting
from claims_db import text_safety, wording
from claims_db.errors import ClaimNotFound, InvalidInput
from claims_db.models import (
    Attribution,
    AuditEntry,
    Claim,
    Denial,
    Framing,
    Match,
    MatchResult,
    Report,
    Source,
    Status,
    Verdict,
)
from tests.fakes.markdown import invisible, live_markup, rendered

PIECES = [
    "[docs](https://example.org)",
    "**URGENT**",
    "[Re-verify your moderator account](https://evil.example/login)",
    "[a [nested] b](http://evil.example/x_(y))",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&123456789012345678>",
    "<#123456789012345678>",
    "</curate admin-role:123456789012345678>",
    "<t:1700000000:R>",
    "<:pepe:123456789012345678>",
    "<a:dance:123456789012345678>",
    "<https://evil.example>",
    "@everyone",
    "@here",
    "@\u200beveryone",
    "@every\u200bone",
    "@\u202eenoyreve",
    "https://evil.example/login",
    "HTTP://EVIL.EXAMPLE",
    "discord://evil",
    "`code`",
    "```py\nprint(1)\n```",
    "||spoiler||",
    "~~strike~~",
    "__underline__",
    "_italic_",
    "*italic*",
    "> quote",
    ">>> block quote",
    "# Heading",
    "## Heading",
    "### Heading",
    "-# subtext",
    "- item",
    "* item",
    "+ item",
    "1. item",
    "10) item",
    "  - indented",
    "\\",
    "\\*",
    "\\\\*",
    "\\<@123456789012345678>",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\u2028",
    "\u2029",
    "\x0b",
    "\x85",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2067",
    "\u2069",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\ufeff",
    "\u00ad",
    "\u061c",
    "\u180e",
    "\u2060",
    "\u3164",
    "\x00",
    "\x1b[31m",
    "\U000e0041",
    "  ",
    "\t",
    "Iran",
    "words",
    "évidence",
    "🙂",
    "👨\u200d👩\u200d👧",
]
SINGLES = [*list("[]()<>:/#-+.1@|~`*_!&\\ \n"), "everyone", "here", "http", "123456789012345678"]


def hostile_strings(count: int, *, seed: int) -> list[str]:
    """``count`` reproducible hostile strings of 1 to 14 pieces."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = [rng.choice(PIECES if rng.random() < 0.7 else SINGLES) for _ in range(rng.randint(1, 14))]
        out.append(rng.choice(["", " ", "\n"]).join(parts))
    return out


BENIGN = "plain words here"


def texts_of(embeds: Iterable[discord.Embed]) -> list[tuple[str, bool]]:
    """Every text of the embeds, with whether Discord renders markdown there."""
    out: list[tuple[str, bool]] = []
    for e in embeds:
        out += [(e.title or "", True), (e.description or "", True)]
        out += [(e.author.name or "", False), (e.footer.text or "", False)]
        for f in e.fields:
            out += [(f.name or "", True), (f.value or "", True)]
    return out


def live(texts: Iterable[tuple[str, bool]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for text, markdown in texts:
        total += live_markup(text, markdown=markdown)
    return total


def assert_no_more_live_markup(build: Callable[[str], list[tuple[str, bool]]], hostile: list[str]) -> None:
    """Built from each hostile string, the reply has no live construct the harmless one lacks."""
    baseline = live(build(BENIGN))
    assert not any(k.startswith("invisible") for k in baseline)
    for text in hostile:
        extra = live(build(text)) - baseline
        assert not extra, f"{text!r} left live {dict(extra)} in {build(text)!r}"


def hostile_claim(t: str) -> Claim:
    def src(i: int) -> Source:
        return Source(outlet=f"{t} {i}", title=t, url=f"https://example.org/{i}", date="2024-09-10")

    return Claim(
        id="hostile-claim",
        statement=t,
        status=Status.ALLEGED,
        attributions=tuple(
            Attribution(actor=t, verb="alleges", speaker=t, date="2024-09-10", quote=t, source=src(i))
            for i in range(2)
        ),
        summary=t,
        denials=tuple(Denial(actor=t, speaker=t, quote=t, source=src(10 + i)) for i in range(3)),
        sources=tuple(src(20 + i) for i in range(2)),
        reviewed="2024-09-12",
    )


def outcome_match(t: str) -> MatchResult:
    return MatchResult(t, Verdict.MATCH, Framing.FACT, (Match("hostile-claim", 0.97, Verdict.MATCH, t),))


# One builder per kind of reply the bot sends; each takes the hostile text wherever a user or curator
# could have put it.
def card(t: str) -> list[tuple[str, bool]]:
    reply = wording.reply(outcome_match(t), {"hostile-claim": hostile_claim(t)})
    return texts_of(formatting.reply_embeds(reply, checked=t))


def card_without_match(t: str) -> list[tuple[str, bool]]:
    return texts_of(formatting.card_embeds(wording.card(hostile_claim(t))))


def candidates(t: str) -> list[tuple[str, bool]]:
    claims = {f"c-{i}": dataclasses.replace(hostile_claim(t), id=f"c-{i}") for i in range(3)}
    matches = tuple(Match(f"c-{i}", 0.6, Verdict.POSSIBLE, t) for i in range(3))
    reply = wording.reply(MatchResult(t, Verdict.POSSIBLE, Framing.QUESTION, matches), claims)
    return texts_of(formatting.reply_embeds(reply, checked=t))


def sources(t: str) -> list[tuple[str, bool]]:
    return texts_of(formatting.sources_embeds(hostile_claim(t)))


def history(t: str) -> list[tuple[str, bool]]:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    entries = [
        AuditEntry(1, "hostile-claim", t, "discord:123456789012345678", at, None, None, t),
        AuditEntry(2, "hostile-claim", "edit", t, at, None, None, t),
    ]
    return texts_of([formatting.history_embed("hostile-claim", entries)])


def reports(t: str) -> list[tuple[str, bool]]:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    queue = [Report(i, 1, 123456789012345678, t, "hostile-claim", t, at) for i in range(1, 4)]
    return texts_of([formatting.reports_embed(queue, total=9)])


def search(t: str) -> list[tuple[str, bool]]:
    return texts_of([formatting.search_embed(t, [hostile_claim(t)])])


def message_contents(t: str) -> list[tuple[str, bool]]:
    """Plain message content: watch-mode replies, retractions, error replies echoing input."""
    claim = hostile_claim(t)
    said = [
        formatting.watch_text(claim),
        formatting.retracted_text(claim.id, t),
        formatting.retracted_text(claim.id, t, just_now=True),
        formatting.claim_line(claim),
    ]
    for error in (ClaimNotFound(t), InvalidInput(t), errors.UserFacingError(t)):
        said.append(errors.user_message(error) or "")
    return [(s, True) for s in said] + [(formatting.choice_name(t), False)]


CARDS = (card, card_without_match, candidates)
BUILDERS = [*CARDS, sources, history, reports, search, message_contents]


def test_the_issue_example_renders_as_plain_text_in_the_reports_list() -> None:
    comment = "[docs](https://example.org) **URGENT** [Re-verify your moderator account](https://evil.example/login)"
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    embed = formatting.reports_embed([Report(1, 1, 2, "missiles", None, comment, at)], total=1)
    value = embed.fields[0].value or ""
    assert not live_markup(value.split("\n")[-1])
    assert rendered(value).endswith(
        "Comment: [docs](https://example.org) **URGENT** [Re-verify your moderator account]"
        "(https://evil.example/login)"
    )


def test_every_builder_is_compared_against_its_harmless_twin() -> None:
    # The comparison is only worth something if the harmless reply has the template's own markup.
    assert live(reports(BENIGN))["quote"] == 3
    assert live(card(BENIGN))["masked link"] >= 1
    # And it catches what the old escaping let through (discord.py's escape_markdown).
    old = discord.utils.escape_markdown("[a](https://a.example) [b](https://b.example) </cmd:1> <#1>")
    assert live_markup(old) == Counter({"masked link": 1, "autolink": 2, "angle mention": 2})


def test_a_thousand_hostile_strings_through_every_builder() -> None:
    hostile = hostile_strings(1000, seed=9)
    for build in BUILDERS:
        # A card quotes the text in some 30 places: fewer strings, as many quotations.
        assert_no_more_live_markup(build, hostile[:200] if build in CARDS else hostile)


ALPHABET = st.sampled_from(SINGLES + PIECES)


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(st.lists(ALPHABET, max_size=16).map("".join))
def test_escaped_text_shows_exactly_what_was_written_and_nothing_is_live(text: str) -> None:
    escaped = text_safety.escape_markdown(text)
    assert not live_markup(escaped)
    assert rendered(escaped).replace("@\u200b", "@") == text_safety.clean(text)
    assert not invisible(text_safety.clean(text))
    defused = text_safety.defuse_mentions(text)
    assert not live_markup(defused, markdown=False)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.text(max_size=40))
def test_any_unicode_text_escapes_to_inert_text(text: str) -> None:
    escaped = text_safety.escape_markdown(text)
    assert not live_markup(escaped)
    assert rendered(escaped).replace("@\u200b", "@") == text_safety.clean(text)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(ALPHABET, min_size=1, max_size=40).map("".join), st.integers(20, 400))
def test_cutting_escaped_text_anywhere_leaves_nothing_live(text: str, limit: int) -> None:
    escaped = formatting.escape(text * 4)
    assert not live_markup(formatting.clip(escaped, limit))
