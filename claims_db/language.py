"""Which language a message is in, cheaply: enough to say a match was across languages.

The script decides first (Arabic, Cyrillic or Latin letters); within a script, the letters only
one language uses ("ї" is Ukrainian, "ы" Russian, "ß" German, "ñ" Spanish) and the language's
commonest short words, from ``claims_db/data/languages.json``. A text too short or too mixed to
tell is ``None``: the reply then says nothing about languages rather than something wrong.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

__all__ = ["CrossLanguage", "Language", "across", "detect", "languages"]

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SCRIPTS = ("latin", "cyrillic", "arabic")
# Of a text's letters, at least this share must be of one script for it to count as that script's.
SCRIPT_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class Language:
    """One language the detector knows: its code (ISO 639-1), name, script and evidence."""

    code: str
    name: str
    script: str
    letters: frozenset[str]
    words: frozenset[str]
    default: bool = False  # the script's language when a text shows nothing of another
    endings: tuple[str, ...] = ()  # word endings typical of it ("-ción", "-ung"): half a word each


@dataclass(frozen=True, slots=True)
class CrossLanguage:
    """A message in one language matched a claim written in another."""

    message: str  # language codes
    claim: str

    @property
    def note(self) -> str:
        """``matched across languages: Russian → English``."""
        known = languages()
        return f"matched across languages: {known[self.message].name} → {known[self.claim].name}"


@cache
def languages() -> Mapping[str, Language]:
    """The languages of ``claims_db/data/languages.json``, loaded and checked once."""
    return _parse((resources.files("claims_db") / "data" / "languages.json").read_text(encoding="utf-8"))


def _parse(text: str) -> dict[str, Language]:
    """The languages of a ``languages.json`` text; a clear ``ValueError`` for a table that is wrong."""
    out: dict[str, Language] = {}
    for code, row in json.loads(text)["languages"].items():
        if row["script"] not in _SCRIPTS:
            raise ValueError(f"languages.json: {code} has unknown script {row['script']!r}")
        words = frozenset(w.lower() for w in row["words"])
        letters = frozenset(row["letters"])
        if any(ch.isascii() for ch in letters):
            # detect() looks for telling letters among a text's non-ASCII characters only
            raise ValueError(f"languages.json: {code}'s letters must be outside ASCII")
        default = bool(row.get("default", False))
        endings = tuple(e.lower() for e in row.get("endings", ()))
        out[code] = Language(code, row["name"], row["script"], letters, words, default, endings)
    for script in _SCRIPTS:
        if sum(lang.default for lang in out.values() if lang.script == script) > 1:
            raise ValueError(f"languages.json: more than one default language for {script}")
    return out


@lru_cache(maxsize=8192)
def _script(ch: str) -> str | None:
    """The script of a letter (cached: a message is read letter by letter)."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    for script in _SCRIPTS:
        if name.startswith(script.upper()):
            return script
    return None


def _article(word: str) -> str:
    return word[: word.index("'") + 1] if "'" in word else ""


@dataclass(frozen=True, slots=True)
class _Evidence:
    """One script's evidence, indexed once: which of its languages each word, word ending and
    letter belongs to, so a text is read in one pass over its words rather than once per language."""

    codes: tuple[str, ...]
    words: Mapping[str, frozenset[str]]
    endings: Mapping[str, frozenset[str]]
    ending_lengths: tuple[int, ...]
    letters: Mapping[str, frozenset[str]]


@cache
def _evidence(script: str) -> _Evidence:
    langs = [lang for lang in languages().values() if lang.script == script]

    def table(pairs: list[tuple[str, str]]) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for key, code in pairs:
            out.setdefault(key, set()).add(code)
        return {k: frozenset(v) for k, v in out.items()}

    endings = table([(e, lang.code) for lang in langs for e in lang.endings])
    return _Evidence(
        tuple(lang.code for lang in langs),
        table([(w, lang.code) for lang in langs for w in lang.words]),
        endings,
        tuple(sorted({len(e) for e in endings})),
        table([(ch, lang.code) for lang in langs for ch in lang.letters]),
    )


@lru_cache(maxsize=65536)
def _word_votes(script: str, w: str) -> tuple[tuple[str, float], ...]:
    """What one word adds to each language of ``script``: 1 where it is a common word of the
    language (or, written "l'iran", its article is), half where it is longer than three letters and
    ends as the language's words do. Cached: words repeat across texts far more than texts do."""
    ev = _evidence(script)
    none: frozenset[str] = frozenset()
    votes: dict[str, float] = {}
    mine = ev.words.get(w, none)
    for code in mine:
        votes[code] = votes.get(code, 0.0) + 1.0
    if "'" in w:
        for code in ev.words.get(_article(w), none) - mine:
            votes[code] = votes.get(code, 0.0) + 1.0
    if len(w) > 3:
        ending = set().union(*(ev.endings.get(w[-k:], none) for k in ev.ending_lengths if k <= len(w)))
        for code in ending:
            votes[code] = votes.get(code, 0.0) + 0.5
    return tuple(votes.items())


def _scores(script: str, words: Counter[str], lowered: str, non_ascii: bool) -> dict[str, float]:
    """Each language of ``script``: its common words in the text, a word such as "l'iran" by its
    article too, 1.5 for each letter only it uses, half for each longer word with its endings."""
    ev = _evidence(script)
    scores = dict.fromkeys(ev.codes, 0.0)
    none: frozenset[str] = frozenset()
    for w, n in words.items():
        for code, vote in _word_votes(script, w):
            scores[code] += vote * n
    if non_ascii:  # every telling letter is outside ASCII (checked on loading)
        for ch in _NON_ASCII.findall(lowered):
            for code in ev.letters.get(ch, none):
                scores[code] += 1.5
    return scores


@lru_cache(maxsize=4096)
def detect(text: str) -> str | None:
    """The language code of ``text`` (``"ru"``, ``"en"``, ...) or ``None`` when it cannot tell.

    Parameters
    ----------
    text
        A message or a claim, as written.

    Returns
    -------
    str | None
        A code of :func:`languages`; ``None`` for a text with no letters, of no known script, mixed
        scripts, or of a shared script with no word or letter that tells its languages apart.
    """
    # every ASCII letter is Latin: only the other characters are looked up one by one
    plain = text if text.isascii() else text.encode("ascii", "ignore").decode("ascii")
    counts = dict.fromkeys(_SCRIPTS, 0)
    letters = counts["latin"] = sum(map(str.isalpha, plain))
    if len(plain) != len(text):
        for ch in _NON_ASCII.findall(text):
            if ch.isalpha():
                letters += 1
                found = _script(ch)
                if found is not None:
                    counts[found] += 1
    if not letters:
        return None
    script, most = max(counts.items(), key=lambda kv: kv[1])
    if most < SCRIPT_SHARE * letters:
        return None
    candidates = [lang for lang in languages().values() if lang.script == script]
    if len(candidates) == 1:
        return candidates[0].code
    lowered = text.lower().replace("\u2019", "'")  # a typographic apostrophe
    scores = _scores(script, Counter(_WORD.findall(lowered)), lowered, len(plain) != len(text))
    top = max(scores.values())
    leaders = [lang for lang in candidates if scores[lang.code] == top]
    if top > 0 and len(leaders) == 1:
        return leaders[0].code
    # Nothing tells the leaders apart: the script's default if it leads (or nothing scored) and
    # no letter of another language of the script appears.
    for lang in leaders:
        others = [o for o in candidates if o is not lang]
        if lang.default and not any(ch in lowered for o in others for ch in o.letters):
            return lang.code
    return None


def across(message: str, claim: str) -> CrossLanguage | None:
    """The two languages when a message and the claim it matched are in different ones.

    A claim whose language cannot be told is taken to be English (the store's language); a
    message whose language cannot be told is never said to be in another.
    """
    said = detect(message)
    written = detect(claim) or "en"
    if said is None or said == written:
        return None
    return CrossLanguage(said, written)
