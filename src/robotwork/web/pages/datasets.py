"""The datasets page: every training dataset exported from the harvest, with its provenance."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from robotwork.datasets.manifest import list_datasets, show_dataset
from robotwork.web.deps import ServicesDep, UserDep
from robotwork.web.pages.render import LangDep, render, render_record

router = APIRouter()


@router.get("/datasets", response_class=HTMLResponse)
def datasets(request: Request, services: ServicesDep, user: UserDep, lang: LangDep) -> HTMLResponse:
    """Exports, newest first: selection, size, recordings behind them, the command to load them."""
    data = {"datasets": list_datasets(services.engine)}
    return render(request, services, "datasets.html", lang=lang, user=user, nav="datasets", data=data)


@router.get("/datasets/{dataset_id}", response_class=HTMLResponse)
def dataset(
    request: Request, dataset_id: str, services: ServicesDep, user: UserDep, lang: LangDep
) -> HTMLResponse:
    """One export's provenance: every recording (SHA-256) behind it, its files, cameras, versions."""

    def load() -> dict[str, Any]:
        return show_dataset(services.engine, dataset_id)

    return render_record(request, services, "dataset.html", load, lang=lang, user=user, nav="datasets")
