"""``python -m bot`` (and ``claimbot run``): read Settings, open the store, build ClaimService, run ClaimBot.

``python -m bot --health`` is the container health check: exit 0 when the running bot wrote a fresh
heartbeat (it is connected and ready) and the claim store opens; 1 otherwise, with the reason.
Startup problems an operator must fix (no token, a rejected token, a bad setting, an unreachable
store) are one line on stderr and exit code 2, not a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from typing import NoReturn

import aiohttp
import discord

from bot.app import ClaimBot
from bot.heartbeat import heartbeat_age, is_fresh
from bot.settings import Settings, SettingsError
from bot.telemetry import JsonFormatter
from claims_db.errors import ClaimsError
from claims_db.service import ClaimService
from claims_db.store import open_store

__all__ = ["StartupError", "Unreachable", "health", "main", "run"]

log = logging.getLogger("bot")

EXIT_UNHEALTHY = 1
EXIT_UNREACHABLE = 1
EXIT_CONFIG = 2


class StartupError(Exception):
    """The bot cannot start for a reason the operator must fix; the message says which."""


class Unreachable(Exception):
    """Discord (or the REST proxy) cannot be reached; worth a restart later."""


async def run(settings: Settings) -> None:
    """Run the bot until it is closed (SIGTERM, SIGINT) or fails."""
    if not settings.discord_token:
        raise StartupError("DISCORD_TOKEN is not set")
    async with open_store(settings.database_url) as store:
        # screening: watch mode's prefilter; cache_dir: start-up reads the claims' analyses kept there
        service = ClaimService(store, screening=True, cache_dir=settings.cache_dir)
        count = await service.load(seed_if_empty=settings.seed_if_empty)
        log.info("Loaded %d claims from the store", count)
        async with service.following(), ClaimBot(service, settings=settings) as bot:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.shutdown()))
            try:
                await bot.login(settings.discord_token)
            except discord.LoginFailure:
                raise StartupError("Discord rejected DISCORD_TOKEN (401 Unauthorized)") from None
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                raise Unreachable(f"cannot reach Discord at {discord.http.Route.BASE}: {exc}") from None
            try:
                await bot.connect()
            except discord.ConnectionClosed as exc:
                if exc.code == 4004:
                    raise StartupError("Discord rejected DISCORD_TOKEN on the gateway (4004)") from None
                raise


async def health(settings: Settings) -> tuple[bool, str]:
    """Whether the running bot is healthy, and why not: its ``/healthz`` when it serves one
    (``CLAIMBOT_METRICS_PORT``), else its heartbeat file and whether the store opens."""
    if settings.metrics_port is not None:
        return await asyncio.to_thread(_healthz, settings.metrics_port)
    if not is_fresh(settings.heartbeat_file):
        age = heartbeat_age(settings.heartbeat_file)
        when = f"last beat {age[0]:.0f} s ago" if age else "no heartbeat file"
        return False, f"the bot is not connected to Discord ({when}, {settings.heartbeat_file})"
    try:
        async with open_store(settings.database_url, create=False):
            pass
    except (ClaimsError, OSError) as exc:
        return False, f"the claim store does not open: {exc}"
    return True, "ok"


def _healthz(port: int) -> tuple[bool, str]:
    import urllib.error
    import urllib.request

    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=8) as response:
            return response.status == 200, response.read().decode(errors="replace").strip() or "ok"
    except urllib.error.HTTPError as exc:
        return False, f"{url}: {exc.read().decode(errors='replace').strip() or exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return False, f"the bot does not answer at {url} ({getattr(exc, 'reason', exc)})"


def main(argv: Sequence[str] = ()) -> int:
    """Entry point of ``python -m bot`` and ``claimbot run``: 0 when the bot stopped normally.

    Startup problems raise ``SystemExit`` (2: configuration or token, 1: Discord unreachable) after one
    line on stderr. ``argv`` holds this program's own options (``--health``), not the CLI's.
    """
    parser = argparse.ArgumentParser(prog="python -m bot", description="Run the claimbot Discord bot.")
    parser.add_argument("--health", action="store_true", help="check the running bot; exit 0 when healthy")
    args = parser.parse_args(list(argv))
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        _fail(str(exc), EXIT_CONFIG)
    if args.health:
        ok, why = asyncio.run(health(settings))
        print(f"claimbot: {why}", file=sys.stdout if ok else sys.stderr)
        if not ok:
            raise SystemExit(EXIT_UNHEALTHY)
        return 0
    if not settings.discord_token:
        _fail("DISCORD_TOKEN is not set", EXIT_CONFIG)
    # The log goes to stdout, so stderr holds only what stops the bot, one line each.
    handler = logging.StreamHandler(sys.stdout)
    if settings.log_format == "json":
        discord.utils.setup_logging(handler=handler, formatter=JsonFormatter(), level=logging.INFO, root=True)
    else:
        discord.utils.setup_logging(handler=handler, level=logging.INFO, root=True)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        asyncio.run(run(settings))
    except StartupError as exc:
        _fail(str(exc), EXIT_CONFIG)
    except ClaimsError as exc:  # the store: bad URL, missing driver, server down
        _fail(str(exc), EXIT_CONFIG)
    except Unreachable as exc:
        _fail(str(exc), EXIT_UNREACHABLE)
    except KeyboardInterrupt:
        pass
    return 0


def _fail(message: str, code: int) -> NoReturn:
    print(f"claimbot: {message}", file=sys.stderr)
    raise SystemExit(code)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
