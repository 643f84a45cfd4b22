"""The unseen-claims set is well formed, and the benchmark that reads it counts what it says.

These tests hold the data to its own rules (every id it names exists, the minimum counts, a claim
file ``claimbot import`` accepts, statements only); they set no target for the matcher.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from claims_db.models import Framing, Status
from claims_db.transfer import parse_claims

ROOT = Path(__file__).resolve().parents[2]
UNSEEN = ROOT / "tests" / "data" / "unseen"
CLAIMS = UNSEEN / "claims.json"
MESSAGES = UNSEEN / "messages.jsonl"

MATCHABLE_KINDS = {
    "paraphrase",
    "alias",
    "slang",
    "typo",
    "word_order",
    "question",
    "attributed",
    "negated",
    "hedged",
    "long",
}
NEAR_KINDS = {"actor_swap", "direction_swap", "replaced", "near_miss"}
FIELDS = {"text", "kind", "expect", "framing", "other"}


def _messages() -> list[dict[str, object]]:
    return [json.loads(raw) for raw in MESSAGES.read_text(encoding="utf-8").splitlines() if raw.strip()]


def _matchset(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    # benchmarks/ is not a package: load the module from its file, registered only for this test
    spec = importlib.util.spec_from_file_location("bench_matchset", ROOT / "benchmarks" / "matchset.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def _unseen(*args: str) -> subprocess.CompletedProcess[str]:
    script = ROOT / "benchmarks" / "unseen.py"
    return subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_claim_file_imports_and_holds_statements_only() -> None:
    claims = parse_claims(CLAIMS.read_bytes(), filename=str(CLAIMS))
    assert len(claims) >= 44
    assert {c.status for c in claims} == set(Status)
    for c in claims:
        assert c.attributions, c.id
        assert not c.paraphrases and not c.sources, c.id
        for part in (*c.attributions, *c.denials):
            assert part.actor and part.quote is None and part.source is None, c.id
    assert "http" not in CLAIMS.read_text(encoding="utf-8")
    assert any(c.denials for c in claims)


def test_every_message_is_well_formed_and_names_stored_claims() -> None:
    ids = {c.id for c in parse_claims(CLAIMS.read_bytes(), filename=str(CLAIMS))}
    rows = _messages()
    texts = [r["text"] for r in rows]
    assert len(set(texts)) == len(texts), "a message is listed twice"
    for r in rows:
        assert set(r) <= FIELDS and {"text", "kind", "expect", "framing"} <= set(r), r
        assert isinstance(r["text"], str) and r["text"].strip(), r
        assert r["framing"] in {f.value for f in Framing}, r
        if r["expect"] is not None:
            assert r["kind"] in MATCHABLE_KINDS and r["expect"] in ids, r
        elif r["kind"] in NEAR_KINDS:
            assert r.get("other") in ids, r
        else:
            assert r["kind"] == "chatter" and "other" not in r, r


def test_counts_meet_the_minimums() -> None:
    claims = parse_claims(CLAIMS.read_bytes(), filename=str(CLAIMS))
    rows = _messages()
    per_claim = Counter(r["expect"] for r in rows if r["expect"] is not None)
    kinds = Counter(str(r["kind"]) for r in rows)
    assert sum(per_claim.values()) >= 260
    assert min(per_claim.get(c.id, 0) for c in claims) >= 5
    assert set(kinds) >= MATCHABLE_KINDS
    assert sum(kinds[k] for k in NEAR_KINDS) >= 60 and all(kinds[k] for k in NEAR_KINDS)
    assert kinds["chatter"] >= 50


def test_evaluate_counts_replaced_with_swaps_and_reports_near_misses(monkeypatch: pytest.MonkeyPatch) -> None:
    matchset = _matchset(monkeypatch)
    Line = matchset.Line
    lines = [
        Line("a sold b to c", "paraphrase", "x", "fact"),
        Line("a sold b to d", "replaced", None, "fact", "x"),
        Line("c sold b to a", "direction_swap", None, "fact", "x"),
        Line("a bought b from c", "near_miss", None, "fact", "x"),
        Line("a gave b to c", "near_miss", None, "fact", "x"),
        Line("lunch?", "chatter", None, "question"),
    ]
    confident = {"a sold b to c", "a sold b to d", "a bought b from c"}

    def predict(text: str) -> tuple[str | None, bool, str]:
        return "x", text in confident, "question" if text.endswith("?") else "fact"

    got = matchset.evaluate(lines, predict)
    assert got["n_swaps"] == 2 and got["confident_swaps"] == 0.5
    assert got["n_near_miss"] == 2 and got["confident_near_miss"] == 0.5
    assert got["confident_chatter"] == 0 and got["confident_right_matchable"] == 1
    assert got["framing_accuracy"] == 1


def test_unseen_script_reports_every_figure(tmp_path: Path) -> None:
    claims = tmp_path / "claims.json"
    claims.write_text(
        json.dumps(
            [
                {
                    "id": "ghana-cocoa-ban",
                    "statement": "Ghana banned cocoa exports to Togo",
                    "status": "alleged",
                    "attributions": [{"actor": "Togo"}],
                }
            ]
        ),
        encoding="utf-8",
    )
    messages = tmp_path / "messages.jsonl"
    rows = [
        {"text": "ghana banned cocoa exports to togo", "kind": "paraphrase", "expect": "ghana-cocoa-ban",
         "framing": "fact"},
        {"text": "did ghana ban cocoa exports to togo?", "kind": "question", "expect": "ghana-cocoa-ban",
         "framing": "question"},
        {"text": "my cocoa mug broke", "kind": "chatter", "expect": None, "framing": "fact"},
        {"text": "ghana banned gold exports to togo", "kind": "near_miss", "expect": None, "framing": "fact",
         "other": "ghana-cocoa-ban"},
    ]  # fmt: skip
    messages.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    done = _unseen("--claims", str(claims), "--messages", str(messages), "--json")
    assert done.returncode == 0, done.stderr
    rep = json.loads(done.stdout)
    assert rep["claims"] == 1 and rep["n_messages"] == 4 and rep["n_matchable"] == 2
    assert rep["right_claim_first"] == 1.0
    assert rep["chatter_hits"]["n"] == 1 and rep["near_miss_hits"]["n"] == 1
    assert set(rep["per_kind"]) == {"paraphrase", "question", "chatter", "near_miss"}
    assert rep["evaluate"]["n_near_miss"] == 1

    done = _unseen("--claims", str(claims), "--messages", str(messages))
    assert done.returncode == 0, done.stderr
    table = done.stdout
    assert "right claim first (matchable)" in table and "| near_miss | 1 |" in table

    rows[0]["expect"] = "no-such-claim"
    messages.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    done = _unseen("--claims", str(claims), "--messages", str(messages))
    assert done.returncode == 2 and done.stdout == ""
    assert "ids not in" in done.stderr and "no-such-claim" in done.stderr
