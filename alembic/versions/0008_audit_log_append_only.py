"""The audit log is append-only in the database (PRODUCT.md §4.13.11, issue 14 item 7).

A row trigger on `moderator_actions` refuses every DELETE and every UPDATE, except the
one change a user purge makes through the foreign keys' `ON DELETE SET NULL`: setting
`actor_id` and/or `target_user_id` to NULL with every other column unchanged ("deleted
user"). TRUNCATE is refused by a statement trigger.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 08:45:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = """
CREATE FUNCTION moderator_actions_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
       AND (NEW.target_user_id IS NULL
            OR NEW.target_user_id IS NOT DISTINCT FROM OLD.target_user_id)
       AND (NEW.id, NEW.created_at, NEW.action_type, NEW.target_type, NEW.target_id,
            NEW.reason, NEW.notes, NEW.details)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.created_at, OLD.action_type, OLD.target_type, OLD.target_id,
            OLD.reason, OLD.notes, OLD.details)
    THEN
        RETURN NEW;  -- a purged user's reference becomes NULL ("deleted user")
    END IF;
    RAISE EXCEPTION 'moderator_actions is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""


def upgrade() -> None:
    op.execute(FUNCTION)
    op.execute(
        "CREATE TRIGGER moderator_actions_append_only BEFORE UPDATE OR DELETE "
        "ON moderator_actions FOR EACH ROW EXECUTE FUNCTION moderator_actions_append_only()"
    )
    op.execute(
        "CREATE TRIGGER moderator_actions_no_truncate BEFORE TRUNCATE "
        "ON moderator_actions FOR EACH STATEMENT EXECUTE FUNCTION moderator_actions_append_only()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER moderator_actions_no_truncate ON moderator_actions")
    op.execute("DROP TRIGGER moderator_actions_append_only ON moderator_actions")
    op.execute("DROP FUNCTION moderator_actions_append_only()")
