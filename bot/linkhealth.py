"""The bot's daily link check: every source URL of every claim, through one shared client.

Only one process of a sharded bot runs it (shard 0, like the command sync). Results go to the store
(``source_checks``), where cards read "unavailable since" and ``/curate sources`` lists dead links.
"""

from __future__ import annotations

import asyncio
import logging

import httpx

from claims_db.models import SourceCheck
from claims_db.service import ClaimService
from claims_db.sources import FetchPolicy, LinkChecker, client_options

__all__ = ["LinkHealth"]

log = logging.getLogger(__name__)


class LinkHealth:
    """Check every claim's sources now and then (``interval_s``), the first time ``first_delay_s``
    after start, so a restart does not slow the bot's startup.
    """

    def __init__(
        self,
        service: ClaimService,
        *,
        interval_s: float,
        fetch_policy: FetchPolicy,
        first_delay_s: float = 300.0,
    ) -> None:
        self.service = service
        self.interval_s = interval_s
        self.first_delay_s = first_delay_s
        self.fetch_policy = fetch_policy
        self.last: list[SourceCheck] = []

    async def run_once(self, client: httpx.AsyncClient) -> list[SourceCheck]:
        """One round: every source URL once (fresh per-host limits), results stored and logged."""
        checks = await self.service.check_sources(LinkChecker(client, fetch_policy=self.fetch_policy))
        dead = [c for c in checks if not c.reachable]
        log.info("Link check: %d sources of %d claims, %d unreachable", len(checks),
                 len({c.claim_id for c in checks}), len(dead))  # fmt: skip
        self.last = checks
        return checks

    async def run(self) -> None:
        """Until cancelled; a failed round is logged and the next one comes at its time."""
        async with httpx.AsyncClient(**client_options()) as client:  # type: ignore[arg-type]
            await asyncio.sleep(self.first_delay_s)
            while True:
                try:
                    await self.run_once(client)
                except Exception:
                    log.exception("Link check failed; the next one runs in %.0f s", self.interval_s)
                await asyncio.sleep(self.interval_s)
