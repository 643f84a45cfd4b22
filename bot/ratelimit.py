"""In-memory rate limits: a sliding window for ``/check``, cooldowns for watch mode.

Both take a clock so tests can move time; both forget keys whose time has passed, so a flood of
distinct users or channels cannot grow them without bound.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable

__all__ = ["Cooldowns", "SlidingWindow"]

Clock = Callable[[], float]
_PRUNE_AT = 4096


class SlidingWindow:
    """At most ``limit`` hits per ``window`` seconds for each key."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[Hashable, deque[float]] = {}

    def hit(self, key: Hashable, *, limit: int, window: float = 60.0) -> float:
        """Record a hit and return 0, or return the seconds until one is allowed (recording nothing)."""
        now = self._clock()
        if len(self._hits) > _PRUNE_AT:
            self._hits = {k: q for k, q in self._hits.items() if q and q[-1] > now - window}
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - window:
            hits.popleft()
        if limit <= 0:
            return window
        if len(hits) >= limit:
            return hits[0] + window - now
        hits.append(now)
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
