from __future__ import annotations

import threading

from claims_db.matching.index import Bm25, Index


def docs(*texts: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(t.split()) for t in texts)


def keys(index: Index[str, str], query: str, k: int = 5) -> list[str]:
    return [c.key for c in index.search(query.split(), k=k).candidates]


def test_ranks_by_bm25_and_returns_payload() -> None:
    index = Index([("a", docs("iran drone russia"), "A"), ("b", docs("china chip russia"), "B")])
    result = index.search(["drone", "russia"], k=5)
    assert [c.key for c in result.candidates] == ["a", "b"]
    assert result.candidates[0].payload == "A"
    assert result.candidates[0].bm25 > result.candidates[1].bm25 > 0
    assert keys(index, "nothing here") == []


def test_a_key_counts_its_best_document_once() -> None:
    index = Index([("a", docs("flat earth", "earth flat disc"), None), ("b", docs("round earth"), None)])
    found = index.search(["flat", "earth"], k=5).candidates
    assert [c.key for c in found] == ["a", "b"]
    assert found[0].doc == 0


def test_rare_terms_weigh_more() -> None:
    index = Index(
        [(str(i), docs("common words here"), None) for i in range(20)] + [("x", docs("common rare"), None)]
    )
    assert keys(index, "common rare", k=1) == ["x"]
    assert index.search(["rare"]).idf("rare") > index.search(["rare"]).idf("common")


def test_add_replace_remove_are_visible_at_once() -> None:
    index: Index[str, str] = Index([("a", docs("iran drone russia"), "old")])
    index.add("b", docs("north korea shell russia"), "B")
    assert keys(index, "shell") == ["b"] and "b" in index and len(index) == 2
    index.add("a", docs("iran missile russia"), "new")  # replace: the old text no longer matches
    assert keys(index, "drone") == []
    assert keys(index, "missile") == ["a"] and index.get("a") == "new" and len(index) == 2
    index.remove("a")
    assert keys(index, "missile") == [] and "a" not in index and len(index) == 1
    index.remove("never-there")  # no-op
    assert len(index) == 1 and sorted(index.keys()) == ["b"]


def test_many_updates_keep_every_key() -> None:
    index: Index[str, int] = Index([(f"k{i}", docs(f"term{i} shared"), i) for i in range(50)])
    for i in range(600):  # many single updates, each a rebuilt snapshot
        index.add(f"n{i}", docs(f"new{i} shared"), i)
        if i % 3 == 0:
            index.remove(f"n{i}")
    assert len(index) == 50 + 400
    assert keys(index, "new5") == ["n5"] and keys(index, "new6") == []
    assert keys(index, "term7") == ["k7"]


def test_searches_stay_consistent_while_another_thread_writes() -> None:
    index: Index[str, str] = Index([(f"k{i}", docs(f"w{i} common"), f"k{i}") for i in range(200)])
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        i = 0
        while not stop.is_set():
            index.add(f"x{i % 50}", docs(f"x{i % 50} common"), f"x{i % 50}")
            index.remove(f"x{(i + 25) % 50}")
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        for _ in range(300):
            for c in index.search(["common", "w3"], k=10).candidates:
                if c.payload != c.key:  # a payload always belongs to its key
                    errors.append(AssertionError(c))
            assert keys(index, "w3", k=1) == ["k3"]
    finally:
        stop.set()
        t.join()
    assert not errors


def test_empty_index() -> None:
    index: Index[str, None] = Index(params=Bm25(k1=1.5, b=0.75))
    assert keys(index, "anything") == [] and len(index) == 0
