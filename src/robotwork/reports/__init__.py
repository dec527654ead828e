"""Progress reports: the November homework of every province and central SOE, from evidence.

`render_progress_report` is the one entry point the CLI and the dashboard call; it renders the
read model of `robotwork.read.progress` and computes nothing, so a report says what the pages
and `robotwork metrics` print.
"""

from robotwork.reports.render import FORMATS, MEDIA_TYPES, render_progress_report

__all__ = ["FORMATS", "MEDIA_TYPES", "render_progress_report"]
