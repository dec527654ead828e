"""Read models of the dashboard: plain functions from the registry and policy to page data.

UI-free (no language, no HTML) so the pages and the REST API serve the same dicts; every figure
in them comes from `robotwork.evidence.metrics` or `robotwork.compliance`, never recomputed.
"""
