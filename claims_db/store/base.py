"""The ClaimStore protocol and ``open_store``, which picks an implementation by URL scheme."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from claims_db.errors import StoreUnavailable
from claims_db.models import (
    AskedVia,
    AuditEntry,
    Claim,
    ClaimUsage,
    GuildSettings,
    PostedCard,
    Report,
    ReportStatus,
    SourceCheck,
    StoredClaim,
    Unanswered,
)

if TYPE_CHECKING:
    from claims_db.store.notify import Change, ChangeListener

if TYPE_CHECKING:
    from claims_db.semantic.vectors import StoredVector, VectorSet

__all__ = [
    "ENV_DB",
    "ClaimStore",
    "FeedPosition",
    "ImportPlan",
    "Progress",
    "Write",
    "default_url",
    "normalize_url",
    "open_store",
]

ENV_DB = "CLAIMBOT_DB"


def default_url(environ: Mapping[str, str] | None = None) -> str:
    """``CLAIMBOT_DB``, else ``claims.db`` in the user's data directory (the CLI and the bot agree)."""
    import platformdirs

    env = os.environ if environ is None else environ
    return env.get(ENV_DB, "").strip() or str(Path(platformdirs.user_data_dir("claimbot")) / "claims.db")


@dataclasses.dataclass(frozen=True, slots=True)
class FeedPosition:
    """How far a follower of the change feed has read.

    ``seq`` is the highest audit sequence read. On PostgreSQL sequences are handed out when a row is
    inserted, not when its transaction commits, so a reader also keeps ``horizon``: the oldest
    transaction that was still running when it last read (every transaction below it has been read
    whole), and ``seen``, the sequences of rows from transactions at or above the horizon that it has
    read already. SQLite serialises writers, so there the sequence alone is exact.
    """

    seq: int = 0
    horizon: int = 0
    seen: frozenset[int] = frozenset()


@dataclasses.dataclass(frozen=True, slots=True)
class Write:
    """One claim an import writes: its content and the retraction state it should end in."""

    claim: Claim
    retracted: bool = False
    retracted_reason: str | None = None


# Given the stored rows of the ids an import names (read under the write lock), the writes to make.
ImportPlan = Callable[[Mapping[str, StoredClaim]], Sequence[Write]]
# Called with (claims written so far, claims to write).
Progress = Callable[[int, int], None]


class ClaimStore(Protocol):
    """Durable claims, their audit log, guild settings and the review queue.

    Every write is one transaction that also appends to the audit log; a failure leaves nothing
    behind. ``get`` of an unknown id raises ``ClaimNotFound``; adding an existing id raises
    ``DuplicateClaim``.
    """

    async def get(self, claim_id: str) -> StoredClaim: ...
    async def list_all(self, *, include_retracted: bool = False) -> list[StoredClaim]: ...
    async def add(
        self, claim: Claim, *, actor: str, note: str | None = None, vectors: VectorSet | None = None
    ) -> None: ...
    async def replace(
        self, claim: Claim, *, actor: str, note: str | None = None, vectors: VectorSet | None = None
    ) -> None: ...
    async def update(
        self,
        claim_id: str,
        change: Callable[[Claim], Claim],
        *,
        actor: str,
        note: str | None = None,
        vectors: VectorSet | None = None,
    ) -> Claim: ...
    async def retract(self, claim_id: str, reason: str, *, actor: str) -> None: ...
    async def restore(self, claim_id: str, *, actor: str) -> None: ...
    async def apply(
        self,
        claims: Sequence[Claim],
        *,
        actor: str,
        note: str | None = None,
        vectors: VectorSet | None = None,
    ) -> None: ...
    async def import_claims(
        self,
        ids: Iterable[str],
        plan: ImportPlan,
        *,
        actor: str,
        note: str | None = None,
        dry_run: bool = False,
        progress: Progress | None = None,
        vectors: VectorSet | None = None,
    ) -> Sequence[Write]: ...
    # The semantic tier's vectors, one row per claim text (a retraction drops them).
    async def get_vectors(
        self, claim_ids: Iterable[str] | None = None, *, data: bool = True
    ) -> list[StoredVector]: ...
    async def put_vectors(self, claims: Sequence[Claim], vectors: VectorSet) -> None: ...
    async def prune_vectors(self) -> int: ...
    async def mark(self, action: str, *, actor: str, note: str | None = None) -> None: ...
    async def history(self, claim_id: str) -> list[AuditEntry]: ...
    async def last_seq(self) -> int: ...
    async def snapshot(self) -> tuple[list[StoredClaim], FeedPosition]: ...
    async def changes(self, position: FeedPosition) -> tuple[FeedPosition, list[StoredClaim]]: ...
    async def get_guild_settings(self, guild_id: int) -> GuildSettings: ...
    async def put_guild_settings(self, settings: GuildSettings, *, actor: str) -> None: ...
    async def update_guild_settings(
        self, guild_id: int, change: Callable[[GuildSettings], GuildSettings], *, actor: str
    ) -> GuildSettings: ...
    async def add_report(self, report: Report) -> Report: ...
    async def get_report(self, report_id: int) -> Report: ...
    async def list_reports(
        self, guild_id: int, *, status: ReportStatus | None = ReportStatus.OPEN
    ) -> list[Report]: ...
    async def resolve_report(
        self,
        report_id: int,
        *,
        status: str,
        actor: str,
        paraphrase_of: Claim | None = None,
        amend: Callable[[Report, Claim], Claim] | None = None,
        claim_id: str | None = None,
    ) -> Report: ...
    async def list_accepted_reports(self, guild_id: int | None = None) -> list[Report]: ...
    async def put_source_checks(self, checks: Sequence[SourceCheck]) -> list[SourceCheck]: ...
    async def list_source_checks(self, claim_id: str | None = None) -> list[SourceCheck]: ...
    async def take_cooldowns(
        self, keys: Mapping[str, float], *, now: dt.datetime | None = None
    ) -> tuple[bool, dict[str, dt.datetime]]: ...
    def change_listener(
        self,
        *,
        on_change: Callable[[Change], None],
        on_connect: Callable[[], Awaitable[None]],
        reconnect_delay: float = 0.5,
    ) -> ChangeListener | None: ...
    @property
    def shared(self) -> bool: ...
    async def add_unanswered(self, entry: Unanswered, *, keep_after: dt.datetime | None = None) -> None: ...
    async def purge_unanswered(self, guild_id: int, *, before: dt.datetime) -> int: ...
    async def list_unanswered(
        self, guild_id: int | None = None, *, limit: int = 2000
    ) -> list[Unanswered]: ...
    async def unanswered_guilds(self) -> list[int]: ...
    async def delete_unanswered(self, ids: Sequence[int]) -> int: ...
    async def count_use(self, guild_id: int, claim_id: str, via: AskedVia, *, at: dt.datetime) -> int: ...
    async def list_usage(
        self, guild_id: int | None = None, claim_id: str | None = None
    ) -> list[ClaimUsage]: ...
    async def add_card(self, card: PostedCard) -> PostedCard: ...
    async def list_cards(self, claim_ids: Iterable[str] | None = None) -> list[PostedCard]: ...
    async def mark_card(
        self, card_id: int, shown: Mapping[str, Any], *, at: dt.datetime, note_id: int | None = None
    ) -> None: ...
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
async def open_store(
    url: str, *, create: bool = True, busy_timeout: float = 10.0
) -> AsyncIterator[ClaimStore]:
    """Open the store at ``url`` (migrating it if it is behind); close it on exit.

    Parameters
    ----------
    url
        ``sqlite:///relative/or/absolute/path.db``, ``sqlite://`` (in memory), a bare file path,
        or ``postgresql://user@host/db`` (needs the ``postgres`` extra).
    create
        Create the database file and schema when missing; otherwise a missing store is an error
        that says to run ``claimbot init``.
    busy_timeout
        Seconds a write waits for another writer's lock before failing with ``StoreBusy``.
    """
    from claims_db.store.sql import SQLStore

    real = normalize_url(url)
    if real.startswith("sqlite"):
        path = real.split(":///", 1)[1] if ":///" in real else ""
        if path and path != ":memory:" and not path.startswith("file:"):
            file = Path(path)
            if file.is_dir():
                raise StoreUnavailable(
                    f"{file} is a directory, not a claim store; give the path of a file, "
                    f"e.g. {file / 'claims.db'}"
                )
            if not create and not file.exists():
                raise StoreUnavailable(f"No claim store at {file}; run `claimbot init` first.")
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(f"Cannot create the folder for {file}: {exc.strerror}") from exc
            if file.exists() and not os.access(file, os.R_OK):
                raise StoreUnavailable(f"Cannot read the claim store at {file}.")
    store = await SQLStore.connect(real, create=create, busy_timeout=busy_timeout)
    try:
        yield store
    finally:
        await store.close()
