"""The lexicon: what words name and what they mean, read from data files in ``claims_db/data/``.

==================  =========================================================================
``gazetteer.json``  entities (countries, places, organisations, people), their aliases, and
                    phrases that contain an alias but name something else ("washington post");
                    built by ``tools/build_gazetteer.py`` from ``gazetteer_curated.json``
``concepts.json``   concepts: surface forms folded to one term ("rockets" -> ``~missile``)
``words.json``      stopwords and the word lists analyze and framing read
==================  =========================================================================

:func:`load` reads and validates a directory of them and raises :class:`InvalidLexicon` naming the
file and every bad entry; :func:`lexicon` is the packaged lexicon, loaded once on first use. The
rules and how to add an entry are in docs/lexicon.md.

A place, organisation or person may *stand for* another entity: a capital or a seat of government
for its country ("quito" -> ``ecuador``, "kremlin" -> ``russia``), a leader for the state or body
they lead. Matching uses the entity stood for (:meth:`Lexicon.resolve`). An alias marked
*ambiguous* ("georgia", "jordan", "who") is kept with the entities it may name but never resolved
from lower-cased text: it needs capitalisation or context that only a reader of the raw message has.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ..errors import InvalidLexicon
from .inflection import Inflections
from .normalize import normalize

__all__ = ["KINDS", "Concept", "Entity", "InvalidLexicon", "Lexicon", "lexicon", "load"]

KINDS = ("country", "organisation", "person", "place")
GAZETTEER = "gazetteer.json"
CONCEPTS = "concepts.json"
WORDS = "words.json"
# the concepts and word lists the code of analyze and framing refers to by name
REQUIRED_CONCEPTS = ("~supply", "~receive", "~say")
WORD_LISTS = ("stopwords", "saying", "supply_participles", "speaker_words", "light_verbs")

_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CONCEPT_KEY = re.compile(r"~[a-z0-9]+(?:-[a-z0-9]+)*")
_ENTITY_FIELDS = {
    "key",
    "name",
    "kind",
    "aliases",
    "ambiguous",
    "stands_for",
    "role",
    "as_of",
    "iso2",
    "note",
    "foreign",
}
_CONCEPT_FIELDS = {"forms", "note", "ignored"}


@dataclass(frozen=True, slots=True)
class Entity:
    """One thing that aliases name.

    ``stands_for`` is the entity this one is a metonym for (a capital's country, a leader's state);
    ``role`` and ``as_of`` say which office a person held on which date.
    """

    key: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    ambiguous: tuple[str, ...] = ()
    stands_for: str | None = None
    role: str | None = None
    as_of: str | None = None
    iso2: str | None = None
    note: str | None = None
    foreign: tuple[str, ...] = ()  # names in Latin letters in other languages, read in those only


@dataclass(frozen=True, slots=True)
class Concept:
    """Surface forms that say one thing; an ``ignored`` concept is never a term (saying verbs)."""

    key: str
    forms: tuple[str, ...]
    ignored: bool = False


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The validated contents of the lexicon files, with lookups.

    Build it with :func:`load`; the mappings are not to be changed.
    """

    entities: Mapping[str, Entity]
    concepts: Mapping[str, Concept]
    blocked: tuple[str, ...]
    words: Mapping[str, frozenset[str]]
    _alias_keys: dict[str, str] = field(repr=False)
    _ambiguous: dict[str, tuple[str, ...]] = field(repr=False)
    _inflections: Inflections | None = field(default=None, repr=False, compare=False)

    @property
    def stopwords(self) -> frozenset[str]:
        return self.words["stopwords"]

    def entity_key(self, alias: str) -> str | None:
        """The entity an unambiguous alias names, as written ("quito" -> ``quito``, a place)."""
        return self._alias_keys.get(alias)

    def canonical(self, key: str) -> str:
        """The entity that ``key`` stands for, or ``key`` itself ("quito" -> ``ecuador``)."""
        entity = self.entities.get(key)
        return entity.stands_for if entity is not None and entity.stands_for else key

    def resolve(self, alias: str) -> str | None:
        """The entity matching uses for an alias: ``canonical(entity_key(alias))``."""
        key = self._alias_keys.get(alias)
        return None if key is None else self.canonical(key)

    def lookup(self, phrase: str) -> str | None:
        """:meth:`resolve` for raw text: normalized, a leading "the" dropped ("The Kremlin")."""
        text = normalize(phrase)
        if text.startswith("the "):
            text = text[4:]
        return self.resolve(text)

    def metonym(self, key: str) -> str | None:
        """The entity ``key`` stands for, or None when it stands for itself."""
        entity = self.entities.get(key)
        return entity.stands_for if entity is not None else None

    def kind(self, key: str) -> str:
        return self.entities[key].kind

    def name(self, key: str) -> str:
        return self.entities[key].name

    def candidates(self, alias: str) -> tuple[str, ...]:
        """The entities an ambiguous alias may name ("congo" -> both Congos); () when not ambiguous."""
        return self._ambiguous.get(alias, ())

    def alias_table(self) -> dict[str, str]:
        """Every unambiguous alias -> the entity matching uses for it (see :meth:`resolve`)."""
        return {alias: self.canonical(key) for alias, key in self._alias_keys.items()}

    def base_forms(self, words: Sequence[str], language: str | None = None) -> list[str]:
        """``words`` with an inflected name in another language put back to the alias it is a form
        of ("россии" -> "россия", "لروسيا" -> "روسيا", "russlands" -> "russland" in German text);
        the rules are in :mod:`claims_db.matching.inflection`. English words come back unchanged."""
        if self._inflections is None:
            return list(words)
        return self._inflections.base_forms(words, language)

    def entity_names(self) -> dict[str, str]:
        """Entity key -> display name, for every entity."""
        return {key: e.name for key, e in self.entities.items()}

    def synonyms(self) -> dict[str, str]:
        """Surface form -> concept key, for every concept."""
        return {form: c.key for c in self.concepts.values() for form in c.forms}

    def ignored_concepts(self) -> frozenset[str]:
        return frozenset(c.key for c in self.concepts.values() if c.ignored)


# --- reading ------------------------------------------------------------------------------------


def read_object(directory: Traversable | Path | str | None, name: str) -> tuple[str, dict[str, Any]]:
    """The JSON object in data file ``name`` of ``directory`` (the packaged data by default), with
    the file's name for error messages; a missing or broken file, or one that holds no object, is
    an :class:`InvalidLexicon` naming it."""
    if directory is None:
        directory = resources.files("claims_db") / "data"
    elif isinstance(directory, str):
        directory = Path(directory)
    return _read(directory, name)


def _read(directory: Traversable | Path, name: str) -> tuple[str, dict[str, Any]]:
    path = directory / name
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidLexicon(label, ["the file is missing"]) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidLexicon(
            label, [f"not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"]
        ) from exc
    if not isinstance(doc, dict):
        raise InvalidLexicon(label, ["the file must hold one JSON object"])
    return label, doc


def _normalized(value: object) -> str | None:
    """Why ``value`` is not a word or phrase as normalize() writes it, or None when it is."""
    if not isinstance(value, str) or not value:
        return "must be a non-empty string"
    if normalize(value) != value:
        return f"is not normalized (normalize gives {normalize(value)!r})"
    return None


def _strings(value: object) -> list[Any] | None:
    return value if isinstance(value, list) else None


def _check_words(label: str, doc: dict[str, Any], concept_keys: Iterable[str]) -> dict[str, frozenset[str]]:
    problems: list[str] = []
    concepts = set(concept_keys)
    out: dict[str, frozenset[str]] = {}
    for name in doc:
        if name != "about" and name not in WORD_LISTS:
            problems.append(f"unknown list {name!r} (known: {', '.join(WORD_LISTS)})")
    for name in WORD_LISTS:
        items = _strings(doc.get(name))
        if items is None:
            problems.append(f"list {name!r} is missing or not a list")
            continue
        seen: set[str] = set()
        for item in items:
            if isinstance(item, str) and item in concepts:
                pass  # a word list may name a concept, "~say"
            elif (why := _normalized(item)) is not None:
                problems.append(f"{name}: {item!r} {why}")
                continue
            if item in seen:
                problems.append(f"{name}: {item!r} is listed twice")
            seen.add(item)
        out[name] = frozenset(seen)
    if problems:
        raise InvalidLexicon(label, problems)
    return out


def _check_concepts(label: str, doc: dict[str, Any], aliases: Mapping[str, str]) -> dict[str, Concept]:
    problems: list[str] = []
    table = doc.get("concepts")
    if not isinstance(table, dict):
        raise InvalidLexicon(label, ["'concepts' is missing or not an object of concept -> entry"])
    owner: dict[str, str] = {}
    out: dict[str, Concept] = {}
    for key, entry in table.items():
        where = f"concept {key!r}"
        if not _CONCEPT_KEY.fullmatch(key):
            problems.append(f"{where}: a concept key is '~' and lower-case words joined by '-'")
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be an object with 'forms'")
            continue
        for unknown in sorted(set(entry) - _CONCEPT_FIELDS):
            problems.append(f"{where}: unknown field {unknown!r}")
        forms = _strings(entry.get("forms"))
        if not forms:
            problems.append(f"{where}: 'forms' must be a non-empty list")
            continue
        if not isinstance(entry.get("ignored", False), bool):
            problems.append(f"{where}: 'ignored' must be true or false")
        for form in forms:
            if (why := _normalized(form)) is not None:
                problems.append(f"{where}: form {form!r} {why}")
            elif form in owner:
                problems.append(f"{where}: form {form!r} is already a form of {owner[form]!r}")
            elif form in aliases:
                problems.append(f"{where}: form {form!r} is also an alias of entity {aliases[form]!r}")
            else:
                owner[form] = key
        out[key] = Concept(key, tuple(forms), bool(entry.get("ignored", False)))
    for key in REQUIRED_CONCEPTS:
        if key not in table:
            problems.append(f"concept {key!r} is missing; the matcher's grammar refers to it")
    if problems:
        raise InvalidLexicon(label, problems)
    return out


def _check_entity(entry: object, index: int, problems: list[str]) -> Entity | None:
    if not isinstance(entry, dict):
        problems.append(f"entity #{index}: must be an object")
        return None
    key = entry.get("key")
    where = f"entity {key!r}" if isinstance(key, str) else f"entity #{index}"
    bad = len(problems)
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        problems.append(f"{where}: 'key' must be lower-case letters and digits joined by '-'")
    for unknown in sorted(set(entry) - _ENTITY_FIELDS):
        problems.append(f"{where}: unknown field {unknown!r}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: 'name' must be a non-empty string")
    kind = entry.get("kind")
    if kind not in KINDS:
        problems.append(f"{where}: 'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    lists: dict[str, list[str]] = {}
    for fieldname in ("aliases", "ambiguous", "foreign"):
        items = _strings(entry.get(fieldname, []))
        if items is None:
            problems.append(f"{where}: {fieldname!r} must be a list")
            continue
        for alias in items:
            if (why := _normalized(alias)) is not None:
                problems.append(f"{where}: alias {alias!r} {why}")
            elif alias.startswith("the "):
                problems.append(f"{where}: alias {alias!r} starts with 'the'; the article is read separately")
        lists[fieldname] = items
    if not lists.get("aliases") and not lists.get("ambiguous"):
        problems.append(f"{where}: has no aliases")
    for fieldname in ("stands_for", "role", "as_of", "iso2", "note"):
        value = entry.get(fieldname)
        if value is not None and (not isinstance(value, str) or not value):
            problems.append(f"{where}: {fieldname!r} must be a non-empty string")
    if kind == "person":
        for fieldname in ("role", "as_of"):
            if not entry.get(fieldname):
                problems.append(
                    f"{where}: a person needs {fieldname!r} (the office, and the date it was true)"
                )
    as_of = entry.get("as_of")
    if isinstance(as_of, str):
        try:
            dt.date.fromisoformat(as_of)
        except ValueError:
            problems.append(f"{where}: 'as_of' must be a date, YYYY-MM-DD, not {as_of!r}")
    if len(problems) > bad:
        return None
    assert isinstance(key, str) and isinstance(name, str) and isinstance(kind, str)
    return Entity(
        key=key,
        name=name,
        kind=kind,
        aliases=tuple(lists.get("aliases", ())),
        ambiguous=tuple(lists.get("ambiguous", ())),
        stands_for=entry.get("stands_for"),
        role=entry.get("role"),
        as_of=as_of,
        iso2=entry.get("iso2"),
        note=entry.get("note"),
        foreign=tuple(lists.get("foreign", ())),
    )


def _check_gazetteer(
    label: str, doc: dict[str, Any], stopwords: frozenset[str]
) -> tuple[dict[str, Entity], dict[str, str], dict[str, tuple[str, ...]], tuple[str, ...]]:
    problems: list[str] = []
    raw = _strings(doc.get("entities"))
    if raw is None:
        raise InvalidLexicon(label, ["'entities' is missing or not a list"])
    entities: dict[str, Entity] = {}
    broken: set[object] = set()  # keys of entries with problems, so others may still refer to them
    for i, entry in enumerate(raw):
        entity = _check_entity(entry, i, problems)
        if entity is None:
            broken.add(entry.get("key") if isinstance(entry, dict) else None)
            continue
        if entity.key in entities:
            problems.append(f"entity {entity.key!r}: the key is used twice")
            continue
        entities[entity.key] = entity
    alias_keys: dict[str, str] = {}
    ambiguous: dict[str, list[str]] = {}
    for e in entities.values():
        for alias in e.ambiguous:
            ambiguous.setdefault(alias, []).append(e.key)
    for e in entities.values():
        if e.stands_for is not None:
            target = entities.get(e.stands_for)
            if target is None and e.stands_for in broken:
                pass
            elif target is None:
                problems.append(f"entity {e.key!r}: stands_for {e.stands_for!r}, which is not an entity")
            elif target.key == e.key or target.stands_for is not None:
                problems.append(
                    f"entity {e.key!r}: stands_for {e.stands_for!r}, which itself stands for another; "
                    "name the last one"
                )
        for alias in e.aliases:
            if alias in stopwords:
                problems.append(f"entity {e.key!r}: alias {alias!r} is a stopword; mark it ambiguous")
            elif alias in ambiguous:
                others = ", ".join(repr(k) for k in ambiguous[alias])
                problems.append(f"entity {e.key!r}: alias {alias!r} is marked ambiguous on {others}")
            elif alias in alias_keys:
                problems.append(
                    f"entity {e.key!r}: alias {alias!r} also names {alias_keys[alias]!r}; "
                    "keep it on one or mark it ambiguous on both"
                )
            else:
                alias_keys[alias] = e.key
    blocked = doc.get("blocked", {})
    if not isinstance(blocked, dict):
        problems.append("'blocked' must be an object of phrase -> why it names no entity")
        blocked = {}
    for phrase in blocked:
        if (why := _normalized(phrase)) is not None:
            problems.append(f"blocked phrase {phrase!r} {why}")
            continue
        words = phrase.split()
        if len(words) < 2:
            problems.append(f"blocked phrase {phrase!r}: a blocked phrase has two words or more")
        elif phrase in alias_keys:
            problems.append(f"blocked phrase {phrase!r} is also an alias of {alias_keys[phrase]!r}")
        elif not any(
            " ".join(words[i:j]) in alias_keys
            for i in range(len(words))
            for j in range(i + 1, len(words) + 1)
        ):
            problems.append(f"blocked phrase {phrase!r} contains no alias, so it blocks nothing")
    if problems:
        raise InvalidLexicon(label, problems)
    return entities, alias_keys, {a: tuple(k) for a, k in ambiguous.items()}, tuple(blocked)


def load(directory: Traversable | Path | str | None = None) -> Lexicon:
    """Read and validate the lexicon files.

    Parameters
    ----------
    directory
        Where ``gazetteer.json``, ``concepts.json`` and ``words.json`` are; the packaged
        ``claims_db/data`` by default.

    Returns
    -------
    Lexicon
        The entities, concepts, blocked phrases and word lists, with lookups.

    Raises
    ------
    InvalidLexicon
        A file is missing, is not JSON, or breaks a rule; the error names the file and lists
        every bad entry in it.
    """
    if directory is None:
        directory = resources.files("claims_db") / "data"
    elif isinstance(directory, str):
        directory = Path(directory)
    words_label, words_doc = _read(directory, WORDS)
    concepts_label, concepts_doc = _read(directory, CONCEPTS)
    gazetteer_label, gazetteer_doc = _read(directory, GAZETTEER)
    concept_keys = concepts_doc.get("concepts", {})
    words = _check_words(words_label, words_doc, concept_keys if isinstance(concept_keys, dict) else ())
    entities, alias_keys, ambiguous, blocked = _check_gazetteer(
        gazetteer_label, gazetteer_doc, words["stopwords"]
    )
    concepts = _check_concepts(concepts_label, concepts_doc, alias_keys)
    canonical = {a: entities[k].stands_for or k for a, k in alias_keys.items()}
    own: dict[str, list[str]] = {}
    for alias, key in alias_keys.items():
        own.setdefault(key, []).append(alias)
    foreign = {
        name: tuple(sorted(own.get(e.key, ())))
        for e in entities.values()
        for name in e.foreign
        if name not in alias_keys and name not in ambiguous
    }
    inflections = Inflections(canonical, foreign)
    return Lexicon(entities, concepts, blocked, words, alias_keys, ambiguous, inflections)


@functools.cache
def lexicon() -> Lexicon:
    """The packaged lexicon, read and validated on first use and kept."""
    return load()
