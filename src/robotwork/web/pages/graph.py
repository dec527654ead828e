""" "How this connects": the graph page (the data is `graph_view`)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from robotwork.web.deps import ScopeDep, ServicesDep, UserDep
from robotwork.web.pages.render import LangDep, render
from robotwork.web.views import graph_view
from robotwork.web.views.scopes import readable_datasets, scoped_graph

router = APIRouter()


@router.get("/graph", response_class=HTMLResponse)
def graph(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    scope: ScopeDep,
    lang: LangDep,
    org: str | None = None,
) -> HTMLResponse:
    """One nominator in full with `?org=CODE`, else the first provinces' overview; robots and
    datasets only within the reader's scope."""
    data = graph_view(services.engine, org=org or None)
    data = scoped_graph(scope, data, readable_datasets(services.engine, scope))
    return render(request, services, "graph.html", lang=lang, user=user, nav="graph", data=data)
