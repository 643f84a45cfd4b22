"""Questions the store could not answer: how their text is kept, and how they are grouped.

A text is kept normalised for privacy and for grouping: Unicode folded (NFKC), invisible and
control characters dropped, Discord mentions (users, roles, channels, @everyone) and links removed,
whitespace collapsed, at most ``MAX_CHARS`` characters. Who asked is never kept.

``group`` puts texts that say nearly the same thing together (rapidfuzz's token-set ratio on the
matcher's normalised words, at least ``SIMILAR``), the newest text standing for its group, groups
newest first: what curators should look at next.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz

from claims_db.matching.normalize import normalize
from claims_db.models import Unanswered
from claims_db.text_safety import clean

__all__ = ["MAX_CHARS", "SIMILAR", "UnansweredGroup", "group", "normalise_question"]

MAX_CHARS = 300  # a claim statement's limit: a group's text can become one
SIMILAR = 80.0

_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b|<a?:\w+:\d+>", re.I)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)


def normalise_question(text: str) -> str:
    """The text as kept: folded, no mentions, no links, one line, at most ``MAX_CHARS``."""
    text = clean(unicodedata.normalize("NFKC", text))
    text = _URL.sub(" ", _MENTION.sub(" ", text))
    text = " ".join(text.split())
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit(" ", 1)[0] or text[:MAX_CHARS]
    return text


@dataclasses.dataclass(frozen=True, slots=True)
class UnansweredGroup:
    """Texts that say nearly the same thing, newest first."""

    guild_id: int
    text: str  # the newest text of the group
    entries: tuple[Unanswered, ...]

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def last_seen(self) -> dt.datetime:
        return self.entries[0].created_at

    @property
    def first_seen(self) -> dt.datetime:
        return self.entries[-1].created_at

    @property
    def candidate_id(self) -> str | None:
        """The claim most often offered as "Did you mean…" for these texts, if any."""
        found = Counter(e.candidate_id for e in self.entries if e.candidate_id)
        return found.most_common(1)[0][0] if found else None

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(e.id for e in self.entries)

    def to_json(self) -> dict[str, object]:
        """The ``claimbot unanswered --json`` object."""
        return {
            "guild_id": self.guild_id,
            "text": self.text,
            "count": self.count,
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "candidate_id": self.candidate_id,
            "texts": list(dict.fromkeys(e.text for e in self.entries)),
        }


def group(entries: Sequence[Unanswered], *, similar: float = SIMILAR) -> list[UnansweredGroup]:
    """Group ``entries`` by guild and similarity; groups newest first, each newest first.

    Parameters
    ----------
    entries
        Unanswered texts, in any order.
    similar
        The token-set ratio (0 to 100) above which two texts belong together.
    """
    ordered = sorted(entries, key=lambda e: (e.created_at, e.id), reverse=True)
    groups: list[tuple[int, str, list[Unanswered]]] = []  # guild, the key of its newest text, members
    for entry in ordered:
        key = normalize(entry.text) or entry.text.lower()
        for guild_id, head, members in groups:
            if guild_id == entry.guild_id and fuzz.token_set_ratio(key, head, score_cutoff=similar):
                members.append(entry)
                break
        else:
            groups.append((entry.guild_id, key, [entry]))
    return [UnansweredGroup(g, members[0].text, tuple(members)) for g, _, members in groups]
