"""Work a cog starts beside an answer (recording a posted card) and finishes before the bot stops.

discord.py does not wait for command handlers when the bot closes; a store write still running
then would be cut off with its connection. A cog spawns such work here and drains it in
``cog_unload``, which ``Bot.close`` calls for every cog.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

__all__ = ["Background"]

log = logging.getLogger(__name__)


class Background:
    """A set of tasks, each logged if it fails, awaited together by ``drain``."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, Any], *, name: str) -> None:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("%s failed", task.get_name(), exc_info=task.exception())

    async def drain(self) -> None:
        """Wait for every task still running."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
