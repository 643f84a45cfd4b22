"""``claimbot migrate-store FROM TO``: SQLite to PostgreSQL and back, nothing lost, checked at the end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from claims_db.models import SourceCheck
from claims_db.service import ClaimService
from claims_db.store import open_store
from claims_db.store.copy import digest
from tests.conftest import FIXTURES, claim_dict
from tests.unit.test_cli import run


async def _populated(url: str) -> None:
    async with open_store(url) as store:
        service = ClaimService(store)
        await service.import_claims((FIXTURES / "sample_claims.json").read_text(), actor="cli:op")
        await service.add_denial(
            "iran-srbm-russia", {"actor": "Iran", "date": "2024-09-12"}, actor="curator:1"
        )
        await service.retract("ukraine-biolabs", "duplicate of another claim", actor="curator:2")
        await service.update_guild_settings(2001, actor="admin:1", channel_cooldown_s=45.0)
        await service.set_watch(2001, 3001, True, actor="admin:1")
        await service.file_report(
            guild_id=2001,
            reporter_id=5001,
            message_text="missiles went to russia",
            claim_id=None,
            comment="?",
        )
        when = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
        await store.put_source_checks(
            [SourceCheck("iran-srbm-russia", "https://example.org/missiles", when, error="timeout")]
        )


def _copy(*args: str, tmp_path: Path) -> tuple[int, str, str]:
    done = run("migrate-store", *args, db=tmp_path / "unused.db")
    return done.returncode, done.stdout, done.stderr


async def test_sqlite_to_postgres_and_back_loses_nothing(postgres_url: str, tmp_path: Path) -> None:
    original = f"sqlite:///{tmp_path}/original.db"
    await _populated(original)
    code, out, err = _copy(original, postgres_url, tmp_path=tmp_path)
    assert code == 0, err
    assert out.startswith("Copied 6 claims (1 retracted), ") and "counts and checksum match" in out
    back = f"sqlite:///{tmp_path}/back.db"
    code, out, err = _copy(postgres_url, back, tmp_path=tmp_path)
    assert code == 0, err
    async with open_store(original) as a, open_store(postgres_url) as b, open_store(back) as c:
        first = await digest(a)  # type: ignore[arg-type]
        assert first == await digest(b) == await digest(c)  # type: ignore[arg-type]
        assert first.counts["audit"] > 6 and first.counts["reports"] == 1
        for store in (b, c):
            retracted = await store.get("ukraine-biolabs")
            assert retracted.retracted and retracted.retracted_reason == "duplicate of another claim"
            history = await store.history("iran-srbm-russia")
            assert [(e.seq, e.action, e.actor) for e in history] == [
                (e.seq, e.action, e.actor) for e in await a.history("iran-srbm-russia")
            ]
            settings = await store.get_guild_settings(2001)
            assert settings.channel_cooldown_s == 45.0 and settings.watch_channels == frozenset({3001})
            [report] = await store.list_reports(2001)
            assert report.message_text == "missiles went to russia"
            [check] = await store.list_source_checks("iran-srbm-russia")
            assert check.error == "timeout" and check.failing_since == dt.datetime(
                2026, 11, 30, 8, 0, tzinfo=dt.UTC
            )
        # the copy is a working store: new rows get fresh keys after the copied ones
        service = ClaimService(b)
        await service.add(claim_dict("after-copy", statement="A claim added after the copy"), actor="t")
        [entry] = await b.history("after-copy")
        assert entry.seq == first.counts["audit"] + 1
        report = await service.file_report(
            guild_id=2001, reporter_id=5002, message_text="another", claim_id=None, comment=None
        )
        assert report.id == 2


async def test_a_non_empty_target_is_refused_unless_forced(tmp_path: Path) -> None:
    source, target = f"sqlite:///{tmp_path}/source.db", f"sqlite:///{tmp_path}/target.db"
    await _populated(source)
    async with open_store(target) as store:
        await ClaimService(store).add(
            claim_dict("target-only", statement="Only the target has it"), actor="t"
        )
    code, out, err = _copy(source, target, tmp_path=tmp_path)
    assert code == 2 and out == ""
    assert err.startswith("claimbot: The target store is not empty (1 claims, 1 audit")
    assert err.rstrip().endswith("or add --force to replace everything it holds.")
    async with open_store(target) as store:
        assert [s.claim.id for s in await store.list_all()] == ["target-only"]
    code, out, err = _copy(source, target, "--force", tmp_path=tmp_path)
    assert code == 0, err
    async with open_store(source) as a, open_store(target) as b:
        assert await digest(a) == await digest(b)  # type: ignore[arg-type]
        assert "target-only" not in {s.claim.id for s in await b.list_all(include_retracted=True)}


def test_a_missing_source_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    code, _, err = _copy(str(tmp_path / "nope.db"), str(tmp_path / "new.db"), tmp_path=tmp_path)
    assert code == 1 and err.startswith("claimbot: No claim store at ") and len(err.splitlines()) == 1
    assert not (tmp_path / "new.db").exists()
