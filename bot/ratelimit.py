"""Rate limits: a sliding window for ``/check``, cooldowns for watch mode (in memory, or in the store
when several shard processes share one PostgreSQL store: ``SharedCooldowns``).

The in-memory ones take a clock so tests can move time; they forget keys whose time has passed, so a
flood of distinct users or channels cannot grow them without bound.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claims_db.service import ClaimService

__all__ = ["Cooldowns", "ReportLimits", "SharedCooldowns", "SlidingWindow"]

Clock = Callable[[], float]
_PRUNE_AT = 4096


class SlidingWindow:
    """At most ``limit`` hits per ``window`` seconds for each key."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[Hashable, deque[float]] = {}

    def hit(self, key: Hashable, *, limit: int, window: float = 60.0) -> float:
        """Record a hit and return 0, or return the seconds until one is allowed (recording nothing)."""
        wait = self.wait(key, limit=limit, window=window)
        if not wait:
            self._hits.setdefault(key, deque()).append(self._clock())
        return wait

    def wait(self, key: Hashable, *, limit: int, window: float = 60.0) -> float:
        """The seconds until a hit is allowed (0 when it is now), recording nothing."""
        now = self._clock()
        if len(self._hits) > _PRUNE_AT:
            self._hits = {k: q for k, q in self._hits.items() if q and q[-1] > now - window}
        hits = self._hits.get(key)
        while hits and hits[0] <= now - window:
            hits.popleft()
        if limit <= 0:
            return window
        if hits is not None and len(hits) >= limit:
            return hits[0] + window - now
        return 0.0


class Cooldowns:
    """One timestamp per key: ``ready`` once ``seconds`` have passed since the last ``trigger``."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._until: dict[Hashable, float] = {}

    def remaining(self, key: Hashable) -> float:
        return max(0.0, self._until.get(key, 0.0) - self._clock())

    def ready(self, key: Hashable) -> bool:
        return self.remaining(key) == 0.0

    def trigger(self, key: Hashable, seconds: float) -> None:
        now = self._clock()
        if len(self._until) > _PRUNE_AT:
            self._until = {k: t for k, t in self._until.items() if t > now}
        self._until[key] = now + seconds

    async def take(self, keys: Mapping[Any, float]) -> bool:
        """Start every cooldown in ``keys`` (key -> seconds) if none is running; whether it did.
        Checked and started with no await between, so concurrent callers cannot both pass."""
        if not all(self.ready(k) for k in keys):
            return False
        for key, seconds in keys.items():
            self.trigger(key, seconds)
        return True


class SharedCooldowns:
    """Watch-mode cooldowns kept in the store, so every shard process holds the same ones.

    ``ready`` answers from what this process knows (its own cooldowns and those it found running),
    without a round trip, to skip work early; ``take`` decides in the store, in one transaction.
    """

    def __init__(self, service: ClaimService, clock: Clock = time.monotonic) -> None:
        self._service = service
        self._known = Cooldowns(clock)
        self._clock = clock

    def ready(self, key: Hashable) -> bool:
        return self._known.ready(key)

    async def take(self, keys: Mapping[Any, float]) -> bool:
        if not all(self._known.ready(k) for k in keys):
            return False
        names = {_name(k): k for k in keys}
        ok, ends = await self._service.take_cooldowns({_name(k): s for k, s in keys.items()})
        wall = time.time()
        for name, end in ends.items():
            if name in names:
                self._known.trigger(names[name], max(0.0, end.timestamp() - wall))
        return ok


def _name(key: Hashable) -> str:
    return ":".join(str(part) for part in key) if isinstance(key, tuple) else str(key)


def _minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class ReportLimits:
    """ "Wrong match?" reports: at most ``per_member`` from one member and ``per_guild`` into one
    guild's queue in ``window`` seconds (one member, or a few, could otherwise bury the queue)."""

    def __init__(
        self,
        *,
        per_member: int = 5,
        per_guild: int = 30,
        window: float = 600.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.per_member, self.per_guild, self.window = per_member, per_guild, window
        self._hits = SlidingWindow(clock)

    def refusal(self, guild_id: int, member_id: int) -> str | None:
        """Why a report may not be filed now, or None; records nothing."""
        member = self._hits.wait(("member", guild_id, member_id), limit=self.per_member, window=self.window)
        if member:
            return (
                f"You have filed {self.per_member} reports in the last {_minutes(self.window)}; "
                f"try again in {_minutes(member)}."
            )
        guild = self._hits.wait(("guild", guild_id), limit=self.per_guild, window=self.window)
        if guild:
            return (
                f"This server's review queue took {self.per_guild} reports in the last "
                f"{_minutes(self.window)}; try again in {_minutes(guild)}."
            )
        return None

    def hit(self, guild_id: int, member_id: int) -> str | None:
        """Count a report and return None, or return why it may not be filed (counting nothing)."""
        refused = self.refusal(guild_id, member_id)
        if refused is None:
            self._hits.hit(("member", guild_id, member_id), limit=self.per_member, window=self.window)
            self._hits.hit(("guild", guild_id), limit=self.per_guild, window=self.window)
        return refused
