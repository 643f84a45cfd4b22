"""Reply wording: attribution first, every denial, the status in plain words. Plain text, no Discord.

Wording says what a card means; it does not lay it out. A ``Card`` is a sequence of typed ``Part``s
(heading, byline, lead, framing note, summary, status, attributions, denials, sources, review date,
match), each whole and with its ``kind``. ``bot.formatting`` renders them for Discord: its limits,
colours and trimming live there, and it can never cut a denial because it knows which parts are
denials. ``card_text`` renders the same parts for a terminal, whole.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any, TypeVar

from claims_db.matching.analyze import analyze
from claims_db.matching.lexicon import lexicon
from claims_db.matching.normalize import normalize
from claims_db.models import Attribution, Claim, Denial, Framing, Match, MatchResult, Source, Status, Verdict
from claims_db.text_safety import clean

__all__ = [
    "Card",
    "Part",
    "PartKind",
    "Reply",
    "byline",
    "card",
    "card_text",
    "cleaned",
    "counted",
    "denials_left",
    "framing_note",
    "heading",
    "lead_sentence",
    "linked_note",
    "parties",
    "reply",
    "short_line",
    "status_label",
]

STATUS_WORDS: dict[Status, str] = {
    Status.ALLEGED: "Alleged: asserted by a party, not independently established",
    Status.DISPUTED: "Disputed: the parties involved assert opposite things",
    Status.CONFIRMED: "Confirmed: established by evidence or acknowledged by the accused party",
    Status.FALSE: "False: shown to be wrong",
    Status.MISLEADING: "Misleading: true in part, but wrong as usually stated",
    Status.UNVERIFIED: "Unverified: not enough evidence either way",
}

_NOT_FACT = {
    Status.ALLEGED: "This is an allegation, not an established fact.",
    Status.DISPUTED: "This is disputed, not an established fact.",
    Status.UNVERIFIED: "This is unverified, not an established fact.",
    Status.FALSE: "The claim store rates this claim false.",
    Status.MISLEADING: "The claim store rates this claim misleading as usually stated.",
}

T = TypeVar("T")


def _load_grammar() -> dict[str, Any]:
    raw = resources.files("claims_db").joinpath("data/wording.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def _load_common() -> frozenset[str]:
    raw = resources.files("claims_db").joinpath("data/common_words.txt").read_text(encoding="utf-8")
    return frozenset(w for w in raw.split() if not w.startswith("#"))


_GRAMMAR = _load_grammar()
_THE = tuple(str(p) for p in _GRAMMAR["the_prefixes"])
_HEADS = frozenset(str(w) for w in _GRAMMAR["institution_heads"])
_PLURAL_NOUNS = frozenset(str(w) for w in _GRAMMAR["plural_nouns"])
_PLURAL_VERBS = {str(k): str(v) for k, v in _GRAMMAR["plural_verbs"].items()}
_ACKNOWLEDGING = frozenset(str(w) for w in _GRAMMAR["acknowledging_verbs"])
_OPENERS = frozenset(str(w) for w in _GRAMMAR["sentence_openers"])
_COMMON = _load_common()
_WORD = re.compile(r"[A-Za-z][\w'\u2019-]*")
_PAREN = re.compile(r"\s*\([^)]*\)")
_LINKS = re.compile(r" (?:of|on|for|in|at) ", re.I)

STATUS_CHIPS: dict[Status, str] = {s: STATUS_WORDS[s].split(":", 1)[0] for s in Status}


class PartKind(StrEnum):
    """What a part of a card is; renderers choose layout and limits by kind, never by wording."""

    HEADING = "heading"  # who says so, then the claim (the claim alone only when confirmed)
    BYLINE = "byline"  # the status chip and who stands where
    LEAD = "lead"  # the attribution-first sentence
    FRAMING = "framing"  # how the checked message put it
    SUMMARY = "summary"  # the curators' context
    STATUS = "status"  # the status in plain words
    ATTRIBUTION = "attribution"  # one party asserting it
    DENIAL = "denial"  # one party denying it
    NO_DENIAL = "no-denial"  # says that no denial is on record
    SOURCE = "source"  # one source
    REVIEWED = "reviewed"  # the date a curator last checked the entry
    MATCH = "match"  # how the message matched: score and why


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of a card, whole.

    ``text`` is the piece without its quote; an attribution or a denial carries its ``quote`` and
    ``cite`` (where it was said) apart, so a renderer may shorten the quote of an assertion. A
    source carries the ``source`` itself (for a link) and ``unavailable_since`` when its link failed.
    """

    kind: PartKind
    text: str
    actor: str | None = None  # an attribution's or a denial's party, as a sentence names it
    quote: str | None = None
    cite: str | None = None
    source: Source | None = None
    unavailable_since: str | None = None

    def line(self, *, quote_limit: int | None = None) -> str:
        """The part as one line of plain text, its quote cut to ``quote_limit`` if given."""
        if self.kind is PartKind.SOURCE:
            url = self.source.url if self.source else None
            return self.text + (f" <{url}>" if url else "")
        quote = _quote(self.quote, quote_limit)
        return f"{self.text}{quote}{f' [{self.cite}]' if self.cite else ''}"


@dataclass(frozen=True, slots=True)
class Card:
    """One claim ready to show: its parts in reading order, and how a message matched it."""

    claim_id: str
    status: Status
    parts: tuple[Part, ...]
    verdict: Verdict | None = None
    score: float | None = None
    why: str | None = None

    def of(self, *kinds: PartKind) -> tuple[Part, ...]:
        """The parts of these kinds, in order."""
        return tuple(p for p in self.parts if p.kind in kinds)

    def text_of(self, kind: PartKind) -> str:
        """The text of the first part of ``kind``, or "" when the card has none."""
        return next((p.text for p in self.parts if p.kind is kind), "")

    @property
    def title(self) -> str:
        return self.text_of(PartKind.HEADING)

    @property
    def status_label(self) -> str:
        return self.text_of(PartKind.STATUS)

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(p.source for p in self.of(PartKind.SOURCE) if p.source is not None)


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot says about one message."""

    verdict: Verdict
    framing: Framing
    headline: str
    text: str
    cards: tuple[Card, ...]
    framing_note: str | None = None


def cleaned(value: T) -> T:
    """``value`` (a claim or one of its parts) with every text run through ``text_safety.clean``.

    Curators' and users' words reach readers only through this: no bidi override, zero-width or
    control character survives into a reply, on Discord or a terminal.
    """
    if type(value) is str:  # not a StrEnum such as Status
        return clean(value)  # type: ignore[arg-type,return-value]
    if isinstance(value, tuple):
        return tuple(cleaned(v) for v in value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            before = getattr(value, f.name)
            after = cleaned(before)
            if after is not before and after != before:
                changes[f.name] = after
        return dataclasses.replace(value, **changes) if changes else value
    return value


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """ "1 claim", "2 claims", "0 sources": a count with its noun agreeing."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def status_label(status: Status) -> str:
    """The status in plain words, e.g. ``"Alleged: asserted by a party, not independently established"``."""
    return STATUS_WORDS[status]


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return any(c.isdigit() for c in word) or sum(c.isupper() for c in letters) > 1


def _is_name(word: str, following: str = "", *, seen_lower: frozenset[str] = frozenset()) -> bool:
    """Whether a capitalised word that opens a text is a name (kept capitalised mid-sentence).

    Acronyms, names the gazetteer knows (Iran, British, Wagner) and the first word of a run of
    capitalised words (North Korea, Malaysia Airlines) are names; sentence openers ("The", "In")
    and ordinary words (those usually written in lower case, or written so elsewhere in the same
    claim) are not. An unknown word stays a name: a wrong capital is better than a lost one.
    """
    if not word[:1].isupper():
        return False
    if _is_acronym(word):
        return True
    low = word.lower()
    if low in _OPENERS:
        return False
    stem = re.sub(r"['\u2019]s$", "", low)
    pair = f"{low} {re.sub(r'[^a-z-]', '', following.lower())}"
    if any(lexicon().resolve(t) is not None or lexicon().candidates(t) for t in (stem, pair)):
        return True
    capitalised_next = following[:1].isupper()
    # a gerund opens a clause ("Allowing Ukraine to ..."); an adjective before a capital opens a name
    if stem in _COMMON and (not capitalised_next or stem.endswith("ing")):
        return False
    return capitalised_next or stem not in seen_lower


def _lowered_words(texts: Iterable[str]) -> frozenset[str]:
    """Words written in lower case somewhere in ``texts``."""
    return frozenset(w for t in texts for w in _WORD.findall(t or "") if w[:1].islower())


def _first_word_inside(text: str, *, seen_lower: frozenset[str] = frozenset()) -> str:
    """``text`` as it reads inside a sentence: its first word lower-cased unless it is a name."""
    words = text.split(" ", 2)
    first = words[0]
    following = words[1] if len(words) > 1 else ""
    if not first[:1].isupper() or _is_name(first, following, seen_lower=seen_lower):
        return text
    return first[:1].lower() + text[1:]


def _takes_the(actor: str) -> bool:
    """Whether a body's name takes "the": the United States, the District Court of The Hague, the
    Associated Press, the Joint Investigation Team (JIT); not Amnesty International, not NATO."""
    lowered = actor.lower()
    if lowered.startswith(_THE):
        return True
    core = _PAREN.sub("", actor).strip()
    linked = _LINKS.search(core)
    words = (core[: linked.start()] if linked else core).split()
    if not words or not all(w[:1].isupper() or _is_acronym(w) for w in words):
        return False
    if len(words) == 1 and not linked:
        return False
    return words[-1].lower().strip(",.") in _HEADS


def _is_generic(actor: str) -> bool:
    """A description rather than a name: "News media", "Independent researchers and investigators"."""
    words = _PAREN.sub("", actor).split()
    if len(words) < 2 or not all(w[:1].islower() for w in words[1:]) or _is_acronym(words[0]):
        return False
    stem = re.sub(r"['\u2019]s$", "", words[0].lower())
    return lexicon().resolve(stem) is None and not lexicon().candidates(stem)


def actor_name(actor: str, *, start: bool = False) -> str:
    """An actor as a sentence names it: "United States" -> "the United States" ("The" at the start),
    "District Court of The Hague" -> "the District Court of The Hague", "News media" -> "news media"."""
    lowered = actor.lower()
    if lowered.startswith("the "):
        return ("The" if start else "the") + actor[3:]
    if _takes_the(actor):
        return ("The " if start else "the ") + actor
    if start:
        return actor[:1].upper() + actor[1:]
    if _is_generic(actor):
        return actor[:1].lower() + actor[1:]
    return actor


def is_plural(actor: str) -> bool:
    """Whether an actor takes a plural verb: "the UK, France and Germany", "Russian officials"."""
    words = _PAREN.sub("", actor).lower().split()
    return " and " in f" {actor.lower()} " or (bool(words) and words[-1] in _PLURAL_NOUNS)


def verb_for(actor: str, verb: str) -> str:
    """Agree a present-tense verb with its actor ("alleges" -> "allege" for plural actors)."""
    if not is_plural(actor):
        return verb
    first, _, rest = verb.partition(" ")
    plural = _PLURAL_VERBS.get(first.lower(), first)
    return f"{plural} {rest}" if rest else plural


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    if " and " in names[-1]:  # the last is a list itself: "the US, the UK, France and Germany"
        return ", ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _proposition(claim: Claim) -> str:
    """The statement as it reads after "that": "allowing Ukraine ...", "a Ukrainian team ...",
    "the United States ..."; names and acronyms keep their capitals."""
    text = claim.statement.strip().rstrip(".")
    seen = _lowered_words([*claim.paraphrases, claim.summary or "", *(claim.statement.split(" ", 1)[1:])])
    return _first_word_inside(text, seen_lower=seen)


def _actors(parts: Iterable[Attribution | Denial]) -> list[str]:
    seen: dict[str, None] = {}
    for p in parts:
        seen.setdefault(p.actor, None)
    return list(seen)


@dataclass(frozen=True, slots=True)
class Parties:
    """Who stands where on a claim, each actor once.

    ``asserting`` and ``denying`` never share an actor: a party on record both ways (Iran denied
    sending drones, then acknowledged some) is in ``both``, with its statements in date order.
    For a confirmed claim, ``confirming`` are the asserting parties that are not a party to the
    statement, then those that are and did not acknowledge it; ``acknowledging`` are the parties to
    the statement that acknowledged it.
    """

    asserting: tuple[str, ...]
    denying: tuple[str, ...]
    both: tuple[str, ...]
    confirming: tuple[str, ...]
    acknowledging: tuple[str, ...]


def _entity(actor: str) -> str | None:
    return lexicon().lookup(_PAREN.sub("", actor))


@functools.lru_cache(maxsize=4096)
def _statement_entities(statement: str) -> frozenset[str]:
    return frozenset(analyze(normalize(statement)).entities)


def parties(claim: Claim) -> Parties:
    """Who asserts, who denies, who is on record both ways, and who confirmed or acknowledged it."""
    asserting = _actors(claim.attributions)
    denying = _actors(claim.denials)
    both = [a for a in asserting if a in denying]
    asserting = [a for a in asserting if a not in both]
    denying = [d for d in denying if d not in both]
    named = _statement_entities(claim.statement)

    def interested(actor: str) -> bool:
        entity = _entity(actor)
        return (entity is not None and entity in named) or actor.lower() in claim.statement.lower()

    def acknowledged(actor: str) -> bool:
        return any(
            a.actor == actor and a.verb.split(" ")[0].lower() in _ACKNOWLEDGING for a in claim.attributions
        )

    acknowledging = [a for a in asserting if interested(a) and acknowledged(a)]
    outside = [a for a in asserting if not interested(a)]
    inside = [a for a in asserting if interested(a) and a not in acknowledging]
    return Parties(
        tuple(asserting), tuple(denying), tuple(both), tuple(outside + inside), tuple(acknowledging)
    )


def _past(verb: str) -> str:
    first, _, rest = verb.partition(" ")
    low = first.lower()
    if low.endswith("ed") or low in ("said", "found", "held"):
        past = first
    elif low == "says":
        past = "said"
    elif low.endswith(("sses", "shes", "ches", "xes")):
        past = first[:-2] + "ed"
    elif low.endswith("ies"):
        past = first[:-3] + "ied"
    elif low.endswith("es") and low[:-1].endswith("e"):
        past = first[:-1] + "d"
    elif low.endswith("s"):
        past = first[:-1] + "ed"
    else:
        past = first
    return f"{past} {rest}" if rest else past


def _on_both_sides(claim: Claim, actor: str, *, start: bool = False) -> str:
    """ "Iran denied it (2022-10), then acknowledged it (2022-11-05)"; undated: "Iran has both
    asserted and denied it"."""
    said: list[tuple[str, str]] = [
        (a.date or "", f"{_past(a.verb)} it") for a in claim.attributions if a.actor == actor
    ]
    said += [(d.date or "", "denied it") for d in claim.denials if d.actor == actor]
    name = actor_name(actor, start=start)
    if not all(date for date, _ in said):
        return f"{name} {'have' if is_plural(actor) else 'has'} both asserted and denied it"
    said.sort(key=lambda s: s[0])
    steps = [f"{words} ({date})" for date, words in said]
    return f"{name} " + ", then ".join(steps)


def lead_sentence(claim: Claim) -> str:
    """Attribution first: "The United States alleges that Iran supplied ... to Russia."

    Only a confirmed claim is stated as fact, and then with who confirmed it: the parties that are
    not a party to the statement first, acknowledgements by those that are after.
    """
    prop = _proposition(claim)
    p = parties(claim)
    if claim.status is Status.CONFIRMED:
        statement = claim.statement.strip().rstrip(".")
        sentence = f"{statement}: confirmed"
        if p.confirming:
            sentence += f" by {_join([actor_name(a) for a in p.confirming])}"
        if p.acknowledging:
            sentence += "; " if p.confirming else ", "
            sentence += f"acknowledged by {_join([actor_name(a) for a in p.acknowledging])}"
        sentence += "."
    else:
        first = claim.attributions[0]
        sentence = f"{actor_name(first.actor, start=True)} {verb_for(first.actor, first.verb)} that {prop}."
        others = [a for a in p.asserting if a != first.actor]
        if others:
            sentence += f" Also asserted by {_join([actor_name(a) for a in others])}."
    for actor in p.both:
        sentence += f" {_on_both_sides(claim, actor, start=True)}."
    return sentence


def heading(claim: Claim) -> str:
    """The card's title: who says so, then the claim ("The United States alleges: Iran supplied ...").

    A confirmed claim is the one heading that is the statement alone.
    """
    statement = claim.statement.strip()
    if claim.status is Status.CONFIRMED:
        return statement
    first = claim.attributions[0]
    return f"{actor_name(first.actor, start=True)} {verb_for(first.actor, first.verb)}: {statement}"


def byline(claim: Claim) -> str:
    """The status chip with who stands where, e.g. "Alleged by the United States and the United
    Kingdom · denied by Iran", "False · asserted by Russia", "Confirmed by the Joint Investigation
    Team (JIT) · acknowledged by Russia"."""
    p = parties(claim)
    chip = STATUS_CHIPS[claim.status]
    bits: list[str] = []
    if claim.status is Status.CONFIRMED:
        bits.append(f"{chip} by {_join([actor_name(a) for a in p.confirming])}" if p.confirming else chip)
        if p.acknowledging:
            bits.append(f"acknowledged by {_join([actor_name(a) for a in p.acknowledging])}")
    elif claim.status is Status.ALLEGED and p.asserting:
        bits.append(f"{chip} by {_join([actor_name(a) for a in p.asserting])}")
    else:
        bits.append(chip)
        if p.asserting:
            bits.append(f"asserted by {_join([actor_name(a) for a in p.asserting])}")
    if p.denying:
        bits.append(f"denied by {_join([actor_name(a) for a in p.denying])}")
    if p.both:
        bits.append(f"asserted and denied by {_join([actor_name(a) for a in p.both])}")
    return " · ".join(bits)


def _when_who(part: Attribution | Denial) -> str:
    bits = [b for b in (part.speaker, part.date) if b]
    return f" ({', '.join(bits)})" if bits else ""


def _source_label(source: Source, unavailable_since: str | None = None) -> str:
    name = " — ".join(b for b in (source.outlet, source.title) if b) or "link"
    text = name + (f" ({source.date})" if source.date else "")
    return text + (f", unavailable since {unavailable_since}" if unavailable_since else "")


def _quote(text: str | None, limit: int | None = None) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        if limit <= 0:
            return ""
        text = text[: limit - 1].rstrip() + "…"
    return f": “{text}”"


def _cite(source: Source | None) -> str | None:
    return (source.outlet or source.title or "source") if source else None


def attribution_part(a: Attribution) -> Part:
    """ "The United States alleges (Secretary of State Antony Blinken, 2024-09-10)", its quote and
    where it was said."""
    text = f"{actor_name(a.actor, start=True)} {verb_for(a.actor, a.verb)}{_when_who(a)}"
    return Part(PartKind.ATTRIBUTION, text, actor=actor_name(a.actor), quote=a.quote, cite=_cite(a.source))


def denial_part(d: Denial) -> Part:
    """ "Iran denies it (Foreign Minister Abbas Araghchi, 2024-09-11)", its quote and where."""
    text = f"{actor_name(d.actor, start=True)} {verb_for(d.actor, 'denies')} it{_when_who(d)}"
    return Part(PartKind.DENIAL, text, actor=actor_name(d.actor), quote=d.quote, cite=_cite(d.source))


def attribution_line(a: Attribution, *, quote_limit: int | None = None) -> str:
    return attribution_part(a).line(quote_limit=quote_limit)


def denial_line(d: Denial, *, quote_limit: int | None = None) -> str:
    return denial_part(d).line(quote_limit=quote_limit)


def all_sources(claim: Claim) -> tuple[Source, ...]:
    """Every source of the claim, its attributions and denials, without repeats."""
    seen: dict[tuple[str | None, str | None, str | None], Source] = {}
    parts: list[Source | None] = [a.source for a in claim.attributions]
    parts += [d.source for d in claim.denials]
    parts += list(claim.sources)
    for s in parts:
        if s is not None:
            seen.setdefault((s.url, s.outlet if not s.url else None, s.title if not s.url else None), s)
    return tuple(seen.values())


def framing_note(framing: Framing, status: Status) -> str | None:
    """How the message put it, against what the store holds; never "you are right/wrong"."""
    if framing is Framing.FACT:
        note = _NOT_FACT.get(status)
        return f"The message states this as fact. {note}" if note else None
    if framing is Framing.NEGATED:
        return "The message denies this claim; below is what the claim store holds."
    if framing is Framing.QUESTION:
        return "The message asks about this claim; below is what the claim store holds."
    if framing is Framing.HEDGED:
        return "The message presents this as unconfirmed; below is who asserts it and who denies it."
    return "The message attributes this to a source; below is who asserts it on record."


# The cleaned claim and the first parts of its card, by the claim object's identity: every message
# that reaches a claim shows the same heading, byline and lead (a batch of tweets reaches thousands
# of claims, a chat server the same few again and again). Cleared whole when full.
_CARD_HEADS: dict[int, tuple[Claim, Claim, tuple[Part, ...]]] = {}
_CARD_HEADS_MAX = 4096


def _head(claim: Claim) -> tuple[Claim, tuple[Part, ...]]:
    hit = _CARD_HEADS.get(id(claim))
    if hit is not None and hit[0] is claim:
        return hit[1], hit[2]
    clean_claim = cleaned(claim)
    head = (
        Part(PartKind.HEADING, heading(clean_claim)),
        Part(PartKind.BYLINE, byline(clean_claim)),
        Part(PartKind.LEAD, lead_sentence(clean_claim)),
    )
    if len(_CARD_HEADS) >= _CARD_HEADS_MAX:
        _CARD_HEADS.clear()
    _CARD_HEADS[id(claim)] = (claim, clean_claim, head)  # the claim is kept: its id stays its own
    return clean_claim, head


def card(
    claim: Claim,
    *,
    match: Match | None = None,
    framing: Framing | None = None,
    unavailable: Mapping[str, str] | None = None,
) -> Card:
    """One claim as a card: its parts, whole and typed, in reading order.

    Parameters
    ----------
    claim
        The claim to show.
    match
        How a message matched it (adds a ``MATCH`` part with score and why).
    framing
        How the message framed it (adds the ``FRAMING`` note).
    unavailable
        Source URLs whose link checks fail, with the date they first failed ("unavailable since").
    """
    claim, head = _head(claim)
    match = cleaned(match)
    parts = list(head)
    note = framing_note(framing, claim.status) if framing is not None else None
    if note:
        parts.append(Part(PartKind.FRAMING, note))
    if claim.summary:
        parts.append(Part(PartKind.SUMMARY, claim.summary))
    parts.append(Part(PartKind.STATUS, status_label(claim.status)))
    parts += [attribution_part(a) for a in claim.attributions]
    parts += [denial_part(d) for d in claim.denials] or [Part(PartKind.NO_DENIAL, "No denial on record.")]
    for s in all_sources(claim):
        since = (unavailable or {}).get(s.url or "")
        parts.append(Part(PartKind.SOURCE, _source_label(s, since), source=s, unavailable_since=since))
    if claim.reviewed:
        parts.append(Part(PartKind.REVIEWED, claim.reviewed))
    if match is not None:
        parts.append(Part(PartKind.MATCH, f"Match {match.score:.2f} ({match.verdict}) · {match.why}"))
    return Card(
        claim_id=claim.id,
        status=claim.status,
        parts=tuple(parts),
        verdict=match.verdict if match else None,
        score=match.score if match else None,
        why=match.why if match else None,
    )


def short_line(claim: Claim) -> str:
    """Watch mode's reply: the heading (who says so, then the claim) and the byline (the status,
    who asserts, who denies), on two lines."""
    claim = cleaned(claim)
    return f"{heading(claim)}\n{byline(claim)}"


_PAGE_PARTS = {"og:title": "title", "title": "title", "description": "description"}


def linked_note(url: str, what: str, text: str) -> str:
    """Says that a linked page, not the message's words, matched: "The linked page (example.org)
    matches by its title: “Iran sent missiles to Russia”." """
    host = re.sub(r"^https?://([^/?#]+).*$", r"\1", url, flags=re.I)
    quoted = " ".join(text.split())
    return f"The linked page ({host}) matches by its {_PAGE_PARTS.get(what, what)}: “{quoted}”."


def denials_left(parts: Iterable[Part]) -> str:
    """What a card that shows only some denials says of the rest: "…and 3 more statements by Iran
    and Russia: press Sources to read them all." """
    rest = list(parts)
    who = _join(list(dict.fromkeys(p.actor or "another party" for p in rest)))
    return f"…and {counted(len(rest), 'more statement')} by {who}: press Sources to read them all."


# Section names of the terminal layout (bot.formatting names the embed's fields itself).
_SECTIONS = (
    ("Status", (PartKind.STATUS,)),
    ("Asserted by", (PartKind.ATTRIBUTION,)),
    ("Denied by", (PartKind.DENIAL, PartKind.NO_DENIAL)),
    ("Sources", (PartKind.SOURCE,)),
    ("Reviewed", (PartKind.REVIEWED,)),
)
_INLINE_SECTIONS = frozenset({"Status", "Reviewed"})
_PARAGRAPHS = (PartKind.BYLINE, PartKind.LEAD, PartKind.FRAMING, PartKind.SUMMARY)


def card_text(c: Card) -> str:
    """A card as plain text for a terminal, every part whole: heading and id, the byline, the lead,
    framing note and summary, then the sections, then the match."""
    paragraphs = [p.text for p in c.of(*_PARAGRAPHS)]
    first, rest = paragraphs[:1], paragraphs[1:]
    lines = [f"{c.title} [{c.claim_id}]", *first]
    if rest:
        lines.append("\n" + "\n\n".join(rest))
    for name, kinds in _SECTIONS:
        parts = c.of(*kinds)
        if not parts:
            continue
        if name in _INLINE_SECTIONS:
            lines.append(f"{name}: " + "; ".join(p.line() for p in parts))
        else:
            lines.append(f"{name}:\n" + "\n".join(f"  - {p.line()}" for p in parts))
    lines += [p.text for p in c.of(PartKind.MATCH)]
    return "\n".join(lines)


def reply(result: MatchResult, claims: Mapping[str, Claim]) -> Reply:
    """The reply to a checked message.

    ``match``: the best claim's card. ``possible``: "Did you mean…" with up to three candidates.
    ``none``: says so plainly, with no claim attached.
    """
    best = result.best
    if result.verdict is Verdict.MATCH and best is not None:
        c = card(claims[best.claim_id], match=best, framing=result.framing)
        headline = "A curated claim matches this message."
        text = f"{headline}\n\n{card_text(c)}"
        return Reply(
            result.verdict, result.framing, headline, text, (c,), framing_note(result.framing, c.status)
        )
    if result.verdict is Verdict.POSSIBLE:
        candidates = [m for m in result.matches if m.verdict is not Verdict.NONE][:3] or list(
            result.matches[:1]
        )
        cards = tuple(card(claims[m.claim_id], match=m) for m in candidates)
        headline = "Did you mean…"
        body = "\n\n".join(f"{i}. {card_text(c)}" for i, c in enumerate(cards, 1))
        text = f"{headline} (no confident match; these curated claims look similar)\n\n{body}"
        return Reply(result.verdict, result.framing, headline, text, cards)
    headline = "No curated claim matches this message."
    text = (
        f"{headline} claimbot only knows the claims its moderators have curated; "
        "no match says nothing about whether the message is true."
    )
    return Reply(Verdict.NONE, result.framing, headline, text, ())
