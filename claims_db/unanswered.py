"""Questions the store could not answer: how their text is kept, and how they are grouped.

A text is kept normalised for privacy and for grouping: Unicode folded (NFKC), invisible and
control characters dropped, Discord mentions (users, roles, channels, @everyone) and links removed,
whitespace collapsed, at most ``MAX_CHARS`` characters. Who asked is never kept.

``group`` puts texts that say the same thing together, the newest text standing for its group,
groups newest first: what curators should look at next. Two texts say the same thing when the
content words of one (the matcher's normalised words, stopwords dropped, stemmed) are all in the other
("is it true that Chile banned plastic bags?" and "Chile banned plastic bags") or when they share
at least ``SIMILAR`` of their content words. Similar characters are not agreement: "Chile banned
cars" and "Chile banned coal" score high on every fuzzy string measure and stay apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

import Stemmer

from claims_db.matching.analyze import STOPWORDS
from claims_db.matching.normalize import normalize
from claims_db.models import Unanswered
from claims_db.text_safety import clean

__all__ = [
    "MAX_CHARS",
    "SIMILAR",
    "UnansweredGroup",
    "content_words",
    "group",
    "normalise_question",
    "same_question",
]

MAX_CHARS = 300  # a claim statement's limit: a group's text can become one
SIMILAR = 0.75  # the Jaccard index of two texts' content words
_WORDINGS = 8  # a text joins a group when it says the same as one of the group's first wordings

_STEMMER = Stemmer.Stemmer("english")
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


def content_words(text: str) -> frozenset[str]:
    """The words of ``text`` that carry its meaning: normalised as the matcher does, stopwords
    dropped, each reduced to its Snowball stem ("supermarkets" and "supermarket" are one word)."""
    words = normalize(text).split()
    kept = [w for w in words if w not in STOPWORDS] or words
    return frozenset(_STEMMER.stemWords(kept))


def same_question(a: frozenset[str], b: frozenset[str], *, similar: float = SIMILAR) -> bool:
    """Whether two texts' content words say the same thing (see the module's docstring)."""
    if not a or not b:
        return a == b
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if len(small) >= 2 and small <= large:
        return True
    return len(a & b) / len(a | b) >= similar


def group(entries: Sequence[Unanswered], *, similar: float = SIMILAR) -> list[UnansweredGroup]:
    """Group ``entries`` by guild and meaning; groups newest first, each newest first.

    Parameters
    ----------
    entries
        Unanswered texts, in any order.
    similar
        The share of content words (0 to 1) two texts must have in common to belong together,
        unless one's content words are all in the other.
    """
    ordered = sorted(entries, key=lambda e: (e.created_at, e.id), reverse=True)
    # per group: its guild, the distinct word sets of its first few texts, and its texts
    groups: list[tuple[int, list[frozenset[str]], list[Unanswered]]] = []
    for entry in ordered:
        words = content_words(entry.text)
        for guild_id, seen, members in groups:
            if guild_id == entry.guild_id and any(same_question(words, w, similar=similar) for w in seen):
                members.append(entry)
                if words not in seen and len(seen) < _WORDINGS:
                    seen.append(words)
                break
        else:
            groups.append((entry.guild_id, [words], [entry]))
    return [UnansweredGroup(g, members[0].text, tuple(members)) for g, _, members in groups]
