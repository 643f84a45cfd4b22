"""Readers never wait for writers; a writer that waits too long hears "busy", in one line.

While another process holds the write lock (a long import, here held open on purpose) `list`
and `check` answer at once, and a write gives up after CLAIMBOT_BUSY_TIMEOUT with a clear message.
Commands that do not match never build the match index.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import asyncpg
import pytest

from bot import cli
from tests.conftest import FIXTURES
from tests.unit.test_cli import run

BUSY = "claimbot: The claim store is busy (another change is being written); try again in a moment.\n"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "claims.db"
    assert run("init", "--empty", db=path).returncode == 0
    assert run("import", str(FIXTURES / "sample_claims.json"), db=path).returncode == 0
    return path


def test_sqlite_readers_answer_while_a_writer_holds_the_lock_and_writers_hear_busy(db: Path) -> None:
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE claims SET updated_at = updated_at")
    try:
        listing = run("list", db=db, CLAIMBOT_BUSY_TIMEOUT="30")
        assert listing.returncode == 0, listing.stderr
        assert listing.stdout.count("\n") == 6
        checked = run("check", "Tehran sent ballistic missiles to Moscow", db=db, CLAIMBOT_BUSY_TIMEOUT="30")
        assert checked.returncode == 0, checked.stderr
        assert "alleges that Iran supplied" in checked.stdout
        write = run(
            "retract", "iran-srbm-russia", "--reason", "testing the lock", db=db, CLAIMBOT_BUSY_TIMEOUT="1"
        )
        assert (write.returncode, write.stderr) == (1, BUSY)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "[retracted" not in run("show", "iran-srbm-russia", db=db).stdout


async def test_postgres_writer_waiting_on_a_row_lock_hears_busy(postgres_url: str) -> None:
    assert run("--db", postgres_url, "init", db=None).returncode == 0
    holder = await asyncpg.connect(postgres_url)
    try:
        tx = holder.transaction()
        await tx.start()
        await holder.execute("SELECT 1 FROM claims WHERE id = 'iran-srbm-russia' FOR UPDATE")
        shown = run("--db", postgres_url, "show", "iran-srbm-russia", db=None)
        assert shown.returncode == 0, shown.stderr
        write = run(
            "--db", postgres_url, "retract", "iran-srbm-russia", "--reason", "lock test", db=None,
            CLAIMBOT_BUSY_TIMEOUT="1",
        )  # fmt: skip
        assert (write.returncode, write.stderr) == (1, BUSY)
        await tx.rollback()
    finally:
        await holder.close()


class _NoIndex:
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("this command built the match index")


def test_commands_that_do_not_match_never_build_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("claims_db.service.Matcher", _NoIndex)
    monkeypatch.setenv("CLAIMBOT_DB", str(tmp_path / "claims.db"))
    for args in (
        ["init", "--empty"],
        ["import", str(FIXTURES / "sample_claims.json")],
        ["list", "--all"],
        ["show", "iran-srbm-russia"],
        ["history", "iran-srbm-russia"],
        ["export", "--all"],
        ["retract", "nk-missiles-russia", "--reason", "no index needed"],
    ):
        assert cli.main(args) == 0, (args, capsys.readouterr().err)
    assert cli.main(["check", "Tehran sent ballistic missiles to Moscow"]) == 1  # check does build it
    assert "this command built the match index" in capsys.readouterr().err
