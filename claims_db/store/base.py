"""The ClaimStore protocol and ``open_store``, which picks an implementation by URL scheme."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from claims_db.errors import StoreUnavailable
from claims_db.models import AuditEntry, Claim, GuildSettings, Report, SourceCheck, StoredClaim

__all__ = ["ENV_DB", "ClaimStore", "default_url", "normalize_url", "open_store"]

ENV_DB = "CLAIMBOT_DB"


def default_url(environ: Mapping[str, str] | None = None) -> str:
    """``CLAIMBOT_DB``, else ``claims.db`` in the user's data directory (the CLI and the bot agree)."""
    import platformdirs

    env = os.environ if environ is None else environ
    return env.get(ENV_DB, "").strip() or str(Path(platformdirs.user_data_dir("claimbot")) / "claims.db")


class ClaimStore(Protocol):
    """Durable claims, their audit log, guild settings and the review queue.

    Every write is one transaction that also appends to the audit log; a failure leaves nothing
    behind. ``get`` of an unknown id raises ``ClaimNotFound``; adding an existing id raises
    ``DuplicateClaim``.
    """

    async def get(self, claim_id: str) -> StoredClaim: ...
    async def list_all(self, *, include_retracted: bool = False) -> list[StoredClaim]: ...
    async def add(self, claim: Claim, *, actor: str, note: str | None = None) -> None: ...
    async def replace(self, claim: Claim, *, actor: str, note: str | None = None) -> None: ...
    async def retract(self, claim_id: str, reason: str, *, actor: str) -> None: ...
    async def restore(self, claim_id: str, *, actor: str) -> None: ...
    async def apply(self, claims: Sequence[Claim], *, actor: str, note: str | None = None) -> None: ...
    async def mark(self, action: str, *, actor: str, note: str | None = None) -> None: ...
    async def history(self, claim_id: str) -> list[AuditEntry]: ...
    async def last_seq(self) -> int: ...
    async def changed_since(self, seq: int) -> tuple[int, list[StoredClaim]]: ...
    async def get_guild_settings(self, guild_id: int) -> GuildSettings: ...
    async def put_guild_settings(self, settings: GuildSettings, *, actor: str) -> None: ...
    async def add_report(self, report: Report) -> Report: ...
    async def get_report(self, report_id: int) -> Report: ...
    async def list_reports(self, guild_id: int, *, status: str = "open") -> list[Report]: ...
    async def resolve_report(
        self, report_id: int, *, status: str, actor: str, paraphrase_of: Claim | None = None
    ) -> Report: ...
    async def put_source_checks(self, checks: Sequence[SourceCheck]) -> list[SourceCheck]: ...
    async def list_source_checks(self, claim_id: str | None = None) -> list[SourceCheck]: ...
    async def close(self) -> None: ...


def normalize_url(url: str) -> str:
    """Accept a plain path as SQLite; map postgres URLs to their async driver."""
    if "://" not in url:
        return "sqlite+aiosqlite:///" + str(Path(url).expanduser().absolute())
    scheme, rest = url.split("://", 1)
    if scheme == "sqlite":
        return "sqlite+aiosqlite://" + rest
    if scheme in ("postgres", "postgresql"):
        return "postgresql+asyncpg://" + rest
    return url


@contextlib.asynccontextmanager
async def open_store(url: str, *, create: bool = True) -> AsyncIterator[ClaimStore]:
    """Open (and migrate) the store at ``url``; close it on exit.

    Parameters
    ----------
    url
        ``sqlite:///relative/or/absolute/path.db``, ``sqlite://`` (in memory), a bare file path,
        or ``postgresql://user@host/db`` (needs the ``postgres`` extra).
    create
        Create the database file and schema when missing; otherwise a missing SQLite file is an error.
    """
    from claims_db.store.sql import SQLStore

    real = normalize_url(url)
    if real.startswith("sqlite"):
        path = real.split(":///", 1)[1] if ":///" in real else ""
        if path and path != ":memory:":
            file = Path(path)
            if not create and not file.exists():
                raise StoreUnavailable(f"No claim store at {file}; run `claimbot init` first.")
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(f"Cannot create the folder for {file}: {exc.strerror}") from exc
            if file.exists() and not os.access(file, os.R_OK):
                raise StoreUnavailable(f"Cannot read the claim store at {file}.")
    store = await SQLStore.connect(real)
    try:
        yield store
    finally:
        await store.close()
