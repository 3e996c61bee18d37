"""Crosscheck: claims, sources and corroboration for analysts."""
