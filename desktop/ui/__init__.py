"""The Qt window of Crosscheck: widgets, models and actions over desktop.core."""
