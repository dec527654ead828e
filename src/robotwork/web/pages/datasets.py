"""The datasets page: every training dataset exported from the harvest, with its provenance."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from robotwork.datasets.manifest import list_datasets
from robotwork.web.deps import ServicesDep, UserDep
from robotwork.web.pages.render import LangDep, render

router = APIRouter()


@router.get("/datasets", response_class=HTMLResponse)
def datasets(request: Request, services: ServicesDep, user: UserDep, lang: LangDep) -> HTMLResponse:
    """Exports, newest first: selection, size, recordings behind them, the command to load them."""
    data = {"datasets": list_datasets(services.engine)}
    return render(request, services, "datasets.html", lang=lang, user=user, nav="datasets", data=data)
