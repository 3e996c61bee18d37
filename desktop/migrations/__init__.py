"""Alembic migrations of the workspace schema (run by desktop.core.db.upgrade)."""
