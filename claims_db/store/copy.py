"""Copy a whole claim store to another (SQLite to PostgreSQL and back) without loss, and prove it.

Everything durable is copied row for row, keys included: claims (retracted ones with their reasons,
their created and updated times), the audit log (its sequence numbers too, so ``history`` reads the
same), guild settings, the review queue and the link checks. Watch-mode cooldowns are not: they last
minutes. The audit log's transaction ids (PostgreSQL's change feed) belong to the database that wrote
them and are left empty in the copy. The copy is one transaction on the target: all or nothing.

``digest`` reduces a store to its row counts and a SHA-256 over a canonical form of every row (times
in UTC, JSON with sorted keys), the same for SQLite and PostgreSQL; equal digests, equal stores.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from claims_db.errors import InvalidInput
from claims_db.store.base import ClaimStore
from claims_db.store.schema import audit, claims, guild_settings, reports, source_checks, watch_cooldowns
from claims_db.store.sql import SQLStore

__all__ = ["CopyReport", "Digest", "copy_store", "digest"]

# parents before children; each with the columns that order it
TABLES: tuple[tuple[sa.Table, tuple[str, ...]], ...] = (
    (claims, ("id",)),
    (audit, ("seq",)),
    (guild_settings, ("guild_id",)),
    (reports, ("id",)),
    (source_checks, ("claim_id", "url")),
)
_NOT_COMPARED = {("audit", "txid")}
_CHUNK = 1000


@dataclasses.dataclass(frozen=True, slots=True)
class Digest:
    """Rows per table and one checksum over all of them."""

    counts: dict[str, int]
    sha256: str
    retracted: int = 0

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())


@dataclasses.dataclass(frozen=True, slots=True)
class CopyReport:
    source: Digest
    target: Digest

    @property
    def verified(self) -> bool:
        return self.source.counts == self.target.counts and self.source.sha256 == self.target.sha256

    def __str__(self) -> str:
        c = self.source.counts
        what = (
            f"{c['claims']} claims ({self.source.retracted} retracted), {c['audit']} audit entries, "
            f"{c['guild_settings']} guild settings, {c['reports']} reports, {c['source_checks']} link checks"
        )
        if self.verified:
            return f"Copied {what}; counts and checksum match (sha256:{self.source.sha256[:16]})."
        return (
            f"The copy does NOT match the source: source {self.source.counts} "
            f"sha256:{self.source.sha256[:16]}, target {self.target.counts} sha256:{self.target.sha256[:16]}."
        )


def _utc(value: Any) -> Any:
    # SQLite hands back the UTC times the store wrote without their zone; PostgreSQL with it
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    return value


def _canonical(value: Any) -> Any:
    value = _utc(value)
    return value.isoformat() if isinstance(value, dt.datetime) else value


async def digest(store: SQLStore) -> Digest:
    """Row counts and a checksum of everything ``copy_store`` copies, read in one snapshot."""
    hasher = hashlib.sha256()
    counts: dict[str, int] = {}
    async with store._snapshot() as conn:
        for table, order in TABLES:
            columns = [c for c in table.columns if (table.name, c.name) not in _NOT_COMPARED]
            query = sa.select(*columns).order_by(*(table.c[o] for o in order))
            n = 0
            result = await conn.stream(query)
            async for row in result:
                record = {c.name: _canonical(getattr(row, c.name)) for c in columns}
                hasher.update(table.name.encode() + b"\0")
                hasher.update(json.dumps(record, sort_keys=True, ensure_ascii=False).encode() + b"\n")
                n += 1
            counts[table.name] = n
        retracted = (
            await conn.execute(sa.select(sa.func.count()).where(claims.c.retracted == sa.true()))
        ).scalar_one()
    return Digest(counts, hasher.hexdigest(), int(retracted))


async def copy_store(
    source: ClaimStore,
    target: ClaimStore,
    *,
    force: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy every row of ``source`` into ``target`` in one transaction, then compare their digests.

    Parameters
    ----------
    force
        Replace what the target holds (it is emptied in the same transaction); without it a target
        that holds anything is an ``InvalidInput`` error and nothing is changed.
    progress
        Called with (table name, rows copied so far).
    """
    if not isinstance(source, SQLStore) or not isinstance(target, SQLStore):
        raise TypeError("copy_store copies between SQL stores")
    before = await digest(target)
    if not before.empty and not force:
        held = ", ".join(f"{n} {t}" for t, n in before.counts.items() if n)
        raise InvalidInput(
            f"The target store is not empty ({held}); copy into an empty store, or add --force to "
            "replace everything it holds."
        )
    async with source._snapshot() as src, target._write() as dst:
        for table in (watch_cooldowns, *(t for t, _ in reversed(TABLES))):
            await dst.execute(table.delete())
        for table, order in TABLES:
            copied = 0
            batch: list[dict[str, Any]] = []
            result = await src.stream(sa.select(table).order_by(*(table.c[o] for o in order)))
            async for row in result:
                record = {k: _utc(v) for k, v in row._mapping.items()}
                if table is audit:
                    record["txid"] = None
                batch.append(record)
                if len(batch) >= _CHUNK:
                    await dst.execute(table.insert(), batch)
                    copied += len(batch)
                    batch = []
                    if progress is not None:
                        progress(table.name, copied)
            if batch:
                await dst.execute(table.insert(), batch)
                copied += len(batch)
            if progress is not None:
                progress(table.name, copied)
        if target.dialect == "postgresql":  # explicit keys were inserted: move the sequences past them
            for table, column in ((audit, "seq"), (reports, "id")):
                await dst.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column}'), "
                        f"COALESCE((SELECT MAX({column}) FROM {table.name}), 0) + 1, false)"
                    )
                )
    return CopyReport(await digest(source), await digest(target))
