"""The whole ClaimBot, real discord.py client unmodified, against the fake Discord on 127.0.0.1.

Fixture rules (discord-testing.md): a test fails on any ERROR record from the ``discord`` or ``bot``
loggers (discord.py only logs what goes wrong inside commands, views and the gateway parser) and on a
connect task that finished; ``guild_ready_timeout`` is tiny so READY is quick.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import discord
import pytest

from bot.app import ClaimBot
from bot.settings import Settings
from claims_db.service import ClaimService
from claims_db.store import open_store
from tests.fakes import payloads as p
from tests.fakes.discord_api import FakeDiscord

CLAIMS_FILE = Path(__file__).with_name("claims.json")
WATCHED_LOGGERS = ("discord", "bot")


class RecordingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def errors(self) -> list[logging.LogRecord]:
        return [r for r in self.records if r.levelno >= logging.ERROR]

    def messages(self, logger: str = "", level: int = logging.DEBUG) -> list[str]:
        return [r.getMessage() for r in self.records if r.name.startswith(logger) and r.levelno >= level]


@dataclass
class Harness:
    """A running bot, the fake it talks to, and what it logged."""

    fake: FakeDiscord
    bot: ClaimBot
    service: ClaimService
    log: RecordingHandler
    task: asyncio.Task[None]
    expected_errors: list[str] = field(default_factory=list)

    async def wait_for_log(
        self, predicate: Callable[[str], bool], *, logger: str = "bot", timeout: float = 5.0
    ) -> str:
        found: list[str] = []

        def seen() -> bool:
            found[:] = [m for m in self.log.messages(logger) if predicate(m)]
            return bool(found)

        await self.fake.wait_until(seen, timeout, f"a log line from {logger!r}")
        return found[0]


def _problem(log: RecordingHandler, task: asyncio.Task[None], expected: list[str]) -> str | None:
    errors = [r for r in log.errors() if not any(e in r.getMessage() for e in expected)]
    if errors:
        first = errors[0]
        exc = logging.Formatter().formatException(first.exc_info) if first.exc_info else ""
        return f"ERROR logged by {first.name}: {first.getMessage()}\n{exc}"
    if task.done():
        exc = task.exception() if not task.cancelled() else None
        return f"the bot's connect task finished: {exc!r}"
    return None


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[ClaimService]:
    async with open_store(f"sqlite:///{tmp_path}/claims.db") as store:
        service = ClaimService(store, screening=True)  # as bot/__main__.py builds it
        await service.load()
        await service.import_claims(CLAIMS_FILE.read_text(encoding="utf-8"), actor="test:setup")
        yield service


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.close()


def bot_settings(fake: FakeDiscord, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "discord_token": fake.token,
        "database_url": f"sqlite:///{tmp_path}/claims.db",
        "guild_ids": (p.GUILD_ID,),
        "api_base": fake.api_base,
        "gateway_url": fake.gateway_url,
        "heartbeat_file": tmp_path / "heartbeat.json",
        "heartbeat_interval_s": 0.1,
        "guild_ready_timeout": 0.05,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def restore_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot points discord.py's process-wide endpoints at the fake; put them back afterwards."""
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    )


@pytest.fixture
async def harness(
    fake: FakeDiscord, service: ClaimService, tmp_path: Path, restore_endpoints: None
) -> AsyncIterator[Harness]:
    async with running(fake, service, bot_settings(fake, tmp_path)) as h:
        yield h


class running:
    """Start a ClaimBot against ``fake`` (login, connect task, READY); stop it and check the logs after."""

    def __init__(self, fake: FakeDiscord, service: ClaimService, settings: Settings) -> None:
        self.fake, self.service, self.settings = fake, service, settings
        self.log = RecordingHandler()

    async def __aenter__(self) -> Harness:
        for name in WATCHED_LOGGERS:
            logger = logging.getLogger(name)
            logger.addHandler(self.log)
            logger.setLevel(logging.DEBUG)
        bot = ClaimBot(self.service, settings=self.settings)
        await bot.login(self.settings.discord_token)
        task = asyncio.create_task(bot.connect(), name="claimbot-connect")
        self.h = Harness(self.fake, bot, self.service, self.log, task)
        self.fake.watchdog = lambda: _problem(self.log, task, self.h.expected_errors)
        await self.fake.wait_until(bot.is_ready, 5.0, "the bot to be ready")
        return self.h

    async def __aexit__(self, *exc_info: object) -> None:
        h = self.h
        problem = _problem(h.log, h.task, h.expected_errors)
        self.fake.watchdog = None
        await h.bot.close()
        with contextlib.suppress(Exception):  # how it ended was judged above
            await asyncio.wait_for(h.task, 5.0)
        for name in WATCHED_LOGGERS:
            logging.getLogger(name).removeHandler(self.log)
            logging.getLogger(name).setLevel(logging.NOTSET)
        if problem and exc_info[0] is None:
            pytest.fail(problem)
