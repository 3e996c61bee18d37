"""Outputs that need Qt: the brief as PDF (Qt's own PDF writer)."""
