"""Training datasets exported from the harvest: list and detail with their provenance."""

from typing import Any

from fastapi import APIRouter

from robotwork.datasets.manifest import list_datasets, show_dataset
from robotwork.web.deps import ServicesDep, UserDep

router = APIRouter(tags=["datasets"])


@router.get("/datasets")
def datasets(services: ServicesDep, _user: UserDep) -> dict[str, Any]:
    """Every exported dataset, newest first (`robotwork dataset list`)."""
    return {"rows": list_datasets(services.engine)}


@router.get("/datasets/{dataset_id}")
def dataset(dataset_id: str, services: ServicesDep, _user: UserDep) -> dict[str, Any]:
    """One dataset with its manifest: recordings and their SHA-256, filters, versions, counts."""
    return show_dataset(services.engine, dataset_id)
