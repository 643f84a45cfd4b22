"""The writing transaction of each audit entry, so followers of the change feed miss no commit.

On PostgreSQL an audit sequence is taken at insert time, not commit time; with the transaction id
beside it a follower reads in transaction order (see ``SQLStore.changes``). SQLite leaves it empty:
its writers take turns, so sequence order is commit order there.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("txid", sa.BigInteger))
    op.create_index("ix_audit_txid", "audit", ["txid"])


def downgrade() -> None:
    op.drop_index("ix_audit_txid", "audit")
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("txid")
