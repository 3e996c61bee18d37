"""Reports in: from pasted text and from files, by their content (DESIGN §4 ``import``).

No Qt here: the window and the command line both call these.

- ``drafts``: ``ReportDraft`` (what one report will be) and the text rules shared
  by every reader (size limits, line endings, titles, the URL in pasted text);
- ``sniff``: which kind a file is, from its content (an interchange document, a
  Telegram Desktop channel export, an RSS/Atom feed, an HTML page, plain text);
- ``html``, ``telegram``, ``feeds``: one reader per kind, each turning bytes into
  drafts or raising ``CaptureError`` with a one-line reason;
- ``files``: reading a file whole (size limits first) and importing it into a
  workspace, all or nothing.
"""

from desktop.core.capture.drafts import CaptureError, ReportDraft, draft_from_paste
from desktop.core.capture.files import ImportedFile, import_file, read_reports

__all__ = ["CaptureError", "ImportedFile", "ReportDraft", "draft_from_paste", "import_file", "read_reports"]
