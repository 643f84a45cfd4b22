"""The SQL claim store: SQLite (embedded default, via aiosqlite) and PostgreSQL (via asyncpg).

One implementation serves both through SQLAlchemy Core; the schema comes from Alembic migrations
that run when the store opens. Each write is a single transaction that also appends to the audit
log, so a crash mid-write leaves the previous state intact.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from claims_db.errors import ClaimNotFound, DuplicateClaim, ReportNotFound, StoreUnavailable
from claims_db.models import AuditEntry, Claim, GuildSettings, Report, SourceCheck, StoredClaim
from claims_db.store.schema import audit, claims, guild_settings, reports, source_checks
from claims_db.transfer import claim_from_dict, claim_to_dict

__all__ = ["SQLStore", "migrate"]

_MIGRATIONS = Path(__file__).with_name("migrations")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def migrate(connection: sa.Connection, revision: str = "head") -> None:
    """Bring the schema on ``connection`` up to ``revision`` with Alembic."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def _sqlite_pragmas(engine: AsyncEngine) -> None:
    # pysqlite's own transaction handling defers BEGIN and ignores DDL; take control of it so
    # that every transaction, migrations included, is all or nothing.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA journal_mode = WAL")
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

    @classmethod
    async def connect(cls, url: str) -> SQLStore:
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite") and (url.endswith("://") or ":memory:" in url):
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        try:
            engine = create_async_engine(url, **kwargs)
        except ModuleNotFoundError as exc:
            raise StoreUnavailable(
                f"The database driver {exc.name!r} is not installed; "
                "for PostgreSQL install claimbot with the postgres extra: pip install 'claimbot[postgres]'"
            ) from exc
        except sa.exc.ArgumentError as exc:
            raise StoreUnavailable(f"Not a database URL: {url!r} ({exc})") from exc
        if engine.dialect.name == "sqlite":
            _sqlite_pragmas(engine)
        store = cls(engine)
        try:
            async with store._write() as conn:
                await conn.run_sync(migrate)
        except (OperationalError, DBAPIError, OSError) as exc:
            await engine.dispose()
            raise StoreUnavailable(f"Cannot open the claim store: {_reason(exc)}") from exc
        return store

    async def close(self) -> None:
        await self._engine.dispose()

    @contextlib.asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        async with self._engine.connect() as conn:
            conn.sync_connection.info["write"] = True  # type: ignore[union-attr]
            try:
                async with conn.begin():
                    yield conn
            finally:
                conn.sync_connection.info.pop("write", None)  # type: ignore[union-attr]

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

    async def add(self, claim: Claim, *, actor: str, note: str | None = None) -> None:
        try:
            async with self._write() as conn:
                await self._insert(conn, claim, actor=actor, action="add", note=note)
        except IntegrityError as exc:
            raise DuplicateClaim(claim.id) from exc

    async def replace(self, claim: Claim, *, actor: str, note: str | None = None) -> None:
        async with self._write() as conn:
            before = await self._row(conn, claim.id)
            if before is None:
                raise ClaimNotFound(claim.id)
            await self._update(conn, claim, before.body, actor=actor, action="edit", note=note)

    async def apply(self, claims_: Sequence[Claim], *, actor: str, note: str | None = None) -> None:
        """Add or replace every claim in one transaction (imports: all or nothing)."""
        async with self._write() as conn:
            for claim in claims_:
                before = await self._row(conn, claim.id)
                if before is None:
                    await self._insert(conn, claim, actor=actor, action="import", note=note)
                elif before.body != claim_to_dict(claim) or before.retracted:
                    await self._update(conn, claim, before.body, actor=actor, action="import", note=note)

    async def retract(self, claim_id: str, reason: str, *, actor: str) -> None:
        await self._set_retracted(claim_id, True, reason, actor=actor)

    async def restore(self, claim_id: str, *, actor: str) -> None:
        await self._set_retracted(claim_id, False, None, actor=actor)

    async def _set_retracted(self, claim_id: str, flag: bool, reason: str | None, *, actor: str) -> None:
        async with self._write() as conn:
            before = await self._row(conn, claim_id)
            if before is None:
                raise ClaimNotFound(claim_id)
            await conn.execute(
                claims.update()
                .where(claims.c.id == claim_id)
                .values(retracted=flag, retracted_reason=reason, updated_at=_now())
            )
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

    async def changed_since(self, seq: int) -> tuple[int, list[StoredClaim]]:
        """Claims touched by audit entries after ``seq`` (retracted ones included) and the newest seq."""
        async with self._engine.connect() as conn:
            rows = (
                await conn.execute(sa.select(audit.c.seq, audit.c.claim_id).where(audit.c.seq > seq))
            ).all()
            if not rows:
                return seq, []
            ids = sorted({r.claim_id for r in rows if r.claim_id})
            found = (await conn.execute(sa.select(claims).where(claims.c.id.in_(ids)))).all() if ids else []
        return max(r.seq for r in rows), [_stored(r) for r in found]

    async def _row(self, conn: AsyncConnection, claim_id: str) -> Any:
        return (await conn.execute(sa.select(claims).where(claims.c.id == claim_id))).first()

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
        await conn.execute(
            claims.update()
            .where(claims.c.id == claim.id)
            .values(
                statement=claim.statement,
                status=str(claim.status),
                body=body,
                retracted=False,
                retracted_reason=None,
                updated_at=_now(),
            )
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
            audit.insert().values(
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
        if row is None:
            return GuildSettings(guild_id=guild_id)
        body = dict(row.body)
        body["watch_channels"] = frozenset(int(c) for c in body.get("watch_channels", ()))
        known = {f.name for f in dataclasses.fields(GuildSettings)}
        return GuildSettings(**{k: v for k, v in body.items() if k in known}, guild_id=guild_id)

    async def put_guild_settings(self, settings: GuildSettings, *, actor: str) -> None:
        body = dataclasses.asdict(settings)
        body.pop("guild_id")
        body["watch_channels"] = sorted(settings.watch_channels)
        async with self._write() as conn:
            old = (
                await conn.execute(
                    sa.select(guild_settings.c.body).where(guild_settings.c.guild_id == settings.guild_id)
                )
            ).scalar()
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

    async def list_reports(self, guild_id: int, *, status: str = "open") -> list[Report]:
        query = sa.select(reports).where(reports.c.guild_id == guild_id).order_by(reports.c.id)
        if status != "all":
            query = query.where(reports.c.status == status)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_report(r) for r in rows]

    async def resolve_report(
        self, report_id: int, *, status: str, actor: str, paraphrase_of: Claim | None = None
    ) -> Report:
        """Close a report; with ``paraphrase_of`` also store that (updated) claim, in one transaction."""
        async with self._write() as conn:
            row = (await conn.execute(sa.select(reports).where(reports.c.id == report_id))).first()
            if row is None:
                raise ReportNotFound(report_id)
            if paraphrase_of is not None:
                before = await self._row(conn, paraphrase_of.id)
                if before is None:
                    raise ClaimNotFound(paraphrase_of.id)
                await self._update(
                    conn, paraphrase_of, before.body, actor=actor, action="edit",
                    note=f"paraphrase from report #{report_id}",
                )  # fmt: skip
            await conn.execute(
                reports.update()
                .where(reports.c.id == report_id)
                .values(status=status, resolved_by=actor, resolved_at=_now())
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
        status=row.status,
        resolved_by=row.resolved_by,
        channel_id=row.channel_id,
        message_id=row.message_id,
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
