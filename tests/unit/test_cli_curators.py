"""`claimbot unanswered` and `claimbot reports export` as an operator runs them."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from claims_db.models import AskedVia
from claims_db.service import ClaimService
from claims_db.store import open_store
from tests.conftest import FIXTURES
from tests.unit.test_cli import run

QUESTIONS = {
    2001: ["Chile banned plastic bags", "chile has banned plastic bags!", "the moon landing was staged"],
    2002: ["Chile banned plastic bags"],
}


def _record(path: Path) -> None:
    async def main() -> None:
        async with open_store(f"sqlite:///{path}") as store:
            service = ClaimService(store)
            await service.load()
            await service.import_claims((FIXTURES / "sample_claims.json").read_bytes(), actor="test")
            for guild_id, texts in QUESTIONS.items():
                for text in texts:
                    outcome = await service.check(text)
                    await service.record_unanswered(guild_id, text, outcome, via=AskedVia.SLASH)

    asyncio.run(main())


def test_unanswered_lists_groups_newest_first_for_one_guild_or_all(tmp_path: Path) -> None:
    path = tmp_path / "claims.db"
    assert run("init", "--empty", db=path).returncode == 0
    _record(path)
    done = run("unanswered", "--guild", "2001", "--json", db=path)
    assert done.returncode == 0, done.stderr
    groups = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(g["text"], g["count"], g["guild_id"]) for g in groups] == [
        ("the moon landing was staged", 1, 2001),
        ("chile has banned plastic bags!", 2, 2001),
    ]
    assert set(groups[1]) == {"guild_id", "text", "count", "first_seen", "last_seen", "candidate_id", "texts"}
    assert groups[1]["texts"] == ["chile has banned plastic bags!", "Chile banned plastic bags"]
    every = run("unanswered", db=path)
    assert every.returncode == 0
    assert len(every.stdout.splitlines()) == 3 and "guild 2002\tChile banned plastic bags" in every.stdout
    assert every.stderr.strip() == "3 groups of 4 unanswered texts."
    bad = run("unanswered", "--guild", "me", db=path)
    assert bad.returncode == 2 and bad.stderr.startswith("claimbot: Invalid value for '--guild'")


def test_reports_export_with_no_accepted_report_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "claims.db"
    assert run("init", db=path).returncode == 0
    done = run("reports", "export", db=path)
    assert (done.returncode, done.stdout, done.stderr.strip()) == (0, "", "Exported 0 labelled negatives.")
