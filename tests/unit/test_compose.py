"""compose.yaml: PostgreSQL with a named volume and a health check, the migration before the bot, two
shards. (No Docker engine here: .ci/run runs the commands these services run.)"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.settings import Settings

COMPOSE = Path(__file__).resolve().parents[2] / "compose.yaml"


def test_compose_runs_two_shards_on_postgres_after_the_migration() -> None:
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    postgres = services["postgres"]
    assert postgres["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert services["migrate"]["command"] == ["claimbot", "init"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    shards = {name: s for name, s in services.items() if name.startswith("shard-")}
    assert len(shards) == 2
    seen = []
    for shard in shards.values():
        assert shard["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        env = {k: str(v) for k, v in shard["environment"].items()}
        assert env["CLAIMBOT_DB"] == services["migrate"]["environment"]["CLAIMBOT_DB"]
        settings = Settings.from_env({**env, "DISCORD_TOKEN": "x"})  # every value parses
        assert settings.database_url.startswith("postgresql://") and settings.metrics_port == 9108
        seen.append((settings.shard_id, settings.shard_count))
    assert sorted(seen) == [(0, 2), (1, 2)]
