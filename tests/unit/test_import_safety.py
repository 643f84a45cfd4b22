"""Imports never clobber or resurrect, round trips lose nothing (claim files and ClaimReview)."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from claims_db.errors import ExistingClaims
from claims_db.service import ClaimService
from claims_db.store import open_store
from tests.conftest import FIXTURES, claim_dict
from tests.unit.test_cli import CLAIMBOT, run

SAMPLE = (FIXTURES / "sample_claims.json").read_text(encoding="utf-8")


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[ClaimService]:
    async with open_store(f"sqlite:///{tmp_path}/claims.db") as store:
        svc = ClaimService(store)
        await svc.load()
        await svc.import_claims(SAMPLE, actor="test:setup")
        yield svc


@contextlib.asynccontextmanager
async def _other(tmp_path: Path, name: str = "other.db") -> AsyncIterator[ClaimService]:
    async with open_store(f"sqlite:///{tmp_path}/{name}") as store:
        yield ClaimService(store)


async def test_a_file_with_an_existing_id_and_other_content_is_refused_and_changes_nothing(
    service: ClaimService,
) -> None:
    await service.add_denial("iran-srbm-russia", {"actor": "Iran", "speaker": "Nasser Kanaani"}, actor="t")
    before = await service.export_claims(include_retracted=True)
    stale = claim_dict("iran-srbm-russia", denials=[], paraphrases=[])
    fresh = claim_dict("brand-new-claim", statement="A brand new claim from the same file")
    with pytest.raises(ExistingClaims) as refused:
        await service.import_claims(json.dumps([stale, fresh]), actor="t")
    assert refused.value.claim_ids == ["iran-srbm-russia"]
    assert str(refused.value).startswith(
        "1 claim in the file already exists in the store with other content (iran-srbm-russia); "
        "nothing was changed. Import with --update"
    )
    assert await service.export_claims(include_retracted=True) == before
    assert "brand-new-claim" not in service.matcher


async def test_the_same_file_twice_adds_nothing_the_second_time(service: ClaimService) -> None:
    report = await service.import_claims(SAMPLE, actor="t")
    assert (report.added, report.replaced, len(report.unchanged)) == ((), (), 6)


async def test_update_replaces_and_dry_run_shows_a_field_level_diff_and_writes_nothing(
    service: ClaimService,
) -> None:
    data = json.loads(SAMPLE)
    changed = next(c for c in data if c["id"] == "iran-srbm-russia")
    changed["status"] = "disputed"
    changed["denials"].append({"actor": "Russia", "speaker": "Dmitry Peskov"})
    data.append(claim_dict("new-one", statement="A new claim added by import"))
    seq = await service.store.last_seq()
    dry = await service.import_claims(json.dumps(data), actor="t", update=True, dry_run=True)
    assert await service.store.last_seq() == seq
    assert "new-one" not in service.matcher
    text = str(dry)
    assert text.splitlines()[:3] == [
        "Dry run: nothing was changed.",
        "Would add 1 claim: new-one",
        "Would change 1 claim:",
    ]
    assert '    status: "alleged" → "disputed"' in text
    assert '    denials: + {"actor": "Russia", "speaker": "Dmitry Peskov"}' in text
    assert text.splitlines()[-1] == "Would leave 5 claims unchanged."
    done = await service.import_claims(json.dumps(data), actor="t", update=True)
    assert str(done) == "Imported 2 claims (1 new, 1 updated, 5 unchanged)."
    assert (await service.get("iran-srbm-russia")).claim.status == "disputed"


async def test_a_retracted_claim_stays_retracted_unless_restore(service: ClaimService) -> None:
    await service.retract("iran-srbm-russia", "the source withdrew the story", actor="t")
    report = await service.import_claims(SAMPLE, actor="t", update=True)
    assert report.kept_retracted == ("iran-srbm-russia",)
    assert "1 claim stayed retracted (iran-srbm-russia); import with --restore" in str(report)
    stored = await service.get("iran-srbm-russia")
    assert stored.retracted and stored.retracted_reason == "the source withdrew the story"
    assert "iran-srbm-russia" not in service.matcher
    await service.import_claims(SAMPLE, actor="t", restore=True)
    assert not (await service.get("iran-srbm-russia")).retracted
    assert "iran-srbm-russia" in service.matcher


async def test_editing_a_retracted_claim_does_not_restore_it(service: ClaimService) -> None:
    await service.retract("iran-srbm-russia", "the source withdrew the story", actor="t")
    await service.add_denial("iran-srbm-russia", {"actor": "Russia"}, actor="t")
    assert (await service.get("iran-srbm-russia")).retracted


async def test_export_all_then_import_keeps_retractions_and_reasons(
    service: ClaimService, tmp_path: Path
) -> None:
    await service.retract("iran-srbm-russia", "the source withdrew the story", actor="t")
    exported = await service.export_claims(include_retracted=True)
    async with _other(tmp_path) as other:
        report = await other.import_claims(exported, actor="t")
        assert len(report.added) == 6
        stored = await other.get("iran-srbm-russia")
        assert stored.retracted and stored.retracted_reason == "the source withdrew the story"
        assert [s.claim.id for s in await other.list_claims()] == [
            s.claim.id for s in await service.list_claims()
        ]
        assert await other.export_claims(include_retracted=True) == exported


async def test_claimreview_round_trip_keeps_ids_denials_and_everything_else(
    service: ClaimService, tmp_path: Path
) -> None:
    await service.retract("nk-missiles-russia", "duplicate entry", actor="t")
    claims_before = await service.export_claims(include_retracted=True)
    reviews = await service.export_claims(include_retracted=True, fmt="claimreview")
    assert all(r["identifier"] for r in json.loads(reviews))
    async with _other(tmp_path) as other:
        await other.import_claims(reviews, actor="t")
        assert await other.export_claims(include_retracted=True) == claims_before
        again = await other.import_claims(reviews, actor="t")  # no second copy
        assert again.added == () and len(again.unchanged) == 6
    report = await service.import_claims(reviews, actor="t")  # back into the store it came from
    assert report.added == () and report.replaced == ()
    assert "claimbot curators" not in await service.export_claims(include_retracted=True)


async def test_a_foreign_claimreview_imported_twice_is_one_claim(service: ClaimService) -> None:
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "Ukraine sold donated weapons on the dark web to criminal gangs abroad",
        "author": {"@type": "Organization", "name": "Example Fact Check"},
        "url": "https://factcheck.example.org/dark-web",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }
    first = await service.import_claims(json.dumps([review, review]), actor="t")
    assert first.added == ("ukraine-sold-donated-weapons-on-the-dark-web-to-criminal",)  # whole words
    second = await service.import_claims(json.dumps(review), actor="t")
    assert second.added == () and second.unchanged == first.added


def test_cli_show_json_imports_and_import_flags(tmp_path: Path) -> None:
    db, other = tmp_path / "a.db", tmp_path / "b.db"
    assert run("init", "--empty", db=db).returncode == 0
    assert run("import", str(FIXTURES / "sample_claims.json"), db=db).returncode == 0
    assert run("retract", "nk-missiles-russia", "--reason", "source withdrew", db=db).returncode == 0
    shown = tmp_path / "one.json"
    shown.write_text(run("show", "--json", "nk-missiles-russia", db=db).stdout, encoding="utf-8")
    assert run("init", "--empty", db=other).returncode == 0
    out = run("import", str(shown), db=other)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Imported 1 claim (1 new, 0 updated, 0 unchanged)."
    assert "[retracted: source withdrew]" in run("show", "nk-missiles-russia", db=other).stdout

    edited = json.loads(shown.read_text(encoding="utf-8"))
    edited.update(status="disputed", retracted=False)
    del edited["retracted_reason"]
    shown.write_text(json.dumps(edited), encoding="utf-8")
    refused = run("import", str(shown), db=db)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "already exists in the store with other content (nk-missiles-russia)" in refused.stderr
    dry = run("import", "--update", "--dry-run", str(shown), db=db)
    assert dry.returncode == 0, dry.stderr
    assert '    status: "alleged" → "disputed"' in dry.stdout
    assert "1 claim stayed retracted (nk-missiles-russia)" in dry.stdout
    assert json.loads(run("show", "--json", "nk-missiles-russia", db=db).stdout)["status"] == "alleged"
    done = run("import", "--update", "--restore", str(shown), db=db)
    assert done.stdout.strip() == "Imported 1 claim (0 new, 1 updated, 0 unchanged).", done.stderr
    assert json.loads(run("show", "--json", "nk-missiles-russia", db=db).stdout)["retracted"] is False


def test_an_import_on_a_terminal_shows_a_progress_bar(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    assert run("init", "--empty", db=db).returncode == 0
    big = tmp_path / "big.json"
    claims = [
        claim_dict(f"bulk-claim-{i}", statement=f"Bulk claim number {i} for the bar") for i in range(1200)
    ]
    big.write_text(json.dumps(claims), encoding="utf-8")
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CLAIMBOT_DEBUG"} | {"CLAIMBOT_DB": str(db)}
    proc = subprocess.Popen([CLAIMBOT, "import", str(big)], stderr=follower, stdout=subprocess.PIPE, env=env)
    os.close(follower)
    seen = b""
    with contextlib.suppress(OSError):  # EIO once the process has closed the terminal
        while chunk := os.read(leader, 4096):
            seen += chunk
    os.close(leader)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert out.decode().strip() == "Imported 1200 claims (1200 new, 0 updated, 0 unchanged)."
    assert b"Importing" in seen and b"100%" in seen
