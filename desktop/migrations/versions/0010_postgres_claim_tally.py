"""PostgreSQL tally: the number of claims and a version of the source table, kept by triggers

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 13:30:00

``crosscheck_tally`` (name, value) holds two rows, kept by statement-level
triggers in the writing transaction itself (``desktop.core.read.tally`` says why):

- ``claims``: the number of claims (inserted rows added, deleted rows taken
  away, TRUNCATE zero), so opening the table counts nothing;
- ``sources``: a number that grows with every statement that changes the source
  table, so a filter's source names are folded again only when they may have
  changed (``search.sources``; SQLite has ``PRAGMA data_version`` for that).

The trigger functions run with the owner's rights, so team roles only read the
table (granted here if ``crosscheck team init`` already ran; ``team init`` grants
no more on it).

SQLite: nothing.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_UPGRADE = """
CREATE TABLE crosscheck_tally (name text PRIMARY KEY, value bigint NOT NULL);
INSERT INTO crosscheck_tally (name, value) SELECT 'claims', count(*) FROM claim;
INSERT INTO crosscheck_tally (name, value) VALUES ('sources', 0);

CREATE OR REPLACE FUNCTION crosscheck_tally_claims() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE crosscheck_tally SET value = value + (SELECT count(*) FROM added) WHERE name = 'claims';
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE crosscheck_tally SET value = value - (SELECT count(*) FROM removed) WHERE name = 'claims';
    ELSE
        UPDATE crosscheck_tally SET value = 0 WHERE name = 'claims';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER claim_tally_insert AFTER INSERT ON claim REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION crosscheck_tally_claims();
CREATE TRIGGER claim_tally_delete AFTER DELETE ON claim REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION crosscheck_tally_claims();
CREATE TRIGGER claim_tally_truncate AFTER TRUNCATE ON claim
    FOR EACH STATEMENT EXECUTE FUNCTION crosscheck_tally_claims();

CREATE OR REPLACE FUNCTION crosscheck_tally_sources() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE crosscheck_tally SET value = value + 1 WHERE name = 'sources';
    RETURN NULL;
END $$;
CREATE TRIGGER source_tally AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON source
    FOR EACH STATEMENT EXECUTE FUNCTION crosscheck_tally_sources();

DO $$
DECLARE role_name text;
BEGIN
    FOR role_name IN SELECT rolname FROM pg_roles
        WHERE rolname IN ('crosscheck_analyst', 'crosscheck_reviewer', 'crosscheck_admin')
    LOOP
        EXECUTE 'GRANT SELECT ON crosscheck_tally TO ' || quote_ident(role_name);
    END LOOP;
END $$;
"""

_DOWNGRADE = """
DROP TRIGGER IF EXISTS source_tally ON source;
DROP FUNCTION IF EXISTS crosscheck_tally_sources();
DROP TRIGGER IF EXISTS claim_tally_truncate ON claim;
DROP TRIGGER IF EXISTS claim_tally_delete ON claim;
DROP TRIGGER IF EXISTS claim_tally_insert ON claim;
DROP FUNCTION IF EXISTS crosscheck_tally_claims();
DROP TABLE IF EXISTS crosscheck_tally;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_UPGRADE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_DOWNGRADE)
