"""Training datasets: the harvest exported as LeRobot v3.0 datasets, with provenance (`export_dataset`)."""

from robotwork.datasets.export import ExportResult, export_dataset
from robotwork.datasets.manifest import list_datasets, show_dataset
from robotwork.datasets.selection import DatasetError, ExportFilters

__all__ = ["DatasetError", "ExportFilters", "ExportResult", "export_dataset", "list_datasets", "show_dataset"]
