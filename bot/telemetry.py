"""What the bot tells its operator: one log line per event, Prometheus metrics, ``/healthz``.

Every interaction (a slash command, the context menu) and every watch-mode message that got checked
is one *event*: its source, command, guild, channel, verdict, claim id and latency, logged as one line
(JSON with ``CLAIMBOT_LOG_FORMAT=json``) when it ends. The event rides in a context variable, set where
discord.py starts the task that handles it (``ClaimTree`` for interactions, ``ClaimBot`` for gateway
events), so the checker can fill in the verdict without any cog passing it along. The message text is
never logged unless ``CLAIMBOT_LOG_CONTENT=1``.

With ``CLAIMBOT_METRICS_PORT`` set, an HTTP server on that port serves ``/metrics`` (the Prometheus
text format) and ``/healthz`` (200 only while the gateway is connected and the store answers).
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import datetime as dt
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from claims_db.service import ServiceEvents

__all__ = ["Event", "JsonFormatter", "Metrics", "MetricsServer", "current_event", "finish", "start"]

log = logging.getLogger("bot.events")

_current: contextvars.ContextVar[Event | None] = contextvars.ContextVar("claimbot_event", default=None)


@dataclasses.dataclass(slots=True)
class Event:
    """One thing the bot did for someone, logged as one line when it ends."""

    source: str  # slash, context_menu, watch, component
    command: str
    guild_id: int | None = None
    channel_id: int | None = None
    started: float = dataclasses.field(default_factory=time.perf_counter)
    verdict: str | None = None
    claim_id: str | None = None
    text: str | None = None  # logged only with CLAIMBOT_LOG_CONTENT=1
    outcome: str = "ok"  # ok, error, refused (shutting down)

    def fields(self, *, content: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source,
            "command": self.command,
            "guild": self.guild_id,
            "channel": self.channel_id,
            "verdict": self.verdict,
            "claim": self.claim_id,
            "latency_ms": round((time.perf_counter() - self.started) * 1000, 1),
            "outcome": self.outcome,
        }
        if content and self.text is not None:
            data["text"] = self.text
        return data


def current_event() -> Event | None:
    """The event the running task handles, if any."""
    return _current.get()


def start(event: Event) -> contextvars.Token[Event | None]:
    """Make ``event`` the current one (for this task and the tasks it starts)."""
    return _current.set(event)


def finish(event: Event, *, content: bool = False) -> None:
    """Log the event's one line."""
    fields = event.fields(content=content)
    text = " ".join(f"{k}={_plain(v)}" for k, v in fields.items() if v is not None)
    log.info("event %s", text, extra={"event": fields})


def _plain(value: Any) -> str:
    if isinstance(value, str) and (not value or any(c.isspace() or c in '"=' for c in value)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and an event's fields at the top level."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        event = getattr(record, "event", None)
        if isinstance(event, dict):
            data["msg"] = "event"
            data.update(event)
        else:
            data["msg"] = record.getMessage()
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class Metrics(ServiceEvents):
    """The bot's Prometheus metrics, in a registry of its own; also the service's observer.

    Names are a contract (issue 10, docs/operations.md): ``claimbot_checks_total{source,verdict}``,
    ``claimbot_match_seconds``, ``claimbot_store_errors_total``, ``claimbot_claims``,
    ``claimbot_index_rebuild_seconds``, ``claimbot_change_lag_seconds``,
    ``claimbot_gateway_latency_seconds{shard}``, ``claimbot_gateway_connected{shard}`` and
    ``claimbot_change_listener_connected``.
    """

    def __init__(self) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call] # the *_created series only double what a scraper needs
        self.registry = CollectorRegistry()
        r = self.registry
        self.checks = Counter(
            "claimbot_checks", "Messages checked, by source and verdict.", ["source", "verdict"], registry=r
        )
        self.match_seconds = Histogram(
            "claimbot_match_seconds",
            "Time to match one message against the index.",
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0),
            registry=r,
        )
        self.store_errors = Counter(
            "claimbot_store_errors", "Store operations that failed (unreachable, busy).", registry=r
        )
        self.claims = Gauge("claimbot_claims", "Active claims in the match index.", registry=r)
        self.index_rebuild = Histogram(
            "claimbot_index_rebuild_seconds",
            "Time to build the match index whole (at start, or for another process's bulk change).",
            buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
            registry=r,
        )
        self.change_lag = Histogram(
            "claimbot_change_lag_seconds",
            "From another process writing a change to this process's index holding it.",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
            registry=r,
        )
        self.gateway_latency = Gauge(
            "claimbot_gateway_latency_seconds", "Gateway heartbeat latency, per shard.", ["shard"], registry=r
        )
        self.gateway_connected = Gauge(
            "claimbot_gateway_connected", "1 while the shard is connected and ready.", ["shard"], registry=r
        )
        self.listener_connected = Gauge(
            "claimbot_change_listener_connected",
            "1 while the PostgreSQL change listener is connected (0: polling, or SQLite).",
            registry=r,
        )

    def checked(self, source: str, verdict: str, seconds: float) -> None:
        self.checks.labels(source=source, verdict=verdict).inc()
        self.match_seconds.observe(seconds)

    # -- ServiceEvents --------------------------------------------------------------------------

    def index_built(self, seconds: float, claims: int) -> None:
        self.index_rebuild.observe(seconds)

    def changes_applied(self, count: int, lag_s: float | None) -> None:
        if lag_s is not None:
            self.change_lag.observe(lag_s)

    def store_error(self) -> None:
        self.store_errors.inc()

    def listener_state(self, connected: bool) -> None:
        self.listener_connected.set(1 if connected else 0)

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))


class MetricsServer:
    """``/metrics`` and ``/healthz`` on ``port`` (all interfaces: it runs in a container).

    Parameters
    ----------
    metrics
        What ``/metrics`` renders; ``refresh`` is called first to update the gauges.
    healthy
        Awaited by ``/healthz``: (ok, reason).
    """

    def __init__(
        self,
        metrics: Metrics,
        *,
        port: int,
        host: str = "0.0.0.0",
        refresh: Callable[[], None] = lambda: None,
        healthy: Callable[[], Awaitable[tuple[bool, str]]],
    ) -> None:
        self.metrics, self.port, self.host = metrics, port, host
        self.refresh, self.healthy = refresh, healthy
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/metrics", self._metrics)
        app.router.add_get("/healthz", self._healthz)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        if self.port == 0:  # tests ask for any free port
            server = site._server
            sockets = getattr(server, "sockets", None) or []
            if sockets:
                self.port = int(sockets[0].getsockname()[1])
        logging.getLogger(__name__).info("Metrics on port %d: /metrics, /healthz", self.port)

    async def _metrics(self, _request: web.Request) -> web.Response:
        self.refresh()
        return web.Response(body=self.metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _healthz(self, _request: web.Request) -> web.Response:
        try:
            ok, why = await asyncio.wait_for(self.healthy(), 5.0)
        except TimeoutError:
            ok, why = False, "the store did not answer within 5 s"
        return web.Response(status=200 if ok else 503, text=why + "\n")

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
