"""The datasets page: every training dataset exported from the harvest, with its provenance."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from robotwork.read.dataset import Dataset, dataset
from robotwork.read.lists import dataset_list
from robotwork.web.deps import ScopeDep, ServicesDep, UserDep
from robotwork.web.list_params import ListDep
from robotwork.web.pages.lists import answer, listed
from robotwork.web.pages.render import LangDep, render_record

router = APIRouter()


@router.get("/datasets", response_model=None)
def datasets_page(
    request: Request, services: ServicesDep, user: UserDep, scope: ScopeDep, lang: LangDep, listing: ListDep
) -> Response:
    """Exports the reader may see, newest first: selection, size, recordings behind them, the
    command to load them; searched, sorted and paged (``format=json`` for the JSON twin)."""
    data = listed(lambda: dataset_list(services.engine, scope, listing))
    return answer(request, services, "datasets.html", lang=lang, user=user, nav="datasets", data=data)


@router.get("/datasets/{dataset_id}", response_class=HTMLResponse)
def dataset_page(
    request: Request, dataset_id: str, services: ServicesDep, user: UserDep, scope: ScopeDep, lang: LangDep
) -> Response:
    """One export's provenance: every recording (SHA-256) behind it, its files, cameras, versions."""

    def load() -> Dataset:
        return dataset(services.engine, scope, dataset_id)

    return render_record(request, services, "dataset.html", load, lang=lang, user=user, nav="datasets")
