"""Live updates: changes committed elsewhere reach the open window (DESIGN §7)."""
