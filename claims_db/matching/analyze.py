"""Stage 2: words -> terms, canonical entities and who-did-what-to-whom.

``analyze`` takes normalized text (see :mod:`claims_db.matching.normalize`) and returns an
:class:`Analysis`: the content terms (Snowball stems, stopwords dropped, domain synonyms folded to
one concept such as ``~supply``), the canonical entities named (``iran``, ``russia``...) and the
roles around a transfer verb ("Iran supplied missiles to Russia": actor ``iran``, recipient
``russia``). Aliases may span several words ("kim jong un", "downing street"); the longest one wins.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import Stemmer

from .lexicon import lexicon

__all__ = [
    "ALIASES",
    "ENTITY_NAMES",
    "STOPWORDS",
    "SYNONYMS",
    "Analysis",
    "Role",
    "analyze",
    "entity_term",
]


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# --- tables -------------------------------------------------------------------------------------

# The vocabulary lives in data files (claims_db/data/, see docs/lexicon.md); this module holds the
# grammar that reads it.
_LEXICON = lexicon()

# canonical entity -> display name; alias -> canonical entity ("tehran", "iranian" -> "iran"). An
# alias of a capital, seat of government or leader maps to the entity it stands for.
ENTITY_NAMES: dict[str, str] = _LEXICON.entity_names()
ALIASES: dict[str, str] = _LEXICON.alias_table()
# Phrases that contain an alias but name something else; they map to no entity.
_BLOCKED = _LEXICON.blocked

# surface form -> concept. A concept folds words that say the same thing in this domain.
SYNONYMS: dict[str, str] = _LEXICON.synonyms()
# Saying verbs tell how a message is put (see framing), not what it is about.
_IGNORED_CONCEPTS = _LEXICON.ignored_concepts()

STOPWORDS: frozenset[str] = _LEXICON.stopwords

# Words around a transfer verb that tell which side an entity is on.
_TO = frozenset({"to", "into", "toward", "towards"})
_FROM = frozenset({"from"})
_BY = frozenset({"by"})
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "get", "gets", "got", "getting"})
_SUPPLY_PARTICIPLES = _LEXICON.words["supply_participles"]
_ROLE_BREAK = _word_set(
    "in against on at with while after before during for and but because since although though which who that"
)
_ARTICLES = frozenset({"the", "a", "an", "its", "their", "his", "her"})
_PREPOSITIONS = _word_set(
    "to from of in at for against with into on about than over near inside toward towards across per"
)
_SAYING = _LEXICON.words["saying"]
_SELF = frozenset({"it", "they", "we", "he", "she", "its", "itself", "our"})
# A word that starts another noun phrase: "... to Moscow, my friend says" — the friend speaks, not Moscow.
_OTHER_SPEAKER = frozenset(
    {"my", "your", "his", "her", "their", "our", "a", "an", "some", "someone", "everyone", "people",
     "i", "you", "he", "she", "they", "we", "this", "that", "these", "those"}
)  # fmt: skip
_GET = frozenset({"get", "gets", "got", "gotten", "getting"})
_WINDOW = 7


def entity_term(entity: str) -> str:
    """The index term under which a canonical entity is stored."""
    return "@" + entity


# --- values -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Role:
    """Who does what to whom in one statement.

    ``relation`` is ``"supply"`` for a transfer ("Iran supplied missiles to Russia": actor ``iran``,
    recipient ``russia``; either side may be unknown) and ``"do"`` for the doer of the sentence
    ("Russia deported Ukrainian children": actor ``russia``; a giver, never a receiver).
    """

    actor: str | None
    recipient: str | None
    relation: str = "supply"


@dataclass(frozen=True, slots=True)
class Analysis:
    """What matching needs to know about one text.

    ``terms`` and ``surfaces`` are aligned: ``surfaces[i]`` is the text that produced ``terms[i]``
    (``"tehran"`` for ``@iran``), so a match can say which words agreed.
    """

    text: str
    terms: tuple[str, ...]
    surfaces: tuple[str, ...]
    entities: tuple[str, ...]
    roles: tuple[Role, ...]
    extra_terms: tuple[str, ...] = ()  # stems of alias words, indexed for exact-wording matches

    @property
    def index_terms(self) -> tuple[str, ...]:
        return self.terms + self.extra_terms


# --- the phrase table ---------------------------------------------------------------------------

_Kind = str  # "e" entity, "c" concept, "x" blocked


def _build_phrases() -> tuple[dict[str, list[tuple[tuple[str, ...], _Kind, str]]], int]:
    table: dict[str, list[tuple[tuple[str, ...], _Kind, str]]] = {}
    entries: list[tuple[tuple[str, ...], _Kind, str]] = []
    entries += [(tuple(a.split()), "e", e) for a, e in ALIASES.items()]
    entries += [(tuple(f.split()), "c", c) for f, c in SYNONYMS.items() if " " in f]
    entries += [(tuple(b.split()), "x", "") for b in _BLOCKED]
    longest = 1
    for words, kind, value in entries:
        table.setdefault(words[0], []).append((words, kind, value))
        longest = max(longest, len(words))
    for options in table.values():
        options.sort(key=lambda o: len(o[0]), reverse=True)
    return table, longest


_PHRASES, _LONGEST = _build_phrases()

_stemmer = Stemmer.Stemmer("english")
_stem_lock = threading.Lock()
_stem_cache: dict[str, str] = {}
_STEM_CACHE_MAX = 400_000


def _stem(word: str) -> str:
    stem = _stem_cache.get(word)
    if stem is None:
        with _stem_lock:  # a Stemmer object is not safe to share between threads
            stem = _stemmer.stemWord(word)
        if len(_stem_cache) >= _STEM_CACHE_MAX:
            _stem_cache.clear()
        stem = _stem_cache.setdefault(word, stem)
    return stem


# --- analysis -----------------------------------------------------------------------------------


# numbers written as words are the numbers ("twelve jets" states "12 jets"); "one" is as often a
# pronoun, and "hundred", "million" stay words ("two million" is "2 million")
_UNITS = (
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)  # fmt: skip
_TENS = ("thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBER_WORDS = {w: str(n) for n, w in enumerate(_UNITS, 2)} | {
    w: str(10 * n) for n, w in enumerate(_TENS, 3)
}
_NUMBER_WORDS["dozen"] = "12"
# "5k" is 5000, "2bn" is "2 billion", "3m" "3 million"
_SHORT_NUMBER = re.compile(r"(\d{1,3})(k|m|mn|bn)")
_SCALE = {"m": "million", "mn": "million", "bn": "billion"}


def _tokens(text: str) -> list[str]:
    out = []
    for word in text.split():
        if word.endswith("'s"):
            word = word[:-2]
        elif word.endswith("'"):
            word = word[:-1]
        if not word:
            continue
        if word in _NUMBER_WORDS:
            word = _NUMBER_WORDS[word]
        elif word[0].isdigit() and (m := _SHORT_NUMBER.fullmatch(word)) is not None:
            if m[2] == "k":
                word = m[1] + "000"
            else:
                out.append(m[1])
                word = _SCALE[m[2]]
        out.append(word)
    return out


def analyze(text: str) -> Analysis:
    """Analyze normalized text.

    Parameters
    ----------
    text
        Output of :func:`~claims_db.matching.normalize.normalize`.

    Returns
    -------
    Analysis
        Terms (stems, ``~concept`` synonyms, ``@entity`` for aliases) with the words behind them,
        the entities in order of first mention, and the transfer roles found.
    """
    tokens = _tokens(text)
    terms: list[str] = []
    surfaces: list[str] = []
    extra: list[str] = []
    entities: list[str] = []
    # one slot per token: the entity it names (or None), and its concept; used for roles
    slot_entity: list[str | None] = []
    slot_word: list[str] = []
    slot_term: list[int] = []  # the term a slot produced, for entities
    i, n = 0, len(tokens)
    while i < n:
        word = tokens[i]
        options = _PHRASES.get(word)
        if options is not None:
            hit = None
            for words, kind, value in options:
                k = len(words)
                if tuple(tokens[i : i + k]) == words:
                    hit = (k, kind, value)
                    break
            if hit is not None:
                k, kind, value = hit
                surface = " ".join(tokens[i : i + k])
                if kind == "e":
                    slot_term.append(len(terms))
                    terms.append(entity_term(value))
                    surfaces.append(surface)
                    extra.extend(_stem(w) for w in tokens[i : i + k] if w not in STOPWORDS)
                    if value not in entities:
                        entities.append(value)
                    slot_entity.append(value)
                    slot_word.append(surface)
                elif kind == "c":
                    slot_term.append(-1)
                    terms.append(value)
                    surfaces.append(surface)
                    slot_entity.append(None)
                    slot_word.append(value)
                else:  # a blocked phrase: plain words, no entity
                    for w in tokens[i : i + k]:
                        if w not in STOPWORDS:
                            terms.append(_stem(w))
                            surfaces.append(w)
                        slot_entity.append(None)
                        slot_word.append(w)
                        slot_term.append(-1)
                i += k
                continue
        concept = SYNONYMS.get(word)
        if concept is not None:
            if concept not in _IGNORED_CONCEPTS:
                # giving and getting are one relation seen from two sides; roles tell them apart
                terms.append("~supply" if concept == "~receive" else concept)
                surfaces.append(word)
            slot_word.append(word if concept in ("~supply", "~receive") else concept)
        else:
            if word not in STOPWORDS:
                terms.append(_stem(word))
                surfaces.append(word)
            slot_word.append(word)
        slot_entity.append(None)
        slot_term.append(-1)
        i += 1
    speakers = _speakers(slot_word, slot_entity)
    if speakers:
        # who says it is not what is said: "Blinken says Iran ..." is about Iran, not the US
        drop = {slot_term[j] for j in speakers}
        terms = [t for i, t in enumerate(terms) if i not in drop]
        surfaces = [t for i, t in enumerate(surfaces) if i not in drop]
        for j in speakers:
            slot_entity[j] = None
        entities = [e for e in entities if e in slot_entity]
    roles = _roles(slot_word, slot_entity) if len(entities) >= 1 else ()
    return Analysis(
        text=text,
        terms=tuple(terms),
        surfaces=tuple(surfaces),
        entities=tuple(entities),
        roles=roles,
        extra_terms=tuple(extra),
    )


def _speakers(slots: list[str], ents: list[str | None]) -> list[int]:
    """Slots of entities that speak: "Blinken says", "Kyiv accuses", "according to the UK and France"."""
    out: list[int] = []
    n = len(slots)
    for j in range(n):
        if ents[j] is None:
            continue
        for i in range(j + 1, min(n, j + 4)):
            if slots[i] in _OTHER_SPEAKER:
                break
            if slots[i] in _SAYING:
                after = (
                    slots[i + 2]
                    if i + 2 < n and slots[i + 1] == "that"
                    else slots[i + 1]
                    if i + 1 < n
                    else ""
                )
                # "Iran says it sent ...", "Iran denies sending ...": the speaker is what it speaks of
                if after not in _SELF and not after.endswith("ing"):
                    out.append(j)
                break
    for j in range(n - 1):
        if slots[j] == "according" and slots[j + 1] == "to":
            # "according to the UK France and Germany Iran sent ...": punctuation is gone, so the list
            # ends at the entity after "and"; without "and" it is one entity
            run: list[int] = []
            k = j + 2
            joined = False
            while k < n and (ents[k] is not None or slots[k] in ("the", "and", "both")):
                if ents[k] is not None:
                    run.append(k)
                    if joined or (
                        k + 1 < n and ents[k + 1] is not None and "and" not in slots[k + 1 : k + 4]
                    ):
                        break
                elif slots[k] == "and":
                    joined = True
                k += 1
            out.extend(x for x in run if x not in out)
    return out


def _entity_after(slots: list[str], ents: list[str | None], start: int, stop: int) -> tuple[str | None, int]:
    for j in range(start, min(stop, len(slots))):
        if ents[j] is not None:
            return ents[j], j
        if slots[j] in _ROLE_BREAK or slots[j] in _TO or slots[j] in _BY or slots[j] in _FROM:
            return None, j
    return None, -1


def _entity_before(slots: list[str], ents: list[str | None], start: int, stop: int) -> str | None:
    for j in range(start, max(stop, -1), -1):
        if ents[j] is not None:
            # "from Iran", "by Iran", "to Iran" introduce another role, not the subject
            if j > 0 and (slots[j - 1] in _FROM or slots[j - 1] in _BY or slots[j - 1] in _TO):
                return None
            return ents[j]
        if slots[j] in (".", ";"):
            return None
    return None


def _marked(
    slots: list[str], ents: list[str | None], markers: frozenset[str], start: int, stop: int
) -> str | None:
    for j in range(start, min(stop, len(slots)) - 1):
        if slots[j] in markers:
            k = j + 1
            if k < len(slots) and slots[k] == "the":
                k += 1
            if k < len(slots) and ents[k] is not None:
                return ents[k]
    return None


def _roles(slots: list[str], ents: list[str | None]) -> tuple[Role, ...]:
    found: list[Role] = []
    n = len(slots)
    for v, word in enumerate(slots):
        concept = SYNONYMS.get(word)
        if word in _GET and not (v + 1 < n and slots[v + 1] in _SUPPLY_PARTICIPLES):
            concept = "~receive"  # "Moscow got drones from Tehran"; "got armed by" is a passive
        if concept not in ("~supply", "~receive"):
            continue
        lo, hi = max(0, v - _WINDOW), min(n, v + _WINDOW + 1)
        after_to = _marked(slots, ents, _TO, v + 1, hi + 3)
        after_from = _marked(slots, ents, _FROM, max(0, v - 3), hi + 3)
        after_by = _marked(slots, ents, _BY, v + 1, hi + 3)
        before = _entity_before(slots, ents, v - 1, lo - 1)
        passive = word in _SUPPLY_PARTICIPLES and (
            after_by is not None or (v > 0 and slots[v - 1] in _BE and concept == "~supply")
        )
        actor: str | None
        recipient: str | None
        if concept == "~supply":
            if passive:
                actor = after_by or after_from
                if after_to is not None:
                    # "Iranian missiles were delivered to Russia": the subject is the thing sent
                    recipient = after_to
                    actor = actor or before
                else:  # "Russia was armed by Iran"
                    recipient = before if slots[v - 1] in _BE else None
            else:
                actor = before or after_from
                recipient = after_to
                if recipient is None:
                    direct, _ = _entity_after(slots, ents, v + 1, v + 3)
                    recipient = direct  # "armed Russia", "gave Russia missiles"
            # "Iranian missiles sent to Russia": the maker named just before the weapon
        else:  # receiving: the subject gets, "from X" gives
            recipient = before
            actor = after_from
        if actor == recipient:
            recipient = None if actor is not None else recipient
        if actor is not None or recipient is not None:
            role = Role(actor, recipient)
            if role not in found:
                found.append(role)
    if not found and any(SYNONYMS.get(w) == "~supply" for w in slots):
        # "missile transfers from Tehran to Moscow" without a verb form we know
        src = _marked(slots, ents, _FROM, 0, n)
        dst = _marked(slots, ents, _TO, 0, n)
        if src is not None and dst is not None and src != dst:
            found.append(Role(src, dst))
    givers = {r.recipient: r.actor for r in found if r.recipient is not None and r.actor is not None}
    for doer in _doers(slots, ents):
        doer = givers.get(doer, doer)  # "Russia received missiles from Iran": Iran is the one acting
        role = Role(doer, None, "do")
        if role not in found:
            found.append(role)
    return tuple(found)


def _doers(slots: list[str], ents: list[str | None]) -> list[str]:
    """The doer, or two joined by "and" ("Russia and Iran signed ...": the relation is mutual)."""
    doer = _doer(slots, ents)
    if doer is None:
        return []
    j = ents.index(doer)
    for k in range(j + 1, min(len(slots) - 1, j + 3)):
        if slots[k] == "and" and ents[k + 1] is not None and ents[k + 1] != doer:
            return [doer, ents[k + 1]]  # type: ignore[list-item]
    return [doer]


def _doer(slots: list[str], ents: list[str | None]) -> str | None:
    """Who acts in a sentence without a transfer verb: "by X" in a passive, else the first subject.

    "Ukraine deported Russian children" and "Russia deported Ukrainian children" name the same
    parties; only the doer tells them apart. A party that speaks ("Kyiv says ...") is not the doer.
    """
    n = len(slots)
    for j in range(n - 1):
        if slots[j] in _BY:
            k = j + 1
            while k < n and k <= j + 2 and slots[k] in _ARTICLES:
                k += 1
            if k < n and ents[k] is not None:
                return ents[k]
    for j in range(n):
        if ents[j] is None:
            continue
        k = j - 1
        while k >= 0 and slots[k] in _ARTICLES:
            k -= 1
        if k >= 0 and slots[k] in _PREPOSITIONS:
            continue
        if any(slots[i] in _SAYING for i in range(j + 1, min(n, j + 4))):
            continue
        return ents[j]
    return None


def describe_entities(entities: Iterable[str], names: Mapping[str, str] = ENTITY_NAMES) -> str:
    """Display names for canonical entities, comma separated."""
    return ", ".join(names.get(e, e) for e in entities)
