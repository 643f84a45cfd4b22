"""The curators' loop: unanswered questions, how often claims come up, the cards posted for follow-ups,
and which claim an accepted "Wrong match?" report was accepted as.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unanswered",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("via", sa.String(20), nullable=False),
        sa.Column("candidate_id", sa.String(80)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_unanswered_guild_created", "unanswered", ["guild_id", "created_at"])
    op.create_table(
        "claim_usage",
        sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("claim_id", sa.String(80), primary_key=True),
        sa.Column("via", sa.String(20), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "cards",
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
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("accepted_as", sa.String(80)))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("accepted_as")
    op.drop_table("cards")
    op.drop_table("claim_usage")
    op.drop_index("ix_unanswered_guild_created", "unanswered")
    op.drop_table("unanswered")
