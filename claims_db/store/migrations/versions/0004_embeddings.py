"""The semantic tier: one vector per claim text, with the model that made it.

A row is current when its ``text_hash`` is the sha256 of one of the claim's texts and its model
name and checksum are those of the encoder in use; anything else is stale (``claimbot doctor``
counts them, ``claimbot reindex`` replaces them).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_vectors",
        sa.Column("claim_id", sa.String(80), primary_key=True),
        sa.Column("text_hash", sa.String(64), primary_key=True),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("dim", sa.Integer, nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),  # dim float32, little-endian
    )


def downgrade() -> None:
    op.drop_table("claim_vectors")
