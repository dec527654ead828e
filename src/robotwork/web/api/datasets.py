"""Training datasets exported from the harvest: list and detail with their provenance, each only
for a reader whose scope holds every robot the dataset was made of."""

from typing import Any

from fastapi import APIRouter

from robotwork.access import readable_datasets
from robotwork.datasets.manifest import list_datasets, show_dataset
from robotwork.errors import UnknownRecord
from robotwork.web.deps import DatasetsReader, ServicesDep

router = APIRouter(tags=["datasets"])


@router.get("/datasets")
def datasets(services: ServicesDep, scope: DatasetsReader) -> dict[str, Any]:
    """Every exported dataset the reader may see, newest first (`robotwork dataset list`)."""
    mine = readable_datasets(services.engine, scope)
    return {"rows": [d for d in list_datasets(services.engine) if d["dataset_id"] in mine]}


@router.get("/datasets/{dataset_id}")
def dataset(dataset_id: str, services: ServicesDep, scope: DatasetsReader) -> dict[str, Any]:
    """One dataset with its manifest: recordings and their SHA-256, filters, versions, counts."""
    found = show_dataset(services.engine, dataset_id)
    if found["dataset_id"] not in readable_datasets(services.engine, scope):
        raise UnknownRecord(f"dataset {dataset_id}: not yours to read")
    return found
