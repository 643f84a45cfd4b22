"""Matching off the event loop, within a time budget per message.

Matching is CPU work (normalise, retrieve, score). On the event loop, one costly message stalls every
interaction, heartbeat and gateway read of the bot; issue 9 measured 300 hostile watch-mode messages
holding the loop for 47 s. ``Checker`` runs each check on one worker thread and waits at most
``budget_s`` for it: a message that takes longer gets ``CheckTooSlow`` (``/check`` says so, watch mode
stays silent) and the late result is dropped. One worker keeps the CPU the bot spends on matching to
one core, and the text is cut to ``max_chars`` first (Discord's own message limit).

The service updates the matcher's index on the event loop (curation, changes from other processes).
A check that runs into an update in progress may fail in the thread; it is then redone on the loop,
where no update can interleave.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from bot import telemetry
from bot.errors import UserFacingError
from claims_db.models import Verdict
from claims_db.service import Via

if TYPE_CHECKING:
    from bot.links import LinkReader
    from bot.telemetry import Metrics
    from claims_db.models import GuildSettings
    from claims_db.service import CheckOutcome, ClaimService

__all__ = ["CheckTooSlow", "Checker"]

log = logging.getLogger(__name__)


class CheckTooSlow(UserFacingError):
    """Matching one text took longer than the bot allows."""

    def __init__(self, budget_s: float) -> None:
        super().__init__(
            f"Checking that text took longer than {budget_s:g} s, so I stopped; try a shorter excerpt."
        )


class Checker:
    """Checks texts against the service's matcher on a worker thread, each within ``budget_s``.

    Parameters
    ----------
    service
        The loaded ``ClaimService``.
    budget_s
        How long one check may take, waiting for the worker included.
    max_chars
        Longer texts are cut to this many characters before matching.
    metrics
        Counts every check by source (from the current event: slash, context_menu, watch) and
        verdict, and times the matching; the verdict and claim id also go into the event's log line.
    """

    def __init__(
        self,
        service: ClaimService,
        *,
        budget_s: float = 2.0,
        max_chars: int = 2000,
        metrics: Metrics | None = None,
        links: LinkReader | None = None,
    ) -> None:
        self.service = service
        self.metrics = metrics
        self.budget_s = budget_s
        self.max_chars = max_chars
        self.links = links
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimbot-match")

    def reads_links(self, text: str) -> bool:
        """Whether checking ``text`` may fetch linked pages (so a command should defer at once)."""
        return self.links is not None and bool(self.links.urls(text[: self.max_chars]))

    async def check(
        self, text: str, *, settings: GuildSettings | None = None, limit: int = 3, screen: bool = False
    ) -> CheckOutcome:
        """Match ``text`` with the guild's threshold; ``CheckTooSlow`` past the budget.

        When the text itself is no confident match and carries links, the linked pages' titles and
        descriptions are matched too (read within the link reader's budget); the best outcome wins,
        and says which page text matched (``via``).

        ``screen`` (watch mode) gives the semantic tier only messages that pass the service's
        cheap lexical prefilter; ``/check`` and the context menu always get it.
        """
        outcome = await self._check(text, settings=settings, limit=limit, screen=screen)
        if outcome.result.verdict is Verdict.MATCH or not self.reads_links(text):
            return outcome
        assert self.links is not None
        best = outcome
        for page in await self.links.read(text[: self.max_chars]):
            for what, page_text in page.texts():
                try:
                    found = await self._check(page_text, settings=settings, limit=limit, screen=screen)
                except CheckTooSlow:
                    continue
                if _rank(found) > _rank(best):
                    best = dataclasses.replace(found, via=Via(page.url, what, page_text))
        return best

    async def _check(
        self, text: str, *, settings: GuildSettings | None, limit: int, screen: bool = False
    ) -> CheckOutcome:
        await self.service.refresh_if_due()
        threshold = settings.match_threshold if settings is not None else None
        text = text[: self.max_chars]
        event = telemetry.current_event()
        if event is not None:
            event.text = text
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        work = loop.run_in_executor(self._worker, self._check_now, text, limit, threshold, screen)
        try:
            outcome = await asyncio.wait_for(work, self.budget_s)
        except TimeoutError:
            log.warning("check of %d characters took longer than %g s; dropped", len(text), self.budget_s)
            self._observe(event, "too_slow", None, time.perf_counter() - started)
            raise CheckTooSlow(self.budget_s) from None
        if outcome is None:  # met an index update in the thread: redo it here, where none can
            outcome = self.service.check_now(text, limit=limit, threshold=threshold, screen=screen)
        best = outcome.result.best
        verdict = str(outcome.result.verdict)
        self._observe(event, verdict, best.claim_id if best else None, time.perf_counter() - started)
        return outcome

    def _observe(
        self, event: telemetry.Event | None, verdict: str, claim_id: str | None, took: float
    ) -> None:
        if event is not None:
            event.verdict, event.claim_id = verdict, claim_id
        if self.metrics is not None:
            self.metrics.checked(event.source if event is not None else "other", verdict, took)

    def _check_now(self, text: str, limit: int, threshold: float | None, screen: bool) -> CheckOutcome | None:
        try:
            return self.service.check_now(text, limit=limit, threshold=threshold, screen=screen)
        except Exception:
            log.debug("check in the worker failed; retrying on the event loop", exc_info=True)
            return None

    def close(self) -> None:
        """Stop the worker; a check still running finishes on its own, its result unread."""
        self._worker.shutdown(wait=False, cancel_futures=True)


_LEVEL = {Verdict.MATCH: 2, Verdict.POSSIBLE: 1, Verdict.NONE: 0}


def _rank(outcome: CheckOutcome) -> tuple[int, float]:
    best = outcome.result.best
    return (_LEVEL[outcome.result.verdict], best.score if best else 0.0)
