"""Guild settings, cached briefly: watch mode reads them for every message."""

from __future__ import annotations

import time

from bot.ratelimit import Clock
from claims_db.models import GuildSettings
from claims_db.service import ClaimService

__all__ = ["GuildSettingsCache"]

TTL_S = 10.0  # other processes (the CLI, other shards) may change settings too


class GuildSettingsCache:
    """A guild's settings from the service, read again after ``ttl_s`` or after ``forget``."""

    def __init__(self, service: ClaimService, *, ttl_s: float = TTL_S, clock: Clock = time.monotonic) -> None:
        self.service = service
        self.ttl_s = ttl_s
        self._clock = clock
        self._cached: dict[int, tuple[float, GuildSettings]] = {}

    async def get(self, guild_id: int | None) -> GuildSettings:
        """The guild's settings (the defaults outside a guild)."""
        if guild_id is None:
            return GuildSettings(guild_id=0)
        now = self._clock()
        cached = self._cached.get(guild_id)
        if cached is not None and now - cached[0] < self.ttl_s:
            return cached[1]
        settings = await self.service.guild_settings(guild_id)
        self._cached[guild_id] = (now, settings)
        return settings

    def clear(self) -> None:
        """Read every guild's settings afresh (another process changed some: heard on PostgreSQL)."""
        self._cached.clear()

    def forget(self, guild_id: int) -> None:
        """Read the guild's settings from the store next time (they were just changed here)."""
        self._cached.pop(guild_id, None)
