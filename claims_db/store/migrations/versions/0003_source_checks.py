"""Link health: the last check of every source URL of every claim.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_checks",
        sa.Column("claim_id", sa.String(80), primary_key=True),
        sa.Column("url", sa.String(2000), primary_key=True),
        sa.Column("status", sa.Integer),
        sa.Column("final_url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("checked", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failing_since", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("source_checks")
