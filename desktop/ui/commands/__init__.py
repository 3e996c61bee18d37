"""The window's commands: the keymap, the QActions built from it, and what each command does."""
