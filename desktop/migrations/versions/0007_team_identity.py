"""team identity: on PostgreSQL the database names the analyst, and the audit trail is append-only

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:05:00

DESIGN §7. On PostgreSQL:

- ``audit.analyst`` and ``link.analyst`` default to ``current_user``, and a
  trigger sets ``audit.analyst`` to ``current_user`` on every insert, whatever
  the client sent: the audit trail names the database login;
- a trigger does the same for a judgement (``link``) inserted by a member of a
  team role (``crosscheck team``); the workspace's owner, a superuser or a team
  admin may still insert judgements attributed to others, which is what an
  import of another team's document does (it keeps their authorship, and the
  import itself is audited under the importer's login);
- a trigger refuses UPDATE, DELETE and TRUNCATE on ``audit`` for everyone (the
  grants of ``crosscheck team init`` give no role those rights either);
- every write notifies channel ``crosscheck_changes`` (empty payload; delivered
  on commit, once per transaction) so that open windows fetch what changed from
  the audit trail (``desktop.core.live``).

SQLite has no logins: there the analyst name comes from the settings, and
nothing changes.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_UPGRADE = """
ALTER TABLE audit ALTER COLUMN analyst SET DEFAULT current_user;
ALTER TABLE link ALTER COLUMN analyst SET DEFAULT current_user;

CREATE OR REPLACE FUNCTION crosscheck_audit_identity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.analyst := current_user;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_identity BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION crosscheck_audit_identity();

CREATE OR REPLACE FUNCTION crosscheck_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION crosscheck_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION crosscheck_audit_append_only();

CREATE OR REPLACE FUNCTION crosscheck_judgement_identity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM pg_roles g
        WHERE g.rolname IN ('crosscheck_analyst', 'crosscheck_reviewer')
          AND pg_has_role(current_user, g.oid, 'MEMBER')
    ) AND NOT EXISTS (
        SELECT 1 FROM pg_roles g WHERE g.rolname = 'crosscheck_admin' AND pg_has_role(current_user, g.oid, 'MEMBER')
    ) THEN
        NEW.analyst := current_user;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER link_identity BEFORE INSERT ON link FOR EACH ROW EXECUTE FUNCTION crosscheck_judgement_identity();

CREATE OR REPLACE FUNCTION crosscheck_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('crosscheck_changes', '');
    RETURN NULL;
END $$;
CREATE TRIGGER audit_notify AFTER INSERT ON audit FOR EACH STATEMENT EXECUTE FUNCTION crosscheck_notify_change();
"""

_DOWNGRADE = """
DROP TRIGGER IF EXISTS audit_notify ON audit;
DROP FUNCTION IF EXISTS crosscheck_notify_change();
DROP TRIGGER IF EXISTS link_identity ON link;
DROP TRIGGER IF EXISTS audit_no_truncate ON audit;
DROP TRIGGER IF EXISTS audit_append_only ON audit;
DROP TRIGGER IF EXISTS audit_identity ON audit;
DROP FUNCTION IF EXISTS crosscheck_judgement_identity();
DROP FUNCTION IF EXISTS crosscheck_audit_append_only();
DROP FUNCTION IF EXISTS crosscheck_audit_identity();
ALTER TABLE link ALTER COLUMN analyst DROP DEFAULT;
ALTER TABLE audit ALTER COLUMN analyst DROP DEFAULT;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_UPGRADE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_DOWNGRADE)
