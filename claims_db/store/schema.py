"""Table definitions the store queries with. The schema itself is created by the migrations in
``migrations/versions``; a test checks that the two agree."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("statement", sa.String(300), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("retracted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("retracted_reason", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("claim_id", sa.String(80), index=True),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Column("note", sa.Text),
    # PostgreSQL: the writing transaction's id, so the change feed can follow commits (0002)
    sa.Column("txid", sa.BigInteger, index=True),
)

guild_settings = sa.Table(
    "guild_settings",
    metadata,
    sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("guild_id", sa.BigInteger, nullable=False, index=True),
    sa.Column("reporter_id", sa.BigInteger, nullable=False),
    sa.Column("channel_id", sa.BigInteger),
    sa.Column("message_id", sa.BigInteger),
    sa.Column("message_text", sa.Text, nullable=False),
    sa.Column("claim_id", sa.String(80)),
    sa.Column("comment", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(20), nullable=False, server_default="open"),
    sa.Column("resolved_by", sa.String(200)),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
    sa.Column("accepted_as", sa.String(80)),  # the claim its text became a paraphrase of (0006)
)

source_checks = sa.Table(
    "source_checks",
    metadata,
    sa.Column("claim_id", sa.String(80), primary_key=True),
    sa.Column("url", sa.String(2000), primary_key=True),
    sa.Column("status", sa.Integer),
    sa.Column("final_url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("error", sa.Text),
    sa.Column("checked", sa.DateTime(timezone=True), nullable=False),
    sa.Column("failing_since", sa.DateTime(timezone=True)),
)

# until when a watch-mode cooldown runs; keys read "channel:<id>" or "claim:<channel id>:<claim id>" (0005)
watch_cooldowns = sa.Table(
    "watch_cooldowns",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("until", sa.DateTime(timezone=True), nullable=False, index=True),
)

# The curators' loop (0006): texts /check could not answer, per guild; no author is kept.
unanswered = sa.Table(
    "unanswered",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("guild_id", sa.BigInteger, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("via", sa.String(20), nullable=False),
    sa.Column("candidate_id", sa.String(80)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_unanswered_guild_created", "guild_id", "created_at"),
)

# How often each claim came up in each guild, by way (slash, menu, watch, report).
claim_usage = sa.Table(
    "claim_usage",
    metadata,
    sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("claim_id", sa.String(80), primary_key=True),
    sa.Column("via", sa.String(20), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
)

# Public cards and watch-mode replies the bot posted, with the state of the claim they show, so a
# change to the claim reaches them once, across restarts.
cards = sa.Table(
    "cards",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("guild_id", sa.BigInteger, nullable=False),
    sa.Column("channel_id", sa.BigInteger, nullable=False),
    sa.Column("message_id", sa.BigInteger, nullable=False, unique=True),
    sa.Column("claim_id", sa.String(80), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("checked", sa.Text),
    sa.Column("shown", sa.JSON, nullable=False),
    sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True)),
    sa.Column("note_id", sa.BigInteger),
)

claim_vectors = sa.Table(
    "claim_vectors",
    metadata,
    sa.Column("claim_id", sa.String(80), primary_key=True),
    sa.Column("text_hash", sa.String(64), primary_key=True),
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("dim", sa.Integer, nullable=False),
    sa.Column("checksum", sa.String(64), nullable=False),
    sa.Column("vector", sa.LargeBinary, nullable=False),
)
