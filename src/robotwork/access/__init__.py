"""Who may write and read what: the role matrix (`rules`) and the checks that apply it.

One rule set for the REST API, the pages and imports: `writes` decides whose rows an import or
upload touches, `reads` which robots' evidence a principal sees. The ministry reaches all; an
officer writes its own organization's rows and reads its own robots' evidence; a consortium
member uploads for and reads its consortium's robots; a device token uploads its own robot's
recordings and reads their results.
"""

from robotwork.access.reads import (
    ReadScope,
    consortium_robots,
    read_scope,
    readable_datasets,
    scoped_graph,
    scoped_rows,
)
from robotwork.access.rules import READS, ROLES, WRITES, Reach, matrix_markdown, reach, role_of
from robotwork.access.writes import (
    import_guard,
    may_clear_flags,
    may_import,
    may_submit,
    may_upload_recording,
)

__all__ = [
    "READS",
    "ROLES",
    "WRITES",
    "ReadScope",
    "Reach",
    "consortium_robots",
    "import_guard",
    "may_clear_flags",
    "may_import",
    "may_submit",
    "may_upload_recording",
    "matrix_markdown",
    "reach",
    "read_scope",
    "readable_datasets",
    "role_of",
    "scoped_graph",
    "scoped_rows",
]
