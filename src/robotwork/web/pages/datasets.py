"""The datasets page: every training dataset exported from the harvest, with its provenance."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from robotwork.access import readable_datasets
from robotwork.datasets.manifest import list_datasets, show_dataset
from robotwork.errors import UnknownRecord
from robotwork.web.deps import ScopeDep, ServicesDep, UserDep
from robotwork.web.pages.lists import answer
from robotwork.web.pages.render import LangDep, render_record
from robotwork.web.views.listing import ListDep, list_page

router = APIRouter()
DATASET_SEARCH = ("dataset_id", "name", "robot_model", "scenarios")
DATASET_SORT = ("name", "robot_model", "episodes", "frames", "created_at")


@router.get("/datasets", response_model=None)
def datasets(
    request: Request, services: ServicesDep, user: UserDep, scope: ScopeDep, lang: LangDep, listing: ListDep
) -> Response:
    """Exports the reader may see, newest first: selection, size, recordings behind them, the
    command to load them; searched, sorted and paged (``format=json`` for the JSON twin)."""
    mine = readable_datasets(services.engine, scope)
    rows = [
        dict(d, scenarios=" ".join(d["scenario_ids"]))
        for d in list_datasets(services.engine)
        if d["dataset_id"] in mine
    ]
    data = list_page(rows, listing, search=DATASET_SEARCH, sortable=DATASET_SORT)
    data["datasets"] = data["rows"]
    return answer(request, services, "datasets.html", lang=lang, user=user, nav="datasets", data=data)


@router.get("/datasets/{dataset_id}", response_class=HTMLResponse)
def dataset(
    request: Request, dataset_id: str, services: ServicesDep, user: UserDep, scope: ScopeDep, lang: LangDep
) -> HTMLResponse:
    """One export's provenance: every recording (SHA-256) behind it, its files, cameras, versions."""

    def load() -> dict[str, Any]:
        found = show_dataset(services.engine, dataset_id)
        if found["dataset_id"] not in readable_datasets(services.engine, scope):
            raise UnknownRecord(f"dataset {dataset_id}: not yours to read")
        return found

    return render_record(request, services, "dataset.html", load, lang=lang, user=user, nav="datasets")
