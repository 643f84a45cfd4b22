"""The SQL claim store: SQLite (embedded default, via aiosqlite) and PostgreSQL (via asyncpg).

One implementation serves both through SQLAlchemy Core; the schema comes from Alembic migrations
that run when the store opens. Each write is a single transaction that also appends to the audit
log, so a crash mid-write leaves the previous state intact.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from claims_db.errors import (
    ClaimNotFound,
    DuplicateClaim,
    InvalidInput,
    ReportNotFound,
    StoreBusy,
    StoreUnavailable,
)
from claims_db.models import (
    AskedVia,
    AuditEntry,
    CardKind,
    Claim,
    ClaimUsage,
    GuildSettings,
    PostedCard,
    Report,
    ReportStatus,
    SourceCheck,
    StoredClaim,
    Unanswered,
    Verdict,
)
from claims_db.semantic.vectors import StoredVector, VectorSet
from claims_db.store.base import FeedPosition, ImportPlan, Progress, Write
from claims_db.store.notify import Change, ChangeListener, asyncpg_dsn
from claims_db.store.schema import (
    audit,
    cards,
    claim_usage,
    claim_vectors,
    claims,
    guild_settings,
    reports,
    source_checks,
    unanswered,
    watch_cooldowns,
)
from claims_db.transfer import claim_from_dict, claim_to_dict

__all__ = ["SQLStore", "migrate"]

_MIGRATIONS = Path(__file__).with_name("migrations")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def migrate(connection: sa.Connection, revision: str = "head") -> None:
    """Bring the schema on ``connection`` up to ``revision`` with Alembic."""
    from alembic import command

    cfg = _config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


_REVISION = re.compile(r"""^(down_revision|revision)\s*=\s*(?:["']([^"']+)["']|None)\s*$""", re.M)


@functools.cache
def head_revision() -> str:
    """The newest migration shipped with this version of claimbot.

    Read from the migration files' ``revision`` and ``down_revision`` lines rather than through
    Alembic, which costs a third of a second to import and is needed only when a store is behind
    (``tests/store`` checks that both agree).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for file in (_MIGRATIONS / "versions").glob("*.py"):
        fields = dict(_REVISION.findall(file.read_text(encoding="utf-8")))
        if "revision" in fields:
            revisions.add(fields["revision"])
            if fields.get("down_revision"):
                parents.add(fields["down_revision"])
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the shipped migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def current_revision(connection: sa.Connection) -> str | None:
    """The migration the database on ``connection`` is at (None: no claim store there yet).

    Alembic keeps it in the ``alembic_version`` table; read it directly (see ``head_revision``).
    """
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:
        raise StoreUnavailable(f"The claim store is at several migrations at once ({', '.join(rows)}).")
    return str(rows[0]) if rows else None


# PostgreSQL: the id of the writing transaction, and the oldest transaction still running as this
# snapshot sees it. The change feed reads in transaction order with them (see ``changes``).
_TXID = sa.cast(sa.cast(sa.func.pg_current_xact_id(), sa.Text), sa.BigInteger)
_XMIN = sa.cast(sa.cast(sa.func.pg_snapshot_xmin(sa.func.pg_current_snapshot()), sa.Text), sa.BigInteger)
_CHUNK = 500


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _busy(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(getattr(orig, "__cause__", None), "sqlstate", None)
    if code in ("55P03", "40P01", "40001"):  # lock_not_available, deadlock, serialization failure
        return True
    text = str(orig or exc).lower()
    return "database is locked" in text or "database table is locked" in text or "lock timeout" in text


def _sqlite_pragmas(engine: AsyncEngine, busy_timeout: float) -> None:
    # pysqlite's own transaction handling defers BEGIN and ignores DDL; take control of it so
    # that every transaction, migrations included, is all or nothing.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode")
        if str(cursor.fetchone()[0]).lower() != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")  # a write: only when not set yet
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # writers take the lock up front, so two processes never deadlock upgrading a read lock
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")


class SQLStore:
    """A ``ClaimStore`` on a SQLAlchemy async engine. Open it with ``open_store``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self.dialect = engine.dialect.name
        self._pg = self.dialect == "postgresql"

    @classmethod
    async def connect(cls, url: str, *, create: bool = True, busy_timeout: float = 10.0) -> SQLStore:
        """Open the store at ``url``; migrate it only when it is behind, so readers never wait.

        ``create=False`` makes a database without a claim store an error (instead of creating one).
        A writer that waits longer than ``busy_timeout`` seconds for a lock gets ``StoreBusy``.
        """
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite") and (url.endswith("://") or ":memory:" in url):
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        elif url.startswith("postgresql"):
            timeout = str(int(busy_timeout * 1000))
            # named in pg_stat_activity by process; a connection the server dropped is replaced
            # before use instead of failing the query that meets it
            server = {"lock_timeout": timeout, "application_name": f"claimbot pid {os.getpid()}"}
            kwargs = {"connect_args": {"server_settings": server}, "pool_pre_ping": True}
        try:
            engine = create_async_engine(url, **kwargs)
        except ModuleNotFoundError as exc:
            raise StoreUnavailable(
                f"The database driver {exc.name!r} is not installed; "
                "for PostgreSQL install claimbot with the postgres extra: pip install 'claimbot[postgres]'"
            ) from exc
        except (sa.exc.ArgumentError, ValueError, OverflowError) as exc:
            raise StoreUnavailable(f"Not a database URL: {_redacted(url)} ({exc})") from exc
        if engine.dialect.name == "sqlite":
            _sqlite_pragmas(engine, busy_timeout)
        store = cls(engine)
        try:
            async with engine.connect() as conn:
                revision = await conn.run_sync(current_revision)
            if revision is None and not create:
                raise StoreUnavailable("No claim store in that database; run `claimbot init` first.")
            if revision != head_revision():
                async with store._write() as conn:
                    await conn.run_sync(migrate)
        except StoreUnavailable:
            await engine.dispose()
            raise
        except (OperationalError, DBAPIError, OSError, ValueError, OverflowError) as exc:
            await engine.dispose()
            raise StoreUnavailable(f"Cannot open the claim store: {_reason(exc)}") from exc
        return store

    async def close(self) -> None:
        await self._engine.dispose()

    @property
    def shared(self) -> bool:
        """Whether several processes are expected to share this store (PostgreSQL)."""
        return self._pg

    def change_listener(
        self,
        *,
        on_change: Callable[[Change], None],
        on_connect: Callable[[], Awaitable[None]],
        reconnect_delay: float = 0.5,
    ) -> ChangeListener | None:
        """A ``LISTEN`` for committed changes on a connection of its own (PostgreSQL); None on SQLite,
        whose followers poll the audit log instead. See ``claims_db.store.notify``."""
        if not self._pg:
            return None
        dsn = asyncpg_dsn(self._engine.url.render_as_string(hide_password=False))
        return ChangeListener(
            dsn, on_change=on_change, on_connect=on_connect, reconnect_delay=reconnect_delay
        )

    # -- watch-mode cooldowns -------------------------------------------------------------------

    async def take_cooldowns(
        self, keys: Mapping[str, float], *, now: dt.datetime | None = None
    ) -> tuple[bool, dict[str, dt.datetime]]:
        """Start every cooldown in ``keys`` (key -> seconds) if none of them is running; one transaction.

        Returns (True, when each now ends) or (False, the running ones and when they end). The rows
        are locked, so two processes cannot both take the same free cooldown.
        """
        at = now or _now()
        names = sorted(keys)
        try:
            async with self._write() as conn:
                query = sa.select(watch_cooldowns).where(watch_cooldowns.c.key.in_(names)).with_for_update()
                rows = {r.key: _aware(r.until) for r in await conn.execute(query)}
                running = {k: u for k, u in rows.items() if u is not None and u > at}
                if running:
                    return False, running
                await conn.execute(watch_cooldowns.delete().where(watch_cooldowns.c.until <= at))
                ends = {k: at + dt.timedelta(seconds=keys[k]) for k in names}
                rows_ = [{"key": k, "until": u} for k, u in ends.items()]
                await conn.execute(watch_cooldowns.insert(), rows_)
        except IntegrityError:  # another process inserted one of them first: it took the cooldown
            return False, {}
        return True, ends

    @contextlib.asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction; the lock is taken up front, and waiting too long is ``StoreBusy``."""
        try:
            async with self._engine.connect() as conn:
                conn.sync_connection.info["write"] = True  # type: ignore[union-attr]
                try:
                    async with conn.begin():
                        yield conn
                finally:
                    conn.sync_connection.info.pop("write", None)  # type: ignore[union-attr]
        except IntegrityError:
            raise
        except (OperationalError, DBAPIError) as exc:
            if _busy(exc):
                raise StoreBusy() from exc
            raise StoreUnavailable(f"Cannot write to the claim store: {_reason(exc)}") from exc

    @contextlib.asynccontextmanager
    async def _snapshot(self) -> AsyncIterator[AsyncConnection]:
        """A read transaction that sees one consistent state of the database."""
        async with self._engine.connect() as conn:
            if self._pg:
                conn = await conn.execution_options(isolation_level="REPEATABLE READ")
            async with conn.begin():
                yield conn

    # -- claims ---------------------------------------------------------------------------------

    async def get(self, claim_id: str) -> StoredClaim:
        async with self._engine.connect() as conn:
            row = (await conn.execute(sa.select(claims).where(claims.c.id == claim_id))).first()
        if row is None:
            raise ClaimNotFound(claim_id)
        return _stored(row)

    async def list_all(self, *, include_retracted: bool = False) -> list[StoredClaim]:
        query = sa.select(claims).order_by(claims.c.id)
        if not include_retracted:
            query = query.where(claims.c.retracted == sa.false())
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_stored(r) for r in rows]

    async def add(
        self, claim: Claim, *, actor: str, note: str | None = None, vectors: VectorSet | None = None
    ) -> None:
        """Store a new claim (and its texts' ``vectors``, if given) in one transaction."""
        try:
            async with self._write() as conn:
                await self._insert(conn, claim, actor=actor, action="add", note=note)
                if vectors is not None:
                    await self._write_vectors(conn, [claim], vectors)
        except IntegrityError as exc:
            raise DuplicateClaim(claim.id) from exc

    async def replace(
        self, claim: Claim, *, actor: str, note: str | None = None, vectors: VectorSet | None = None
    ) -> None:
        async with self._write() as conn:
            before = await self._row(conn, claim.id, lock=True)
            if before is None:
                raise ClaimNotFound(claim.id)
            await self._update(conn, claim, before.body, actor=actor, action="edit", note=note)
            if vectors is not None:
                await self._write_vectors(conn, [claim], vectors)

    async def update(
        self,
        claim_id: str,
        change: Callable[[Claim], Claim],
        *,
        actor: str,
        note: str | None = None,
        vectors: VectorSet | None = None,
    ) -> Claim:
        """Read a claim, change it and write it back in one transaction (the row locked throughout),
        so concurrent changes queue up and none is lost; ``change`` may raise to write nothing.

        ``vectors`` (computed beforehand) are stored for the texts of the changed claim they cover.
        """
        async with self._write() as conn:
            before = await self._row(conn, claim_id, lock=True)
            if before is None:
                raise ClaimNotFound(claim_id)
            current = claim_from_dict(before.body)
            updated = change(current)
            if updated != current:
                await self._update(conn, updated, before.body, actor=actor, action="edit", note=note)
                if vectors is not None:
                    await self._write_vectors(conn, [updated], vectors)
        return updated

    async def apply(
        self,
        claims_: Sequence[Claim],
        *,
        actor: str,
        note: str | None = None,
        vectors: VectorSet | None = None,
    ) -> None:
        """Add or replace every claim in one transaction (seeding: all or nothing)."""
        async with self._write() as conn:
            for claim in claims_:
                before = await self._row(conn, claim.id, lock=True)
                if before is None:
                    await self._insert(conn, claim, actor=actor, action="import", note=note)
                elif before.body != claim_to_dict(claim):
                    await self._update(conn, claim, before.body, actor=actor, action="import", note=note)
            if vectors is not None:
                for chunk in _chunks(claims_):
                    await self._write_vectors(conn, chunk, vectors)

    # -- vectors (the semantic tier) ------------------------------------------------------------

    async def get_vectors(
        self, claim_ids: Iterable[str] | None = None, *, data: bool = True
    ) -> list[StoredVector]:
        """Stored vector rows: of these claims, or of every claim not retracted (``None``).
        ``data=False`` leaves the vectors out (for counting)."""
        cols = [claim_vectors.c.claim_id, claim_vectors.c.text_hash, claim_vectors.c.model,
                claim_vectors.c.dim, claim_vectors.c.checksum]  # fmt: skip
        if data:
            cols.append(claim_vectors.c.vector)
        found: list[Any] = []
        async with self._engine.connect() as conn:
            if claim_ids is None:
                active = sa.select(claims.c.id).where(claims.c.retracted == sa.false())
                query = sa.select(*cols).where(claim_vectors.c.claim_id.in_(active))
                found = list((await conn.execute(query)).all())
            else:
                for chunk in _chunks(sorted(set(claim_ids))):
                    query = sa.select(*cols).where(claim_vectors.c.claim_id.in_(chunk))
                    found += (await conn.execute(query)).all()
        if data:  # rows are in column order: (claim_id, text_hash, model, dim, checksum, vector)
            return [StoredVector(*r) for r in found]
        return [StoredVector(r[0], r[1], r[2], r[3], r[4], b"") for r in found]

    async def put_vectors(self, claims_: Sequence[Claim], vectors: VectorSet) -> None:
        """Replace the stored vectors of these claims by those ``vectors`` has for their texts."""
        async with self._write() as conn:
            for chunk in _chunks(claims_):
                await self._write_vectors(conn, chunk, vectors)

    async def prune_vectors(self) -> int:
        """Drop the vectors of claims that are retracted or gone; how many rows went."""
        async with self._write() as conn:
            active = sa.select(claims.c.id).where(claims.c.retracted == sa.false())
            result = await conn.execute(claim_vectors.delete().where(claim_vectors.c.claim_id.not_in(active)))
        return int(result.rowcount or 0)

    async def _write_vectors(
        self, conn: AsyncConnection, claims_: Sequence[Claim], vectors: VectorSet
    ) -> None:
        ids = [c.id for c in claims_]
        if not ids:
            return
        await conn.execute(claim_vectors.delete().where(claim_vectors.c.claim_id.in_(ids)))
        rows = [dataclasses.asdict(r) for c in claims_ for r in vectors.rows(c)]
        if rows:
            await conn.execute(claim_vectors.insert(), rows)

    async def _drop_vectors(self, conn: AsyncConnection, claim_ids: Sequence[str]) -> None:
        if claim_ids:
            await conn.execute(claim_vectors.delete().where(claim_vectors.c.claim_id.in_(claim_ids)))

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
    ) -> Sequence[Write]:
        """Read the stored rows of ``ids``, let ``plan`` decide the writes, make them; one transaction.

        The rows are read under the write lock (and locked on PostgreSQL), so what ``plan`` decided
        on is what gets replaced. With ``dry_run`` nothing is locked or written. Rows are read and
        written in batches, and ``progress`` hears after each batch. ``vectors`` are stored for the
        texts of the claims written active; a claim written retracted loses its vectors.
        """
        wanted = sorted(set(ids))
        context = self._snapshot() if dry_run else self._write()
        async with context as conn:
            existing: dict[str, StoredClaim] = {}
            for chunk in _chunks(wanted):
                query = sa.select(claims).where(claims.c.id.in_(chunk))
                if not dry_run:
                    query = query.with_for_update()
                for row in await conn.execute(query):
                    existing[row.id] = _stored(row)
            writes = plan(existing)
            if dry_run:
                return writes
            done = 0
            for batch in _chunks(writes):
                await self._write_batch(conn, batch, existing, actor=actor, note=note)
                await self._drop_vectors(conn, [w.claim.id for w in batch if w.retracted])
                if vectors is not None:
                    await self._write_vectors(conn, [w.claim for w in batch if not w.retracted], vectors)
                done += len(batch)
                if progress is not None:
                    progress(done, len(writes))
        return writes

    async def _write_batch(
        self,
        conn: AsyncConnection,
        batch: Sequence[Write],
        existing: dict[str, StoredClaim],
        *,
        actor: str,
        note: str | None,
    ) -> None:
        now = _now()
        rows: list[dict[str, Any]] = []
        entries: list[dict[str, Any]] = []

        def entry(claim_id: str, action: str, before: Any, after: Any, text: str | None) -> None:
            entries.append({"claim_id": claim_id, "action": action, "actor": actor, "at": now,
                            "before": before, "after": after, "note": text})  # fmt: skip

        for w in batch:
            body = claim_to_dict(w.claim)
            reason = w.retracted_reason if w.retracted else None
            old = existing.get(w.claim.id)
            if old is None:
                rows.append({"id": w.claim.id, "statement": w.claim.statement, "status": str(w.claim.status),
                             "body": body, "retracted": w.retracted, "retracted_reason": reason,
                             "created_at": now, "updated_at": now})  # fmt: skip
                entry(w.claim.id, "import", None, body, note)
                if w.retracted:
                    entry(w.claim.id, "retract", body, body, reason)
                continue
            old_body = claim_to_dict(old.claim)
            if body != old_body:
                await conn.execute(
                    claims.update()
                    .where(claims.c.id == w.claim.id)
                    .values(
                        statement=w.claim.statement, status=str(w.claim.status), body=body, updated_at=now
                    )
                )
                entry(w.claim.id, "import", old_body, body, note)
            if (w.retracted, reason) != (old.retracted, old.retracted_reason if old.retracted else None):
                await conn.execute(
                    claims.update()
                    .where(claims.c.id == w.claim.id)
                    .values(retracted=w.retracted, retracted_reason=reason, updated_at=now)
                )
                entry(w.claim.id, "retract" if w.retracted else "restore", body, body, reason or note)
        if rows:
            await conn.execute(claims.insert(), rows)
        if entries:
            await conn.execute(self._audit_insert(), entries)

    async def retract(self, claim_id: str, reason: str, *, actor: str) -> None:
        await self._set_retracted(claim_id, True, reason, actor=actor)

    async def restore(self, claim_id: str, *, actor: str) -> None:
        await self._set_retracted(claim_id, False, None, actor=actor)

    async def _set_retracted(self, claim_id: str, flag: bool, reason: str | None, *, actor: str) -> None:
        async with self._write() as conn:
            before = await self._row(conn, claim_id, lock=True)
            if before is None:
                raise ClaimNotFound(claim_id)
            await conn.execute(
                claims.update()
                .where(claims.c.id == claim_id)
                .values(retracted=flag, retracted_reason=reason, updated_at=_now())
            )
            if flag:  # a retracted claim is never matched: its vectors go with it
                await self._drop_vectors(conn, [claim_id])
            await self._log(
                conn, claim_id, "retract" if flag else "restore", actor, before.body, before.body, reason
            )

    async def mark(self, action: str, *, actor: str, note: str | None = None) -> None:
        """Record an event about the store itself (e.g. its creation) in the audit log."""
        async with self._write() as conn:
            await self._log(conn, None, action, actor, None, None, note)

    async def history(self, claim_id: str) -> list[AuditEntry]:
        async with self._engine.connect() as conn:
            if (await self._row(conn, claim_id)) is None:
                raise ClaimNotFound(claim_id)
            rows = (
                await conn.execute(sa.select(audit).where(audit.c.claim_id == claim_id).order_by(audit.c.seq))
            ).all()
        return [_entry(r) for r in rows]

    async def last_seq(self) -> int:
        async with self._engine.connect() as conn:
            value = (await conn.execute(sa.select(sa.func.max(audit.c.seq)))).scalar()
        return int(value or 0)

    async def snapshot(self) -> tuple[list[StoredClaim], FeedPosition]:
        """The active claims and the feed position they are current to, read in one snapshot."""
        async with self._snapshot() as conn:
            position = FeedPosition()
            if self._pg:  # the rows at or above the horizon that this snapshot sees count as read
                horizon = int((await conn.execute(sa.select(_XMIN))).scalar_one())
                position, _ = await self._feed(conn, FeedPosition(horizon=horizon), horizon)
            position = dataclasses.replace(position, seq=await self._max_seq(conn))
            rows = (
                await conn.execute(
                    sa.select(claims).where(claims.c.retracted == sa.false()).order_by(claims.c.id)
                )
            ).all()
        return [_stored(r) for r in rows], position

    async def changes(self, position: FeedPosition) -> tuple[FeedPosition, list[StoredClaim]]:
        """Claims touched since ``position`` (retracted ones included), and the position after them.

        On PostgreSQL an audit row's sequence is taken when it is inserted, so a long import can
        commit sequences lower than those of a short write that committed before it. Reading by
        transaction instead: every row of a transaction older than the last horizon was read then;
        rows at or above it are read again, minus those already seen. Nothing is missed, nothing
        waits for a long transaction but that transaction's own rows.
        """
        async with self._snapshot() as conn:
            horizon = int((await conn.execute(sa.select(_XMIN))).scalar_one()) if self._pg else 0
            after, ids = await self._feed(conn, position, horizon)
            found: list[Any] = []
            for chunk in _chunks(sorted(ids)):
                found += (await conn.execute(sa.select(claims).where(claims.c.id.in_(chunk)))).all()
        return after, [_stored(r) for r in found]

    async def _feed(
        self, conn: AsyncConnection, position: FeedPosition, horizon: int
    ) -> tuple[FeedPosition, set[str]]:
        if not self._pg:
            rows = (
                await conn.execute(sa.select(audit.c.seq, audit.c.claim_id).where(audit.c.seq > position.seq))
            ).all()
            seq = max((r.seq for r in rows), default=position.seq)
            return FeedPosition(seq=seq), {r.claim_id for r in rows if r.claim_id}
        query = sa.select(audit.c.seq, audit.c.claim_id, audit.c.txid).where(
            sa.or_(
                audit.c.txid >= position.horizon,
                sa.and_(audit.c.txid.is_(None), audit.c.seq > position.seq),  # rows from before 0002
            )
        )
        pg_rows = (await conn.execute(query)).all()
        fresh = [r for r in pg_rows if r.seq not in position.seen]
        seen = frozenset(r.seq for r in pg_rows if r.txid is not None and r.txid >= horizon)
        seq = max((r.seq for r in pg_rows), default=position.seq)
        after = FeedPosition(seq=max(seq, position.seq), horizon=horizon, seen=seen)
        return after, {r.claim_id for r in fresh if r.claim_id}

    async def _max_seq(self, conn: AsyncConnection) -> int:
        return int((await conn.execute(sa.select(sa.func.max(audit.c.seq)))).scalar() or 0)

    async def _row(self, conn: AsyncConnection, claim_id: str, *, lock: bool = False) -> Any:
        query = sa.select(claims).where(claims.c.id == claim_id)
        return (await conn.execute(query.with_for_update() if lock else query)).first()

    def _audit_insert(self) -> Any:
        return audit.insert().values(txid=_TXID) if self._pg else audit.insert()

    async def _insert(
        self, conn: AsyncConnection, claim: Claim, *, actor: str, action: str, note: str | None
    ) -> None:
        body = claim_to_dict(claim)
        now = _now()
        await conn.execute(
            claims.insert().values(
                id=claim.id,
                statement=claim.statement,
                status=str(claim.status),
                body=body,
                retracted=False,
                created_at=now,
                updated_at=now,
            )
        )
        await self._log(conn, claim.id, action, actor, None, body, note)

    async def _update(
        self,
        conn: AsyncConnection,
        claim: Claim,
        before: dict[str, Any],
        *,
        actor: str,
        action: str,
        note: str | None,
    ) -> None:
        body = claim_to_dict(claim)
        # the retraction state is left as it is: editing a retracted claim does not restore it
        await conn.execute(
            claims.update()
            .where(claims.c.id == claim.id)
            .values(statement=claim.statement, status=str(claim.status), body=body, updated_at=_now())
        )
        await self._log(conn, claim.id, action, actor, before, body, note)

    async def _log(
        self,
        conn: AsyncConnection,
        claim_id: str | None,
        action: str,
        actor: str,
        before: Any,
        after: Any,
        note: str | None,
    ) -> None:
        await conn.execute(
            self._audit_insert().values(
                claim_id=claim_id,
                action=action,
                actor=actor,
                at=_now(),
                before=before,
                after=after,
                note=note,
            )
        )

    # -- guild settings -------------------------------------------------------------------------

    async def get_guild_settings(self, guild_id: int) -> GuildSettings:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(sa.select(guild_settings).where(guild_settings.c.guild_id == guild_id))
            ).first()
        return _settings(guild_id, None if row is None else row.body)

    async def put_guild_settings(self, settings: GuildSettings, *, actor: str) -> None:
        await self.update_guild_settings(settings.guild_id, lambda _: settings, actor=actor)

    async def update_guild_settings(
        self, guild_id: int, change: Callable[[GuildSettings], GuildSettings], *, actor: str
    ) -> GuildSettings:
        """Read a guild's settings, change them and write them back in one transaction."""
        for attempt in range(3):
            try:
                return await self._update_guild_settings(guild_id, change, actor=actor)
            except IntegrityError:  # two first writes for one guild at once: the other one won
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _update_guild_settings(
        self, guild_id: int, change: Callable[[GuildSettings], GuildSettings], *, actor: str
    ) -> GuildSettings:
        async with self._write() as conn:
            old = (
                await conn.execute(
                    sa.select(guild_settings.c.body)
                    .where(guild_settings.c.guild_id == guild_id)
                    .with_for_update()
                )
            ).scalar()
            settings = change(_settings(guild_id, old))
            body = dataclasses.asdict(settings)
            body.pop("guild_id")
            body["watch_channels"] = sorted(settings.watch_channels)
            if old is None:
                await conn.execute(
                    guild_settings.insert().values(guild_id=settings.guild_id, body=body, updated_at=_now())
                )
            else:
                await conn.execute(
                    guild_settings.update()
                    .where(guild_settings.c.guild_id == settings.guild_id)
                    .values(body=body, updated_at=_now())
                )
            await self._log(conn, None, "guild-settings", actor, old, body, f"guild {settings.guild_id}")
        return settings

    # -- review queue ---------------------------------------------------------------------------

    async def add_report(self, report: Report) -> Report:
        values = dataclasses.asdict(report)
        values.pop("id")
        async with self._write() as conn:
            result = await conn.execute(reports.insert().values(**values).returning(reports.c.id))
            new_id = int(result.scalar_one())
        return dataclasses.replace(report, id=new_id)

    async def get_report(self, report_id: int) -> Report:
        async with self._engine.connect() as conn:
            row = (await conn.execute(sa.select(reports).where(reports.c.id == report_id))).first()
        if row is None:
            raise ReportNotFound(report_id)
        return _report(row)

    async def list_reports(
        self, guild_id: int, *, status: ReportStatus | None = ReportStatus.OPEN
    ) -> list[Report]:
        query = sa.select(reports).where(reports.c.guild_id == guild_id).order_by(reports.c.id)
        if status is not None:
            query = query.where(reports.c.status == status)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_report(r) for r in rows]

    async def resolve_report(
        self,
        report_id: int,
        *,
        status: str,
        actor: str,
        paraphrase_of: Claim | None = None,
        amend: Callable[[Report, Claim], Claim] | None = None,
        claim_id: str | None = None,
    ) -> Report:
        """Close an open report, in one transaction with the claim it changes, if any.

        ``paraphrase_of`` stores that (updated) claim; ``amend`` instead reads claim ``claim_id``
        under the lock and stores ``amend(report, claim)``.
        """
        async with self._write() as conn:
            row = (
                await conn.execute(sa.select(reports).where(reports.c.id == report_id).with_for_update())
            ).first()
            if row is None:
                raise ReportNotFound(report_id)
            if row.status != ReportStatus.OPEN:
                raise InvalidInput(f"Report #{report_id} was already {row.status}.")
            target = paraphrase_of.id if paraphrase_of is not None else claim_id
            if target is not None:
                before = await self._row(conn, target, lock=True)
                if before is None:
                    raise ClaimNotFound(target)
                updated = paraphrase_of
                if amend is not None:
                    updated = amend(_report(row), claim_from_dict(before.body))
                assert updated is not None
                await self._update(
                    conn, updated, before.body, actor=actor, action="edit",
                    note=f"paraphrase from report #{report_id}",
                )  # fmt: skip
            await conn.execute(
                reports.update()
                .where(reports.c.id == report_id)
                .values(status=status, resolved_by=actor, resolved_at=_now(), accepted_as=target)
            )
        return await self.get_report(report_id)

    # -- link health ----------------------------------------------------------------------------

    async def put_source_checks(self, checks: Sequence[SourceCheck]) -> list[SourceCheck]:
        """Store the latest check of each (claim, URL), keeping when a failing one first failed."""
        stored: list[SourceCheck] = []
        async with self._write() as conn:
            for check in checks:
                key = (source_checks.c.claim_id == check.claim_id) & (source_checks.c.url == check.url)
                old = (await conn.execute(sa.select(source_checks).where(key))).first()
                since = None
                if not check.reachable:
                    since = check.checked
                    previous = _source_check(old) if old is not None else None
                    if previous is not None and not previous.reachable:
                        since = previous.failing_since or previous.checked
                check = dataclasses.replace(check, failing_since=since)
                values = dataclasses.asdict(check)
                if old is None:
                    await conn.execute(source_checks.insert().values(**values))
                else:
                    await conn.execute(source_checks.update().where(key).values(**values))
                stored.append(check)
        return stored

    async def list_source_checks(self, claim_id: str | None = None) -> list[SourceCheck]:
        query = sa.select(source_checks).order_by(source_checks.c.claim_id, source_checks.c.url)
        if claim_id is not None:
            query = query.where(source_checks.c.claim_id == claim_id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_source_check(r) for r in rows]

    async def list_accepted_reports(self, guild_id: int | None = None) -> list[Report]:
        query = sa.select(reports).where(reports.c.status == ReportStatus.ACCEPTED).order_by(reports.c.id)
        if guild_id is not None:
            query = query.where(reports.c.guild_id == guild_id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_report(r) for r in rows]

    # -- the curators' loop ---------------------------------------------------------------------

    async def add_unanswered(self, entry: Unanswered, *, keep_after: dt.datetime | None = None) -> None:
        """Store one unanswered text; with ``keep_after``, drop the guild's older ones in the same
        transaction (retention is enforced on every write, so nothing outlives it for long)."""
        values = dataclasses.asdict(entry)
        values.pop("id")
        async with self._write() as conn:
            await conn.execute(unanswered.insert().values(**values))
            if keep_after is not None:
                await conn.execute(
                    unanswered.delete().where(
                        (unanswered.c.guild_id == entry.guild_id) & (unanswered.c.created_at < keep_after)
                    )
                )

    async def purge_unanswered(self, guild_id: int, *, before: dt.datetime) -> int:
        async with self._write() as conn:
            result = await conn.execute(
                unanswered.delete().where(
                    (unanswered.c.guild_id == guild_id) & (unanswered.c.created_at < before)
                )
            )
        return int(result.rowcount or 0)

    async def list_unanswered(self, guild_id: int | None = None, *, limit: int = 2000) -> list[Unanswered]:
        """Newest first."""
        query = sa.select(unanswered).order_by(unanswered.c.created_at.desc(), unanswered.c.id.desc())
        if guild_id is not None:
            query = query.where(unanswered.c.guild_id == guild_id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query.limit(limit))).all()
        return [_unanswered(r) for r in rows]

    async def unanswered_guilds(self) -> list[int]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(sa.select(unanswered.c.guild_id).distinct())).all()
        return sorted(int(r.guild_id) for r in rows)

    async def delete_unanswered(self, ids: Sequence[int]) -> int:
        deleted = 0
        async with self._write() as conn:
            for chunk in _chunks(list(ids)):
                result = await conn.execute(unanswered.delete().where(unanswered.c.id.in_(chunk)))
                deleted += int(result.rowcount or 0)
        return deleted

    async def count_use(self, guild_id: int, claim_id: str, via: AskedVia, *, at: dt.datetime) -> int:
        """Add one to a claim's count in a guild; the guild's total of that claim, all ways but reports."""
        insert = _upsert(self.dialect)(claim_usage).values(
            guild_id=guild_id, claim_id=claim_id, via=str(via), count=1, last_at=at
        )
        insert = insert.on_conflict_do_update(
            index_elements=["guild_id", "claim_id", "via"],
            set_={"count": claim_usage.c.count + 1, "last_at": insert.excluded.last_at},
        )
        async with self._write() as conn:
            await conn.execute(insert)
            total = (
                await conn.execute(
                    sa.select(sa.func.coalesce(sa.func.sum(claim_usage.c.count), 0)).where(
                        (claim_usage.c.guild_id == guild_id)
                        & (claim_usage.c.claim_id == claim_id)
                        & (claim_usage.c.via != str(AskedVia.REPORT))
                    )
                )
            ).scalar_one()
        return int(total)

    async def list_usage(self, guild_id: int | None = None, claim_id: str | None = None) -> list[ClaimUsage]:
        query = sa.select(claim_usage).order_by(
            claim_usage.c.guild_id, claim_usage.c.claim_id, claim_usage.c.via
        )
        if guild_id is not None:
            query = query.where(claim_usage.c.guild_id == guild_id)
        if claim_id is not None:
            query = query.where(claim_usage.c.claim_id == claim_id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            ClaimUsage(
                int(r.guild_id),
                r.claim_id,
                AskedVia(r.via),
                int(r._mapping["count"]),  # Row.count is tuple.count
                _aware(r.last_at) or _now(),
            )
            for r in rows
        ]

    async def add_card(self, card: PostedCard) -> PostedCard:
        values = dataclasses.asdict(card)
        values.pop("id")
        values["shown"] = dict(card.shown)
        async with self._write() as conn:
            result = await conn.execute(cards.insert().values(**values).returning(cards.c.id))
            new_id = int(result.scalar_one())
        return dataclasses.replace(card, id=new_id)

    async def list_cards(self, claim_ids: Iterable[str] | None = None) -> list[PostedCard]:
        """The posted cards about these claims (all cards when None), oldest first."""
        query = sa.select(cards).order_by(cards.c.id)
        found: list[Any] = []
        async with self._engine.connect() as conn:
            if claim_ids is None:
                found = list((await conn.execute(query)).all())
            else:
                for chunk in _chunks(sorted(set(claim_ids))):
                    found += (await conn.execute(query.where(cards.c.claim_id.in_(chunk)))).all()
        return sorted((_card(r) for r in found), key=lambda c: c.id)

    async def mark_card(
        self, card_id: int, shown: Mapping[str, Any], *, at: dt.datetime, note_id: int | None = None
    ) -> None:
        """The card now shows ``shown`` (it was edited, or noted, or its guild opted out)."""
        values: dict[str, Any] = {"shown": dict(shown), "updated_at": at}
        if note_id is not None:
            values["note_id"] = note_id
        async with self._write() as conn:
            await conn.execute(cards.update().where(cards.c.id == card_id).values(**values))


def _upsert(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def _unanswered(row: Any) -> Unanswered:
    return Unanswered(
        id=row.id,
        guild_id=int(row.guild_id),
        text=row.text,
        verdict=Verdict(row.verdict),
        via=AskedVia(row.via),
        created_at=_aware(row.created_at) or _now(),
        candidate_id=row.candidate_id,
    )


def _card(row: Any) -> PostedCard:
    return PostedCard(
        id=row.id,
        guild_id=int(row.guild_id),
        channel_id=int(row.channel_id),
        message_id=int(row.message_id),
        claim_id=row.claim_id,
        kind=CardKind(row.kind),
        shown=dict(row.shown),
        posted_at=_aware(row.posted_at) or _now(),
        checked=row.checked,
        updated_at=_aware(row.updated_at),
        note_id=row.note_id,
    )


def _settings(guild_id: int, stored: Any) -> GuildSettings:
    if stored is None:
        return GuildSettings(guild_id=guild_id)
    body = dict(stored)
    body["watch_channels"] = frozenset(int(c) for c in body.get("watch_channels", ()))
    known = {f.name for f in dataclasses.fields(GuildSettings)}
    return GuildSettings(**{k: v for k, v in body.items() if k in known}, guild_id=guild_id)


def _redacted(url: str) -> str:
    try:
        return repr(sa.engine.make_url(url).render_as_string(hide_password=True))
    except Exception:  # too broken to parse: say so without echoing what may hold a password
        return "(unparseable URL)"


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def _stored(row: Any) -> StoredClaim:
    return StoredClaim(
        claim=claim_from_dict(row.body),
        retracted=bool(row.retracted),
        retracted_reason=row.retracted_reason,
        updated_at=_aware(row.updated_at),
    )


def _entry(row: Any) -> AuditEntry:
    at = _aware(row.at)
    assert at is not None
    return AuditEntry(
        seq=row.seq,
        claim_id=row.claim_id,
        action=row.action,
        actor=row.actor,
        at=at,
        before=row.before,
        after=row.after,
        note=row.note,
    )


def _report(row: Any) -> Report:
    created = _aware(row.created_at)
    assert created is not None
    return Report(
        id=row.id,
        guild_id=row.guild_id,
        reporter_id=row.reporter_id,
        message_text=row.message_text,
        claim_id=row.claim_id,
        comment=row.comment,
        created_at=created,
        status=ReportStatus(row.status),
        resolved_by=row.resolved_by,
        channel_id=row.channel_id,
        message_id=row.message_id,
        accepted_as=row.accepted_as,
    )


def _source_check(row: Any) -> SourceCheck:
    checked = _aware(row.checked)
    assert checked is not None
    return SourceCheck(
        claim_id=row.claim_id,
        url=row.url,
        checked=checked,
        status=row.status,
        final_url=row.final_url,
        title=row.title,
        error=row.error,
        failing_since=_aware(row.failing_since),
    )
