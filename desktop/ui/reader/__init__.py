"""The capture side of the window: the reader pane, the reports list, claims from spans, related claims.

- ``pane``: ``ReaderPane``, a report's text (plain text only) with keyboard
  selection by sentence and paragraph and the captured spans highlighted;
- ``reports``: the reports list (search, open, edit, delete) and the report form;
- ``originator``: choosing the source a report quotes, by name guessed from the passage or typed;
- ``related``: ``RelatedList``, the suggestions of related claims with one key to link or dismiss;
- ``commands``: ``CaptureCommands``, the named commands that tie them to the window.
"""
