"""Values of the claim domain: claims as the file format describes them, and match results.

Claims mirror ``claim-format.md`` version 1 field for field (lists become tuples). They are plain
frozen dataclasses; ``claims_db.transfer`` validates untrusted input into them with pydantic, using
the constraints declared here, so a claim that exists as a value has passed validation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, ClassVar
from urllib.parse import urlsplit

from pydantic import AfterValidator, ConfigDict, StringConstraints

__all__ = [
    "SETTING_BOUNDS",
    "AskedVia",
    "Attribution",
    "AuditEntry",
    "Bound",
    "CardKind",
    "Claim",
    "ClaimUsage",
    "Denial",
    "ExportFormat",
    "Framing",
    "GuildSettings",
    "Match",
    "MatchResult",
    "PostedCard",
    "Report",
    "ReportStatus",
    "Source",
    "SourceCheck",
    "Status",
    "StoredClaim",
    "Unanswered",
    "Verdict",
    "check_text",
]

_STRICT: ConfigDict = ConfigDict(extra="forbid", str_strip_whitespace=True)
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Status(StrEnum):
    """How far a claim is established, as curators judge it."""

    ALLEGED = "alleged"
    DISPUTED = "disputed"
    CONFIRMED = "confirmed"
    FALSE = "false"
    MISLEADING = "misleading"
    UNVERIFIED = "unverified"


class Verdict(StrEnum):
    """How much a match can be trusted: MATCH lets the bot speak unasked."""

    MATCH = "match"
    POSSIBLE = "possible"
    NONE = "none"


class ReportStatus(StrEnum):
    """Where a "Wrong match?" report is in the review queue."""

    OPEN = "open"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


class AskedVia(StrEnum):
    """How a claim came up in a guild: what ``/curate stats`` counts."""

    SLASH = "slash"  # /check
    MENU = "menu"  # the "Check this message" context menu
    WATCH = "watch"  # watch mode answered a message
    REPORT = "report"  # a "Wrong match?" report named it


class ExportFormat(StrEnum):
    """What ``export`` writes."""

    CLAIMS = "claims"  # the claim file format, which ``import`` takes back as it is
    CLAIMREVIEW = "claimreview"  # schema.org ClaimReview JSON-LD, for fact-checkers' tools


class CardKind(StrEnum):
    """What the bot posted about a claim, which a follow-up edits or answers."""

    CARD = "card"  # a public /check card: edited in place
    WATCH = "watch"  # a watch-mode reply: gets a note under it


class Framing(StrEnum):
    """How a message presents what it says."""

    FACT = "fact"
    ATTRIBUTED = "attributed"
    NEGATED = "negated"
    QUESTION = "question"
    HEDGED = "hedged"


def check_date(value: str) -> str:
    """Accept ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` naming a real calendar date."""
    m = _DATE_RE.match(value)
    if not m:
        raise ValueError(f"must be a date as YYYY-MM-DD, YYYY-MM or YYYY, not {value!r}")
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None
    return value


_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def check_text(value: str) -> str:
    """Refuse NUL and other control characters (tab and newlines are fine) and lone surrogates:
    PostgreSQL cannot store them, and they are never meant."""
    m = _BAD_CHARS.search(value)
    if m:
        kind = "a lone surrogate" if 0xD800 <= ord(m[0]) <= 0xDFFF else "a control character"
        raise ValueError(f"contains {kind} (U+{ord(m[0]):04X}) at position {m.start() + 1}")
    return value


def check_url(value: str) -> str:
    """Accept only absolute http or https URLs with a host."""
    if any(c.isspace() for c in value):
        raise ValueError(f"a URL cannot contain spaces: {value!r}")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"URL must start with http:// or https://, not {value!r}")
    if not parts.hostname or ("." not in parts.hostname and parts.hostname != "localhost"):
        raise ValueError(f"URL has no valid host: {value!r}")
    return value


def _check_unique(values: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"{v!r} is listed twice")
        seen.add(v)
    return values


ClaimId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{3,80}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,80}$")]
Statement = Annotated[str, StringConstraints(min_length=10, max_length=300), AfterValidator(check_text)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000), AfterValidator(check_text)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(check_text)]
Verb = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z ]{0,39}$")]
Date = Annotated[str, AfterValidator(check_date)]
Url = Annotated[
    str, StringConstraints(max_length=2000), AfterValidator(check_text), AfterValidator(check_url)
]


@dataclass(frozen=True, slots=True)
class Source:
    """Where something was said or reported."""

    __pydantic_config__: ClassVar[ConfigDict] = _STRICT

    outlet: Name | None = None
    title: Text | None = None
    url: Url | None = None
    date: Date | None = None

    def __post_init__(self) -> None:
        if not (self.outlet or self.url or self.title):
            raise ValueError("a source needs at least an outlet, a title or a url")


@dataclass(frozen=True, slots=True)
class Attribution:
    """One party asserting the claim."""

    __pydantic_config__: ClassVar[ConfigDict] = _STRICT

    actor: Name
    verb: Verb = "says"
    speaker: Name | None = None
    date: Date | None = None
    quote: Text | None = None
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class Denial:
    """One party rejecting the claim."""

    __pydantic_config__: ClassVar[ConfigDict] = _STRICT

    actor: Name
    speaker: Name | None = None
    date: Date | None = None
    quote: Text | None = None
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A curated claim, as in the claim file format (version 1)."""

    __pydantic_config__: ClassVar[ConfigDict] = _STRICT

    id: ClaimId
    statement: Statement
    status: Status
    attributions: tuple[Attribution, ...]
    summary: Text | None = None
    paraphrases: Annotated[tuple[Statement, ...], AfterValidator(_check_unique)] = ()
    denials: tuple[Denial, ...] = ()
    sources: tuple[Source, ...] = ()
    topics: Annotated[tuple[Slug, ...], AfterValidator(_check_unique)] = ()
    related: Annotated[tuple[ClaimId, ...], AfterValidator(_check_unique)] = ()
    reviewed: Date | None = None

    def __post_init__(self) -> None:
        if not self.attributions:
            raise ValueError("a claim needs at least one attribution (who asserts it)")
        if self.id in self.related:
            raise ValueError("a claim cannot be related to itself")

    @property
    def texts(self) -> tuple[str, ...]:
        """The statement and its paraphrases: every text matching compares against."""
        return (self.statement, *self.paraphrases)


@dataclass(frozen=True, slots=True)
class Match:
    """One claim found for a message."""

    claim_id: str
    score: float  # 0..1, comparable across claims and stages
    verdict: Verdict
    why: str  # one line a moderator can read: the aliases, terms and entities that agreed


@dataclass(frozen=True, slots=True)
class MatchResult:
    """What the matcher says about one message: the best candidates, ranked, and an overall verdict."""

    text: str
    verdict: Verdict
    framing: Framing
    matches: tuple[Match, ...] = ()

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change to the store: who did what, when, and the claim before and after."""

    seq: int
    claim_id: str
    action: str  # add, replace, retract, restore, import, ...
    actor: str  # "cli:<user>", "discord:<user id>", ...
    at: dt.datetime
    before: dict[str, object] | None
    after: dict[str, object] | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """A claim with what the store keeps beside it."""

    claim: Claim
    retracted: bool = False
    retracted_reason: str | None = None
    updated_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """Per-guild settings of the Discord bot, kept in the claim store's database."""

    guild_id: int
    watch_channels: frozenset[int] = frozenset()
    admin_role_id: int | None = None
    match_threshold: float | None = None  # None: the service default
    channel_cooldown_s: float = 60.0  # watch mode: at most one reply per channel in this time
    claim_cooldown_s: float = 600.0  # watch mode: the same claim at most once per channel in this time
    check_rate_per_minute: int = 6  # /check per user per minute
    record_unanswered: bool = True  # keep /check texts that matched nothing for /curate unanswered
    unanswered_days: int = 90  # how long those texts are kept
    followups: bool = True  # edit earlier public cards and note changes in watch-mode threads
    followup_rate_per_hour: int = 20  # at most this many follow-up edits and notes per hour


@dataclass(frozen=True, slots=True)
class Bound:
    """The range a guild setting may take; Discord's options and the service both read it."""

    low: float
    high: float
    unit: str = ""


# Declared once: ``/curate settings`` offers exactly these ranges and the service refuses the rest.
SETTING_BOUNDS: Mapping[str, Bound] = {
    "match_threshold": Bound(0.05, 1.0),
    "channel_cooldown_s": Bound(0.0, 86400.0, "seconds"),
    "claim_cooldown_s": Bound(0.0, 604800.0, "seconds"),
    "check_rate_per_minute": Bound(1, 120),
    "unanswered_days": Bound(1, 365, "days"),
    "followup_rate_per_hour": Bound(0, 120),
}


@dataclass(frozen=True, slots=True)
class Report:
    """A "Wrong match?" report waiting in a guild's review queue."""

    id: int
    guild_id: int
    reporter_id: int
    message_text: str
    claim_id: str | None  # the claim the bot matched, if any
    comment: str | None
    created_at: dt.datetime
    status: ReportStatus = ReportStatus.OPEN
    resolved_by: str | None = None
    channel_id: int | None = None
    message_id: int | None = None
    accepted_as: str | None = None  # the claim its text became a paraphrase of


@dataclass(frozen=True, slots=True)
class Unanswered:
    """A text ``/check`` or "Check this message" could not answer (verdict none or possible).

    Only the normalised text is kept, never who asked; it is dropped after the guild's retention."""

    id: int
    guild_id: int
    text: str
    verdict: Verdict
    via: AskedVia
    created_at: dt.datetime
    candidate_id: str | None = None  # the best candidate of a ``possible``


@dataclass(frozen=True, slots=True)
class ClaimUsage:
    """How often one claim came up in one guild one way."""

    guild_id: int
    claim_id: str
    via: AskedVia
    count: int
    last_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PostedCard:
    """A public card or watch-mode reply the bot posted about a claim.

    ``shown`` is the state of the claim the message shows (see ``claims_db.followups``): a change
    to the claim is followed up once, when the stored claim no longer looks like it."""

    id: int
    guild_id: int
    channel_id: int
    message_id: int
    claim_id: str
    kind: CardKind
    shown: Mapping[str, object]
    posted_at: dt.datetime
    checked: str | None = None
    updated_at: dt.datetime | None = None
    note_id: int | None = None


@dataclass(frozen=True, slots=True)
class SourceCheck:
    """The last link-health check of one source URL of one claim."""

    claim_id: str
    url: str
    checked: dt.datetime
    status: int | None = None  # the final HTTP status, None when no answer came
    final_url: str | None = None  # after redirects
    title: str | None = None
    error: str | None = None  # a short reason when unreachable
    failing_since: dt.datetime | None = None  # the first of the checks that failed in a row

    @property
    def reachable(self) -> bool:
        return self.error is None and self.status is not None and self.status < 400

    def to_json(self) -> dict[str, object]:
        """The ``claimbot sources check --json`` object."""
        return {
            "claim_id": self.claim_id,
            "url": self.url,
            "status": self.status,
            "final_url": self.final_url,
            "title": self.title,
            "checked": self.checked.isoformat(),
            "error": self.error,
        }
