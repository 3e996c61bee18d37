"""The window's history: the current claim's changes in words (``panel``)."""
