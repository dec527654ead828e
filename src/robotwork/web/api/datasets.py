"""Training datasets exported from the harvest: list and detail with their provenance, each only
for a reader whose scope holds every robot the dataset was made of."""

from fastapi import APIRouter

from robotwork.read.dataset import Dataset, DatasetList, dataset, datasets
from robotwork.web.deps import DatasetsReader, ServicesDep

router = APIRouter(tags=["datasets"])


@router.get("/datasets")
def get_datasets(services: ServicesDep, scope: DatasetsReader) -> DatasetList:
    """Every exported dataset the reader may see, newest first (`robotwork dataset list`)."""
    return datasets(services.engine, scope)


@router.get("/datasets/{dataset_id}")
def get_dataset(dataset_id: str, services: ServicesDep, scope: DatasetsReader) -> Dataset:
    """One dataset with its manifest: recordings and their SHA-256, filters, versions, counts."""
    return dataset(services.engine, scope, dataset_id)
