"""Matching messages against the claim store.

A pipeline of small stages, each tested alone::

    normalize -> analyze -> index (BM25 candidates) -> score -> decide
                 framing (how the message puts it); spelling (a second try for typos)

:class:`Matcher` ties them together and is what the service uses. It is safe to ``add`` and
``remove`` claims (or ``update`` many at once, with one rebuild of the index) from one thread while
others ``check``: every check works on one consistent snapshot of the index, and an added claim is
matchable as soon as the call returns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from ..models import Claim, Framing, Match, MatchResult, Verdict
from . import alignment as _alignment

# Stage functions are imported under private names so that `claims_db.matching.<stage>` stays the module.
from . import opposites as _opposites
from . import parties as _parties
from . import predicate as _predicate
from . import synonyms as _synonyms
from .analyze import ALIASES, SYNONYMS, Analysis, Role
from .analyze import analyze as _analyze
from .calibrate import NEAR_MISS_COSINE, DecisionModel, default_model
from .calibrate import features as _features
from .decide import Thresholds
from .decide import decide as _decide
from .framing import frame, framing_words
from .index import Bm25, Index
from .normalize import normalize as _normalize
from .normalize import signoff_author
from .score import ClaimFacts, Evidence, Weights, claim_facts
from .score import score as _score
from .spelling import Speller

__all__ = [
    "SEMANTIC_WEIGHT",
    "Bm25",
    "DecisionModel",
    "Matcher",
    "Prepared",
    "Scored",
    "Thresholds",
    "Weights",
    "analysis_version",
    "frame",
    "prepared_key",
]

_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")

DEFAULT_CANDIDATES = 15
# Below this lexical score (or with a near miss's share of the best claim's words missing) a message
# is tried again with its unknown words spelled as the store's.
TYPO_RETRY_BELOW = 0.72
# A near miss: this share of the claim's words (IDF-weighted) missing and as much of the message's
# words around them foreign to the claim, unless the cosine reaches the decision model's
# near_miss_cosine (with the semantic tier).
NEAR_MISS_SHARE = 0.3
SHORT_TERMS = 12  # a short message's most terms
NEAR_MISS_TERMS = math.log1p(SHORT_TERMS)  # the message_terms feature of a 12-term message


class Semantic(Protocol):
    """What the matcher needs of the semantic tier (``claims_db.semantic.SemanticIndex`` has it)."""

    def encode_query(self, text: str) -> Any: ...
    def search(self, query: Any, k: int = 50) -> list[tuple[str, float]]: ...
    def similarity(self, query: Any, claim_ids: Iterable[str]) -> Mapping[str, float]: ...

    # optional: ``aligns`` and ``word_vectors(text, query=False)`` (SemanticIndex.word_vectors) give
    # the decision's ``semantic_align``; a tier without them gets the sentence-only model;
    # ``vocabulary`` (SemanticIndex.vocabulary) lets a misspelt message be read respelt


SEMANTIC_WEIGHT = 0.7  # the cosine's weight in the ranking for MiniLM; another tier may bring its own


@dataclass(frozen=True, slots=True)
class _Entry:
    """What the scorer keeps about one claim: the analyses of its texts."""

    claim_id: str
    texts: tuple[Analysis, ...]
    facts: ClaimFacts
    raw: tuple[str, ...]  # the texts as written: parties are read from them when a message gets here


def _short(features: Mapping[str, float]) -> bool:
    """Up to 12 terms: one statement whose every word carries it (see :attr:`Scored.short`)."""
    return features.get("message_terms", 0.0) <= NEAR_MISS_TERMS


@dataclass(frozen=True, slots=True)
class Scored:
    """One candidate with everything the decision rests on."""

    claim_id: str
    evidence: Evidence
    parties: _parties.PartyCheck
    features: dict[str, float]
    # how a short message says the opposite in the claim's words, if it does: there every word
    # carries the proposition, while a tweet's other numbers and verbs are often about other things
    opposed: str | None = None
    # the decision model's cosine above which a near miss in words is none (see near_miss)
    near_miss_cosine: float = NEAR_MISS_COSINE
    # the message is an embedded post with its sign-off ("— Name (@handle) date"; see near_in_words)
    quoted: bool = False
    # the decision model's weakest link by meaning below which a near miss in words is one whatever
    # its cosine (see near_miss); None: no such gate, or no alignment read for this candidate
    near_miss_align: float | None = None

    @property
    def near_miss(self) -> bool:
        """A word of the claim is missing where the message has another: "the earth is round" for
        "the earth is flat". On words alone a paraphrase with an unknown synonym looks the same, so
        without the semantic tier this is never a confident match; with it, similar meaning decides.
        Only a short message is read so: there every word carries the proposition, while a long
        one (a tweet, a claim among chatter) has words of its own around it.
        """
        if not self.near_in_words:
            return False
        if self.features.get("semantic", 0.0) < self.near_miss_cosine:
            return True
        # close in meaning as a whole, but a word of the claim has no counterpart in the message
        # and one of the message none in the claim: a word replaced (alignment.weakest_link)
        gate = self.near_miss_align
        return gate is not None and self.features.get("semantic_align", 1.0) < gate

    @property
    def near_in_words(self) -> bool:
        """A short message with a good share of the claim's words missing and as many of its own
        in their place: a near miss unless the meaning says otherwise (:attr:`near_miss`).

        An embedded post pasted with its sign-off ("— Name (@handle) Month D, YYYY") is not read
        so: it is the source a claim is written about, and the claim describes it in a
        fact-checker's words ("A photograph shows ...", "Trump tweeted that ..."), so that words
        missing and others in their place are what the pair looks like, not another proposition.
        The calibrated probability and the party checks still decide. On CheckThat! train and dev
        the rule vetoed 56 of the tweets' right matches against 3 wrong ones with the claim
        removed. Words alone only: with the semantic tier a cosine at the gate lifts the veto for a
        post as for any message (the tier's model refitted with the exception did worse out of
        fold)."""
        ev = self.evidence
        swapped = (1.0 - ev.recall) >= NEAR_MISS_SHARE and (1.0 - ev.precision) >= NEAR_MISS_SHARE
        return self.short and swapped and not (self.quoted and _QUOTED_POSTS)

    @property
    def adds_party(self) -> bool:
        """A short message makes another party act or receive ("Germany let Ukraine fire Taurus
        into Russia" for "Scholz refused to send Taurus to Ukraine"): another proposition. Only a
        name surely read counts, one of the lexicon or a person's full name: capitalised headline
        words ("Shocking Report: ...") read as a name are no party."""
        return self.short and any(
            p.role in ("giver", "receiver") and p.required and p.surely_read for p in self.parties.extra
        )

    @property
    def short(self) -> bool:
        """A short message (up to 12 terms): one statement whose every word carries it."""
        return _short(self.features)

    @property
    def safe(self) -> bool:
        """Nothing speaks against a confident match: no party's role is reversed, no name of the
        claim has another in its place between the same words, no entity of the tables is
        replaced, it is no near miss and says no opposite or other number in the claim's
        words (:mod:`~claims_db.matching.opposites`); in a short message also every party of the
        claim is there, none is replaced and none added.

        A long message (a tweet, a claim among chatter) names much besides the claim and its
        parties are read less surely: a missing or replaced party there is evidence the
        calibrated model weighs (``parties_missing``, ``parties_replaced``), not a veto, while a
        reversal of who did what to whom vetoes in any message.
        """
        p = self.parties
        if (
            p.reversed
            or p.framed
            or p.exchanged
            or self.evidence.conflict
            or self.near_miss
            or self.adds_party
            or self.opposed
        ):
            return False
        return not (self.short and (p.missing or p.replaced))

    def why(self) -> str:
        """The words that agreed, then what disagreed about the parties."""
        line = self.evidence.why()
        note = self.parties.why()
        if note and note not in line:
            line += "; " + note
        if self.near_miss and self.parties.agrees:
            line += "; words of the claim are replaced by others"
        if self.adds_party and "adds" not in line:
            line += "; adds " + ", ".join(p.display for p in self.parties.extra)
        if self.opposed:
            line += "; " + self.opposed
        return line


# What a claim's analysis is kept as between runs (see ``Matcher(prepared=...)``): per text, the
# normalized text, its terms, the alias stems indexed besides them, its entities and its roles.
Prepared = list[list[Any]]


def prepared_key(texts: Iterable[str]) -> str:
    """The key of a claim's analysis in a ``prepared`` mapping: its distinct texts, in order."""
    return "\x1f".join(dict.fromkeys(texts))


@lru_cache(maxsize=1)
def analysis_version() -> str:
    """A fingerprint of everything a claim's analysis depends on: the matching code, the lexicon
    and the stemmer. Analyses kept under another fingerprint are stale."""
    import contextlib
    import hashlib
    import platform
    import sys
    from importlib import metadata, resources

    digest = hashlib.sha256(f"{sys.implementation.cache_tag} {platform.machine()}".encode())
    with contextlib.suppress(metadata.PackageNotFoundError):
        digest.update(metadata.version("PyStemmer").encode())
    for package in ("claims_db.matching", "claims_db.data"):
        files = sorted((f for f in resources.files(package).iterdir() if f.is_file()), key=lambda f: f.name)
        for f in files:
            if f.name.endswith((".py", ".json", ".txt")):
                digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _analyse_texts(raw: Sequence[str]) -> Prepared:
    out: Prepared = []
    for text in raw:
        a = _analyze(_normalize(text))
        out.append([a.text, list(a.terms), list(a.extra_terms), list(a.entities),
                    [[r.actor, r.recipient, r.relation] for r in a.roles]])  # fmt: skip
    return out


def _prepare(
    claim: Claim, prepared: dict[str, Prepared] | None = None
) -> tuple[_Entry, tuple[tuple[str, ...]], list[str]]:
    raw = tuple(dict.fromkeys(claim.texts))  # a paraphrase equal to the statement adds nothing
    if prepared is None:
        record = _analyse_texts(raw)
    else:
        key = prepared_key(raw)
        kept = prepared.get(key)
        record = kept if kept is not None and _well_formed(kept, len(raw)) else _analyse_texts(raw)
        prepared[key] = record
    texts = []
    terms: list[str] = []
    words: list[str] = []
    for text, own, extra, entities, roles in record:
        words += text.split()
        terms += own
        terms += extra
        # surfaces are only read from messages; dropping them keeps a large store small
        texts.append(
            Analysis(text, tuple(own), (), tuple(entities), tuple(Role(a, r, rel) for a, r, rel in roles))
        )
    # The index holds one document per claim, its texts together: on CheckThat! (MAP@5 test 0.885 vs
    # 0.874) and on the match set (top-1 0.956 vs 0.937) that retrieves better than ranking a claim by
    # its best single text. The scorer then judges each text on its own, and the best one counts.
    return _Entry(claim.id, tuple(texts), claim_facts(texts), raw), (tuple(terms),), words


def _well_formed(record: Any, texts: int) -> bool:
    """A kept analysis has the shape ``_analyse_texts`` gives (a damaged cache is analysed again)."""
    if not isinstance(record, list) or len(record) != texts:
        return False
    for item in record:
        if not (isinstance(item, list) and len(item) == 5 and isinstance(item[0], str)):
            return False
        _, terms, extra, entities, roles = item
        if not (isinstance(terms, list) and isinstance(extra, list) and isinstance(entities, list)):
            return False
        if not all(isinstance(t, str) for part in (terms, extra, entities) for t in part):
            return False
        if not isinstance(roles, list) or not all(
            isinstance(r, list) and len(r) == 3 and all(x is None or isinstance(x, str) for x in r)
            for r in roles
        ):
            return False
    return True


@lru_cache(maxsize=65536)
def _name_terms(text: str) -> frozenset[str]:
    """The terms of the names of a claim text's parties, as the index stems them."""
    words = {w for p in _parties.read_claim(text).parties for w in p.names}
    return frozenset(_analyze(_normalize(" ".join(sorted(words)))).terms) if words else frozenset()


# two readings that can be switched off to measure what they do (tests and benchmarks do)
_REPLACED_VERB = True  # another verb in the claim's verb's place (predicate.replaced_verb)
# a misspelt message's meaning is read as the store spells its words too (Matcher._respelt)
_RESPELL_MEANING = True
_QUOTED_POSTS = True  # an embedded post with its sign-off is no near miss in words (Scored.near_in_words)
_TABLE_WORDS = [w for phrase in (*ALIASES, *SYNONYMS) for w in phrase.split()]


class Matcher:
    """Finds the curated claims a message states, asks about or denies.

    Parameters
    ----------
    claims
        The initial claim store; a later claim with the same id replaces an earlier one.
    thresholds
        Cut points on the calibrated probability; the decision model's own by default.
    model
        The calibrated decision model; the one shipped in ``claims_db/data`` by default.
    weights
        How scoring signals are mixed; defaults to :class:`Weights`.
    candidates
        How many claims BM25 retrieval hands to the scorer per message.
    bm25
        BM25 parameters of the index.
    typos
        When a message finds nothing confident as written, try again with unknown words replaced
        by the closest words of the claim store ("missles" -> "missiles").
    semantic
        The semantic tier, if on: its nearest claims join the candidates, candidates are ranked by
        ``(1 - semantic_weight) * lexical score + semantic_weight * cosine``, and the cosine is a
        feature of the decision. The party checks keep the last word either way.
    semantic_weight
        The weight of the cosine in the ranking; by default the tier's own (``fusion_weight`` of
        its encoder: e5 has its own), else 0.7 (tuned for MiniLM on CheckThat! train/dev).
    prepared
        Claims' analyses kept from an earlier run, keyed by :func:`prepared_key`: an initial claim
        found there is not analysed again, and one missing is added, so that the caller can keep
        the mapping for the next run (the service keeps it on disk: ``claims_db.store.cache``). It
        is valid only for the :func:`analysis_version` it was made with.
    """

    thresholds: Thresholds

    def __init__(
        self,
        claims: Iterable[Claim] = (),
        *,
        thresholds: Thresholds | None = None,
        model: DecisionModel | None = None,
        weights: Weights | None = None,
        candidates: int = DEFAULT_CANDIDATES,
        bm25: Bm25 | None = None,
        typos: bool = True,
        semantic: Semantic | None = None,
        semantic_weight: float | None = None,
        prepared: dict[str, Prepared] | None = None,
    ) -> None:
        self.thresholds = thresholds or Thresholds()
        self.model = model or default_model(
            semantic=semantic is not None, aligns=bool(getattr(semantic, "aligns", False))
        )
        self.weights = weights or Weights()
        self.candidates = candidates

        self.typos = typos
        self.semantic = semantic
        if semantic_weight is None:
            own = getattr(semantic, "fusion_weight", None) if semantic is not None else None
            semantic_weight = SEMANTIC_WEIGHT if own is None else float(own)
        self.semantic_weight = semantic_weight
        self._speller = Speller(_TABLE_WORDS)

        known: list[str] = []  # the speller learns the store's words at once: a bucket is a tuple

        def items() -> Iterable[tuple[str, tuple[tuple[str, ...], ...], _Entry]]:
            for claim in claims:
                entry, docs, words = _prepare(claim, prepared)
                known.extend(words)
                yield claim.id, docs, entry

        self._index: Index[str, _Entry] = Index(items(), params=bm25)
        self._speller.add(known)
        # the synonym table (and the opposites it leaves out) would otherwise load inside the first
        # message's check, a quarter of a second: once per process, at start-up instead
        _synonyms.lookup()

    def update(self, upserts: Iterable[Claim] = (), removals: Iterable[str] = ()) -> None:
        """Add or replace ``upserts``, then stop matching ``removals``, with one rebuild of the index.

        The service sends every change through here, once per write or import (and another
        process's bulk change as one call): claims are analysed one by one, the index is rebuilt
        once, and everything is matchable when this returns.
        """

        known: list[str] = []

        def items() -> Iterable[tuple[str, tuple[tuple[str, ...], ...], _Entry]]:
            for claim in upserts:
                entry, docs, words = _prepare(claim)
                known.extend(words)
                yield claim.id, docs, entry

        rows = list(items())  # the speller knows a claim's words before the claim is matchable
        self._speller.add(known)
        self._index.update(rows, removals)

    def add(self, claim: Claim) -> None:
        """Add a claim, or replace the one with the same id; matchable when this returns."""
        self.update([claim])

    def remove(self, claim_id: str) -> None:
        """Stop matching a claim (e.g. retracted); an unknown id is ignored."""
        self.update(removals=[claim_id])

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._index

    def evidence(
        self, message: str, *, limit: int = 3, exclude: frozenset[str] = frozenset()
    ) -> list[tuple[str, Evidence]]:
        """The best ``limit`` claims with the lexical evidence behind their scores, best first.

        ``exclude`` leaves claims out as if they were not in the store (for calibration).
        """
        return [(c, ev) for c, ev, _ in self._evidence(message, limit, exclude)[0]]

    def _evidence(
        self, message: str, limit: int, exclude: frozenset[str]
    ) -> tuple[list[tuple[str, Evidence, float | None]], int, tuple[str, ...]]:
        """The ranked evidence (with each candidate's cosine, if the tier is on), how many terms
        the message has, and the texts the tier read for its meaning: the message, and where its
        words were read as the store spells them, that reading too (:meth:`_respelt`)."""
        normalized = _normalize(message)
        cosines: dict[str, float] | None = None
        read: tuple[str, ...] = (message,)
        if self.semantic is not None:
            vector = self.semantic.encode_query(message)
            near = self.semantic.search(vector, k=self.candidates + len(exclude))
            cosines = {c: s for c, s in near if c not in exclude}
        scored, terms = self._rank(normalized, limit, exclude, cosines)
        # a short message is tried again too when its best claim misses so many of its words that
        # it would read as a near miss: "norvick air orderd ... vantor aerospce" scores well as written
        respelt: str | None = None  # the message as the store spells it, where that reading won
        if self.typos and (
            not scored
            or scored[0][1].score < TYPO_RETRY_BELOW
            or (terms <= SHORT_TERMS and scored[0][1].recall <= 1 - NEAR_MISS_SHARE)
        ):
            fixed = self._speller.correct_text(normalized)
            if fixed != normalized:
                retry, retry_terms = self._rank(fixed, limit, exclude, cosines)
                if retry and (not scored or retry[0][1].score > scored[0][1].score):
                    scored, terms, respelt = retry, retry_terms, fixed
        if self.semantic is not None and scored:
            missing = [c for c, _, cos in scored if cos is None]
            if missing:
                more = self.semantic.similarity(vector, missing)
                scored = [(c, ev, cos if cos is not None else more.get(c, 0.0)) for c, ev, cos in scored]
            # a short message only: a chat message's typos are most of its words, while a tweet's
            # cost a second model run over a long text for little (stop 29: 29 of 408 tweets)
            again = (
                self._respelt(normalized, respelt)
                if respelt is not None and terms <= SHORT_TERMS and _RESPELL_MEANING
                else None
            )
            if again is not None:
                # the meaning of the words as the store spells them, as the words were read: the
                # better of the two readings (one model run more, for a misspelt message only)
                again_vector = self.semantic.encode_query(again)
                better = self.semantic.similarity(again_vector, [c for c, _, _ in scored])
                scored = [(c, ev, max(cos or 0.0, better.get(c, 0.0))) for c, ev, cos in scored]
                read = (message, again)
            w = self.semantic_weight
            scored.sort(key=lambda r: (1 - w) * r[1].score + w * (r[2] or 0.0), reverse=True)
        return scored[:limit], terms, read

    def _respelt(self, normalized: str, fixed: str) -> str | None:
        """The message with the words its encoder does not know whole spelt as the store spells
        them (``fixed``: the speller's reading, word for word: "kestral orbital launched indonesias
        frist weather satelite" -> "... weather satellite"), or None where that changes nothing or
        the encoder has no vocabulary. A word the encoder knows is kept as written, whatever the
        store has: "protect" is no typo of "project", and reading it so would bring a near miss
        closer in meaning than it is."""
        knows = getattr(self.semantic, "vocabulary", None)
        if knows is None:
            return None
        written = normalized.split()
        again = [w if w == r or knows(w) else r for w, r in zip(written, fixed.split(), strict=True)]
        return " ".join(again) if again != written else None

    def _rank(
        self,
        normalized: str,
        limit: int,
        exclude: frozenset[str],
        cosines: Mapping[str, float] | None = None,
    ) -> tuple[list[tuple[str, Evidence, float | None]], int]:
        query = _analyze(normalized)
        want = max(self.candidates, limit) + len(exclude)
        retrieval = self._index.search(query.index_terms, k=want)
        found = [c for c in retrieval.candidates if c.key not in exclude] if exclude else retrieval.candidates
        found = found[: max(self.candidates, limit)]
        top = found[0].bm25 if found else 1.0
        idf = retrieval.idf_table.__getitem__  # a C-level lookup once a term is known
        items = [(c.key, c.payload, c.bm25 / (top or 1.0)) for c in found]
        if cosines:
            seen = {c.key for c in found}
            for claim_id in cosines:  # claims the words missed but the meaning found
                entry = self._index.get(claim_id)
                if claim_id not in seen and entry is not None:
                    items.append((claim_id, entry, 0.0))
        if not items:
            return [], len(query.terms)
        qw = [idf(t) for t in query.terms]
        table = retrieval.idf_table

        def text_weights(text: Analysis) -> tuple[dict[str, float], float]:
            return table.of_text(text, text.terms)

        scored = [
            (
                key,
                _score(
                    query,
                    entry.texts,
                    idf=idf,
                    bm25=bm25,
                    weights=self.weights,
                    facts=entry.facts,
                    query_weights=qw,
                    text_weights=text_weights,
                ),
                cosines.get(key) if cosines is not None else None,
            )
            for key, entry, bm25 in items
        ]
        scored.sort(key=lambda kv: kv[1].score, reverse=True)
        if cosines is None:
            scored = scored[:limit]
        return scored, len(query.terms)

    def scored(self, message: str, *, limit: int = 3, exclude: frozenset[str] = frozenset()) -> list[Scored]:
        """The best ``limit`` candidates with their party checks and decision features."""
        ranked, terms, read = self._evidence(message, max(limit, 2), exclude)
        # words alone cannot tell a post's own words from another proposition (see near_in_words);
        # with the semantic tier, meaning decides for a post as for any message
        quoted = self.semantic is None and signoff_author(message) is not None
        out: list[Scored] = []
        for i, (claim_id, ev, cosine) in enumerate(ranked[:limit]):
            entry = self._index.get(claim_id)
            check = _parties.check(entry.raw, message, best=ev.text) if entry else _parties.PartyCheck()
            # the top is weighed against the runner-up, every other candidate against the top
            other = ranked[0] if i else (ranked[1] if len(ranked) > 1 else None)
            runner_up = other[1] if other is not None else None
            predicate = self._predicate(entry, ev) if entry else (0.0, 0.0)
            # the top candidate's only (the verdict's, and the one the model was fitted on): two
            # encodes more per message, not two per candidate; the others read 0, no alignment seen
            align = self._align(entry.raw[ev.text], read) if entry and cosine is not None and i == 0 else None
            values = _features(
                ev, runner_up, check, message_terms=terms, semantic=cosine,
                semantic_runner_up=other[2] if other is not None else None, predicate=predicate,
                align=align,
            )  # fmt: skip
            opposed = None
            for text in dict.fromkeys((entry.raw[ev.text], entry.raw[0])) if entry and _short(values) else ():
                # against the statement too: a paraphrase may word it otherwise ("won't give")
                opposed = opposed or _opposites.contradiction(text, message)
            if entry and opposed is None and _short(values) and _REPLACED_VERB:
                # against the text the message agrees with best: a verb another of the claim's
                # texts uses is the claim's own ("supplied" of a paraphrase for "sent")
                replaced = _predicate.replaced_verb(entry.raw[ev.text], message, also=entry.raw)
                if replaced is not None:
                    opposed = f'says "{replaced[1]}" where the claim says "{replaced[0]}"'
            # the alignment gate only where the alignment was read (the top candidate, with word vectors)
            align_gate = self.model.near_miss_align if align is not None else None
            out.append(
                Scored(claim_id, ev, check, values, opposed, self.model.near_miss_cosine, quoted, align_gate)
            )
        return out

    def _align(self, claim_text: str, texts: Sequence[str]) -> float | None:
        """The weakest link by meaning between the claim's text and the message
        (:func:`~claims_db.matching.alignment.weakest_link`), the better of the message as
        written and as respelt (``texts``, see :meth:`_evidence`), or None where the encoder gives
        no word vectors or the decision does not use them."""
        read = getattr(self.semantic, "word_vectors", None)  # not every tier has word vectors
        if read is None or "semantic_align" not in self.model.names:
            return None
        claim = read(claim_text)
        if claim is None:
            return None
        knows = getattr(self.semantic, "vocabulary", None)
        framing = framing_words(texts[0])
        links = [
            _alignment.weakest_link(claim, said, knows=knows, framing=framing)
            for said in (read(t, query=True) for t in texts)
            if said
        ]
        return max(links) if links else None

    def _predicate(self, entry: _Entry, ev: Evidence) -> tuple[float, float]:
        """The IDF mass of the best text's words besides its parties' names that the message has,
        and that it lacks (see :func:`claims_db.matching.calibrate.features`)."""
        text = entry.texts[ev.text]
        names = _name_terms(entry.raw[ev.text])
        weights, _ = self._index.idf_table.of_text(text, text.terms)
        found = {t for t, _ in ev.matched}
        got = missed = 0.0
        for t, w in weights.items():
            if t[:1] == "@" or t in names:
                continue  # a party, not what is said of it
            if t in found:
                got += w
            else:
                missed += w
        return got, missed

    def check(self, message: str, *, limit: int = 3) -> MatchResult:
        """Match one message.

        Parameters
        ----------
        message
            What a user posted.
        limit
            How many claims to return; the best ``limit`` candidates are returned even when
            none is good enough for a verdict other than ``NONE``.

        Returns
        -------
        MatchResult
            Matches ranked best first, each with a score in [0, 1], its own verdict and a one-line
            reason; the overall verdict is that of the best match (``NONE`` without matches); the
            framing says how the message puts it.
        """
        matches = []
        scored = self.scored(message, limit=limit)
        framing = self._framing(message, scored[0].claim_id if scored else None)
        for s in scored:
            p = self.model.probability(s.features)
            match, possible = self.thresholds.resolve(self.model, short=s.short)
            verdict = _decide(p, s.safe, match=match, possible=possible)
            matches.append(Match(s.claim_id, round(p, 4), verdict, s.why()))
        verdict = matches[0].verdict if matches else Verdict.NONE
        return MatchResult(text=message, verdict=verdict, framing=framing, matches=tuple(matches))

    def _framing(self, message: str, claim_id: str | None) -> Framing:
        """How the message frames the claim: a question elsewhere in the message does not count.

        "Iran sent missiles to Russia. anyway what's for dinner?" states the claim; only the
        sentences that carry the claim's words can make it a question.
        """
        framing = frame(message)
        entry = self._index.get(claim_id) if claim_id is not None else None
        if framing is not Framing.QUESTION or entry is None:
            return framing
        sentences = [s for s in _SENTENCES.split(message) if s.strip()]
        if len(sentences) < 2:
            return framing
        claim_terms = {t for text in entry.texts for t in text.terms}

        def about(sentence: str) -> bool:
            return len(set(_analyze(_normalize(sentence)).terms) & claim_terms) >= 2

        if any(about(s) and frame(s) is Framing.QUESTION for s in sentences):
            return framing
        kept = [s for s in sentences if about(s) or frame(s) is not Framing.QUESTION]
        return frame(" ".join(kept)) if kept else framing

    def check_many(self, messages: Sequence[str], *, limit: int = 3) -> list[MatchResult]:
        """Match many messages; the same as :meth:`check` on each, in order."""
        return [self.check(m, limit=limit) for m in messages]
