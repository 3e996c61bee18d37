"""PostgreSQL tally: a version of the gazetteer (places and their aliases), kept by triggers

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 14:30:00

A free word that names a place finds the place's claims (``search.places``), so
every filter compiled reads the whole gazetteer — about 5,000 names at the
benchmark's size, 50–300 ms on PostgreSQL on the shared machine — and keys each
name again. ``crosscheck_tally`` (migration 0010) gains a row ``places`` that
grows with every statement changing ``place`` or ``place_alias``; while it stays
the same, the names read before are used again (``search.places``), as the
source names are (the ``sources`` row).

SQLite: nothing.
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_UPGRADE = """
INSERT INTO crosscheck_tally (name, value) VALUES ('places', 0);

CREATE OR REPLACE FUNCTION crosscheck_tally_places() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE crosscheck_tally SET value = value + 1 WHERE name = 'places';
    RETURN NULL;
END $$;
CREATE TRIGGER place_tally AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON place
    FOR EACH STATEMENT EXECUTE FUNCTION crosscheck_tally_places();
CREATE TRIGGER place_alias_tally AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON place_alias
    FOR EACH STATEMENT EXECUTE FUNCTION crosscheck_tally_places();
"""

_DOWNGRADE = """
DROP TRIGGER IF EXISTS place_alias_tally ON place_alias;
DROP TRIGGER IF EXISTS place_tally ON place;
DROP FUNCTION IF EXISTS crosscheck_tally_places();
DELETE FROM crosscheck_tally WHERE name = 'places';
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_UPGRADE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_DOWNGRADE)
