"""The window's dialogs: add a claim, create or edit a source, pick or create a place, ask for a
link's rationale, record a request for comment.

Every dialog is driven from the keyboard (Tab order follows the form, Enter
accepts, Esc cancels), shows workspace text as plain text, and reports a refused
write inline — the dialog stays open and nothing was written.
"""
