"""PostgreSQL change notifications: a ``LISTEN`` on a connection of its own, reconnecting when it drops.

Every audit row sends ``NOTIFY claimbot_changes`` in the transaction that writes it (migration 0005),
so a notification arrives only for a committed change, a few milliseconds after the commit. A
notification sent while the listener is disconnected is lost: PostgreSQL queues them only for
sessions listening at commit time. So after every (re)connect the listener first ``LISTEN``s, then
calls ``on_connect``, which catches up from the audit log (the change feed); everything committed
before the ``LISTEN`` is in the log, everything after it is notified. Nothing is missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["CHANNEL", "Change", "ChangeListener", "asyncpg_dsn"]

log = logging.getLogger(__name__)

CHANNEL = "claimbot_changes"


@dataclasses.dataclass(frozen=True, slots=True)
class Change:
    """One notification: the audit row written, the claim it is about (None for guild settings and
    store events), the audit action, and when it was written (epoch seconds, the writer's clock)."""

    audit_id: int | None  # None for "bulk": the rest of a big transaction, in one notification
    claim_id: str | None
    action: str
    at: float | None

    @classmethod
    def parse(cls, payload: str) -> Change:
        data = json.loads(payload)
        audit_id, at = data.get("audit_id"), data.get("at")
        return cls(
            None if audit_id is None else int(audit_id),
            data.get("claim_id"),
            str(data.get("action", "")),
            None if at is None else float(at),
        )


def asyncpg_dsn(url: str) -> str:
    """A SQLAlchemy ``postgresql+asyncpg://`` URL as a DSN that ``asyncpg.connect`` takes."""
    import sqlalchemy as sa

    parsed = sa.engine.make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


class ChangeListener:
    """Listens on ``CHANNEL`` until ``stop()``; reconnects after a drop and catches up each time.

    Parameters
    ----------
    dsn
        The PostgreSQL DSN (``postgresql://user@host/db``).
    on_change
        Called on the event loop for each notification.
    on_connect
        Awaited after every successful ``LISTEN`` (the first one included): catch up from the log.
    reconnect_delay
        Seconds before the first reconnect attempt; doubled after each failure, up to ``max_delay``.
    ping_interval
        How often an idle connection is checked (a dead peer sends no FIN; a query notices).
    """

    def __init__(
        self,
        dsn: str,
        *,
        on_change: Callable[[Change], None],
        on_connect: Callable[[], Awaitable[None]],
        reconnect_delay: float = 0.5,
        max_delay: float = 30.0,
        ping_interval: float = 15.0,
    ) -> None:
        self.dsn = dsn
        self.on_change = on_change
        self.on_connect = on_connect
        self.reconnect_delay = reconnect_delay
        self.max_delay = max_delay
        self.ping_interval = ping_interval
        self.connected = False
        self.connects = 0  # successful LISTENs so far; > 1 means it reconnected
        self.server_pid: int | None = None  # the listening backend (pg_terminate_backend it to test)
        self.on_state: Callable[[bool], None] | None = None
        self._stopping = False
        self._lost: asyncio.Event | None = None
        self._conn: Any = None

    async def run(self) -> None:
        """Listen until ``stop()``; never raises for a connection problem (it retries)."""
        import asyncpg

        delay = self.reconnect_delay
        while not self._stopping:
            try:
                await self._listen_once(asyncpg)
                delay = self.reconnect_delay
            except Exception as exc:  # whatever the driver raises, listening must go on
                log.warning("change listener: %s; reconnecting in %.1f s", _first_line(exc), delay)
            finally:
                self._set_connected(False)
            if self._stopping:
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_delay)

    async def _listen_once(self, asyncpg: Any) -> None:
        lost = asyncio.Event()
        self._lost = lost
        name = f"claimbot listener pid {os.getpid()}"  # so an operator can find it in pg_stat_activity
        conn = await asyncpg.connect(self.dsn, timeout=10, server_settings={"application_name": name})
        self._conn = conn
        try:
            conn.add_termination_listener(lambda _conn: lost.set())
            await conn.add_listener(CHANNEL, self._notified)
            self.server_pid = conn.get_server_pid()
            self.connects += 1
            self._set_connected(True)
            if self.connects > 1:
                log.info("change listener: reconnected; catching up from the audit log")
            await self.on_connect()
            while not lost.is_set() and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), self.ping_interval)
                if not lost.is_set() and not self._stopping:
                    await asyncio.wait_for(conn.fetchval("SELECT 1"), 10)
            if lost.is_set() and not self._stopping:
                log.warning("change listener: the connection was closed by the server")
        finally:
            self._conn = None
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), 2)

    def _notified(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            change = Change.parse(payload)
        except (ValueError, KeyError, TypeError):
            log.warning("change listener: ignored a malformed notification %r", payload[:200])
            return
        self.on_change(change)

    def _set_connected(self, value: bool) -> None:
        if value != self.connected:
            self.connected = value
            if self.on_state is not None:
                self.on_state(value)

    async def stop(self) -> None:
        """Stop listening and close the connection."""
        self._stopping = True
        if self._lost is not None:
            self._lost.set()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
