"""Widgets shared by the pane and the dialogs: field editors, lists, searching pickers."""
