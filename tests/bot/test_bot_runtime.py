"""Rate limits, settings from the environment, and ``python -m bot`` (startup errors, --health)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from bot import __main__ as entry
from bot.heartbeat import Heartbeat, is_fresh
from bot.ratelimit import Cooldowns, SharedCooldowns, SlidingWindow
from bot.settings import Settings, SettingsError
from claims_db.service import ClaimService
from claims_db.store import open_store


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_allows_the_limit_then_says_how_long_to_wait() -> None:
    clock = Clock()
    window = SlidingWindow(clock)
    assert [window.hit("ana", limit=2, window=60) for _ in range(2)] == [0.0, 0.0]
    clock.now += 10
    assert window.hit("ana", limit=2, window=60) == pytest.approx(50.0)
    assert window.hit("bob", limit=2, window=60) == 0.0
    clock.now += 50
    assert window.hit("ana", limit=2, window=60) == 0.0


def test_cooldowns_per_key() -> None:
    clock = Clock()
    cooldowns = Cooldowns(clock)
    assert cooldowns.ready("a")
    cooldowns.trigger("a", 30)
    assert not cooldowns.ready("a") and cooldowns.ready("b")
    clock.now += 30
    assert cooldowns.ready("a")


def test_settings_from_env() -> None:
    settings = Settings.from_env(
        {
            "DISCORD_TOKEN": " abc ",
            "CLAIMBOT_DB": "sqlite:////data/claims.db",
            "CLAIMBOT_GUILD_IDS": "1, 2",
            "DISCORD_API_BASE": "http://proxy:8080/api/v10",
            "DISCORD_GATEWAY_URL": "ws://gw:7878/",
            "CLAIMBOT_MESSAGE_CONTENT": "off",
        }
    )
    assert settings.discord_token == "abc"
    assert settings.guild_ids == (1, 2)
    assert settings.api_base == "http://proxy:8080/api/v10" and settings.gateway_url == "ws://gw:7878/"
    assert settings.message_content is False
    assert settings.database_url == "sqlite:////data/claims.db"
    assert settings.shard_id is None and settings.syncs_commands


def test_shard_settings_and_only_shard_zero_syncs() -> None:
    first = Settings.from_env({"CLAIMBOT_SHARD_ID": "0", "CLAIMBOT_SHARD_COUNT": "2"})
    second = Settings.from_env({"CLAIMBOT_SHARD_ID": "1", "CLAIMBOT_SHARD_COUNT": "2"})
    assert (first.shard_id, first.shard_count, first.syncs_commands) == (0, 2, True)
    assert (second.shard_id, second.shard_count, second.syncs_commands) == (1, 2, False)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CLAIMBOT_GUILD_IDS": "12,abc"}, "CLAIMBOT_GUILD_IDS"),
        ({"DISCORD_GATEWAY_URL": "http://x"}, "ws"),
        ({"CLAIMBOT_HEARTBEAT_INTERVAL": "0"}, "positive"),
        ({"CLAIMBOT_SHARD_ID": "1"}, "CLAIMBOT_SHARD_ID and CLAIMBOT_SHARD_COUNT must be set together"),
        (
            {"CLAIMBOT_SHARD_ID": "2", "CLAIMBOT_SHARD_COUNT": "2"},
            "CLAIMBOT_SHARD_ID must be between 0 and 1",
        ),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_a_missing_token_is_one_line_and_exit_code_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.setenv("CLAIMBOT_DB", "sqlite://")
    monkeypatch.setattr("sys.argv", ["claimbot", "run"])  # `claimbot run` calls main(): not our options
    with pytest.raises(SystemExit) as exit_info:
        entry.main()
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == "claimbot: DISCORD_TOKEN is not set\n"


def test_health_needs_a_fresh_heartbeat_and_a_store_that_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    beat = tmp_path / "heartbeat.json"
    db = tmp_path / "claims.db"
    monkeypatch.setenv("CLAIMBOT_HEARTBEAT_FILE", str(beat))
    monkeypatch.setenv("CLAIMBOT_DB", f"sqlite:///{db}")
    with pytest.raises(SystemExit) as exit_info:
        entry.main(["--health"])
    assert exit_info.value.code == 1
    assert "no heartbeat file" in capsys.readouterr().err

    Heartbeat(beat, interval_s=30).beat()
    with pytest.raises(SystemExit):
        entry.main(["--health"])  # no store yet: --health never creates one
    assert "claim store does not open" in capsys.readouterr().err

    async def create() -> None:
        async with open_store(f"sqlite:///{db}"):
            pass

    asyncio.run(create())
    entry.main(["--health"])
    assert capsys.readouterr().out == "claimbot: ok\n"

    beat.write_text(json.dumps({"at": time.time() - 100, "interval_s": 30}))
    assert not is_fresh(beat)
    with pytest.raises(SystemExit):
        entry.main(["--health"])
    assert "last beat 100 s ago" in capsys.readouterr().err


async def test_shared_cooldowns_hold_across_processes_sharing_a_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/claims.db"
    async with open_store(url) as store_a, open_store(url) as store_b:
        shard_0, shard_1 = SharedCooldowns(ClaimService(store_a)), SharedCooldowns(ClaimService(store_b))
        keys = {("channel", 3001): 60.0, ("claim", 3001, "iran-srbm-russia"): 600.0}
        assert await shard_0.take(keys)
        assert not shard_0.ready(("channel", 3001))
        assert shard_1.ready(("channel", 3001)), "shard 1 has not heard of it yet"
        assert not await shard_1.take(keys), "but the store says the cooldown runs"
        assert not shard_1.ready(("channel", 3001)), "and now it knows, without asking again"
        assert await shard_1.take({("channel", 3002): 60.0})


def test_metrics_port_and_log_settings_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {"CLAIMBOT_METRICS_PORT": "9108", "CLAIMBOT_LOG_FORMAT": "JSON", "CLAIMBOT_LOG_CONTENT": "1"}
    )
    assert (settings.metrics_port, settings.log_format, settings.log_content) == (9108, "json", True)
    default = Settings.from_env({})
    assert (default.metrics_port, default.log_format, default.log_content) == (None, "text", False)
    with pytest.raises(SettingsError, match="CLAIMBOT_METRICS_PORT must be a TCP port number"):
        Settings.from_env({"CLAIMBOT_METRICS_PORT": "70000"})
    with pytest.raises(SettingsError, match="CLAIMBOT_LOG_FORMAT must be one of text, json"):
        Settings.from_env({"CLAIMBOT_LOG_FORMAT": "xml"})
