"""The main window: composition, menus, status bar and remembered settings."""
