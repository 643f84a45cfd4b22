"""Published fact-checks elsewhere: when no curated claim matches, ``/check`` asks Google Fact Check
Tools (``claims:search``) and shows up to three results, labelled external.

One shared client, a short timeout: the search runs only after the local check found nothing, and a
service that is down, slow or answers out of shape costs the reply a line saying so, never the reply.
"""

from __future__ import annotations

import dataclasses
import logging

import httpx

from claims_db.errors import ClaimsError
from claims_db.factcheck import ExternalReview
from claims_db.sources import FACTCHECK_ENDPOINT, USER_AGENT, search_fact_checks

__all__ = ["Elsewhere", "FactChecks"]

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class Elsewhere:
    """What the search found, or why it could not say (``problem``, fit to show)."""

    reviews: tuple[ExternalReview, ...] = ()
    problem: str | None = None


class FactChecks:
    """Searches published fact-checks.

    Parameters
    ----------
    key
        The API key (``CLAIMBOT_FACTCHECK_API_KEY``).
    endpoint
        The ``claims:search`` URL (``CLAIMBOT_FACTCHECK_URL``; tests point it at a local server).
    timeout_s
        How long one search may take.
    limit
        Results shown at most.
    """

    def __init__(
        self, *, key: str, endpoint: str = FACTCHECK_ENDPOINT, timeout_s: float = 2.5, limit: int = 3
    ) -> None:
        self._key = key
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self.limit = limit
        self._client: httpx.AsyncClient | None = None

    async def search(self, text: str) -> list[ExternalReview]:
        """Up to ``limit`` reviews; raises ``SourceFetchError`` or ``InvalidFactCheckResponse``."""
        if self._client is None:
            self._client = httpx.AsyncClient(
                headers={"User-Agent": USER_AGENT},
                timeout=httpx.Timeout(self.timeout_s),
                trust_env=False,
                follow_redirects=False,
            )
        return await search_fact_checks(
            self._client, text, key=self._key, endpoint=self.endpoint, limit=self.limit
        )

    async def elsewhere(self, text: str) -> Elsewhere:
        """``search`` that never fails: a problem becomes a line for the reply (and a log warning)."""
        try:
            return Elsewhere(tuple(await self.search(text)))
        except ClaimsError as exc:
            log.warning("fact-check search failed: %s", exc)
            return Elsewhere(problem=str(exc))

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
