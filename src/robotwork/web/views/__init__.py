"""Read models of the dashboard: plain functions from the registry and policy to page data.

UI-free (no language, no HTML) so the pages and the REST API serve the same dicts; every figure
in them comes from `robotwork.evidence.metrics` or `robotwork.compliance`, never recomputed.
"""

from robotwork.access import import_guard, may_import, may_upload_recording
from robotwork.web.views.graph import graph_view
from robotwork.web.views.integrity import clear_flag_as, integrity_view
from robotwork.web.views.lists import robot_list, scenario_list
from robotwork.web.views.robot import robot_view

__all__ = [
    "clear_flag_as",
    "graph_view",
    "import_guard",
    "integrity_view",
    "may_import",
    "may_upload_recording",
    "robot_list",
    "robot_view",
    "scenario_list",
]
