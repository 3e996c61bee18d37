"""PostgreSQL word index: ``claim.search`` (tsvector written by Python) under a GIN index

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 13:00:00

Until now a free word on PostgreSQL was ``cc_fold(claim.text) LIKE '%word%'``:
a scan of every claim, and matches inside words that FTS5 on SQLite does not
make. This gives PostgreSQL a real index for the filter's words, with the same
meaning as SQLite's (``desktop.core.search.documents``):

- ``claim.search``: a ``tsvector`` of the words FTS5 sees in the claim's text
  (folded by ``text.fold`` and split as ``unicode61`` splits), with positions,
  computed in Python — the database cannot call it — and written as a literal;
- ``ix_claim_search``: GIN over it (words, prefixes and phrases), without
  GIN's pending list (``fastupdate = off``): with it, the words of an import
  wait in an unsorted list that every search reads through until a vacuum
  merges them, and the planner, rightly, stops using the index meanwhile (20,000
  claims imported: a scan of the table rather than a 0.1 ms index read). A write
  pays a little more instead;
- ``ix_claim_search_pending``: the claims still to be indexed (``search IS
  NULL``), a partial index that is empty between writes, so finding them
  before each commit costs nothing;
- a trigger that empties ``search`` whenever a claim's text changes and its
  writer did not set ``search`` in the same statement, so nothing — the store,
  a script in SQL — can leave a claim indexed with old words.

Existing claims are indexed here, in batches. The column is not part of the
SQLModel tables (``desktop/migrations/env.py`` leaves it to this migration).

SQLite: nothing — FTS5 (migration 0002) is its index.
"""

from __future__ import annotations

from alembic import op

from desktop.core.search.documents import fill_pending

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_UPGRADE = """
ALTER TABLE claim ADD COLUMN search tsvector;

CREATE OR REPLACE FUNCTION crosscheck_claim_words_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.text IS DISTINCT FROM OLD.text AND NEW.search IS NOT DISTINCT FROM OLD.search THEN
        NEW.search := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER claim_words_stale BEFORE UPDATE OF text ON claim
    FOR EACH ROW EXECUTE FUNCTION crosscheck_claim_words_stale();
"""

_INDEXES = """
CREATE INDEX ix_claim_search ON claim USING gin (search) WITH (fastupdate = off);
CREATE INDEX ix_claim_search_pending ON claim (id) WHERE search IS NULL;
"""

_DOWNGRADE = """
DROP TRIGGER IF EXISTS claim_words_stale ON claim;
DROP FUNCTION IF EXISTS crosscheck_claim_words_stale();
DROP INDEX IF EXISTS ix_claim_search_pending;
DROP INDEX IF EXISTS ix_claim_search;
ALTER TABLE claim DROP COLUMN IF EXISTS search;
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(_UPGRADE)
        fill_pending(bind)  # before the indexes: building GIN once beats updating it a claim at a time
        op.execute(_INDEXES)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_DOWNGRADE)
