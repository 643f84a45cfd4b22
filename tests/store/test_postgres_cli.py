"""An operator's PostgreSQL store, through the same CLI as SQLite."""

from __future__ import annotations

import json
from pathlib import Path

from tests.unit.test_cli import run


def test_cli_seeds_checks_and_retracts_against_postgres(postgres_url: str, tmp_path: Path) -> None:
    unused = tmp_path / "unused.db"  # --db wins over CLAIMBOT_DB
    init = run("--db", postgres_url, "init", db=unused)
    assert init.returncode == 0, init.stderr
    assert "seed claims" in init.stdout
    out = run("--db", postgres_url, "check", "--json", "Tehran sent ballistic missiles to Moscow", db=unused)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["matches"][0]["claim_id"] == "iran-srbm-russia"
    retract = run("--db", postgres_url, "retract", "iran-srbm-russia", "--reason", "test", db=unused)
    assert retract.returncode == 0, retract.stderr
    history = run("--db", postgres_url, "history", "--json", "iran-srbm-russia", db=unused)
    assert [json.loads(line)["action"] for line in history.stdout.splitlines()] == ["import", "retract"]
    assert not unused.exists()
