"""Reading and writing workspaces as files: the JSON interchange format (docs/formats.md) and CSV.

- ``import_json(engine, data, analyst=…) -> ImportReport``: all or nothing; a
  document with any problem raises ``ImportErrors`` listing every problem with
  its JSON path, and writes nothing.
- ``export_json(engine) -> bytes``: the canonical document; export → import into
  an empty workspace → export gives the same bytes.
- ``export_csv(engine) -> bytes``: the claims as a spreadsheet-safe CSV.

Import rules beyond the format itself (see ``json_validate``): unknown keys are
errors; ``null`` means absent for optional fields; ids already in the workspace
are errors, while references may name entities already in the workspace;
timestamps may carry an offset and are stored in UTC to the second; documents
over 1 GiB are refused (an import needs about ten times the document's size in
memory).
"""

from desktop.core.interchange.csv_export import export_csv
from desktop.core.interchange.json_export import export_document, export_json
from desktop.core.interchange.json_import import MAX_DOCUMENT_BYTES, ImportErrors, ImportReport, import_json
from desktop.core.interchange.json_validate import Problem

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "ImportErrors",
    "ImportReport",
    "Problem",
    "export_csv",
    "export_document",
    "export_json",
    "import_json",
]
