"""Settings of the Discord bot, read once from the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from claims_db.errors import InvalidInput
from claims_db.sources import ENV_FETCH_ALLOW, FACTCHECK_ENDPOINT, IPNetwork, parse_allow
from claims_db.store import default_url
from claims_db.store.cache import cache_dir as analysis_cache_dir

__all__ = ["Settings", "SettingsError"]

_DEFAULT_HEARTBEAT = "/tmp/claimbot.heartbeat"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What ``python -m bot`` needs to run.

    Attributes
    ----------
    discord_token
        The bot token (``DISCORD_TOKEN``).
    database_url
        Where the claims and guild settings live (``CLAIMBOT_DB``), e.g. ``sqlite:////data/claims.db``.
    guild_ids
        Guilds to sync the commands to at start (``CLAIMBOT_GUILD_IDS``, comma-separated); empty: a
        global sync, which Discord may take a while to show everywhere.
    api_base
        A REST proxy in front of Discord (``DISCORD_API_BASE``), e.g. ``http://proxy:8080/api/v10``.
    gateway_url
        A gateway proxy (``DISCORD_GATEWAY_URL``), e.g. ``ws://gateway-proxy:7878/``.
    message_content
        Ask for the privileged message-content intent that watch mode needs
        (``CLAIMBOT_MESSAGE_CONTENT``, default on; without it the bot runs, and watch mode is off).
    heartbeat_file
        Where the running bot writes its heartbeat for ``python -m bot --health``
        (``CLAIMBOT_HEARTBEAT_FILE``).
    heartbeat_interval_s
        How often it is written (``CLAIMBOT_HEARTBEAT_INTERVAL``); the health check allows three missed beats.
    seed_if_empty
        Store the bundled seed claims when the store is empty (``CLAIMBOT_SEED``, default on).
    shard_id, shard_count
        Run one shard of several (``CLAIMBOT_SHARD_ID``, ``CLAIMBOT_SHARD_COUNT``), one process each,
        all on one PostgreSQL store; only shard 0 syncs the commands.
    linkcheck_interval_s
        How often shard 0 checks every source URL (``CLAIMBOT_LINKCHECK_INTERVAL``, seconds; daily by
        default, ``off`` to disable); None: no link checks.
    fetch_allow
        Addresses or networks the fetcher may reach although they are private (``CLAIMBOT_FETCH_ALLOW``).
    metrics_port
        Serve ``/metrics`` (Prometheus) and ``/healthz`` on this port (``CLAIMBOT_METRICS_PORT``);
        None: no HTTP server.
    log_format
        ``text`` (default) or ``json``: one JSON object per log line (``CLAIMBOT_LOG_FORMAT``).
    log_content
        Put the checked text into the event log lines (``CLAIMBOT_LOG_CONTENT=1``; off by default).
    link_budget_s
        How long reading the pages linked in one checked message may take (``CLAIMBOT_LINK_BUDGET``,
        seconds, default 1; ``off``: links are not read).
    factcheck_api_key
        A Google Fact Check Tools API key (``CLAIMBOT_FACTCHECK_API_KEY``): when set, ``/check`` shows
        published fact-checks elsewhere when no curated claim matches.
    factcheck_url
        The ``claims:search`` endpoint (``CLAIMBOT_FACTCHECK_URL``; Google's by default).
    followup_interval_s
        How often shard 0 looks for changed claims to follow up on earlier answers
        (``CLAIMBOT_FOLLOWUP_INTERVAL``, seconds, default 30; ``off`` to disable); None: never.
    cache_dir
        Where claims' analyses are kept between runs, so that start-up does not analyse every claim
        again (``CLAIMBOT_CACHE_DIR``; the user's cache directory by default, ``off``: nothing kept).
    """

    discord_token: str = ""
    database_url: str = ""
    guild_ids: tuple[int, ...] = ()
    api_base: str | None = None
    gateway_url: str | None = None
    message_content: bool = True
    heartbeat_file: Path = Path(_DEFAULT_HEARTBEAT)
    heartbeat_interval_s: float = 30.0
    seed_if_empty: bool = True
    guild_ready_timeout: float = 2.0
    shard_id: int | None = None
    shard_count: int | None = None
    linkcheck_interval_s: float | None = None
    fetch_allow: tuple[IPNetwork, ...] = ()
    metrics_port: int | None = None
    log_format: str = "text"
    log_content: bool = False
    link_budget_s: float | None = 1.0
    factcheck_api_key: str | None = field(default=None, repr=False)
    factcheck_url: str = FACTCHECK_ENDPOINT
    followup_interval_s: float | None = 30.0
    cache_dir: Path | None = None

    @property
    def syncs_commands(self) -> bool:
        """Only one process of a sharded bot registers the commands."""
        return not self.shard_id

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings; raises ``SettingsError`` naming the variable that is wrong."""
        env = os.environ if environ is None else environ
        shard_id, shard_count = _shards(env)
        return cls(
            discord_token=env.get("DISCORD_TOKEN", "").strip(),
            database_url=default_url(env),
            guild_ids=_ids(env.get("CLAIMBOT_GUILD_IDS", "")),
            api_base=_url(env, "DISCORD_API_BASE", ("http", "https")),
            gateway_url=_url(env, "DISCORD_GATEWAY_URL", ("ws", "wss")),
            message_content=_flag(env, "CLAIMBOT_MESSAGE_CONTENT", True),
            heartbeat_file=Path(env.get("CLAIMBOT_HEARTBEAT_FILE", "").strip() or _DEFAULT_HEARTBEAT),
            heartbeat_interval_s=_number(env, "CLAIMBOT_HEARTBEAT_INTERVAL", 30.0),
            seed_if_empty=_flag(env, "CLAIMBOT_SEED", True),
            shard_id=shard_id,
            shard_count=shard_count,
            linkcheck_interval_s=_interval(env, "CLAIMBOT_LINKCHECK_INTERVAL", 86400.0),
            fetch_allow=_allow(env),
            metrics_port=_port(env, "CLAIMBOT_METRICS_PORT"),
            log_format=_choice(env, "CLAIMBOT_LOG_FORMAT", ("text", "json")),
            log_content=_flag(env, "CLAIMBOT_LOG_CONTENT", False),
            link_budget_s=_interval(env, "CLAIMBOT_LINK_BUDGET", 1.0),
            factcheck_api_key=env.get("CLAIMBOT_FACTCHECK_API_KEY", "").strip() or None,
            factcheck_url=_url(env, "CLAIMBOT_FACTCHECK_URL", ("http", "https")) or FACTCHECK_ENDPOINT,
            followup_interval_s=_interval(env, "CLAIMBOT_FOLLOWUP_INTERVAL", 30.0),
            cache_dir=analysis_cache_dir(env),
        )


def _port(env: Mapping[str, str], name: str) -> int | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SettingsError(f"{name} must be a TCP port number (1-65535), not {value!r}")
    return int(value)


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    value = env.get(name, "").strip().lower() or choices[0]
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _interval(env: Mapping[str, str], name: str, default: float) -> float | None:
    if env.get(name, "").strip().lower() in ("off", "0", "false", "no"):
        return None
    return _number(env, name, default)


def _allow(env: Mapping[str, str]) -> tuple[IPNetwork, ...]:
    try:
        return parse_allow(env.get(ENV_FETCH_ALLOW, ""))
    except InvalidInput as exc:
        raise SettingsError(str(exc)) from None


def _shards(env: Mapping[str, str]) -> tuple[int | None, int | None]:
    raw_id = env.get("CLAIMBOT_SHARD_ID", "").strip()
    raw_count = env.get("CLAIMBOT_SHARD_COUNT", "").strip()
    if not raw_id and not raw_count:
        return None, None
    if not (raw_id.isdigit() and raw_count.isdigit()):
        raise SettingsError(
            "CLAIMBOT_SHARD_ID and CLAIMBOT_SHARD_COUNT must be set together, as whole numbers "
            f"(got {raw_id!r} and {raw_count!r})"
        )
    shard_id, shard_count = int(raw_id), int(raw_count)
    if not 0 <= shard_id < shard_count:
        raise SettingsError(f"CLAIMBOT_SHARD_ID must be between 0 and {shard_count - 1}, not {shard_id}")
    return shard_id, shard_count


def _ids(raw: str) -> tuple[int, ...]:
    ids = []
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit():
            raise SettingsError(f"CLAIMBOT_GUILD_IDS must be comma-separated guild ids, not {part!r}")
        ids.append(int(part))
    return tuple(ids)


def _url(env: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    if not re.match(rf"^({'|'.join(schemes)})://[^/\s]+", value):
        raise SettingsError(f"{name} must be a {' or '.join(schemes)} URL, not {value!r}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, not {value!r}")


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {value!r}") from None
    if number <= 0:
        raise SettingsError(f"{name} must be positive, not {value!r}")
    return number
