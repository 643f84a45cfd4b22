"""Matching runs off the event loop, one check at a time, within a time budget."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.checker import Checker, CheckTooSlow
from claims_db.models import Verdict
from claims_db.service import ClaimService
from claims_db.store import open_store
from tests.conftest import FIXTURES


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[ClaimService]:
    async with open_store(f"sqlite:///{tmp_path}/claims.db") as store:
        svc = ClaimService(store)
        await svc.load()
        await svc.import_claims((FIXTURES / "sample_claims.json").read_text("utf-8"), actor="test:setup")
        yield svc


async def test_checks_run_on_the_worker_thread_and_answer_as_before(
    service: ClaimService, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    check_now = service.check_now

    def spy(*args: Any, **kwargs: Any) -> Any:  # records where the real check ran
        threads.append(threading.current_thread().name)
        return check_now(*args, **kwargs)

    monkeypatch.setattr(service, "check_now", spy)
    checker = Checker(service)
    try:
        outcome = await checker.check("Tehran sent ballistic missiles to Moscow")
    finally:
        checker.close()
    assert outcome.result.verdict is Verdict.MATCH
    assert threads and all(t.startswith("claimbot-match") for t in threads)


async def test_a_check_past_its_budget_is_dropped_with_a_reason(service: ClaimService) -> None:
    checker = Checker(service, budget_s=0.0)
    try:
        with pytest.raises(CheckTooSlow, match="took longer than 0 s"):
            await checker.check("Tehran sent ballistic missiles to Moscow")
    finally:
        checker.close()
