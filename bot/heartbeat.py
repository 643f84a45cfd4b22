"""The heartbeat file behind ``python -m bot --health`` (the Docker HEALTHCHECK).

The running bot rewrites a small JSON file every ``interval_s`` seconds while it is connected to the
gateway and ready. The health check passes when that file is fresh (written within three intervals,
so one slow beat is not an outage) and the claim store opens. A bot that is up but disconnected,
stuck, or unable to reach its database therefore reports unhealthy.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["Heartbeat", "heartbeat_age"]

MISSED_BEATS_ALLOWED = 3


class Heartbeat:
    def __init__(self, path: Path, *, interval_s: float) -> None:
        self.path = path
        self.interval_s = interval_s

    def beat(self) -> None:
        """Write the file atomically: a reader never sees half of it."""
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps({"at": time.time(), "pid": os.getpid(), "interval_s": self.interval_s}))
        os.replace(tmp, self.path)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    async def run(self, healthy: Callable[[], bool]) -> None:
        """Beat while ``healthy()``; run until cancelled."""
        while True:
            if healthy():
                await asyncio.to_thread(self.beat)
            await asyncio.sleep(self.interval_s)


def heartbeat_age(path: Path, *, now: float | None = None) -> tuple[float, float] | None:
    """(seconds since the last beat, the writer's interval), or None when there is no readable beat."""
    try:
        data = json.loads(path.read_text())
        at, interval = float(data["at"]), float(data["interval_s"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (time.time() if now is None else now) - at, interval


def is_fresh(path: Path, *, now: float | None = None) -> bool:
    age = heartbeat_age(path, now=now)
    return age is not None and age[0] <= MISSED_BEATS_ALLOWED * age[1]
