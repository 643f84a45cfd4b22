"""General English synonyms, so that a claim restated in other words still shows its words.

"Carrow University fired Lena Hartwig" restates "Carrow University dismissed Professor Lena
Hartwig"; "prohibited" restates "banned", "wages" "salaries". ``data/synonyms.json`` holds such
relations for any English word, read off WordNet 3.0 by ``tools/build_synonyms.py`` (synonyms in
the senses a word is mostly used in, and a noun's or verb's direct kind: "missile" and "rocket").
Scoring (:func:`claims_db.matching.score.score_text`) credits a word of the claim that the message
leaves out when one of the message's own words is related to it, and the decision model weighs
that credit as a feature of its own (``synonyms``): a relation WordNet knows is no proof that this
message says what the claim says, only evidence.

Words are compared as the index keeps them (stems). Two words that ``opposites.json`` puts on
opposite sides are never related here, whatever WordNet says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ..errors import InvalidLexicon
from . import opposites as _opposites
from .lexicon import read_object

__all__ = [
    "FILE",
    "Table",
    "forms",
    "load",
    "load_forms",
    "load_verb_synonyms",
    "load_verbs",
    "lookup",
    "related",
    "verb_synonyms",
    "verbs",
]

FILE = "synonyms.json"
_TERM = re.compile(r"[a-z]{2,}")
_TERMS = re.compile(r"[a-z]{2,}(?: [a-z]{2,})*")
_WORD = re.compile(r"[a-z]+")
_WORDS = re.compile(r"[a-z]+(?: [a-z]+)*")
_NOTHING: frozenset[str] = frozenset()


def load(directory: Traversable | Path | str | None = None) -> dict[str, str]:
    """Read and validate ``synonyms.json`` (the packaged one by default): index term -> the index
    terms related to it, space-separated.

    Raises
    ------
    InvalidLexicon
        The file is missing, is not JSON, or an entry breaks a rule (every bad entry is listed).
    """
    return _parse_table(*read_object(directory, FILE))


def _parse_table(label: str, doc: dict[str, Any]) -> dict[str, str]:
    if not isinstance(doc.get("synonyms"), dict):
        raise InvalidLexicon(label, ['the file must hold one JSON object with an object "synonyms"'])
    table: dict[str, str] = doc["synonyms"]
    problems: list[str] = []
    for term, others in table.items():
        if not _TERM.fullmatch(term):
            problems.append(f"synonyms: {term!r} is not a lower-case term of two letters or more")
        elif not isinstance(others, str) or not _TERMS.fullmatch(others):
            problems.append(
                f"synonyms.{term}: must be lower-case terms of two letters or more, one space apart"
            )
        elif term in others.split():
            problems.append(f"synonyms.{term}: lists the term itself")
    if problems:
        raise InvalidLexicon(label, problems)
    return table


def _word_map(
    label: str, doc: dict[str, Any], name: str, values: re.Pattern[str], rule: str
) -> dict[str, str]:
    """Field ``name`` of ``synonyms.json``, an object of lower-case words to ``values`` (none of
    them the word itself); a file without it has an empty one. Every bad entry is listed."""
    table = doc.get(name, {})
    if not isinstance(table, dict):
        raise InvalidLexicon(label, [f'"{name}" must be an object: {rule}'])
    problems = [
        f"{name}.{word}: must map a lower-case word to {rule.split(' -> ')[1]}"
        for word, value in table.items()
        if not (_WORD.fullmatch(word) and isinstance(value, str) and values.fullmatch(value))
        or word in value.split()
    ]
    if problems:
        raise InvalidLexicon(label, problems)
    return table


def load_forms(directory: Traversable | Path | str | None = None) -> dict[str, str]:
    """Read and validate the ``forms`` of ``synonyms.json`` (the packaged one by default): an
    irregular verb form -> its base word ("sold" -> "sell"), from WordNet's ``verb.exc``. A file
    without them has none.

    Raises
    ------
    InvalidLexicon
        The file is missing or broken, or a form breaks a rule (every bad entry is listed).
    """
    return _parse_forms(*read_object(directory, FILE))


def _parse_forms(label: str, doc: dict[str, Any]) -> dict[str, str]:
    return _word_map(label, doc, "forms", _WORD, "irregular form -> another lower-case word")


def load_verbs(directory: Traversable | Path | str | None = None) -> frozenset[str]:
    """Read and validate the ``verbs`` of ``synonyms.json`` (the packaged one by default): WordNet's
    verbs in their base forms, space-separated. A file without them has none.

    Raises
    ------
    InvalidLexicon
        The file is missing or broken, or the verbs are not lower-case words one space apart.
    """
    return _parse_verbs(*read_object(directory, FILE))


def _parse_verbs(label: str, doc: dict[str, Any]) -> frozenset[str]:
    verbs = doc.get("verbs", "")
    if not isinstance(verbs, str) or (verbs and not _WORDS.fullmatch(verbs)):
        raise InvalidLexicon(label, ['"verbs" must be lower-case words, one space apart'])
    return frozenset(verbs.split())


def load_verb_synonyms(directory: Traversable | Path | str | None = None) -> dict[str, frozenset[str]]:
    """Read and validate the ``verb_synonyms`` of ``synonyms.json`` (the packaged one by default):
    a verb -> the verbs it could say one thing with (a WordNet sense shared however rarely, or a
    narrow direct kind: "sack" and "fire", "dispatch" and "send"). A file without them has none.

    Raises
    ------
    InvalidLexicon
        The file is missing or broken, or an entry breaks a rule (every bad entry is listed).
    """
    return _parse_verb_synonyms(*read_object(directory, FILE))


def _parse_verb_synonyms(label: str, doc: dict[str, Any]) -> dict[str, frozenset[str]]:
    table = _word_map(label, doc, "verb_synonyms", _WORDS, "verb -> other lower-case verbs, one space apart")
    return {verb: frozenset(others.split()) for verb, others in table.items()}


def verb_synonyms() -> dict[str, frozenset[str]]:
    """The packaged verb synonyms (verb -> the verbs it could say one thing with)."""
    return _packaged().verb_synonyms


def forms() -> dict[str, str]:
    """The packaged irregular verb forms (form -> base word)."""
    return _packaged().forms


def verbs() -> frozenset[str]:
    """The packaged verbs (base forms)."""
    return _packaged().verbs


def _opposed_terms() -> dict[str, frozenset[str]]:
    """index term -> the terms of the single words on the other side of a pair of opposites."""
    import Stemmer

    stem = Stemmer.Stemmer("english").stemWord
    out: dict[str, set[str]] = {}
    for (one, _), (other, _) in _opposites._packaged().pairs:
        for a in one:
            out.setdefault(stem(a), set()).update(stem(b) for b in other)
        for b in other:
            out.setdefault(stem(b), set()).update(stem(a) for a in one)
    return {k: frozenset(v) for k, v in out.items()}


class Table:
    """A table (``load``'s) split into sets, with the pairs of opposites taken out."""

    def __init__(self, raw: dict[str, str], opposed: dict[str, frozenset[str]]) -> None:
        self._sets = {
            term: frozenset(others.split()) - opposed.get(term, _NOTHING) for term, others in raw.items()
        }
        self.get = self._sets.get  # term -> its related terms, or None

    def related(self, term: str) -> frozenset[str]:
        return self._sets.get(term, _NOTHING)


@dataclass(frozen=True, slots=True)
class _Packaged:
    table: Table
    forms: dict[str, str]
    verbs: frozenset[str]
    verb_synonyms: dict[str, frozenset[str]]


@lru_cache(maxsize=1)
def _packaged() -> _Packaged:
    """Every field of the packaged file, from one reading of it (the parsed document itself is not
    kept: 4.6 MB once its fields are built)."""
    label, doc = read_object(None, FILE)
    return _Packaged(
        Table(_parse_table(label, doc), _opposed_terms()),
        _parse_forms(label, doc),
        _parse_verbs(label, doc),
        _parse_verb_synonyms(label, doc),
    )


def lookup() -> Callable[[str], frozenset[str] | None]:
    """The packaged table's lookup (term -> its related terms, or None), loaded on first use: for
    callers that look up many terms."""
    return _packaged().table.get


def related(term: str) -> frozenset[str]:
    """The index terms related to ``term`` (a stem), or an empty set. Entities (``@...``) and
    concepts (``~...``) have none."""
    return _packaged().table.related(term)
