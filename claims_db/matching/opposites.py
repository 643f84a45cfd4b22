"""Another proposition in nearly the claim's words: an opposite predicate, or other numbers.

"Russia rebuilt the Kakhovka dam" has every word of "Russian forces destroyed the Kakhovka dam"
but one, and that one says the opposite; "Zelensky's approval was 60 percent" names another number
than "... was down to 4 percent". Words and meaning (a sentence embedding) score both as close
paraphrases, so :func:`contradiction` looks for the two signs that hold for any claim:

* a predicate of one side of a pair in ``claims_db/data/opposites.json`` in the claim, one of the
  other side in the message, and none of the claim's side there ("lifted" for "imposed");
* a year, a percentage or another number in the claim where the message gives numbers of the same
  kind, none of them the claim's ("in 2019" for "in 2024").

Only words in lower case count (or a sentence's capitalised first word): "Lila Rose" and "Free
Cone Day" are names, not predicates. A message that denies the claim ("Iran never sent ...") is
about it; denials are not opposites here, framing reports them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path

from ..errors import InvalidLexicon
from .lexicon import read_object
from .normalize import fold_accents, strip_signoff

__all__ = ["Opposites", "contradiction", "load"]

FILE = "opposites.json"
_FORM = re.compile(r"[a-z]+(?:[ '-][a-z]+){0,3}")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|[.!?;:\n]")
_BREAK = frozenset(".!?;:\n")
# a number standing alone: "2024", "4", "1,000", "3.5"; not part of a name ("F-16", "KN-23", "240mm")
_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w]|[.,]\d)")
_NEGATORS = frozenset({"not", "never", "no", "nor", "without", "cannot"})
_PERCENT_AFTER = re.compile(r"\s*(?:%|per\s*cent\b|percent\b)")


@dataclass(frozen=True, slots=True)
class Opposites:
    """Pairs of sides, each side a set of single words and a tuple of phrases."""

    pairs: tuple[tuple[tuple[frozenset[str], tuple[str, ...]], tuple[frozenset[str], tuple[str, ...]]], ...]


def _side(forms: list[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    return frozenset(f for f in forms if " " not in f), tuple(f for f in forms if " " in f)


def load(directory: Traversable | Path | str | None = None) -> Opposites:
    """Read and validate ``opposites.json`` (the packaged one by default).

    Raises
    ------
    InvalidLexicon
        The file is missing, is not JSON, or an entry breaks a rule (every bad entry is listed).
    """
    label, doc = read_object(directory, FILE)
    if not isinstance(doc.get("pairs"), list):
        raise InvalidLexicon(label, ['the file must hold one JSON object with a list "pairs"'])
    problems: list[str] = []
    pairs = []
    for i, entry in enumerate(doc["pairs"]):
        where = f"pairs[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be an object with lists 'one' and 'other'")
            continue
        unknown = set(entry) - {"one", "other", "note"}
        if unknown:
            problems.append(f"{where}: unknown fields {sorted(unknown)}")
        sides: list[list[str]] = []
        for name in ("one", "other"):
            forms = entry.get(name)
            if not isinstance(forms, list) or not forms:
                problems.append(f"{where}.{name}: must be a non-empty list of word forms")
                sides.append([])
                continue
            good = []
            for form in forms:
                if not isinstance(form, str) or not _FORM.fullmatch(form):
                    problems.append(
                        f"{where}.{name}: {form!r} is not a lower-case word or phrase of up to 4 words"
                    )
                elif form in good:
                    problems.append(f"{where}.{name}: {form!r} is listed twice")
                else:
                    good.append(form)
            sides.append(good)
        both = set(sides[0]) & set(sides[1])
        if both:
            problems.append(f"{where}: {sorted(both)} on both sides")
        if sides[0] and sides[1] and not both:
            pairs.append((_side(sides[0]), _side(sides[1])))
    if problems:
        raise InvalidLexicon(label, problems)
    return Opposites(tuple(pairs))


@lru_cache(maxsize=1)
def _packaged() -> Opposites:
    return load()


@dataclass(frozen=True, slots=True)
class _Reading:
    words: frozenset[str]
    padded: str  # the lower-case words joined by single spaces, with a space at each end
    numbers: Mapping[str, frozenset[str]]  # kind -> the numbers of that kind


def _kind(text: str, m: re.Match[str]) -> str:
    value = m[1]
    if _PERCENT_AFTER.match(text, m.end()):
        return "percent"
    if len(value) == 4 and value.isdigit() and 1800 <= int(value) <= 2099:
        return "year"
    return "number"


@lru_cache(maxsize=65536)
def _read(text: str) -> _Reading:
    text = strip_signoff(text)
    if not text.isascii():
        text = fold_accents(text).replace("\u2019", "'")
    words: list[str] = []
    start = True
    negated = 0
    for tok in _WORD.findall(text):
        if tok in _BREAK:
            start, negated = True, 0
            continue
        low = tok.lower()
        if negated:
            words.append("")  # "not allowing" says what "prohibited" says
            negated -= 1
        elif tok.islower() or (start and tok[:1].isupper() and tok[1:].islower()):
            words.append(low)
        else:
            words.append("")  # a name (or shouting): it breaks a phrase and says no predicate
        if low in _NEGATORS or low.endswith(("n't", "n\u2019t")):
            negated = 2
        start = False
    numbers: dict[str, set[str]] = {}
    for m in _NUMBER.finditer(text):
        numbers.setdefault(_kind(text, m), set()).add(m[1].replace(",", ""))
    return _Reading(
        frozenset(w for w in words if w),
        " " + " ".join(words) + " ",
        {k: frozenset(v) for k, v in numbers.items()},
    )


def _has(reading: _Reading, side: tuple[frozenset[str], tuple[str, ...]]) -> str | None:
    words, phrases = side
    found = min(words & reading.words, default=None)  # the same word whatever the hash seed
    if found is not None:
        return found
    for p in phrases:
        if f" {p} " in reading.padded:
            return p
    return None


def contradiction(claim_text: str, message: str, opposites: Opposites | None = None) -> str | None:
    """Why ``message`` states another proposition in ``claim_text``'s words, or None.

    Returns a short reason for the reply's explanation: ``says "lifted" where the claim says
    "imposed"`` or ``says 2019 where the claim says 2024``.
    """
    table = opposites if opposites is not None else _packaged()
    claim, said = _read(claim_text), _read(message)
    for one, other in table.pairs:
        for mine, theirs in ((one, other), (other, one)):
            c = _has(claim, mine)
            if c is None or _has(claim, theirs) is not None:
                continue
            m = _has(said, theirs)
            if m is not None and _has(said, mine) is None:
                return f'says "{m}" where the claim says "{c}"'
    for kind, values in claim.numbers.items():
        given = said.numbers.get(kind)
        if given and not given & values:
            suffix = "%" if kind == "percent" else ""
            return f"says {min(given)}{suffix} where the claim says {min(values)}{suffix}"
    return None
