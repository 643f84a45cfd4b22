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
    """An encoder that remembers every vector it made (saved with :meth:`save`)."""

    def __init__(self, cache_dir: Path = DEFAULT_CACHE) -> None:
        self.inner = load_encoder()
        self.path = cache_dir / f"{self.inner.info.checksum[:16]}.npz"
        self._memo: dict[str, np.ndarray] = {}
        self._dirty = False
        if self.path.exists():
            with np.load(self.path) as data:
                keys, vecs = data["keys"], data["vecs"]
                self._memo = {str(k): v for k, v in zip(keys, vecs, strict=True)}

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def info(self) -> Any:
        return self.inner.info

    def encode(self, texts: Sequence[str], *, batch: int = 32, progress: Any = None) -> np.ndarray:
        keys = [_key(t) for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._memo}.items())
        if todo:
            if len(todo) > 100:
                print(f"encoding {len(todo)} texts…", file=sys.stderr)
            vecs = self.inner.encode([t for _, t in todo], batch=batch)
            for (k, _), v in zip(todo, vecs, strict=True):
                self._memo[k] = v
            self._dirty = True
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memo[k] for k in keys])

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._memo), dtype="U40")
        vecs = np.stack(list(self._memo.values())).astype(np.float32)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vecs=vecs)
        tmp.replace(self.path)
        self._dirty = False


def semantic_index(claims: Iterable[Claim], cache_dir: Path = DEFAULT_CACHE) -> SemanticIndex:
    encoder = CachingEncoder(cache_dir)
    index = SemanticIndex(encoder, list(claims))  # type: ignore[arg-type]
    encoder.save()
    return index


def warm(index: SemanticIndex, texts: Sequence[str]) -> None:
    """Encode (and cache) every query of a run at once, in batches."""
    encoder = index.encoder
    if isinstance(encoder, CachingEncoder):
        encoder.encode(list(texts))
        encoder.save()
