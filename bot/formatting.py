"""Replies as Discord sees them: ``claims_db.wording`` cards -> ``discord.Embed``, pure functions.

``claims_db.wording`` says what a card means, as typed parts; this module lays them out for Discord:
colours, field names, links and Discord's limits live here only. Text is escaped with
``claims_db.text_safety`` (every markdown construct, link and mention made inert, invisible
characters dropped) and measured after escaping, which can lengthen it. When a card does not fit,
sources go first, then the summary, then the quotes of assertions; a denial is never cut, because
the parts say which are denials: denials too many for one card are given in brief (as many whole
as fit, then who else denies it and how many statements the Sources button adds), and continue in
further embeds only when even that does not fit.

Two parts of an embed do not render markdown or mentions: the author line and the footer. They are
left unescaped for markdown (a backslash would show) but still lose their mention syntax.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from claims_db import text_safety, wording
from claims_db.models import Source, Status
from claims_db.wording import PartKind

if TYPE_CHECKING:
    from bot.factcheck import Elsewhere
    from claims_db.language import CrossLanguage
    from claims_db.models import AuditEntry, Claim, Report, SourceCheck
    from claims_db.service import Via
    from claims_db.wording import Card, Part, Reply

__all__ = [
    "CHECKED_PREFIX",
    "across_text",
    "asked_here",
    "batches",
    "candidates_embed",
    "card_embeds",
    "checked_text",
    "dead_sources_embed",
    "escape",
    "history_embed",
    "plain",
    "reply_embeds",
    "reports_embed",
    "source_link",
    "sources_embeds",
    "update_line",
]

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELD_COUNT_LIMIT = 25
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000  # across all embeds of one message
EMBEDS_PER_MESSAGE = 10
CONTENT_LIMIT = 2000

# The author line of a reply quotes what was checked; "Wrong match?" reads it back from there, so a
# report carries the checked text even after a restart (nothing is kept in memory).
CHECKED_PREFIX = "Checked: "
NEUTRAL_COLOUR = 0x5865F2
EXTERNAL_COLOUR = 0x95A5A6  # external results: grey, unlike any status colour
_ELLIPSIS = "…"
_MENTION_ESCAPE = re.compile("@\u200b(everyone|here|[!&]?[0-9]{17,20})")


def escape(text: str) -> str:
    """User or curator text made inert: markdown, links and mentions show literally."""
    return text_safety.escape_markdown(text)


def plain(text: str) -> str:
    """Text for parts that render neither markdown nor mentions (author, footer, option labels)."""
    return text_safety.defuse_mentions(text)


def one_line(text: str) -> str:
    """Quoted text on one line, so it cannot start lines that pass for the bot's own."""
    return " ".join(text.split())


def clip(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    # Never leave a dangling escape backslash at the cut.
    while cut.endswith("\\"):
        cut = cut[:-1]
    return cut.rstrip() + _ELLIPSIS


def checked_text(embeds: Sequence[discord.Embed]) -> str | None:
    """The checked text quoted in a reply's author line, or None."""
    for embed in embeds:
        name = embed.author.name if embed.author else None
        if name and name.startswith(CHECKED_PREFIX):
            return _MENTION_ESCAPE.sub(r"@\1", name[len(CHECKED_PREFIX) :])
    return None


def source_link(source: Source) -> str:
    """``[outlet — title](url) (date)``; without a safe URL the label alone, escaped."""
    label = " — ".join(x for x in (source.outlet, source.title) if x) or source.url or "source"
    # A bracket inside a masked link's label ends it early, escaped or not: use parentheses.
    label = escape(one_line(label).replace("[", "(").replace("]", ")"))
    url = source.url or ""
    if re.match(r"^https?://", url, re.I):
        url = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace(">", "%3E")
        text = f"[{label}]({url})"
    else:
        text = label
    return f"{text} ({source.date})" if source.date else text


@dataclass
class _Field:
    name: str
    value: str
    inline: bool
    kind: str  # denial, other


def _split(text: str, limit: int) -> list[str]:
    """Split on lines, then words, into chunks of at most ``limit``; nothing is dropped."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            if cut <= limit // 2:
                cut = limit
            while line[:cut].endswith("\\") and cut > 1:  # keep an escape with what it escapes
                cut -= 1
            head, line = line[:cut], line[cut:].lstrip(" ")
            if current:
                chunks.append(current)
                current = ""
            chunks.append(head)
        joined = f"{current}\n{line}" if current else line
        if len(joined) <= limit:
            current = joined
        else:
            chunks.append(current)
            current = line
    if current:
        chunks.append(current)
    return [c for c in chunks if c.strip()] or [text[:limit]]


def _sources_value(links: Sequence[str], budget: int) -> str | None:
    """As many source links as fit in ``budget``, then how many more the Sources button shows."""
    limit = min(FIELD_VALUE_LIMIT, budget)
    shown: list[str] = []
    for i, link in enumerate(links):
        rest = len(links) - i - 1
        more = f"\n… {rest} more: press Sources" if rest else ""
        candidate = "\n".join([*shown, link])
        if len(candidate) + len(more) > limit:
            break
        shown.append(link)
    hidden = len(links) - len(shown)
    if not shown:
        text = f"{len(links)} source{'s' if len(links) != 1 else ''}: press Sources"
        return text if len(text) <= limit else None
    if hidden:
        shown.append(f"… {hidden} more: press Sources")
    return "\n".join(shown)


STATUS_COLOURS: dict[Status, int] = {
    Status.ALLEGED: 0xE6A23C,  # amber
    Status.DISPUTED: 0x9B59B6,  # purple
    Status.CONFIRMED: 0x2E8B57,  # green
    Status.FALSE: 0xC0392B,  # red
    Status.MISLEADING: 0xE67E22,  # orange
    Status.UNVERIFIED: 0x7F8C8D,  # grey
}

# Ways to make a card fit, least harm first: (show the summary, characters of an assertion's quote,
# characters of the Sources field). Denials are never among the things shortened.
_LEVELS: tuple[tuple[bool, int | None, int], ...] = (
    (True, None, FIELD_VALUE_LIMIT),
    (True, 300, FIELD_VALUE_LIMIT),
    (True, 300, 400),
    (False, 150, 400),
    (False, 80, 0),
    (False, 0, 0),
)
# Denials given in brief take at most this much of a card, so that one card stays one message.
BRIEF_DENIALS = 2000
_PARAGRAPHS = (PartKind.BYLINE, PartKind.LEAD, PartKind.FRAMING, PartKind.SUMMARY)


def _whole_lines(lines: Sequence[str], limit: int, *, more: str) -> str:
    """Whole lines up to ``limit`` characters, then how many were left out."""
    kept: list[str] = []
    for i, line in enumerate(lines):
        rest = len(lines) - i
        tail = f"\n…and {rest} more {more}"
        if len("\n".join([*kept, line])) + (len(tail) if rest > 1 else 0) > limit:
            if kept:
                return "\n".join(kept) + tail
            # one line longer than the field: the line, shortened (only assertions come here)
            more_tail = f"\n…and {rest - 1} more {more}" if rest > 1 else ""
            return clip(line, limit - len(more_tail)) + more_tail
        kept.append(line)
    return "\n".join(kept)


def _denied_by(lines: Sequence[str]) -> list[_Field]:
    chunks = _split("\n".join(lines), FIELD_VALUE_LIMIT)
    return [
        _Field("Denied by" if i == 0 else "Denied by (continued)", chunk, False, "denial")
        for i, chunk in enumerate(chunks)
    ]


def _size(fields: Sequence[_Field]) -> int:
    return sum(len(f.name) + len(f.value) for f in fields)


def _layout(
    card: Card,
    *,
    head: int,
    summary: bool,
    quote_limit: int | None,
    source_chars: int,
    every_denial: bool,
) -> tuple[str, list[_Field]]:
    """The description and fields of one card at one level of trimming (``head``: the characters of
    title, footer and author line)."""
    kinds = _PARAGRAPHS if summary else _PARAGRAPHS[:-1]
    description = clip("\n\n".join(escape(p.text) for p in card.of(*kinds)), DESCRIPTION_LIMIT)
    fields: list[_Field] = []
    for p in card.of(PartKind.STATUS):
        fields.append(_Field("Status", clip(escape(p.text), FIELD_VALUE_LIMIT), False, "other"))
    asserted = [escape(p.line(quote_limit=quote_limit)) for p in card.of(PartKind.ATTRIBUTION)]
    if asserted:
        value = _whole_lines(asserted, FIELD_VALUE_LIMIT, more="(press Sources)")
        fields.append(_Field("Asserted by", value, False, "other"))
    after: list[_Field] = []
    sources = card.of(PartKind.SOURCE)
    if sources:
        links = [_source_line(p) for p in sources]
        shown = _sources_value(links, source_chars) if source_chars else None
        if shown is None:
            shown = f"{wording.counted(len(links), 'source')}: press Sources"
        after.append(_Field("Sources", shown, False, "other"))
    for p in card.of(PartKind.REVIEWED):
        after.append(_Field("Reviewed", escape(p.text), True, "other"))
    denials = card.of(PartKind.DENIAL)
    if not denials:
        no_denial = [escape(p.text) for p in card.of(PartKind.NO_DENIAL)]
        denied = [_Field("Denied by", no_denial[0], False, "denial")] if no_denial else []
    elif every_denial:
        denied = _denied_by([escape(p.line()) for p in denials])
    else:
        budget = min(
            BRIEF_DENIALS, EMBED_TOTAL_LIMIT - head - len(description) - _size(fields) - _size(after)
        )
        room = FIELD_COUNT_LIMIT - len(fields) - len(after)
        denied = _denied_by([escape(wording.denials_left(denials))])
        for count in range(1, len(denials)):
            lines = [escape(p.line()) for p in denials[:count]]
            lines.append(escape(wording.denials_left(denials[count:])))
            candidate = _denied_by(lines)
            if len(candidate) > room or _size(candidate) > budget:
                break
            denied = candidate
    return description, [*fields, *denied, *after]


def _source_line(part: Part) -> str:
    link = source_link(part.source) if part.source is not None else escape(part.text)
    return link + (f", unavailable since {escape(part.unavailable_since)}" if part.unavailable_since else "")


def card_embeds(card: Card, *, checked: str | None = None) -> list[discord.Embed]:
    """One card as embeds: one, trimmed by the least harmful means that fits; more only when its
    denials cannot fit in one even in brief.

    Parameters
    ----------
    card
        The card from ``claims_db.wording``.
    checked
        The text that was checked, quoted in the author line (what "Wrong match?" reports).
    """
    colour = STATUS_COLOURS[card.status]
    title = clip(escape(card.title), TITLE_LIMIT)
    footer = clip(plain(card.text_of(PartKind.MATCH)), FOOTER_LIMIT)
    author = clip(CHECKED_PREFIX + plain(checked), AUTHOR_LIMIT) if checked else ""
    head = len(title) + len(footer) + len(author)
    description, fields = "", list[_Field]()
    for every_denial in (True, False):
        for summary, quote_limit, source_chars in _LEVELS:
            description, fields = _layout(
                card,
                head=head,
                summary=summary,
                quote_limit=quote_limit,
                source_chars=source_chars,
                every_denial=every_denial,
            )
            if (
                len(fields) <= FIELD_COUNT_LIMIT
                and head + len(description) + _size(fields) <= EMBED_TOTAL_LIMIT
            ):
                return [_embed(title, description, fields, colour, author, footer)]
    # Even in brief the denials do not fit beside the rest: they continue in further embeds.
    overflow: list[_Field] = []
    while sum(f.kind == "denial" for f in fields) > 1 and (
        len(fields) > FIELD_COUNT_LIMIT
        or head + min(len(description), 200) + _size(fields) > EMBED_TOTAL_LIMIT
    ):
        last = max(i for i, f in enumerate(fields) if f.kind == "denial")
        overflow.insert(0, fields.pop(last))
    for f in fields:
        if head + min(len(description), 200) + _size(fields) <= EMBED_TOTAL_LIMIT:
            break
        if f.kind == "other":
            f.value = clip(f.value, 64)
    description = clip(description, max(0, min(DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - head - _size(fields))))
    embeds = [_embed(title, description, fields, colour, author, footer)]
    while overflow:
        more = discord.Embed(colour=colour)
        while overflow and len(more.fields) < FIELD_COUNT_LIMIT:
            f = overflow[0]
            if len(more) + len(f.name) + len(f.value) > EMBED_TOTAL_LIMIT:
                break
            more.add_field(name=f.name, value=f.value, inline=False)
            overflow.pop(0)
        embeds.append(more)
    return embeds


def _embed(
    title: str, description: str, fields: Sequence[_Field], colour: int, author: str, footer: str
) -> discord.Embed:
    embed = discord.Embed(title=title or None, description=description or None, colour=colour)
    if author:
        embed.set_author(name=author)
    for f in fields:
        if f.value:
            embed.add_field(name=f.name, value=f.value, inline=f.inline)
    if footer:
        embed.set_footer(text=footer)
    return embed


def candidates_embed(reply: Reply, *, checked: str | None = None) -> discord.Embed:
    """ "Did you mean…": up to three candidate claims, each with its status, score and why."""
    lines: list[str] = []
    why: list[str] = []
    for i, card in enumerate(reply.cards[:3], 1):
        lines.append(f"**{i}.** {escape(card.title)} — *{escape(card.status_label)}*")
        score = f"{card.score:.2f}" if card.score is not None else "?"
        why.append(f"#{i} {score} · {card.why or ''}".rstrip(" ·"))
    title = reply.headline or "Did you mean…"
    embed = discord.Embed(title=clip(escape(title), TITLE_LIMIT), colour=NEUTRAL_COLOUR)
    body = "\n".join(lines)
    if reply.framing_note:
        body += "\n\n" + escape(reply.framing_note)
    embed.description = clip(body, DESCRIPTION_LIMIT)
    if checked:
        embed.set_author(name=clip(CHECKED_PREFIX + plain(checked), AUTHOR_LIMIT))
    embed.set_footer(text=clip(plain(" | ".join(why)), FOOTER_LIMIT))
    return embed


def reply_embeds(reply: Reply, *, checked: str | None = None) -> list[discord.Embed]:
    """The embeds for a ``/check`` reply: the card on a match, candidates on possible, none on none."""
    if reply.verdict == "match" and reply.cards:
        return card_embeds(reply.cards[0], checked=checked)
    if reply.verdict == "possible" and reply.cards:
        return [candidates_embed(reply, checked=checked)]
    return []


def none_text(reply: Reply) -> str:
    """The plain answer when nothing matched: what the store holds, and nothing more."""
    return clip(escape(reply.text or reply.headline or "No curated claim matches this."), CONTENT_LIMIT)


def sources_embeds(claim: Claim) -> list[discord.Embed]:
    """What the Sources button shows: every denial word for word, then every source as a link.

    As many embeds as it takes, each within Discord's limits; ``batches`` groups them into messages.
    """
    claim = wording.cleaned(claim)
    embeds: list[discord.Embed] = []
    if claim.denials:
        lines = [f"• {escape(wording.denial_line(d, quote_limit=QUOTE_LIMIT))}" for d in claim.denials]
        embeds += _listed("Denied by", lines)
    links = [f"• {source_link(s)}" for s in wording.all_sources(claim)]
    if links:
        embeds += _listed("Sources", links)
    else:
        embeds.append(discord.Embed(title="Sources", description="No sources recorded for this claim."))
    embeds[-1].set_footer(text=f"Claim {claim.id}")
    return embeds


# A quote is at most 2,000 characters (the claim format's limit): the Sources button shows it whole.
QUOTE_LIMIT = 2000


def _listed(title: str, lines: Sequence[str]) -> list[discord.Embed]:
    chunks = _split("\n".join(lines), DESCRIPTION_LIMIT)
    return [
        discord.Embed(title=title if i == 0 else None, description=chunk, colour=NEUTRAL_COLOUR)
        for i, chunk in enumerate(chunks)
    ]


def batches(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds grouped into messages: at most 10 and 6000 characters per message."""
    groups: list[list[discord.Embed]] = []
    size = 0
    for embed in embeds:
        if not groups or len(groups[-1]) == EMBEDS_PER_MESSAGE or size + len(embed) > EMBED_TOTAL_LIMIT:
            groups.append([])
            size = 0
        groups[-1].append(embed)
        size += len(embed)
    return groups


def _actor(actor: str) -> str:
    kind, _, ident = actor.partition(":")
    if kind == "discord" and ident.isdigit():
        return f"<@{ident}>"  # renders as the member's name; embeds never ping
    return escape(actor)


def history_embed(claim_id: str, entries: Sequence[AuditEntry]) -> discord.Embed:
    """The audit log of one claim, newest first."""
    lines = []
    for e in sorted(entries, key=lambda e: e.seq, reverse=True):
        note = f" — {escape(e.note)}" if e.note else ""
        when = discord.utils.format_dt(e.at, "f")
        lines.append(f"`#{e.seq}` {when} **{escape(e.action)}** by {_actor(e.actor)}{note}")
    embed = discord.Embed(title=clip(f"History of {claim_id}", TITLE_LIMIT), colour=NEUTRAL_COLOUR)
    text = "\n".join(lines) or "No changes recorded."
    chunks = _split(text, DESCRIPTION_LIMIT)
    embed.description = chunks[0]
    if len(chunks) > 1:
        embed.set_footer(text=f"Showing the newest entries; {len(entries)} in all.")
    return embed


def reports_embed(reports: Sequence[Report], *, total: int) -> discord.Embed:
    """The review queue: what was checked, what the bot matched, what the reporter said."""
    embed = discord.Embed(title="Wrong-match reports", colour=NEUTRAL_COLOUR)
    if not reports:
        embed.description = "The review queue is empty."
        return embed
    for r in reports:
        matched = f"`{r.claim_id}`" if r.claim_id else "nothing"
        quoted = escape(clip(one_line(r.message_text), 400))
        value = f"> {quoted}\nMatched: {matched} · by <@{r.reporter_id}>"
        if r.comment:
            value += f"\nComment: {escape(clip(one_line(r.comment), 300))}"
        embed.add_field(name=f"Report #{r.id}", value=clip(value, FIELD_VALUE_LIMIT), inline=False)
    if total > len(reports):
        embed.set_footer(text=f"Showing {len(reports)} of {total} open reports; resolve these to see more.")
    return embed


def claim_line(claim: Claim) -> str:
    """One line for lists: ``id`` — the heading (who says so, then the claim) (status)."""
    heading = wording.heading(wording.cleaned(claim))
    return f"`{claim.id}` — {escape(clip(heading, 240))} ({claim.status})"


def search_embed(query: str, claims: Sequence[Claim]) -> discord.Embed:
    """``/claim search``: the query, quoted, and one line per claim found."""
    embed = discord.Embed(
        title=clip(f"Claims matching “{escape(one_line(query))}”", TITLE_LIMIT), colour=NEUTRAL_COLOUR
    )
    lines = [claim_line(c) for c in claims]
    embed.description = clip("\n".join(lines), DESCRIPTION_LIMIT) if lines else "No claim matches that."
    embed.set_footer(text="Use /claim show id to see one in full.")
    return embed


def watch_text(claim: Claim, *, via: Via | None = None) -> str:
    """A watch-mode reply: the heading and byline, escaped; first, when a linked page matched, which."""
    text = escape(wording.short_line(claim))
    return clip(f"{linked_text(via)}\n{text}" if via else text, CONTENT_LIMIT)


def across_text(across: CrossLanguage) -> str:
    """One line under a check's answer: "(matched across languages: Russian → English)"."""
    return f"({across.note})"


def linked_text(via: Via) -> str:
    """Says which linked page's title or description matched, escaped (the page wrote it)."""
    return clip(escape(wording.linked_note(via.url, via.what, via.text)), CONTENT_LIMIT)


def retracted_text(claim_id: str, reason: str | None, *, just_now: bool = False) -> str:
    """Says that a claim was retracted, quoting the curators' reason."""
    quoted = escape(one_line(reason or "no reason given"))
    if just_now:
        return clip(f"Retracted `{claim_id}`: it no longer matches. Reason: {quoted}", CONTENT_LIMIT)
    return clip(f"This claim was retracted by curators: {quoted}", CONTENT_LIMIT)


def error_text(message: str) -> str:
    """An error message for a reply; it may echo what the user typed, so it is escaped."""
    return clip(escape(message), CONTENT_LIMIT)


def choice_name(text: str, limit: int = 100) -> str:
    """Text for an autocomplete choice or a select option: one line, no mentions, within ``limit``."""
    return clip(plain(one_line(text)), limit)


def dead_sources_embed(checks: Sequence[SourceCheck]) -> discord.Embed:
    """The sources whose last link check failed, oldest failure first, for ``/curate sources``."""
    embed = discord.Embed(title="Unavailable sources", colour=NEUTRAL_COLOUR)
    if not checks:
        embed.description = (
            "No link check has run yet (the bot checks daily; `claimbot sources check --all`)."
        )
        return embed
    dead = sorted((c for c in checks if not c.reachable), key=lambda c: (c.failing_since or c.checked, c.url))
    if not dead:
        embed.description = f"All {len(checks)} checked sources answered at their last check."
    else:
        lines = []
        for c in dead:
            since = f" since {discord.utils.format_dt(c.failing_since, 'd')}" if c.failing_since else ""
            lines.append(f"• `{c.claim_id}` <{c.url}>: {escape(c.error or 'no answer')}{since}")
        chunks = _split("\n".join(lines), DESCRIPTION_LIMIT)
        embed.description = chunks[0]
    last = max(c.checked for c in checks)
    embed.set_footer(
        text=f"{len(dead)} of {len(checks)} sources unavailable · last checked {last:%Y-%m-%d %H:%M} UTC"
    )
    return embed


def external_embed(found: Elsewhere, *, checked: str) -> discord.Embed:
    """Published fact-checks elsewhere, clearly not the curated store: for each, the publisher, its
    rating, the date and a link, and the claim it reviewed with who made it."""
    embed = discord.Embed(
        title="Published fact-checks elsewhere (external, not curated here)", colour=EXTERNAL_COLOUR
    )
    embed.set_author(name=clip(CHECKED_PREFIX + plain(checked), AUTHOR_LIMIT))
    for i, r in enumerate(found.reviews[:3], 1):
        name = clip(
            f"{i}. {plain(one_line(r.publisher))} rates it “{plain(one_line(r.rating))}”", FIELD_NAME_LIMIT
        )
        who = f" — {escape(one_line(r.claimant))}" if r.claimant else ""
        when = f" ({r.claim_date})" if r.claim_date else ""
        link = source_link(Source(outlet=r.publisher, title=r.title, url=r.url, date=r.review_date))
        value = f"Claim: “{escape(clip(one_line(r.claim_text), 400))}”{who}{when}\nReview: {link}"
        embed.add_field(name=name, value=clip(value, FIELD_VALUE_LIMIT), inline=False)
    embed.set_footer(
        text="Found by Google Fact Check Tools. claimbot's curators have not reviewed these; "
        "a curator can import one as an unverified draft."
    )
    return embed


def imported_text(claim: Claim) -> str:
    """What a curator reads after importing a published fact-check."""
    actor = escape(one_line(claim.attributions[0].actor))
    return clip(
        f"Imported `{claim.id}` as an unverified draft attributed to {actor}; "
        f"review it with `/curate edit id:{claim.id}` before relying on it.",
        CONTENT_LIMIT,
    )


def asked_here(count: int) -> str | None:
    """The line a card carries once a claim came up more than once in a server."""
    return f"Asked here {count} times." if count > 1 else None


def update_line(when: dt.date, changes: Sequence[str]) -> str:
    """ "Updated 2026-12-01: status changed from alleged to confirmed": above an edited card, and
    the note in a watch-mode thread. The changes name parties from the claim, so they are escaped."""
    said = "; ".join(changes) or "the claim was revised"
    return clip(f"Updated {when.isoformat()}: {escape(one_line(said))}", CONTENT_LIMIT)
