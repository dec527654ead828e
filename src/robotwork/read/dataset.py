"""Training datasets exported from the harvest, read within the reader's robots.

A dataset is readable only when every recording it was made of is of a robot in the reader's
scope (`access.readable_datasets`): a dataset mixing in another's robot is not listed, and its
page answers as if it did not exist.
"""

from typing import Any

from sqlalchemy import Engine

from robotwork.access import ReadScope, readable_datasets
from robotwork.datasets.manifest import list_datasets, show_dataset
from robotwork.errors import UnknownRecord
from robotwork.read.models import ReadModel


class Dataset(ReadModel):
    """An export: selection, size, the recordings behind it (the full manifest on its own page);
    `scenarios` is `scenario_ids` as one line of text, for search."""

    dataset_id: str
    name: str
    path: str
    robot_model: str | None
    fps: int
    episodes: int
    frames: int
    recordings: int
    cameras: list[str]
    scenario_ids: list[str]
    scenarios: str
    filters: dict[str, Any]
    created_at: str | None
    created_by: str | None
    manifest: dict[str, Any] | None = None


class DatasetList(ReadModel):
    """Exports the reader may see, newest first."""

    rows: list[Dataset]


def _dataset(doc: dict[str, Any]) -> Dataset:
    return Dataset(**doc, scenarios=" ".join(doc["scenario_ids"]))


def datasets(engine: Engine, scope: ReadScope) -> DatasetList:
    """Every export the reader may see, newest first (`robotwork dataset list`)."""
    mine = readable_datasets(engine, scope)
    return DatasetList(rows=[_dataset(d) for d in list_datasets(engine) if d["dataset_id"] in mine])


def dataset(engine: Engine, scope: ReadScope, dataset_id: str) -> Dataset:
    """One export (by id or a unique prefix) with its manifest: recordings and their SHA-256,
    filters, versions, counts; `UnknownRecord` when it is not the reader's to read."""
    found = show_dataset(engine, dataset_id)
    if found["dataset_id"] not in readable_datasets(engine, scope):
        raise UnknownRecord(f"dataset {dataset_id}: not yours to read", kind="dataset", key=dataset_id)
    return _dataset(found)
