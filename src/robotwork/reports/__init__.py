"""Progress reports: the November homework of every province and central SOE, from evidence.

`render_progress_report` is the one entry point the CLI and the dashboard call; the figures come
from `compliance` and `evidence.metrics`, so a report says what `robotwork metrics` prints.
"""

from robotwork.reports.render import FORMATS, MEDIA_TYPES, render_progress_report

__all__ = ["FORMATS", "MEDIA_TYPES", "render_progress_report"]
