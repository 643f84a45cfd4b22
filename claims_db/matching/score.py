"""Stage 4: how well one claim agrees with a message, as a number in [0, 1] and its reasons.

Three signals in [0, 1] are mixed by :class:`Weights` into how well the claim is stated:

* recall: the share of the claim's terms (IDF-weighted) that the message contains;
* precision: the share of the message's terms that belong to the claim, counted over the stretch
  of the message where the claim's terms occur, so a claim quoted among chatter still scores;
* fuzzy: rapidfuzz ``token_set_ratio`` of the normalized texts.

The mix is scaled by the claim's BM25 score relative to the best candidate's, raised to
``Weights.bm25_power``: retrieval decides the order among close candidates (it is the strongest
ranking signal on CheckThat!), but cannot lift a weak statement to a confident one, since the best
candidate's relative score is always 1. Then agreement on who-did-what-to-whom, which similar words
cannot show, scales the score down: an entity the claim needs is missing while another is named in
its place ("North Korea" for "Iran"), or the roles are reversed ("Russia supplied Iran" for "Iran
supplied Russia").
A claim is scored by its best text (statement or paraphrase).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from . import synonyms as _synonyms
from .analyze import ENTITY_NAMES, Analysis
from .index import term_weights

__all__ = ["ClaimFacts", "Evidence", "Weights", "claim_facts", "score", "score_text"]


@dataclass(frozen=True, slots=True)
class Weights:
    """How the signals are mixed and how much disagreement costs (tuned on held-out data)."""

    recall: float = 0.45
    precision: float = 0.25
    fuzzy: float = 0.30
    bm25_power: float = 2.0
    entity_conflict: float = 0.55  # multiplier when a needed entity is replaced by another
    role_conflict: float = 0.5  # multiplier when actor and recipient are reversed
    missing_entity: float = 0.85  # multiplier when a needed entity is simply not named
    extra_party: float = 0.9  # multiplier when the message's doer or recipient is not in the claim
    fuzzy_cutoff: float = 30.0


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """Who a claim is about, over all its texts (they state one proposition)."""

    entities: frozenset[str]
    actors: frozenset[str]  # givers in transfers
    recipients: frozenset[str]
    doers: frozenset[str]  # who acts in each text
    needed: frozenset[str]  # the parties its statement cannot be stated without


def claim_facts(texts: Sequence[Analysis]) -> ClaimFacts:
    """Collect the entities and roles of a claim's texts; ``texts[0]`` is the statement."""
    entities = _frozen(e for t in texts for e in t.entities)
    actors = _frozen(r.actor for t in texts for r in t.roles if r.actor and r.relation == "supply")
    recipients = _frozen(r.recipient for t in texts for r in t.roles if r.recipient)
    doers = _frozen(r.actor for t in texts for r in t.roles if r.actor and r.relation == "do")
    needed = _frozen(_needed(texts[0])) if texts else _NOTHING
    return ClaimFacts(entities, actors, recipients, doers, needed)


_NOTHING: frozenset[str] = frozenset()
_NO_REACH: dict[str, list[str]] = {}


@lru_cache(maxsize=256)
def _reach(terms: tuple[str, ...]) -> dict[str, list[str]]:
    """For a message's terms: each term related to one of them (``synonyms``), with the message's
    terms it is related to, in message order. Computed once per message, not per candidate (the
    table relates terms both ways); callers must not change it."""
    lookup = _synonyms.lookup()
    out: dict[str, list[str]] = {}
    for q in dict.fromkeys(terms):
        near = lookup(q)
        if near is not None:
            for t in near:
                got = out.get(t)
                if got is None:
                    out[t] = [q]
                else:
                    got.append(q)
    return out


def _frozen(items: Iterable[str]) -> frozenset[str]:
    """Most claims of a large store name no entity: share one empty set between them."""
    out = frozenset(items)
    return out if out else _NOTHING


@dataclass(frozen=True, slots=True)
class Evidence:
    """The score of one claim for one message, with the facts behind it."""

    score: float
    text: int  # which of the claim's texts scored best (0 = statement)
    recall: float
    precision: float
    fuzzy: float
    bm25: float
    matched: tuple[tuple[str, str], ...]  # (term, the message's words for it), in message order
    missing: tuple[str, ...] = ()  # entities the claim needs that the message does not name
    substituted: tuple[str, ...] = ()  # entities the message names in their place
    extra: tuple[str, ...] = ()  # parties the message makes act or receive that the claim never names
    roles_reversed: bool = False
    coverage: float = 0.0  # share of the message's terms (IDF-weighted) that the claim text has
    weights: tuple[float, float, float] = (
        0.0,
        0.0,
        0.0,
    )  # IDF of: claim terms found, missed; message terms not in the claim
    synonyms: float = 0.0  # IDF of the claim terms found only as a related word (synonyms.py)

    @property
    def conflict(self) -> bool:
        """The message states something else: another party, or who did what to whom reversed."""
        return self.roles_reversed or bool(self.substituted)

    def why(self) -> str:
        """One line: the aliases, terms and entities that agreed, then what disagreed."""
        parts: list[str] = []
        seen: set[str] = set()
        for term, surface in self.matched:
            if term.startswith("@"):
                name = ENTITY_NAMES.get(term[1:], term[1:])
                label = name if surface.lower() == name.lower() else f"{surface.title()}→{name}"
            else:
                label = surface
            if label not in seen:
                seen.add(label)
                parts.append(label)
            if len(parts) >= 8:
                break
        line = ", ".join(parts) if parts else "no terms in common"
        notes = []
        if self.roles_reversed:
            notes.append("who did what to whom is reversed")
        if self.substituted:
            names = ", ".join(ENTITY_NAMES.get(e, e) for e in self.substituted)
            notes.append(
                f"names {names} instead of " + ", ".join(ENTITY_NAMES.get(e, e) for e in self.missing)
            )
        elif self.missing:
            notes.append("does not name " + ", ".join(ENTITY_NAMES.get(e, e) for e in self.missing))
        if self.extra and not self.substituted:
            notes.append("adds " + ", ".join(ENTITY_NAMES.get(e, e) for e in self.extra))
        return line + ("; " + "; ".join(notes) if notes else "")


def _needed(claim: Analysis) -> set[str]:
    """Entities a message must name to state this text: the parties to its transfers, else all."""
    supply = [r for r in claim.roles if r.relation == "supply"]
    need = {r.actor for r in supply if r.actor} | {r.recipient for r in supply if r.recipient}
    return need or set(claim.entities)


def _entities_in_span(qterms: Sequence[str], claim_terms: set[str]) -> set[str]:
    """Entities named next to or among the words the message shares with the claim."""
    hits = [i for i, t in enumerate(qterms) if t in claim_terms]
    if not hits:
        return set()
    lo, hi = max(0, hits[0] - 1), min(len(qterms), hits[-1] + 2)
    return {t[1:] for t in qterms[lo:hi] if t.startswith("@")}


def _reversed(query: Analysis, facts: ClaimFacts) -> bool:
    only_recipients = facts.recipients - facts.actors
    only_actors = facts.actors - facts.recipients
    doers: set[str] = set()
    for q in query.roles:
        if q.relation == "do":
            if q.actor is not None:
                doers.add(q.actor)
            continue
        if q.actor is not None and q.actor in only_recipients:
            return True  # "Russia supplied Iran" for "Iran supplied Russia"
        if q.recipient is not None and q.recipient in only_actors:
            return True
    if doers and facts.doers and not doers & facts.doers:
        # another of the claim's parties acts ("Ukraine deported Russian children"), or the
        # claim's doer is named in some other part ("Russian officials say a Ukrainian Buk ...")
        return bool(doers & facts.entities) or facts.doers <= set(query.entities)
    return False


def score_text(
    query: Analysis,
    claim: Analysis,
    *,
    idf: Callable[[str], float],
    bm25: float = 1.0,
    weights: Weights = Weights(),
    query_weights: Sequence[float] | None = None,
    claim_weights: tuple[Mapping[str, float], float] | None = None,
) -> tuple[float, float, float, float, tuple[tuple[str, str], ...], float, tuple[float, float, float], float]:
    """How well one claim text is stated, before party checks.

    Returns ``(mix, recall, precision, fuzzy, matched, coverage, weights, related)``; ``coverage``
    is the share of the whole message's terms (IDF-weighted) that the claim text contains,
    ``weights`` the IDF mass of the claim terms found and missed and of the message terms the
    claim lacks, ``related`` the IDF mass of the claim terms found only as a related word
    (:mod:`~claims_db.matching.synonyms`), which ``weights`` counts as found.

    Parameters
    ----------
    query, claim
        Analyses of the message and of one claim text.
    idf
        Inverse document frequency of a term in the claim store.
    bm25
        Retrieval score of the claim relative to the best candidate, in [0, 1].
    weights
        How the signals are mixed.
    query_weights
        ``idf`` of each of ``query.terms``, when the caller has them already.
    claim_weights
        ``idf`` of each distinct term of ``claim`` in its order, and their sum, when the caller
        keeps them (:meth:`IdfTable.of_text`).
    """
    # in the claim's order, not a set's: the sums below must not depend on the hash seed
    claim_terms, total = claim_weights if claim_weights is not None else term_weights(claim.terms, idf)
    qterms = query.terms
    qw = query_weights if query_weights is not None else [idf(t) for t in qterms]
    present = set(qterms)
    got = 0.0
    missed: list[str] = []
    for t, w in claim_terms.items():
        if t in present:
            got += w
        else:
            missed.append(t)
    # a message word related to a word of the claim the message leaves out stands in for it
    # ("fired" for "dismissed"): one message word for one claim word, the first in the message
    stand_in: dict[str, str] = {}
    related_weight = 0.0
    reach = _reach(qterms) if missed else _NO_REACH
    for t in missed if reach else ():
        given = reach.get(t)
        if given is not None:
            for q in given:
                if q not in claim_terms and q not in stand_in:
                    stand_in[q] = t
                    related_weight += claim_terms[t]
                    break
    got += related_weight
    recall = got / total if total else 0.0
    first = last = -1
    matched: list[tuple[str, str]] = []
    surfaces = query.surfaces
    in_claim = 0.0
    for i, t in enumerate(qterms):
        if t in claim_terms or t in stand_in:
            if first < 0:
                first = i
            last = i
            in_claim += qw[i]
            matched.append((stand_in.get(t, t), surfaces[i] if i < len(surfaces) else t))
    precision = coverage = 0.0
    all_weight = sum(qw)
    if all_weight:
        coverage = in_claim / all_weight
    if first >= 0:
        span = hits = 0.0
        for i in range(max(0, first - 1), min(len(qterms), last + 2)):
            span += qw[i]
            if qterms[i] in claim_terms or qterms[i] in stand_in:
                hits += qw[i]
        precision = hits / span if span else 0.0
    fuzzy = (
        fuzz.token_set_ratio(query.text, claim.text, processor=None, score_cutoff=weights.fuzzy_cutoff)
        / 100.0
    )
    mix = weights.recall * recall + weights.precision * precision + weights.fuzzy * fuzzy
    value = mix / (weights.recall + weights.precision + weights.fuzzy) * bm25**weights.bm25_power
    return (
        value,
        recall,
        precision,
        fuzzy,
        tuple(matched),
        coverage,
        (got, total - got, all_weight - in_claim),
        related_weight,
    )


def score(
    query: Analysis,
    texts: Sequence[Analysis],
    *,
    idf: Callable[[str], float],
    bm25: float = 1.0,
    weights: Weights = Weights(),
    facts: ClaimFacts | None = None,
    query_weights: Sequence[float] | None = None,
    text_weights: Callable[[Analysis], tuple[Mapping[str, float], float]] | None = None,
) -> Evidence:
    """Score a claim for a message by its best text, then check the parties.

    Parameters
    ----------
    query
        Analysis of the message.
    texts
        Analyses of the claim's statement (first) and paraphrases.
    idf
        Inverse document frequency of a term in the claim store.
    bm25
        Retrieval score of the claim relative to the best candidate, in [0, 1].
    weights
        How the signals are mixed and what disagreement costs.
    facts
        ``claim_facts(texts)``, when the caller keeps it.
    query_weights
        ``idf`` of each of ``query.terms``, when the caller has them (one message, many claims).
    text_weights
        The ``claim_weights`` of :func:`score_text` for a claim text, when the caller keeps them.
    """
    if not texts:
        return Evidence(0.0, 0, 0.0, 0.0, 0.0, bm25, ())
    facts = facts or claim_facts(texts)
    qw = query_weights if query_weights is not None else [idf(t) for t in query.terms]
    best = max(
        (
            (
                *score_text(
                    query,
                    t,
                    idf=idf,
                    bm25=bm25,
                    weights=weights,
                    query_weights=qw,
                    claim_weights=text_weights(t) if text_weights is not None else None,
                ),
                i,
            )
            for i, t in enumerate(texts)
        ),
        key=lambda r: r[0],
    )
    value, recall, precision, fuzzy, matched, coverage, idf_weights, related_weight, index = best
    named = set(query.entities)
    missing = tuple(sorted(_needed(texts[index]) - named))
    statement_missing = facts.needed - named
    others = named - facts.entities
    substituted = tuple(sorted(others)) if statement_missing and others else ()
    if substituted:
        missing = tuple(sorted(set(missing) | statement_missing))
    parties = {r.actor for r in query.roles if r.actor} | {r.recipient for r in query.roles if r.recipient}
    # an entity inside the stretch that states the claim is part of what is stated
    parties.update(_entities_in_span(query.terms, {t for text in texts for t in text.terms}))
    extra = tuple(sorted(p for p in parties if p not in facts.entities))
    roles_reversed = _reversed(query, facts)
    if roles_reversed:
        value *= weights.role_conflict
    if substituted:
        value *= weights.entity_conflict
    elif missing:
        value *= weights.missing_entity
    if extra and not substituted:
        value *= weights.extra_party
    return Evidence(
        score=min(1.0, max(0.0, value)),
        text=index,
        recall=recall,
        precision=precision,
        fuzzy=fuzzy,
        bm25=bm25,
        matched=matched,
        missing=missing,
        substituted=substituted,
        extra=extra,
        roles_reversed=roles_reversed,
        coverage=coverage,
        weights=idf_weights,
        synonyms=related_weight,
    )
