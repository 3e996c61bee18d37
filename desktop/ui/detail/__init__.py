"""The detail pane: the current claim in full, its edits, its form and its status block."""
