"""Databases for the store tests: a SQLite file, and a fresh database on a real PostgreSQL server.

PostgreSQL is reached at TEST_DATABASE_URL (default: the local server with trust auth); each test gets
a database of its own, dropped afterwards. Where no server answers, those tests skip and say why.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextlib.asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    import asyncpg

    server = PG_URL.rsplit("/", 1)[0]
    try:
        admin = await asyncpg.connect(server + "/postgres", timeout=3)
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.skip(f"PostgreSQL is not reachable at {server} ({exc}); set TEST_DATABASE_URL to run these")
    name = f"claimbot_test_{uuid.uuid4().hex[:12]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(params=["sqlite", "postgres"])
async def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/claims.db"
        return
    async with fresh_postgres_database() as url:
        yield url


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    async with fresh_postgres_database() as url:
        yield url
