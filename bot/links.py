"""Links in checked messages: read what each linked page says it is, within a tight time budget.

People paste a link with a word or two ("look at this https://..."); the claim is in the page's
title. ``LinkReader`` fetches the first links of a message through the SSRF-safe fetcher
(``claims_db.sources.preview``: private addresses refused unless ``CLAIMBOT_FETCH_ALLOW`` names
them, redirects re-checked, bytes capped) with one shared client, all at once, and gives up on what
has not answered within ``budget_s``: a slow site costs the reply that long at most, never more.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

import httpx

from claims_db.errors import ClaimsError
from claims_db.sources import (
    FetchPolicy,
    PagePreview,
    Resolver,
    client_options,
    find_urls,
    preview,
    system_resolver,
)

__all__ = ["LinkReader"]

log = logging.getLogger(__name__)

PREVIEW_BYTES = 128_000  # a page's <head> is near the top


class LinkReader:
    """Reads the pages linked in a message.

    Parameters
    ----------
    policy
        The fetcher's policy (``allow`` from ``CLAIMBOT_FETCH_ALLOW``); its deadline and byte cap are
        set here from ``budget_s`` and ``PREVIEW_BYTES``.
    budget_s
        How long reading the links of one message may take, all of them together.
    max_links
        Links read per message (the first ones).
    resolver
        Name resolution (the system's; tests map names to 127.0.0.1).
    """

    def __init__(
        self,
        *,
        policy: FetchPolicy | None = None,
        budget_s: float = 1.0,
        max_links: int = 2,
        resolver: Resolver = system_resolver,
    ) -> None:
        self.budget_s = budget_s
        self.max_links = max_links
        given = policy or FetchPolicy()
        self.policy = dataclasses.replace(
            given, deadline=budget_s, max_bytes=PREVIEW_BYTES, max_redirects=min(given.max_redirects, 3)
        )
        self._resolver = resolver
        self._client: httpx.AsyncClient | None = None

    def urls(self, text: str) -> list[str]:
        """The links of ``text`` that would be read."""
        return find_urls(text, limit=self.max_links)

    async def read(self, text: str) -> list[PagePreview]:
        """What the pages linked in ``text`` say they are, in the order linked; pages that failed,
        were refused or did not answer within the budget are left out (and logged at DEBUG)."""
        urls = self.urls(text)
        if not urls:
            return []
        if self._client is None:
            self._client = httpx.AsyncClient(**client_options(timeout=self.budget_s))  # type: ignore[arg-type]
        tasks = [asyncio.ensure_future(self._one(self._client, url)) for url in urls]
        done, pending = await asyncio.wait(tasks, timeout=self.budget_s)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
            log.debug(
                "links: %d of %d pages gave no answer within %g s", len(pending), len(urls), self.budget_s
            )
        return [r for t in tasks if t in done and (r := t.result()) is not None]

    async def _one(self, client: httpx.AsyncClient, url: str) -> PagePreview | None:
        try:
            return await preview(client, url, policy=self.policy, resolver=self._resolver)
        except ClaimsError as exc:  # refused, unreachable, too slow: the message is checked without it
            log.debug("links: %s not read: %s", url, exc)
            return None

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
