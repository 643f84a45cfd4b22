"""Who a text is about and who does what to whom, for any claim: parties and their roles.

The alias tables know the parties of many news stories (countries with their capitals, demonyms,
governments and leaders); a claim a curator adds tomorrow names others: a company, a court, a
person, a town. So parties are read from the text itself, with general rules:

* **Names**: a phrase the lexicon knows (``Quito`` -> Ecuador, ``Peruvian`` -> Peru), a run of
  capitalised words (``Acme Holdings``, ``Judge Maria Silva`` -> ``maria silva``), an acronym
  (``WHO``); in a lower-case message, the names the claim itself uses (passed in as ``known``).
* **Roles**, from English word order and prepositions, in two sides that a transfer, an attack or a
  ruling all have: the *giver* side (the subject of an active verb, "by X", "from X") and the
  *receiver* side (an object, "to X", "against X", "on X", the subject of a passive or of a verb of
  receiving: "Peru received rifles from Ecuador"). A party that only speaks ("Peru says ...",
  "according to Chile") has no role in what is said; one named as a place or topic ("in Lima",
  "of Peru") is a modifier that a claim can be stated without.

:func:`compare` then says, for a claim and a message, which of the claim's parties the message
leaves out, which it replaces by another of the same kind, and whether it reverses who did what to
whom. The word lists are general English grammar and live in ``claims_db/data/roles.json``.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz

from ..language import detect
from .analyze import ALIASES, ENTITY_NAMES
from .lexicon import lexicon
from .normalize import fold_accents, signoff_author, strip_signoff

__all__ = ["Party", "PartyCheck", "Reading", "check", "compare", "read", "read_claim"]

GIVER = "giver"
RECEIVER = "receiver"
NONE = "none"  # a party of what is said whose side the words do not show
MODIFIER = "modifier"
SPEAKER = "speaker"
CORE = frozenset({GIVER, RECEIVER, NONE})
SHORT_WORDS = 30  # up to this many words a message is one statement, read whole


def _load() -> dict[str, object]:
    raw = resources.files("claims_db").joinpath("data/roles.json").read_text(encoding="utf-8")
    data: dict[str, object] = json.loads(raw)
    return data


_DATA = _load()


def _load_common() -> frozenset[str]:
    raw = resources.files("claims_db").joinpath("data/common_words.txt").read_text(encoding="utf-8")
    return frozenset(w for w in raw.split() if not w.startswith("#"))


_COMMON = _load_common()
_MARKERS: dict[str, str] = {}
_MULTI_MARKERS: dict[tuple[str, ...], str] = {}
for _role, _words in dict(_DATA["markers"]).items():  # type: ignore[call-overload]
    if _role.startswith("_"):
        continue
    for _w in _words:
        if " " in _w:
            _MULTI_MARKERS[tuple(_w.split())] = _role
        else:
            _MARKERS[_w] = _role


def _set(name: str) -> frozenset[str]:
    return frozenset(str(w) for w in _DATA[name])  # type: ignore[attr-defined]


_RECEIVE = _set("receive_verbs")
_GIVE = _set("give_verbs")
_SAYING = _set("saying_verbs")
_ACCUSE = _set("accuse_verbs")
_BE = frozenset(w for w in _set("be_forms") if " " not in w)
_PARTICIPLES = _set("irregular_participles")
_VERBS = _set("common_verbs")
_PASSIVE_ADVERBS = frozenset({"also", "reportedly", "allegedly", "not", "never"})  # "was reportedly sold"
# short past forms of the verbs the reader knows ("sued", "led"): participles too, though the "-ed"
# rule below leaves words of four letters or fewer out ("bed", "shed", "red")
_SHORT_ED = frozenset(w for w in _RECEIVE | _SAYING | _ACCUSE | _VERBS if w.endswith("ed") and len(w) <= 4)
_TITLES = _set("titles")
_ORG_CUES = _set("organisation_cues")
_CONNECTORS = _set("name_connectors") - {"and"}
_NOT_NAMES = _set("not_names")
_NAME_OPENERS = _set("name_openers")
# a claim's text reads a title-case chat word in mid-sentence as a name in frame_replace (see
# _name_runs); a module flag so that a benchmark can measure the rule switched off
_CURATED_NAMES = True
# a side flipped and said by a verb in both texts is a reversal beside other parties too (_reversals);
# a module flag so that a benchmark can measure the rule switched off
_BOTH_SIDES_SAID = True
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "their",
        "his",
        "her",
        "our",
        "this",
        "that",
        "these",
        "those",
        "some",
        "any",
        "every",
        "no",
        "my",
        "your",
    ]
)
_SELF = frozenset({"it", "they", "itself", "themselves", "he", "she", "we", "having"})
_JOIN = frozenset({"and", "&", "or", "nor", ","})
_ORG_SUFFIXES = frozenset({"inc", "corp", "co", "ltd", "llc", "plc", "sa", "ag", "gmbh", "the"})


@dataclass(frozen=True, slots=True)
class Party:
    """One party named in a text.

    ``key`` is canonical: the lexicon's entity (``peru``) or the name in lower case without titles,
    articles or company suffixes (``acme holdings``); ``names`` are its distinctive words, so that
    "Silva" finds "Maria Silva".
    """

    key: str
    surface: str
    kind: str  # country, organisation, person, other
    role: str  # giver, receiver, none, modifier, speaker
    names: frozenset[str]
    known: bool = False  # from the lexicon
    optional: bool = False  # a target ("against X") or a demonym qualifying a noun ("Russian cruiser")
    stands_for: str | None = None  # the state a person from the lexicon stands for
    # the role is said by a word (a preposition, a verb of receiving or of giving), not only by the
    # party's place in the sentence: "to Iran", "Iran received", "Iran sent"; not "Iran" before
    # another verb or a passive
    marked: bool = False
    # the side is said by a verb (of giving or of receiving) the party is the subject of, not by a
    # preposition: "Iran sent", "Iran received"; not "to Iran", "officials from Kuwait"
    by_verb: bool = False

    @property
    def surely_read(self) -> bool:
        """A name read surely even in loose text: one of the lexicon, or a person's full name (not
        capitalised headline words that happen to look like a name)."""
        return self.known or (self.kind == "person" and len(self.names) >= 2)

    @property
    def required(self) -> bool:
        """A message must name this party to state the claim: one who acts or is acted on, of a
        kind a reader names reliably (a country, an organisation, a person); a product, a place or
        a date named in passing ("Shahed drones", "in Kursk") may be left out, though not replaced."""
        sides = self.role in CORE or self.role == SPEAKER
        return not self.optional and sides and self.kind in ("country", "organisation", "person")

    @property
    def display(self) -> str:
        return ENTITY_NAMES.get(self.key, self.surface) if self.known else self.surface


@dataclass(frozen=True, slots=True)
class Reading:
    """The parties of one text, in order of mention (one per key: its most telling role)."""

    parties: tuple[Party, ...]
    words: int = 0

    @property
    def core(self) -> tuple[Party, ...]:
        """The parties of what is said: not speakers, not places or topics named in passing."""
        return tuple(p for p in self.parties if p.role in CORE)

    def known_names(self) -> dict[str, Party]:
        """Lower-case phrases and words by which a message may name these parties, even in lower
        case or misspelt ("acme holdings", "okafor", "ukrane" for a claim naming Ukraine)."""
        out: dict[str, Party] = {}
        for p in self.parties:
            if p.known:
                for word in p.surface.lower().replace("'s", "").split():
                    if len(word) >= 5:
                        out.setdefault(word, p)
                continue
            out.setdefault(p.key, p)
            for w in p.names:
                if len(w) >= 3:
                    out.setdefault(w, p)
        return out


@dataclass(frozen=True, slots=True)
class PartyCheck:
    """How a message's parties agree with a claim's."""

    missing: tuple[Party, ...] = ()  # claim parties the message does not name
    replaced: tuple[tuple[Party, Party], ...] = ()  # (claim party, the message's party in its place)
    reversed: tuple[Party, ...] = ()  # parties the message puts on the other side
    present: int = 0  # claim parties the message names
    claim_parties: int = 0
    extra: tuple[Party, ...] = ()  # message parties the claim does not name
    # (a name of the claim, the name standing between the same words in its place): see frame_replace
    framed: tuple[str, str] | None = None
    # (two names of the claim) exchanged in the claim's own frame: see name_exchange
    exchanged: tuple[str, str] | None = None

    @property
    def agrees(self) -> bool:
        return not (self.missing or self.replaced or self.reversed or self.framed or self.exchanged)

    def why(self) -> str:
        """What disagreed, in words; empty when all agree."""
        notes = []
        if self.reversed:
            notes.append("who did what to whom is reversed")
        if self.exchanged:
            notes.append(f"{self.exchanged[0].title()} and {self.exchanged[1].title()} exchange places")
        if self.framed:
            notes.append(f"names {self.framed[1].title()} where the claim names {self.framed[0].title()}")
        if self.replaced:
            notes.append("; ".join(f"names {m.display} instead of {c.display}" for c, m in self.replaced))
        rest = [c for c in self.missing if all(c is not r for r, _ in self.replaced)]
        if rest:
            notes.append("does not name " + ", ".join(c.display for c in rest))
        return "; ".join(notes)


# --- tokens ---------------------------------------------------------------------------------------

_CLEAN = re.compile(
    r"(?:https?://|www\.)\S+|\bpic\.twitter\.com/\S+|\b[\w.-]+\.(?:com|org|net|ly|be|co)/\S*"
    r"|<[@#/:!&a-z][^>\s]{0,80}>|#\w+|(?:@\w+[\s,]*){2,}$|[*_~|`>\[\]()\"\u201c\u201d]+",
    re.I,
)
_US = re.compile(r"(?<![\w.])(?:U\.S\.A\.?|U\.S\.|U\.S(?![\w.])|USA(?!\w)|US(?!\w)|U\.K\.?(?!\w))")
_THE_US = re.compile(r"(?:^|(?<=\s))the us\b(?!-)|^us\b(?= \w+ed\b)", re.I)
_TOKEN = re.compile(r"[^\W_](?:[\w'\u2019&.-]*[^\W_])?|[.!?;:\n,]")
_BREAK = frozenset(".!?;:\n")


# words written with a full stop that ends no sentence, and the one-word titles
_ABBREVIATIONS = _set("abbreviations") | {t for t in _TITLES if " " not in t}
_TAG = re.compile(r"[@#](\w{1,60})")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _split_tag(m: re.Match[str]) -> str:
    return " " + _CAMEL.sub(" ", m[1]).replace("_", " ") + " "


def _tokens(text: str) -> list[str]:
    if "(@" in text:
        text = strip_signoff(text)  # who posted a tweet is not a party of what it says
    if not text.isascii():
        text = fold_accents(unicodedata.normalize("NFKC", text))
    text = _CLEAN.sub(" ", text)
    if "@" in text or "#" in text:
        text = _TAG.sub(_split_tag, text)
    text = _US.sub(lambda m: " UK " if "K" in m[0] else " USA ", text)
    text = _THE_US.sub(" the USA", text)  # chat in lower case: "the us" is the country
    if text[:3] == "us ":  # and so is "us" opening a message, as normalize reads it
        text = "USA " + text[3:]
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        tok = tok.replace("\u2019", "'")
        if tok == ".":
            prev = out[-1] if out else ""
            # "Mr.", "U.S.", "J." and "Jr." are no sentence end
            short_for = (len(prev) == 1 and prev.isupper()) or "." in prev or prev.lower() in _ABBREVIATIONS
            if prev and prev not in _BREAK and not short_for:
                out.append(".")
            continue
        out.append(tok)
    return [t for t in out if t]


# the small words a headline leaves in lower case ("Did Obama Block Reporters from the Briefings?")
_HEADLINE_SMALL = _set("headline_small_words")


def _headline(toks: Sequence[str]) -> bool:
    """Is this stretch of tokens Written Like A Headline: three or more words of three letters or
    more besides a headline's small words, nearly all capitalised?"""
    words = [t for t in toks if t.isalpha() and len(t) >= 3 and t.lower() not in _HEADLINE_SMALL]
    return len(words) >= 3 and sum(_is_cap(w) for w in words) / len(words) >= 0.9


def _title_case(toks: list[str]) -> list[bool]:
    """Per token: is it in a sentence Written Like A Headline, where capitals say nothing? A text
    written so throughout counts whole, its short sentences too ("... Veils In Public. Do You
    Support This?")."""
    if _headline(toks):
        return [True] * len(toks)
    flags = [False] * len(toks)
    start = 0
    for end in [*(i for i, t in enumerate(toks) if t in _BREAK), len(toks)]:
        if _headline(toks[start:end]):
            for i in range(start, end):
                flags[i] = True
        start = end + 1
    return flags


def _bare(tok: str) -> str:
    low = tok.lower()
    if low.endswith("'s"):
        return low[:-2]
    if low.endswith("'"):
        return low[:-1]
    return low


@lru_cache(maxsize=1)
def _phrases() -> tuple[dict[str, list[tuple[tuple[str, ...], str]]], int]:
    """First word -> (alias words, alias) of every lexicon alias, longest first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    longest = 1
    for alias in ALIASES:
        words = tuple(alias.split())
        table.setdefault(words[0], []).append((words, alias))
        longest = max(longest, len(words))
    for options in table.values():
        options.sort(key=lambda o: len(o[0]), reverse=True)
    return table, longest


@lru_cache(maxsize=8192)
def _entity(alias: str) -> tuple[str, str, str | None]:
    """(key, kind, stands_for) of a lexicon alias.

    A person keeps their own identity and stands for their state ("Putin" is Vladimir Putin, who
    stands for Russia): a message may name the person for the state, never another person for the
    person. A capital or a seat of government is the state ("Quito", "the Kremlin").
    """
    lex = lexicon()
    key = lex.entity_key(alias)
    canonical = ALIASES[alias]
    if key is None:
        return canonical, "country", None
    kind = lex.kind(key)
    if kind == "person":
        return key, "person", canonical if canonical != key else None
    if kind == "place" and canonical != key:
        return canonical, lex.kind(canonical) if canonical in lex.entities else "country", None
    return canonical, kind, None


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


def _is_acronym(tok: str) -> bool:
    letters = tok.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()


def _not_name(word: str) -> bool:
    """A word that never names a party, or a compound of such words ("twenty-one", "one-two")."""
    return word in _NOT_NAMES or ("-" in word and all(part in _NOT_NAMES for part in word.split("-")))


def _opens_name(toks: Sequence[str], low: Sequence[str], i: int, *, at_start: bool) -> bool:
    """A word that names no one alone but opens a name written with capitals in mid-sentence
    ("the New York Times", "Real Madrid", "the First Amendment")."""
    return (
        low[i] in _NAME_OPENERS
        and not at_start
        and i + 1 < len(toks)
        and toks[i + 1] not in _BREAK
        and _is_cap(toks[i + 1])
    )


def _shouted(tok: str) -> bool:
    """A word in capitals for emphasis ("INFORMATION", "SILENT"), not an acronym."""
    return len(tok) > 6 and tok.isupper()


def _kind(words: Sequence[str]) -> str:
    low = [w.lower() for w in words]
    if any(w in _ORG_CUES for w in low) or (len(words) == 1 and _is_acronym(words[0])):
        return "organisation"
    if 2 <= len(words) <= 3 and all(w.isalpha() for w in words):
        return "person"
    return "other"


def _participle(tok: str) -> bool:
    return tok in _PARTICIPLES or tok in _SHORT_ED or (len(tok) > 4 and tok.endswith("ed"))


# --- reading --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    key: str
    surface: str
    kind: str
    names: frozenset[str]
    known: bool
    role: str = NONE
    optional: bool = False
    stands_for: str | None = None
    place: str | None = None  # the city a capital names ("moscow"), read as its state unless in passing
    marked: bool = False  # see Party.marked
    by_verb: bool = False  # see Party.by_verb


class _Known:
    """A claim's names as :func:`_known_at` looks them up: by phrase, by a phrase's first word,
    and the one-word names long enough to be found misspelt."""

    __slots__ = ("firsts", "fuzzy", "names")

    def __init__(self, known: Mapping[str, Party]) -> None:
        self.names = dict(known)
        self.firsts = frozenset(name.split(" ", 1)[0] for name in known)
        self.fuzzy = [(name, party) for name, party in known.items() if " " not in name and len(name) >= 5]


def _known_at(low: Sequence[str], i: int, known: _Known) -> tuple[int, Party] | None:
    """A name of the claim's at ``low[i]``: the longest phrase, else one word spelt nearly so."""
    word = low[i]
    if word in known.firsts:
        for k in range(min(4, len(low) - i), 0, -1):
            phrase = " ".join(low[i : i + k])
            party = known.names.get(phrase)
            if party is not None and not (k == 1 and phrase in _NOT_NAMES):
                return k, party
    if len(word) >= 5 and word not in _COMMON and word.isalpha():
        size = len(word)
        for name, party in known.fuzzy:
            # a ratio of 85 needs lengths within 15% of their sum: skip the rest without scoring
            if 200 * min(size, len(name)) >= 85 * (size + len(name)) and fuzz.ratio(word, name) >= 85:
                return 1, party
    return None


@dataclass(frozen=True, slots=True)
class _Prepared:
    """What reading a text needs that does not depend on the claim it is read against."""

    toks: tuple[str, ...]
    low: list[str]  # bare, lower case, foreign inflections read as the lexicon's alias
    cased: bool  # written in mixed case, so capitals mark names
    headline: list[bool]
    capitalised_later: frozenset[str]
    # per token: no name can start here but a claim's own (lower case, no lexicon phrase starts
    # with it, no sentence break), and whether a claim's name could be found in it misspelt
    plain: tuple[bool, ...]
    fuzzable: tuple[bool, ...]


@lru_cache(maxsize=8192)
def _prepare(text: str) -> _Prepared:
    """Cached: a message is read against each candidate claim's names, and a claim for every
    message that reaches it; the tokens, the case and the language are the same each time."""
    toks = _tokens(text)
    if text.isascii():  # every upper-case ASCII character is a letter
        letters, upper = sum(map(str.isalpha, text)), sum(map(str.isupper, text))
    else:
        alpha = [c for c in text if c.isalpha()]
        letters, upper = len(alpha), sum(c.isupper() for c in alpha)
    cased = letters > 0 and upper / letters < 0.6 and upper > 0
    # names in other languages, inflected ("России", "لروسيا"), read as the lexicon's alias
    low = lexicon().base_forms([_bare(t) for t in toks], detect(text))
    n = len(toks)
    later = frozenset(low[j] for j in range(1, n) if toks[j - 1] not in _BREAK and _is_cap(toks[j]))
    table, _ = _phrases()
    plain = tuple(t not in _BREAK and low[i] not in table and not _is_cap(t) for i, t in enumerate(toks))
    fuzzable = tuple(len(w) >= 5 and w not in _COMMON and w.isalpha() for w in low)
    headline = _title_case(toks) if cased else [True] * n
    return _Prepared(tuple(toks), low, cased, headline, later, plain, fuzzable)


def _mentions(prepared: _Prepared, claim_names: Mapping[str, Party]) -> list[_Mention]:
    table, _ = _phrases()
    known = _Known(claim_names) if claim_names else None
    toks, low, cased, headline = prepared.toks, prepared.low, prepared.cased, prepared.headline
    capitalised_later, plain, fuzzable = prepared.capitalised_later, prepared.plain, prepared.fuzzable
    firsts = known.firsts if known is not None else frozenset()
    out: list[_Mention] = []
    i, n = 0, len(toks)
    sentence_start = True
    prefix: int | None = None  # "Vladimir" of "Vladimir Putin": the start of the lexicon's mention
    while i < n:
        if plain[i] and (known is None or (low[i] not in firsts and not (known.fuzzy and fuzzable[i]))):
            prefix = None  # a lower-case word no name starts with: what the steps below conclude
            sentence_start = False
            i += 1
            continue
        tok = toks[i]
        if tok in _BREAK:
            sentence_start = True
            i += 1
            continue
        # 1. the lexicon (countries, capitals, demonyms, governments, leaders)
        hit = None
        for words, alias in table.get(low[i], ()):
            k = len(words)
            if tuple(low[i : i + k]) == words:
                hit = (k, alias)
                break
        claim_name = _known_at(low, i, known) if known else None
        if claim_name is not None and (hit is None or claim_name[0] > hit[0]):
            k, party = claim_name  # "iran air" of a claim naming Iran Air, not Iran
            out.append(
                _Mention(i, i + k, party.key, " ".join(toks[i : i + k]), party.kind, party.names, party.known)
            )
            i += k
            prefix = None
            sentence_start = False
            continue
        if hit is not None and cased and not headline[i]:
            after = i + hit[0]
            if after < n and _is_cap(toks[after]) and low[after] in _ORG_CUES and low[after] not in table:
                hit = None  # "Iran Air", "Kenya Airways": a company named after its country
        if hit is not None:
            k, alias = hit
            key, kind, stands_for = _entity(alias)
            start = prefix if prefix is not None else i
            mention = _Mention(start, i + k, key, " ".join(toks[i : i + k]), kind, frozenset({key}), True)
            mention.stands_for = stands_for
            raw = lexicon().entity_key(alias)
            if raw is not None and raw != key and lexicon().kind(raw) == "place":
                mention.place = raw
            out.append(mention)
            i += k
            prefix = None
            sentence_start = False
            continue
        prefix = None
        # 2. a run of capitalised words, or an acronym
        found = None
        if (
            found is None
            and (not headline[i] or _is_acronym(tok))
            and _is_cap(tok)
            and not _shouted(tok)
            and len(tok) > 1
            and (not _not_name(low[i]) or _opens_name(toks, low, i, at_start=sentence_start))
            and not tok[0].isdigit()
        ):
            j = i + 1
            while j < n and not headline[i]:
                if toks[j] in _BREAK:
                    break
                if _is_cap(toks[j]) and not (_is_acronym(toks[j]) and not _is_acronym(toks[j - 1])):
                    if low[j] in table and low[j] not in _ORG_CUES:
                        if j - i <= 2 and all(_bare(w) not in _ORG_CUES for w in toks[i:j]):
                            prefix = i  # "Joe Biden", "President Biden": the lexicon names the rest
                        break  # "Ecuador Peru": two parties side by side
                    j += 1
                    continue
                if low[j] in _CONNECTORS and j + 1 < n and _is_cap(toks[j + 1]) and low[j + 1] not in table:
                    j += 2
                    continue
                break
            opener = sentence_start and j - i == 1 and low[i] in _COMMON and low[i] not in capitalised_later
            if prefix is not None:
                i = j  # on to the lexicon's name, which takes the first names with it
                continue
            if j - i >= 2 and all(t.isupper() for t in toks[i:j]):
                opener = True  # "SECOND AND THIRD HAND": shouting, not a name
            if j > i and not opener:  # "Reportedly", "Vaccines": a capital only because a sentence starts
                found = j - i
        if not found:
            sentence_start = False
            i += 1
            continue
        core = toks[i : i + found]
        titled = False
        while len(core) > 1 and (_bare(core[0]) in _TITLES or (titled and _bare(core[0]) == "of")):
            titled = True
            core = core[1:]  # "President Maria Silva", "Judge Ito", "the CEO of | Wendy's"
        if len(core) == 1 and _bare(core[0]) in _TITLES:
            core = ()  # "President": a role, not a name
        while core and _bare(core[0]) in _ORG_SUFFIXES:
            core = core[1:]
        if not core:
            i += found
            sentence_start = False
            continue
        parts = [_bare(w) for w in core]
        key_parts = [p for p in parts if p not in _ORG_SUFFIXES] or parts
        key = " ".join(key_parts)
        names = frozenset(p for p in key_parts if p not in _NOT_NAMES and p not in _ORG_CUES and len(p) > 1)
        out.append(_Mention(i, i + found, key, " ".join(core), _kind(core), names or frozenset({key}), False))
        i += found
        sentence_start = False
    return out


def _mark_givers(subjects: Sequence[_Mention]) -> None:
    """The subject of a verb of giving is the giver by a word ("Iran sent"), not by its place alone."""
    for sub in subjects:
        if sub.role == GIVER:
            sub.marked = sub.by_verb = True


def _assign_roles(toks: Sequence[str], mentions: list[_Mention]) -> None:
    low = [_bare(t) for t in toks]
    at = {m.start: m for m in mentions}
    inside = {j for m in mentions for j in range(m.start, m.end)}
    n = len(toks)

    def marker_before(m: _Mention) -> str | None:
        j = m.start - 1
        while j >= 0 and (
            low[j] in _DETERMINERS or low[j] == "," or (j not in inside and low[j].endswith("ern"))
        ):
            j -= 1  # "to the", "to its", "in northern", "from, iran"
        if j < 0:
            return None
        if j >= 1 and (low[j - 1], low[j]) in _MULTI_MARKERS:
            return _MULTI_MARKERS[(low[j - 1], low[j])]
        if low[j] == "to" and j >= 1 and low[j - 1] == "according":
            return SPEAKER
        return _MARKERS.get(low[j])

    # clauses: a sentence, restarted after a saying or accusing verb ("Peru says Chile sold ...")
    subjects: list[_Mention] = []  # the subject: "Malaysia Airlines flight MH17", "Iran and Russia"
    verb_seen = False
    passive = False
    receiving = False
    # in a passive, who comes after "by" accuses ("Solvara was sued by Halvard") or receives ("the
    # stake was bought by Zambia") when the verb is one of accusing or of receiving
    by_role: str | None = None

    def after_be(i: int) -> bool:
        k = i - 1
        while k >= 0 and low[k] in _PASSIVE_ADVERBS:
            k -= 1
        return k >= 0 and (low[k] in _BE or low[k] == "been")

    last: _Mention | None = None
    closed = False  # the last name closed a list ("... and Germany"): the next one starts anew
    j = 0
    while j < n:
        tok = low[j]
        if toks[j] in _BREAK:
            subjects, verb_seen, passive, receiving, last, by_role = [], False, False, False, None, None
            j += 1
            continue
        m = at.get(j)
        if m is None:
            if j in inside:
                j += 1
                continue
            if tok in _ACCUSE and _participle(tok) and after_be(j):
                # "Solvara was sued by Halvard": the one accused stays the doer of what it is
                # accused of, as in "Halvard sued Solvara"; the one after "by" accuses
                for sub in subjects:
                    if sub.role in (RECEIVER, NONE):
                        sub.role = GIVER
                passive, by_role, verb_seen = False, SPEAKER, True
                j += 1
                continue
            if tok in _RECEIVE and _participle(tok) and after_be(j):
                by_role = RECEIVER  # "the missiles were received by Russia": Russia receives
            if tok in _SAYING or tok in _ACCUSE:
                speakers = subjects if not verb_seen else []
                nxt = low[j + 1] if j + 1 < n else ""
                if nxt == "that" and j + 2 < n:
                    nxt = low[j + 2]
                own = nxt in _SELF or nxt.endswith("ing")
                for sp in speakers:
                    # "Iran denies sending missiles": the speaker is also the doer of what it denies,
                    # the one receiving in "Zambia denies buying a stake"
                    sp.role = (RECEIVER if nxt in _RECEIVE else GIVER) if own else SPEAKER
                    if own and (nxt in _RECEIVE or nxt in _GIVE):
                        sp.marked = sp.by_verb = True  # a verb says the side
                passive, receiving, last = False, False, None
                subjects = speakers if own else []
                verb_seen = bool(own and speakers)
                j += 1
                continue
            if subjects and not verb_seen and tok not in _DETERMINERS:
                if tok in _BE or tok in {"has", "have", "had"}:
                    k = j + 1
                    while k < n and (low[k] in _BE or low[k] in _PASSIVE_ADVERBS):
                        k += 1
                    if k < n and _participle(low[k]) and (tok in _BE or low[j + 1] == "been"):
                        passive = True
                        verb_seen = True
                        adjacent = subjects[-1].end == j
                        for sub in subjects:
                            if sub.role == GIVER:
                                sub.role = RECEIVER if adjacent else NONE
                        j += 1
                        continue
                    if k < n and len(low[k]) > 4 and low[k].endswith("ing"):
                        verb_seen = True  # "Russia is using ...", "Quito has been selling ..."
                        if low[k] in _GIVE:
                            _mark_givers(subjects)
                    if tok not in _RECEIVE:  # "gets" is a verb of receiving when no participle follows
                        j += 1
                        continue
                if tok in _RECEIVE:
                    receiving = verb_seen = True
                    for sub in subjects:
                        if sub.role == GIVER:
                            sub.role, sub.marked, sub.by_verb = RECEIVER, True, True
                elif (
                    _participle(tok)
                    or tok in _VERBS
                    or tok in _GIVE
                    or (len(tok) > 4 and tok.endswith("ing"))
                ):
                    verb_seen = True
                    if tok in _GIVE:
                        _mark_givers(subjects)
            elif not subjects and tok in _RECEIVE:
                receiving = verb_seen = True
            elif not subjects and tok not in _DETERMINERS and tok not in _NOT_NAMES:
                verb_seen = verb_seen or _participle(tok)
            if tok not in _JOIN and tok != ",":
                last = None if tok not in _DETERMINERS else last
            j += 1
            continue
        marker = marker_before(m)
        joined = marker is None and last is not None and m.start >= 1 and low[m.start - 1] in _JOIN
        after_list, closed = closed, False
        if joined and after_list and low[m.start - 1] == ",":
            joined = False  # "According to A, B and C, Iran sent ...": the list ended at "and C"
        # a list of speakers written without commas ("according to the uk france and germany iran
        # sent ..."): a name right after a speaker's, with the list going on after it, is one more
        going_on = m.end < n and (low[m.end] in ("and", "or", ",") or m.end in at)
        listed = marker is None and last is not None and last.role == SPEAKER and m.start == last.end
        if listed and not after_list and going_on:
            m.role = SPEAKER
        elif joined and last is not None:
            m.role, m.marked, m.by_verb = last.role, last.marked, last.by_verb
            if last in subjects:
                subjects.append(m)
            closed = low[m.start - 1] in ("and", "or")
        elif marker == SPEAKER:
            m.role = SPEAKER
        elif marker == "recipient":
            m.role, m.marked = RECEIVER, True
        elif marker == "target":
            m.role, m.marked = RECEIVER, True
            m.optional = True
        elif marker == "agent" and by_role is not None:
            m.role, m.marked = by_role, by_role == RECEIVER
        elif marker == "source" or marker == "agent":
            m.role, m.marked = GIVER, True
        elif marker == "modifier":
            m.role = MODIFIER
        elif not subjects:
            # the first party not introduced by a preposition acts ("Is it true Peru ...")
            subjects = [m]
            m.role = RECEIVER if (receiving or passive) else GIVER
            m.marked = receiving  # not by_verb: a verb before a party is not its subject ("who bought X's")
            if passive or receiving:
                verb_seen = False
        elif not verb_seen and m.start - subjects[-1].end <= 2:
            m.role = subjects[-1].role  # "Malaysia Airlines flight MH17 was ...": one subject
            subjects.append(m)
        else:
            m.role = RECEIVER if not passive else NONE
        if m.known and _qualifies(m, toks, low):
            m.optional = True
        last = m
        j = m.end


_DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "ic", "i", "an", "ch")


def _qualifies(m: _Mention, toks: Sequence[str], low: Sequence[str]) -> bool:
    """Does the mention qualify the noun or name after it: a demonym ("the Russian cruiser
    Moskva"), or a state before an office or a body ("U.S. President Donald Trump", "U.S. Army")?"""
    if m.end >= len(toks):
        return False
    word = _bare(toks[m.end - 1])
    nxt_word = low[m.end]
    if m.kind == "country" and _is_cap(toks[m.end]) and (nxt_word in _TITLES or nxt_word in _ORG_CUES):
        return True
    if not word.endswith(_DEMONYM_ENDINGS) or word == m.key.replace("-", " "):
        return False
    nxt = low[m.end]
    return (
        nxt.isalpha()
        and not _is_cap(toks[m.end])
        and nxt not in _BE
        and nxt not in _JOIN
        and nxt not in _VERBS
    )


def read(text: str, *, known: Mapping[str, Party] | None = None) -> Reading:
    """The parties of ``text`` with their roles.

    Parameters
    ----------
    text
        A claim or a message as written (capitals help find names).
    known
        Names to find even where the text is written in lower case or misspelt (a claim's
        parties, :meth:`Reading.known_names`, when reading a message about it).
    """
    return _read(text, tuple(known.items()) if known else ())


@lru_cache(maxsize=8192)
def _read(text: str, known: tuple[tuple[str, Party], ...]) -> Reading:
    """Cached for :func:`read`: a message is read against the names of its best claim text and
    of the statement, which are often the same."""
    toks, cached = _mentions_of(text, known)
    mentions = [dataclasses.replace(m) for m in cached]  # roles are assigned to fresh copies
    _assign_roles(toks, mentions)
    for m in mentions:
        if m.place is not None and m.role == MODIFIER:
            # a capital named in passing is the city, not its state ("in the Moscow region" is no
            # party Russia); it still stands for the state where a text names only the state
            m.stands_for, m.key, m.kind, m.names = m.key, m.place, "place", frozenset({m.place})
    rank = {GIVER: 0, RECEIVER: 0, NONE: 1, MODIFIER: 2, SPEAKER: 3}
    best: dict[str, _Mention] = {}
    for m in mentions:
        old = best.get(m.key)
        if old is None or rank[m.role] < rank[old.role]:
            best[m.key] = m
    order = sorted(best.values(), key=lambda m: m.start)
    return Reading(
        tuple(
            Party(
                m.key,
                m.surface,
                m.kind,
                m.role,
                m.names,
                m.known,
                m.optional,
                m.stands_for,
                m.marked,
                m.by_verb,
            )
            for m in order
        ),
        words=sum(t not in _BREAK and t != "," for t in toks),
    )


@lru_cache(maxsize=8192)
def _mentions_of(
    text: str, known: tuple[tuple[str, Party], ...]
) -> tuple[tuple[str, ...], tuple[_Mention, ...]]:
    """Cached: a message is read once for its party check and again for the frame check
    (:func:`frame_swap`)."""
    prepared = _prepare(text)
    return prepared.toks, tuple(_mentions(prepared, dict(known)))


@lru_cache(maxsize=65536)
def read_claim(text: str) -> Reading:
    """:func:`read` for claim texts, cached apart from messages: a claim is read once, when a
    message first reaches it."""
    return _read.__wrapped__(text, ())


def _same(a: Party, b: Party) -> bool:
    """Does the message's party ``b`` name the claim's party ``a``?"""
    if a.key == b.key:
        return True
    if b.stands_for is not None and b.stands_for == a.key:
        return True  # "Putin" for a claim naming Russia
    if a.known or b.known:
        return False
    return bool(a.names) and bool(b.names) and (a.names <= b.names or b.names <= a.names)


def _compatible(a: Party, b: Party) -> bool:
    """Could ``b`` stand where ``a`` stands? The same kind, or a name whose kind is a guess beside a
    person or an organisation; a country only for a country. A kind is a guess when it is "other", or
    when neither name is in the lexicon: "World Trade Center" reads as a person, "ESMC" as an
    organisation, and either may stand where the other stood."""
    if a.kind == b.kind:
        return True
    if "country" in (a.kind, b.kind):
        return False
    return "other" in (a.kind, b.kind) or not (a.known or b.known)


def compare(claim: Reading, message: Reading, *, author: Reading | None = None) -> PartyCheck:
    """How ``message`` treats the parties of ``claim``.

    A claim party is present when the message names it (or an alias of it). One that is missing is
    replaced when the message names, in a compatible role, another party of a compatible kind that
    the claim does not name; so is one the message moves from acting or receiving to a mention in
    passing while another party takes its place ("missiles to the Biden in Yemen"); a place or
    topic named in passing may be left out, but not replaced
    ("killed civilians in Kursk" for "... in Bucha"). The roles are reversed when two of the
    claim's parties exchange their roles, when another of its parties becomes the one who acts, or
    when its only party with a side is put on the other side.
    """
    # Who says something is attribution in a message ("Blinken says Iran sent ..."), but part of
    # the claim when the claim itself is about who said it ("Carl Sagan said ...").
    speaks = any(p.role == SPEAKER for p in claim.parties)
    parties = claim.parties
    if not parties:  # a place in passing alone is still compared: it may go, not be replaced
        return PartyCheck()
    said = [p for p in message.parties if speaks or p.role != SPEAKER]
    # a party of the claim may be the one who says it ("Talisca Telecom says the Redwater gang
    # hacked it"): named, in no role of what is said
    speakers = () if speaks else [p for p in message.parties if p.role == SPEAKER]
    used: set[int] = set()
    missing: list[Party] = []
    pairs: list[tuple[Party, Party]] = []
    by_author = 0
    for c in parties:
        # the party itself before one that stands for it: "Chancellor Scholz" names Olaf Scholz,
        # and Germany only when the claim has no Scholz of its own
        match = next((i for i, m in enumerate(said) if i not in used and m.key == c.key), None)
        if match is None:
            match = next((i for i, m in enumerate(said) if i not in used and _same(c, m)), None)
            if match is not None and any(o.key == said[match].key for o in parties if o is not c):
                match = None  # that name is another of the claim's parties, read next
        if match is None and author is not None and any(_same(c, a) for a in author.parties):
            by_author += c.role in CORE  # the tweet's author: there, in no role of what is said
        elif match is None and any(m.key == c.key or _same(c, m) for m in speakers):
            by_author += c.role in CORE
        elif match is None:
            missing.append(c)
        else:
            used.add(match)
            pairs.append((c, said[match]))
    # a person the claim names may be named by their state ("Russia" for Putin), unless the
    # message names another person in their place ("Prigozhin was the British PM")
    for c in [c for c in missing if c.stands_for is not None]:
        # a speaker is rivalled by another speaker ("Swalwell said ..." for "Trump said ...")
        rival = any(
            i not in used and m.kind == "person" and (m.role != SPEAKER or c.role == SPEAKER)
            for i, m in enumerate(said)
        )
        state = next((i for i, m in enumerate(said) if i not in used and m.key == c.stands_for), None)
        if state is None:
            state = next((i for i, (_, m) in enumerate(pairs) if m.key == c.stands_for), None)
            if state is not None and not rival:
                missing.remove(c)  # the state is named already, for another of the claim's parties
            continue
        if not rival:
            missing.remove(c)
            used.add(state)
            pairs.append((c, said[state]))
    short = message.words <= SHORT_WORDS  # a long message (a tweet, chatter) is read less surely
    reversed_ = _reversals(pairs, parties, short=short)
    others = [m for i, m in enumerate(said) if i not in used]
    replaced: list[tuple[Party, Party]] = []
    for c in missing:
        for m in others:
            if any(m is r for _, r in replaced):
                continue
            if c.role == SPEAKER:
                fits = m.role == SPEAKER and _compatible(c, m)
            elif c.role == MODIFIER:
                # a place or topic in passing is replaced only by one of the same known kind
                fits = m.role == MODIFIER and (c.kind == m.kind or short) and _compatible(c, m)
            else:
                fits = m.role in CORE and (c.role == m.role or NONE in (c.role, m.role))
            # in a long message (a tweet, chatter) only a name surely read stands in for another
            sure = short or m.surely_read
            if fits and sure and _compatible(c, m):
                replaced.append((c, m))
                break
    for c, m in pairs:
        if c.role in (GIVER, RECEIVER) and m.role == MODIFIER:
            stand_in = next(
                (o for o in others if o.role == c.role and all(o is not r for _, r in replaced)), None
            )
            if stand_in is not None and stand_in.stands_for != c.key:
                replaced.append((c, stand_in))
    core_missing = tuple(c for c in missing if c.required or any(c is r for r, _ in replaced))
    taken = {id(m) for _, m in replaced}
    return PartyCheck(
        missing=core_missing,
        replaced=tuple(replaced),
        reversed=tuple(reversed_),
        present=sum(c.role in CORE for c, _ in pairs) + by_author,
        claim_parties=sum(c.role in CORE for c in parties),
        extra=tuple(m for m in others if id(m) not in taken and m.role in CORE),
    )


_SIDED = frozenset({GIVER, RECEIVER, MODIFIER})


def _worded(pairs: Iterable[tuple[Party, Party]]) -> bool:
    """Does a word (a preposition, a verb of receiving) say the role of a party of one of these
    (claim party, message party) pairs, in either text? A role read from a place in the sentence
    alone is less sure."""
    return any(c.marked or m.marked for c, m in pairs)


# a verb's subject and object exchanged on one side reverse who did what (see _reversals)
_EXCHANGED_SUBJECT = True


def _reversals(pairs: list[tuple[Party, Party]], parties: tuple[Party, ...], *, short: bool) -> list[Party]:
    """The claim parties whose roles the message reverses (see :func:`compare`).

    A message naming many parties is read less surely: there, only the two sides count, not a
    mention in passing, and a role read from a party's place in the sentence alone reverses
    nothing unless a word (a preposition, a verb of receiving) says the role of one of them.
    """
    out: list[Party] = []
    sides = _SIDED if short else frozenset({GIVER, RECEIVER})

    for i, (c1, m1) in enumerate(pairs):
        for c2, m2 in pairs[i + 1 :]:
            # who says it and who did it exchange places ("Globex accused Acme of stealing" for
            # "Acme accused Globex of stealing"): another proposition, in a message of any length
            if (
                SPEAKER in (c1.role, c2.role)
                and {c1.role, c2.role} - {SPEAKER} <= CORE
                and c1.role != c2.role
                and (m1.role, m2.role) == (c2.role, c1.role)
            ):
                out += [c for c in (c1, c2) if c not in out]
                continue
            if (
                c1.role != c2.role
                and {c1.role, c2.role} <= sides
                and (m1.role, m2.role) == (c2.role, c1.role)
                and (short or _worded([(c1, m1), (c2, m2)]))
            ):
                out += [c for c in (c1, c2) if c not in out]  # two parties exchange roles
            # on one side in both texts, the doer and the one done to exchange places around a verb
            # of giving or receiving: "Vivanta acquired Talisca Telecom" for "Talisca Telecom
            # acquired the mobile operator Vivanta" (both read as receiving: the subject of a verb
            # of receiving and its object). A passive names no such subject, so "Vivanta was
            # acquired by Talisca Telecom" exchanges nothing
            if (
                short
                and _EXCHANGED_SUBJECT
                and c1.role == c2.role == m1.role == m2.role
                and c1.role in (GIVER, RECEIVER)
                and c1.by_verb != c2.by_verb
                and m1.by_verb != m2.by_verb
                and c1.by_verb == m2.by_verb
            ):
                out += [c for c in (c1, c2) if c not in out]
    # another of the claim's parties now acts, its doer no longer does; a word must say so on one
    # side or the other: "Storm Ciara washed up crates" for "Crates washed ashore after Storm Ciara"
    # moves both by their places in the sentence alone
    demoted = [(c, m) for c, m in pairs if c.role == GIVER and m.role != GIVER]
    by_word = _worded(demoted)
    for c, m in pairs if demoted else ():
        acts = c.role in sides - {GIVER} and m.role == GIVER
        if acts and c not in out and (by_word or c.marked or m.marked):
            out.append(c)
    if not out:
        sided = [(c, m) for c, m in pairs if c.role in (GIVER, RECEIVER) and m.role in (GIVER, RECEIVER)]
        flipped = [c for c, m in sided if c.role != m.role]
        claim_sided = sum(c.role in (GIVER, RECEIVER) for c in parties)
        # one party read on the other side is as often a misread long sentence as a reversal,
        # unless it is the only one with a side and a word says so in one of the texts ("Iran
        # received drones" for "Iran sent drones"): a subject and a passive alone say nothing,
        # since "Minecraft is shutting down" and "Minecraft is being shut down" agree
        sure = _worded([(c, m) for c, m in sided if c.role != m.role])
        lone = short and len(sided) == 1 and claim_sided == 1
        # the lone party's side must be said by a word in both texts: "Iran sent drones" and "Iran
        # received drones" differ, "Senegal revoked the permits" and "Senegal has taken the
        # permits" do not (revoking gives nothing), nor "Zambia bought" and "zambia copped"
        both = all(c.marked and m.marked for c, m in sided if c.role != m.role)
        # in a short message a verb of giving where the claim has one of receiving (or the
        # reverse) with the same subject says the side in both texts whatever else has a side:
        # "Corvale sold the battery maker Halden" for "Corvale bought the battery maker Halden"
        by_verbs = all(c.by_verb and m.by_verb for c, m in sided if c.role != m.role)
        said = short and _BOTH_SIDES_SAID and bool(flipped) and by_verbs
        if (len(flipped) >= 2 and (short or sure)) or (lone and both) or said:
            out = flipped
    return out


_FILLER = frozenset({"the", "a", "an"})


_Frame = tuple[str | None, str | None]


def _frame(low: list[str], m: _Mention) -> _Frame:
    """The words just before and just after a mention (an article, a title or a company suffix
    skipped), None at the start or end of a sentence. A comma counts as a word here: "X, a former
    senator, ..." frames X."""
    return _frame_at(low, m.start, m.end)


def _frame_at(low: Sequence[str], start: int, end: int, *, wide: bool = False) -> _Frame:
    """:func:`_frame` of the words ``low[start:end]``; ``wide``: the two words before it ("owned
    by", "poem by"), for two names after the same word."""
    i = start - 1
    while i >= 0 and (low[i] in _FILLER or low[i] in _TITLES):
        i -= 1
    j = end
    while j < len(low) and low[j] in _ORG_SUFFIXES:
        j += 1  # "Globex Corp" read as "globex" in a message about it
    before = low[i] if i >= 0 and low[i] not in _BREAK else None
    if wide and before is not None and i >= 1 and low[i - 1] not in _BREAK:
        before = f"{low[i - 1]} {before}"
    after = low[j] if j < len(low) and low[j] not in _BREAK else None
    return before, after


def _fits(slot: _Frame, other: _Frame, frame: _Frame) -> int:
    """Does a mention framed ``frame`` stand in ``slot`` (a claim party's frame) rather than in
    ``other`` (the other party's), by the same word on one side where the two slots differ?
    2 when a word says so, 1 when only a comma does, 0 when it does not."""
    best = 0
    for w, f, o in zip(slot, frame, other, strict=True):
        if w is not None and w == f and w != o:
            best = max(best, 1 if w == "," else 2)
    return best


def frame_swap(claim_text: str, message: str) -> tuple[str, ...]:
    """Two of the claim's parties exchanged in the claim's own frame.

    "Russia supplied missiles to Iran" for "Iran supplied missiles to Russia": each party stands
    where the other stood, between the same words ("… supplied", "to …"), and neither stands in its
    own place anywhere in the message. This needs no reading of roles, so it holds for any
    parties, in long messages and in lower case, where :func:`compare` reads roles less surely.
    A rewording ("Russia received missiles from Iran") puts other words around the names and is
    left to :func:`compare`; parties merely joined ("Iran and Russia") are never exchanged.
    Returns the keys of the two parties, or nothing.
    """
    # read only, so the cached mentions themselves (no copies)
    claim_toks, claim_mentions = _mentions_of(claim_text, ())
    claim_keys = {c.key for c in claim_mentions}
    if len(claim_keys) < 2:
        return ()  # nothing to exchange
    claim_low = [_bare(t) for t in claim_toks]
    reading = read_claim(claim_text)
    known = reading.known_names()
    toks, mentions = _mentions_of(message, tuple(known.items()) if known else ())
    low = [_bare(t) for t in toks]
    by_key: dict[str, list[_Mention]] = {}
    for m in mentions:
        by_key.setdefault(m.stands_for if m.stands_for and m.key not in claim_keys else m.key, []).append(m)
    firsts: dict[str, _Mention] = {}
    for c in claim_mentions:
        firsts.setdefault(c.key, c)
    claimed = sorted(firsts.values(), key=lambda m: m.start)
    for i, a in enumerate(claimed):
        for b in claimed[i + 1 :]:
            between = claim_low[a.end : b.start]
            if not between or all(t in _JOIN for t in between):
                continue  # adjacent or joined: "Iran and Russia" says the same either way
            slot_a, slot_b = _frame(claim_low, a), _frame(claim_low, b)
            if slot_a == slot_b:
                continue
            in_a = by_key.get(a.key, [])
            in_b = by_key.get(b.key, [])
            if not in_a or not in_b:
                continue
            if _exchanged(slot_a, slot_b, [_frame(low, m) for m in in_a], [_frame(low, m) for m in in_b]):
                return (a.key, b.key)
            if slot_a[0] is not None and slot_a[0] == slot_b[0]:
                # after the same word ("owned by the Klan, ... a poem by Angelou"): the word
                # before it tells the two places apart
                wide_a = _frame_at(claim_low, a.start, a.end, wide=True)
                wide_b = _frame_at(claim_low, b.start, b.end, wide=True)
                frames_a = [_frame_at(low, m.start, m.end, wide=True) for m in in_a]
                frames_b = [_frame_at(low, m.start, m.end, wide=True) for m in in_b]
                if wide_a[0] != wide_b[0] and _exchanged(wide_a, wide_b, frames_a, frames_b):
                    return (a.key, b.key)
    return ()


def _exchanged(
    slot_a: _Frame, slot_b: _Frame, frames_a: Sequence[_Frame], frames_b: Sequence[_Frame]
) -> bool:
    """Do two names, framed ``frames_a`` and ``frames_b`` in a message, stand each in the other's
    slot of the claim (a word says so on one side at least) and neither in its own?"""
    own = any(_fits(slot_a, slot_b, f) for f in frames_a) or any(_fits(slot_b, slot_a, f) for f in frames_b)
    a_there = max(_fits(slot_b, slot_a, f) for f in frames_a)
    b_there = max(_fits(slot_a, slot_b, f) for f in frames_b)
    return bool(a_there and b_there and max(a_there, b_there) == 2 and not own)


def _name_runs(prepared: _Prepared, *, curated: bool = False) -> list[tuple[int, int]]:
    """Spans of capitalised words (or words with capitals and digits, "COVID-19"), split after a
    possessive ("Penn State's | Joe Paterno"). A sentence's first word alone is no name when it is
    a common word, and nothing is a name in a text all in one case or in a headline's capitals.

    ``curated``: the text is a claim's, written by a curator or a fact-checker, where a short word
    of chat ("God", "Dr", "Old") written in title case in mid-sentence is a name ("a Man of God
    headband", "In God We Trust"); in a message it is as often chat ("oh my God", "You've")."""
    if not prepared.cased:
        return []
    toks, low = prepared.toks, prepared.low
    runs: list[tuple[int, int]] = []
    i, n = 0, len(toks)
    while i < n:
        # a topic ("Christmas", "COVID") stands in a frame as a name does; a pronoun or "LOL" not
        first = i == 0 or toks[i - 1] in _BREAK
        chat = _not_name(low[i]) and (len(low[i]) <= 3 or "'" in low[i])
        chat = chat and not _opens_name(toks, low, i, at_start=first)
        if chat and curated and not first and _titled(toks[i]) and low[i] not in _PRONOUNS:
            chat = False
        if toks[i] in _BREAK or not _is_cap(toks[i]) or chat or prepared.headline[i]:
            i += 1
            continue
        j = i + 1
        while j < n and toks[j] not in _BREAK and _is_cap(toks[j]) and not toks[j - 1].lower().endswith("'s"):
            j += 1
        if not (first and j == i + 1 and low[i] in _COMMON):
            runs.append((i, j))
        i = j
    return runs


# words always written with a capital, which name no one in a frame ("I", "I'm")
_PRONOUNS = frozenset({"i", "i'm", "i'd", "i've", "i'll"})


def _titled(tok: str) -> bool:
    """A word in title case ("God"), not in capitals ("LOL", "GDP": an acronym or chat)."""
    return tok[:1].isupper() and tok[1:].islower()


@lru_cache(maxsize=8192)
def _named(text: str, *, curated: bool = False) -> tuple[_Prepared, tuple[tuple[int, int], ...]]:
    """A text read for :func:`_name_runs`, a handle ("@TXsecofstate", which splits into pieces of no
    name) left out; cached: both frame checks read a message and a claim text. ``curated``: a
    claim's text (see :func:`_name_runs`)."""
    prepared = _prepare(_HANDLE.sub(" ", text) if "@" in text else text)
    return prepared, tuple(_name_runs(prepared, curated=curated))


def frame_replace(claim_text: str, message: str) -> tuple[str, str] | None:
    """A name of the claim gone from the message, another name standing between the same words.

    "... sick of Style Sweet Tea. I'm sick of ..." for "... sick of COVID-19. I'm sick of ...": the
    claim's words around a name are kept and the name is another. This needs no reading of roles,
    so it holds for any name, in a message of any length, where :func:`compare` reads a missing or
    replacing party less surely. Both neighbours must be the same (the start or end of a sentence
    counts as one) and one of them a word, not a comma; each word of the claim's name must be gone
    from the message (and no alias of it there), and the other name must share no word with the
    claim. Returns the two names in lower case, or None.
    """
    claim, claim_runs = _named(claim_text, curated=_CURATED_NAMES)
    if not claim_runs:
        return None
    said, runs = _named(message)
    if not runs:
        return None
    claim_words, words = set(claim.low), set(said.low)
    reading = read_claim(claim_text)
    known = reading.known_names()
    message_parties = read(message, known=known).parties
    present = {p.key for p in message_parties} | {p.stands_for for p in message_parties if p.stands_for}
    framed: dict[_Frame, tuple[int, int]] = {}
    for a, b in runs:
        if not any(w in claim_words for w in said.low[a:b]):
            framed.setdefault(_frame_at(said.low, a, b), (a, b))

    bare_words = {_bare(w).rstrip(".") for w in words}

    def gone(name: Sequence[str], *, part: bool = False) -> bool:
        """Is every word of this name of the claim gone from the message, and no alias of it there?
        ``part``: the name is part of a run whose other words the message keeps ("Donald Trump" of
        "U.S. President Donald Trump"): the party read for the run is there by those words, and the
        lexicon reads a leader as the country ("Trump" as the United States), so only the words
        count; :func:`_one_name` still takes an alias in the same place ("American President")."""
        if any(w in words or _bare(w).rstrip(".") in bare_words for w in name):
            return False  # the name is there, in part or whole
        # an alias of it is there ("Tehran" for "Iran"): its party is present
        return part or not any(p.key in present and p.names & set(name) for p in reading.parties)

    for a, b in claim_runs if framed else ():
        name = claim.low[a:b]
        if not gone(name):
            continue
        slot = _frame_at(claim.low, a, b)
        if not any(w is not None and w != "," for w in slot):
            continue
        other = framed.get(slot)
        if other is not None and not _one_name(name, said.low[other[0] : other[1]]):
            return " ".join(name), " ".join(said.low[other[0] : other[1]])
    return _titled_replace(claim, claim_runs, said, runs, claim_words, gone)


def _titled_replace(
    claim: _Prepared,
    claim_runs: Sequence[tuple[int, int]],
    said: _Prepared,
    runs: Sequence[tuple[int, int]],
    claim_words: set[str],
    gone: Callable[..., bool],
) -> tuple[str, str] | None:
    """:func:`frame_replace` inside one capitalised run, where a title joins the name to its
    neighbour: "U.S. President Barack Obama authorized ..." said as "U.S. President Sandra Day
    O'Connor authorized ...", or "U.S. President Donald Trump said" as "Uruguay President Donald
    Trump said". The two runs keep the same words before and after the ones they change, with a
    title where kept and changed words meet, and the same word beside the run on a side where no
    words are kept; the claim's changed words are gone from the message and the message's share
    none with the claim. ``gone`` is :func:`frame_replace`'s test of a name gone."""
    claim_bare = {_bare(w).rstrip(".") for w in claim_words}
    for a, b in claim_runs:
        for c, d in runs:
            mine = [_bare(w).rstrip(".") for w in claim.low[a:b]]
            theirs = [_bare(w).rstrip(".") for w in said.low[c:d]]
            shortest = min(len(mine), len(theirs))
            head = 0
            while head < shortest and mine[head] == theirs[head]:
                head += 1
            tail = 0
            while tail < shortest - head and mine[-1 - tail] == theirs[-1 - tail]:
                tail += 1
            if head + tail >= shortest:
                continue  # one run is the other with words added ("Former Mayor Ribeiro")
            # a title where the kept words meet the changed ones: "U.S. President | Barack Obama",
            # "Chad | President Donald Trump", "Former | White House Press | Secretary McEnany"
            if not ((head and mine[head - 1] in _TITLES) or (tail and mine[len(mine) - tail] in _TITLES)):
                continue
            name = claim.low[a + head : b - tail]
            other = said.low[c + head : d - tail]
            # where no kept words stand on a side, the word beside the run must be the same there
            if not head and _frame_at(claim.low, a, b)[0] != _frame_at(said.low, c, d)[0]:
                continue
            if not tail and _frame_at(claim.low, a, b)[1] != _frame_at(said.low, c, d)[1]:
                continue
            if not gone(name, part=True) or any(_bare(w).rstrip(".") in claim_bare for w in other):
                continue
            if not _one_name(name, other):
                return " ".join(name), " ".join(other)
    return None


def name_exchange(claim_text: str, message: str) -> tuple[str, str] | None:
    """Two names of the claim exchanged in the claim's own frame, read from capitalised words
    alone: :func:`frame_swap` for names the party reader does not take for parties ("The coffee
    chain Christmas removed all mentions of Starbucks" for "... Starbucks removed all mentions of
    Christmas"). Each name stands where the other stood, and neither in its own place; two names
    sharing a surname count ("Melania Trump" and "Ivanka Trump"). Returns the two names in lower
    case, or None."""
    claim, claim_runs = _named(claim_text)
    if len(claim_runs) < 2:
        return None
    said, runs = _named(message)
    where: dict[tuple[str, ...], list[_Frame]] = {}
    for a, b in runs:
        where.setdefault(tuple(said.low[a:b]), []).append(_frame_at(said.low, a, b))
    for i, (a1, b1) in enumerate(claim_runs):
        for a2, b2 in claim_runs[i + 1 :]:
            n1, n2 = tuple(claim.low[a1:b1]), tuple(claim.low[a2:b2])
            between = claim.low[b1:a2]
            # names that share a word are two names when each has a word the other lacks
            # ("Ivanka Trump", "Melania Trump"), not when one is part of the other ("Trump")
            if set(n1) <= set(n2) or set(n2) <= set(n1) or not between or all(t in _JOIN for t in between):
                continue
            slot1, slot2 = _frame_at(claim.low, a1, b1), _frame_at(claim.low, a2, b2)
            if slot1 == slot2 or n1 not in where or n2 not in where:
                continue
            if _exchanged(slot1, slot2, where[n1], where[n2]):
                return " ".join(n1), " ".join(n2)
    return None


_HANDLE = re.compile(r"@\w+")
_INITIALS_SKIP = frozenset({"of", "and", "the", "for", "&"})


def _one_name(a: Sequence[str], b: Sequence[str]) -> bool:
    """Do two names name one thing: the lexicon's entity for both ("America", "USA"; "Russians",
    "Russia"), or one the initials of the other ("KKK", "Ku Klux Klan")?"""
    lex = lexicon()

    def entity(words: Sequence[str]) -> str | None:
        return lex.lookup(" ".join(words)) or (lex.lookup(words[0]) if len(words) == 1 else None)

    ea, eb = entity(a), entity(b)
    if ea is not None and ea == eb:
        return True

    def initials(words: Sequence[str]) -> str:
        return "".join(w[0] for w in words if w not in _INITIALS_SKIP and w)

    return (len(b) == 1 and len(a) >= 2 and b[0].replace("-", "") == initials(a)) or (
        len(a) == 1 and len(b) >= 2 and a[0].replace("-", "") == initials(b)
    )


def _sided_alike(statement: Reading, parties: Sequence[Party], message: str) -> bool:
    """Do the statement and the message give each of these parties (two or more, reversed against a
    paraphrase) the same side, giver or receiver?"""
    if len(parties) < 2:
        return False
    said = read(message, known=statement.known_names())
    for p in parties:
        c = next((c for c in statement.parties if _same(c, p)), None)
        m = next((m for m in said.parties if c is not None and _same(c, m)), None)
        if c is None or m is None or c.role not in (GIVER, RECEIVER) or c.role != m.role:
            return False
    return True


def check(claim_texts: Sequence[str], message: str, *, best: int = 0) -> PartyCheck:
    """Compare a message with a claim, read by the text the message agrees with best.

    Parameters
    ----------
    claim_texts
        The claim's statement, then its paraphrases.
    message
        The message as written.
    best
        Which text the message's words agree with best: its parties must all be there. A
        reversal found against the statement counts too, whichever text agrees best.
    """
    if not claim_texts:
        return PartyCheck()
    best = best if 0 <= best < len(claim_texts) else 0
    reading = read_claim(claim_texts[best])
    # who posted an embedded tweet ("— Donald J. Trump (@realDonaldTrump)") is no party of what it
    # says, but a claim about what they said names them
    name = signoff_author(message)
    author = read(name) if name else None
    result = compare(reading, read(message, known=reading.known_names()), author=author)
    if best != 0:
        statement = read_claim(claim_texts[0])
        against = compare(statement, read(message, known=statement.known_names()), author=author)
        if against.reversed and not result.reversed:
            result = dataclasses.replace(result, reversed=against.reversed)
        elif result.reversed and not against.reversed and _sided_alike(statement, result.reversed, message):
            # the statement, read with sides for the same parties, agrees: the paraphrase words
            # another relation ("Russia is firing North Korean missiles" for "North Korea
            # supplied missiles to Russia"), and a message stating the claim reads reversed to it
            result = dataclasses.replace(result, reversed=())
        if against.replaced and not result.replaced:
            result = dataclasses.replace(result, replaced=against.replaced)
        if result.extra:
            # a party the paraphrase leaves out but the statement names is the claim's, not one
            # added: "Russia and North Korea signed a pact" for "Putin and Kim signed a pact"
            named = statement.parties
            extra = tuple(e for e in result.extra if not any(_same(c, e) for c in named))
            result = dataclasses.replace(result, extra=extra)
    if not result.reversed:
        for text in dict.fromkeys((claim_texts[best], claim_texts[0])):
            keys = frame_swap(text, message)
            if keys:
                swapped = tuple(p for p in read_claim(text).parties if p.key in keys)
                result = dataclasses.replace(result, reversed=swapped)
                break
    if not result.reversed and not result.replaced:
        for text in dict.fromkeys((claim_texts[best], claim_texts[0])):
            framed = frame_replace(text, message)
            if framed:
                result = dataclasses.replace(result, framed=framed)
                break
            exchanged = name_exchange(text, message)
            if exchanged:
                result = dataclasses.replace(result, exchanged=exchanged)
                break
    return result
