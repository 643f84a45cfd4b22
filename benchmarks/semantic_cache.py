"""The semantic tier for benchmarks, with every text's vector cached on disk.

Encoding 14,231 claims takes minutes on one core; a benchmark that is run again should not pay it
again. Vectors are kept per model checksum in ``.cache/claimbot-bench/`` (or ``--cache``), keyed
by the text's sha1. The index and the matcher are the run-time ones: only the encoder is wrapped.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from claims_db.models import Claim
from claims_db.semantic import SemanticIndex, load_encoder

DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "claimbot-bench"


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class CachingEncoder:
    """An encoder that remembers every vector it made (saved with :meth:`save`).

    ``inner`` is the encoder to wrap (the one this process would load by default). An encoder with
    a query mode (e5's ``encode_queries``) keeps passage and query vectors apart, under
    ``passage_kind`` and ``"q"`` before the text's hash; ``name`` tells cache files apart.
    """

    def __init__(
        self,
        cache_dir: Path = DEFAULT_CACHE,
        *,
        inner: Any = None,
        name: str = "",
        passage_kind: str = "",
    ) -> None:
        self.inner = inner if inner is not None else load_encoder()
        self.path = cache_dir / f"{name}{self.inner.info.checksum[:16]}.npz"
        self._passage_kind = passage_kind
        self._memo: dict[str, np.ndarray] = {}
        self._dirty = False
        if self.path.exists():
            with np.load(self.path) as data:
                keys, vecs = data["keys"], data["vecs"]
                self._memo = {str(k): v for k, v in zip(keys, vecs, strict=True)}

    @property
    def name(self) -> str:
        return str(self.inner.name)

    @property
    def dim(self) -> int:
        return int(self.inner.dim)

    @property
    def info(self) -> Any:
        return self.inner.info

    @property
    def word_vectors(self) -> Any:
        """The inner encoder's words in context (not cached on disk: one text costs ~3 ms); an
        AttributeError, as on the inner encoder, where it has none."""
        return self.inner.word_vectors

    @property
    def knows(self) -> Any:
        """The inner encoder's vocabulary test (an AttributeError where it has none)."""
        return self.inner.knows

    def _cached(self, texts: Sequence[str], kind: str, batch: int) -> np.ndarray:
        keys = [kind + _key(t) for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._memo}.items())
        if todo:
            if len(todo) > 100:
                what = "queries" if kind == "q" else "texts"
                print(f"{self.name}: encoding {len(todo)} {what}…", file=sys.stderr)
            encode = self.inner.encode_queries if kind == "q" else self.inner.encode
            for start in range(0, len(todo), 2000):  # saved as it goes: an interrupted run keeps its work
                part = todo[start : start + 2000]
                vecs = encode([t for _, t in part], batch=batch)
                for (k, _), v in zip(part, vecs, strict=True):
                    self._memo[k] = v
                self._dirty = True
                if len(todo) > 2000:
                    self.save()
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memo[k] for k in keys])

    def encode(self, texts: Sequence[str], *, batch: int = 32, progress: Any = None) -> np.ndarray:
        return self._cached(texts, self._passage_kind, batch)

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._memo), dtype="U41")
        vecs = np.stack(list(self._memo.values())).astype(np.float32)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vecs=vecs)
        tmp.replace(self.path)
        self._dirty = False


class CachingQueryEncoder(CachingEncoder):
    """A :class:`CachingEncoder` for an encoder with a query mode: ``encode_queries`` cached too."""

    def encode_queries(self, texts: Sequence[str], *, batch: int = 32, progress: Any = None) -> np.ndarray:
        return self._cached(texts, "q", batch)


def semantic_index(claims: Iterable[Claim], cache_dir: Path = DEFAULT_CACHE) -> SemanticIndex:
    encoder = CachingEncoder(cache_dir)
    index = SemanticIndex(encoder, list(claims))  # type: ignore[arg-type]
    encoder.save()
    return index


def warm(index: SemanticIndex, texts: Sequence[str]) -> None:
    """Encode (and cache) every query of a run at once, in batches."""
    encoder = index.encoder
    if isinstance(encoder, CachingEncoder):
        encoder.encode([index.query_text(t) for t in texts])  # as the index will ask for them
        encoder.save()
