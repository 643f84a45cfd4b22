"""`claimbot doctor` and `claimbot reindex` as an operator runs them: output and exit codes."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest

from claims_db.semantic.encoder import PACKAGED_NAME, PACKAGED_SHA256
from claims_db.semantic.tier import ModelEncoder
from tests.semantic.conftest import FIXTURE_CLAIMS
from tests.unit.test_cli import run


@pytest.fixture
def db(tmp_path: Path, encoder: ModelEncoder) -> Path:
    path = tmp_path / "claims.db"
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps(FIXTURE_CLAIMS), encoding="utf-8")
    assert run("init", "--empty", db=path).returncode == 0
    done = run("import", str(claims), db=path)
    assert done.returncode == 0, done.stderr
    return path


def test_doctor_names_the_tier_and_model_and_exits_0_when_all_is_well(db: Path) -> None:
    done = run("doctor", db=db)
    assert done.returncode == 0, done.stderr
    assert "Matching: semantic tier on (words and meaning)" in done.stdout
    assert f"Model: {PACKAGED_NAME}, dim 384, sha256 {PACKAGED_SHA256}" in done.stdout
    assert "model.onnx" in done.stdout
    assert "Vectors: 5 of 5 claims current" in done.stdout
    assert "Decision: decision-semantic.json" in done.stdout  # MiniLM gives word vectors
    assert done.stderr == ""
    data = json.loads(run("doctor", "--json", db=db).stdout)
    assert data["tier"] == "semantic" and data["model"]["dim"] == 384
    assert data["decision_model"] == "decision-semantic.json"
    assert (data["claims"], data["current_vectors"], data["missing_vectors"], data["problems"]) == (
        5,
        5,
        0,
        [],
    )


def test_claims_without_vectors_fail_doctor_until_reindex_stores_them(db: Path) -> None:
    with sqlite3.connect(db) as conn:  # as a store from before the semantic tier
        conn.execute("delete from claim_vectors")
    done = run("doctor", db=db)
    assert done.returncode == 1
    assert "Vectors: 0 of 5 claims current" in done.stdout
    assert done.stderr.strip().endswith(
        "5 of 5 claims have no current vectors (they are encoded at every start): run `claimbot reindex`"
    )
    done = run("reindex", db=db)
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip()
        == f"Stored vectors for 5 claims (5 texts) with {PACKAGED_NAME}; 0 already had current vectors."
    )
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*), min(model), min(dim) from claim_vectors").fetchone() == (
            5,
            PACKAGED_NAME,
            384,
        )
    assert run("doctor", db=db).returncode == 0
    again = run("reindex", db=db)
    assert again.stdout.strip().startswith("Stored vectors for 0 claims (0 texts)")


def test_import_without_vectors_stores_the_claims_and_leaves_the_vectors_to_reindex(
    tmp_path: Path, encoder: ModelEncoder
) -> None:
    path, claims = tmp_path / "claims.db", tmp_path / "claims.json"
    claims.write_text(json.dumps(FIXTURE_CLAIMS), encoding="utf-8")
    assert run("init", "--empty", db=path).returncode == 0
    done = run("import", "--no-vectors", str(claims), db=path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Imported 5 claims (5 new")
    assert done.stderr.strip() == (
        "claimbot: the claims were stored without vectors; run `claimbot reindex` "
        "(until then every start encodes them)"
    )
    with sqlite3.connect(path) as conn:
        assert conn.execute("select count(*) from claims").fetchone() == (5,)
        assert conn.execute("select count(*) from claim_vectors").fetchone() == (0,)
    assert "Vectors: 0 of 5 claims current" in run("doctor", db=path).stdout
    assert run("reindex", db=path).returncode == 0
    assert run("doctor", db=path).returncode == 0


def test_vectors_of_another_model_are_named_with_the_command_to_run(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("update claim_vectors set model = 'old-model', checksum = ?", ("f" * 64,))
    done = run("doctor", db=db)
    assert done.returncode == 1
    assert (
        "5 stored vectors were made with another model (old-model (ffffffffffff)): run `claimbot reindex`"
        in done.stderr
    )
    assert run("reindex", db=db).returncode == 0
    assert run("doctor", db=db).returncode == 0


def test_a_tier_turned_off_is_no_fault_but_one_that_cannot_run_is(db: Path, tmp_path: Path) -> None:
    done = run("doctor", db=db, CLAIMBOT_SEMANTIC="0")
    assert done.returncode == 0, done.stderr
    assert "Matching: words alone; the semantic tier is off: turned off (CLAIMBOT_SEMANTIC=0)" in done.stdout
    done = run("reindex", db=db, CLAIMBOT_SEMANTIC="0")
    assert done.returncode == 1
    assert done.stderr.strip() == "claimbot: the semantic tier is off: turned off (CLAIMBOT_SEMANTIC=0)"
    missing = tmp_path / "no-such-model"
    done = run("doctor", db=db, CLAIMBOT_EMBED_MODEL=str(missing))
    assert done.returncode == 1
    assert f"CLAIMBOT_EMBED_MODEL={missing} is not a directory" in done.stdout
    assert "claimbot doctor: the semantic tier cannot run: CLAIMBOT_EMBED_MODEL=" in done.stderr
    # and matching goes on with words alone
    check = run(
        "check",
        "--json",
        "Ecuador sold assault rifles to Peru's army",
        db=db,
        CLAIMBOT_EMBED_MODEL=str(missing),
    )
    assert check.returncode == 0 and json.loads(check.stdout)["verdict"] == "match"


def test_doctor_says_whether_the_approximate_index_is_on(db: Path) -> None:
    done = run("doctor", db=db)
    assert "Approximate index: off (exact search; CLAIMBOT_ANN=usearch turns it on)" in done.stdout
    done = run("doctor", db=db, CLAIMBOT_ANN="usearch")
    if importlib.util.find_spec("usearch") is None:  # asked for and not installed: a clear problem
        assert done.returncode == 1
        assert "CLAIMBOT_ANN=usearch needs the usearch package: pip install 'claimbot[ann]'" in done.stderr
        return
    assert done.returncode == 0, done.stderr
    assert (
        "Approximate index: usearch asked for, not used: 5 claims are fewer than "
        "CLAIMBOT_ANN_MIN_CLAIMS=200,000 (exact search)"
    ) in done.stdout
    done = run("doctor", "--json", db=db, CLAIMBOT_ANN="usearch", CLAIMBOT_ANN_MIN_CLAIMS="5")
    data = json.loads(done.stdout)
    assert data["approximate_index"] == {"kind": "usearch", "min_claims": 5, "used": True}
    done = run("doctor", db=db, CLAIMBOT_ANN="faiss")
    assert done.returncode == 1
    assert "Approximate index: off: CLAIMBOT_ANN='faiss' is not understood" in done.stdout
    assert done.stderr.strip() == (
        "claimbot doctor: the approximate index cannot run: CLAIMBOT_ANN='faiss' is not understood: "
        "use one of off, usearch"
    )
