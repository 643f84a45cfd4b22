"""Running many processes on one store: change notifications and shared watch-mode cooldowns.

PostgreSQL: every audit row (every claim write, guild-settings change and store event) sends
``NOTIFY claimbot_changes`` from a trigger, so in the same transaction as the write: listeners hear of
it when, and only if, it commits. The payload is JSON, ``{"audit_id": <audit seq>, "claim_id": <id or
null>, "action": <audit action>, "at": <epoch seconds of the write>}`` (docs/operations.md).

Both dialects: ``watch_cooldowns`` holds until when a watch-mode cooldown (a channel, or a claim in a
channel) runs, so every shard of a bot keeps the same cooldowns.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The first 100 rows of a transaction are notified one by one; the rest of a big import sends one
# identical {"action": "bulk", "txid": ...} payload per row, which PostgreSQL folds into a single
# notification (it drops duplicates within a transaction): followers read the feed once for it.
_NOTIFY = """
CREATE OR REPLACE FUNCTION claimbot_notify_change() RETURNS trigger AS $$
DECLARE
    sent integer := coalesce(nullif(current_setting('claimbot.notified', true), ''), '0')::integer;
BEGIN
    IF sent < 100 THEN
        PERFORM set_config('claimbot.notified', (sent + 1)::text, true);
        PERFORM pg_notify('claimbot_changes', json_build_object(
            'audit_id', NEW.seq, 'claim_id', NEW.claim_id, 'action', NEW.action,
            'at', extract(epoch FROM NEW.at))::text);
    ELSE
        PERFORM pg_notify('claimbot_changes',
            json_build_object('action', 'bulk', 'txid', txid_current())::text);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "watch_cooldowns",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_watch_cooldowns_until", "watch_cooldowns", ["until"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_NOTIFY)
        op.execute(
            "CREATE TRIGGER claimbot_audit_notify AFTER INSERT ON audit "
            "FOR EACH ROW EXECUTE FUNCTION claimbot_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS claimbot_audit_notify ON audit")
        op.execute("DROP FUNCTION IF EXISTS claimbot_notify_change()")
    op.drop_index("ix_watch_cooldowns_until", "watch_cooldowns")
    op.drop_table("watch_cooldowns")
