"""The approximate index (CLAIMBOT_ANN=usearch): the nearest claims it names are the exact search's,
each claim once with its best row's cosine, updates are seen, and the switch picks the path.

Synthetic unit vectors with planted near neighbours; no model is loaded.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

pytest.importorskip("usearch", reason="usearch is not installed (pip install 'claimbot[ann]')")

from claims_db.semantic import ann as ann_module
from claims_db.semantic.ann import AnnSettings, AnnUnavailable, ann_settings
from claims_db.semantic.index import SemanticIndex

DIM = 48
ON = AnnSettings("usearch", min_claims=0)
OFF = AnnSettings()


class Dim:
    """An encoder that is never asked to encode: every vector is supplied."""

    name = "synthetic"
    dim = DIM
    standardise: Any = False

    def encode(self, texts: Any, *, batch: int = 32, progress: Any = None) -> np.ndarray:
        raise AssertionError("nothing is encoded here")


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


def _claims(vectors: Mapping[str, np.ndarray]) -> list[Any]:
    return [SimpleNamespace(id=k) for k in vectors]  # the index reads only the ids


@pytest.fixture(scope="module")
def store() -> tuple[dict[str, np.ndarray], np.ndarray, list[str]]:
    """2,000 random claims (every fifth with three rows), 30 queries, and for each query a planted
    claim whose one row is the query plus a little noise."""
    rng = np.random.default_rng(3)
    vectors = {f"c{i}": _unit(rng.standard_normal((3 if i % 5 == 0 else 1, DIM))) for i in range(2000)}
    queries = _unit(rng.standard_normal((30, DIM)))
    planted = []
    for j, q in enumerate(queries):
        vectors[f"near{j}"] = _unit(q + 0.05 * rng.standard_normal(DIM))[None, :]
        planted.append(f"near{j}")
    return vectors, queries, planted


def _index(vectors: Mapping[str, np.ndarray], ann: AnnSettings, encoder: Any = None) -> SemanticIndex:
    index = SemanticIndex(encoder or Dim(), _claims(vectors), vectors=vectors, ann=ann)
    assert index.wait_for_ann(timeout=60)
    return index


def test_the_planted_nearest_claim_comes_first_through_the_graph(store: Any, monkeypatch: Any) -> None:
    vectors, queries, planted = store
    asked = []
    nearest = ann_module.AnnIndex.nearest_claims
    monkeypatch.setattr(
        ann_module.AnnIndex, "nearest_claims", lambda self, q, k: asked.append(k) or nearest(self, q, k)
    )
    index = _index(vectors, ON)
    assert index.ann_active
    firsts = [index.search(q, k=5)[0][0] for q in queries]
    assert firsts == planted
    assert asked == [5] * len(queries)  # every search went through the graph


def test_its_top_10_agree_with_the_exact_search(store: Any) -> None:
    vectors, queries, _ = store
    approximate, exact = _index(vectors, ON), _index(vectors, OFF)
    assert approximate.ann_active and not exact.ann_active
    recall = []
    for q in queries:
        got, want = approximate.search(q, k=10), exact.search(q, k=10)
        recall.append(len({c for c, _ in got} & {c for c, _ in want}) / 10)
        shared = dict(want)
        for claim_id, score in got:  # the cosines are exact, not the graph's float16 ones
            if claim_id in shared:
                assert score == pytest.approx(shared[claim_id], abs=1e-5)
        assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)
    assert np.mean(recall) >= 0.95


def test_a_claim_with_several_rows_is_returned_once_with_its_best_cosine() -> None:
    rng = np.random.default_rng(5)
    q = _unit(rng.standard_normal(DIM))
    vectors = {f"c{i}": _unit(rng.standard_normal((1, DIM))) for i in range(500)}
    # three paraphrases of one claim, all near the message, the second nearest
    multi = _unit(q + np.array([[0.6], [0.1], [0.4]]) * _unit(rng.standard_normal((3, DIM))))
    vectors["multi"] = multi
    index = _index(vectors, ON)
    assert index.ann_active
    found = index.search(q, k=20)
    ids = [c for c, _ in found]
    assert ids[0] == "multi" and ids.count("multi") == 1 and len(ids) == len(set(ids)) == 20
    assert found[0][1] == pytest.approx(float(np.max(multi @ q)), abs=1e-6)
    assert found[0][1] == pytest.approx(float(multi[1] @ q), abs=1e-6)


def test_an_update_is_searched_in_the_new_snapshot(store: Any) -> None:
    vectors, queries, planted = store
    index = _index(vectors, ON)
    rng = np.random.default_rng(9)
    fresh = _unit(rng.standard_normal(DIM))
    new = {"fresh": _unit(fresh + 0.05 * rng.standard_normal(DIM))[None, :]}
    index.update(_claims(new), removals=[planted[0]], vectors=new)
    # before the new graph is ready the search is exact, and already sees the change
    assert index.search(fresh, k=3)[0][0] == "fresh"
    assert index.wait_for_ann(timeout=60) and index.ann_active
    assert index.search(fresh, k=3)[0][0] == "fresh"
    assert planted[0] not in {c for c, _ in index.search(queries[0], k=10)}
    assert index.search(queries[1], k=1)[0][0] == planted[1]
    assert len(index) == len(vectors)  # one added, one removed


def test_the_environment_switch_picks_the_path(store: Any, monkeypatch: Any) -> None:
    vectors, queries, planted = store
    monkeypatch.delenv("CLAIMBOT_ANN", raising=False)
    monkeypatch.delenv("CLAIMBOT_ANN_MIN_CLAIMS", raising=False)
    assert ann_settings() == AnnSettings("off", ann_module.DEFAULT_MIN_CLAIMS)
    nearest = ann_module.AnnIndex.nearest_claims
    asked = []
    monkeypatch.setattr(
        ann_module.AnnIndex, "nearest_claims", lambda self, q, k: asked.append(k) or nearest(self, q, k)
    )

    def built(**env: str) -> SemanticIndex:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        index = SemanticIndex(Dim(), _claims(vectors), vectors=vectors)
        assert index.wait_for_ann(timeout=60)
        return index

    off = built(CLAIMBOT_ANN="off")
    assert not off.ann_active and off.search(queries[0], k=1)[0][0] == planted[0] and asked == []
    small = built(CLAIMBOT_ANN="usearch")  # 2,030 claims: below the default threshold
    assert not small.ann_active and small.search(queries[0], k=1)[0][0] == planted[0] and asked == []
    on = built(CLAIMBOT_ANN="usearch", CLAIMBOT_ANN_MIN_CLAIMS="1000")
    assert on.ann_active and on.search(queries[0], k=1)[0][0] == planted[0] and asked == [1]


def test_a_wrong_setting_or_a_missing_package_is_a_clear_error(monkeypatch: Any) -> None:
    with pytest.raises(AnnUnavailable, match="CLAIMBOT_ANN='faiss' is not understood: use one of off, usea"):
        ann_settings({"CLAIMBOT_ANN": "faiss"})
    with pytest.raises(AnnUnavailable, match="CLAIMBOT_ANN_MIN_CLAIMS='lots' is not a whole number"):
        ann_settings({"CLAIMBOT_ANN": "usearch", "CLAIMBOT_ANN_MIN_CLAIMS": "lots"})
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "usearch" else real(name))
    with pytest.raises(AnnUnavailable, match=r"needs the usearch package: pip install 'claimbot\[ann\]'"):
        ann_settings({"CLAIMBOT_ANN": "usearch"})
    monkeypatch.setenv("CLAIMBOT_ANN", "usearch")
    with pytest.raises(AnnUnavailable):
        SemanticIndex(Dim())


def test_e5_fixed_moments_use_the_graph_and_per_message_moments_stay_exact() -> None:
    # e5-like cosines: every vector shares one direction, so claims sit near 0.79 of each other
    rng = np.random.default_rng(11)
    common = _unit(rng.standard_normal(DIM))
    like_e5 = lambda n: _unit(1.94 * common + _unit(rng.standard_normal((n, DIM))))  # noqa: E731
    vectors = {f"c{i}": like_e5(2 if i % 4 == 0 else 1) for i in range(1000)}
    queries = like_e5(10)
    for j, q in enumerate(queries):
        vectors[f"near{j}"] = _unit(q + 0.05 * rng.standard_normal(DIM))[None, :]
    fixed, own = Dim(), Dim()
    fixed.standardise, own.standardise = "fixed", True
    graph, exact = _index(vectors, ON, fixed), _index(vectors, OFF, fixed)
    assert graph.ann_active
    for q in queries:
        got, want = graph.search(q, k=5), exact.search(q, k=5)
        assert 0.0 < want[-1][1] < want[1][1]  # on MiniLM's scale, not clipped
        assert got[0] == pytest.approx(want[0], abs=1e-5)
        # the scores are standardised exact cosines: what similarity() says of the same claims
        assert dict(got) == pytest.approx(exact.similarity(q, [c for c, _ in got]), abs=1e-5)
    per_message = _index(vectors, ON, own)
    assert not per_message.ann_active  # its moments need every claim's score
    assert per_message.search(queries[2], k=3) == SemanticIndex(
        own, _claims(vectors), vectors=vectors, ann=OFF
    ).search(queries[2], k=3)
