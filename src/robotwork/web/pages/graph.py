""" "How this connects": the graph page (the data is `graph_view`)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from robotwork.access import readable_datasets, scoped_graph
from robotwork.web.deps import ScopeDep, ServicesDep, UserDep
from robotwork.web.pages.render import AsOfDep, LangDep, render
from robotwork.web.views import graph_view
from robotwork.web.views.graph import leading_provinces

router = APIRouter()


@router.get("/graph", response_class=HTMLResponse)
def graph(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    scope: ScopeDep,
    lang: LangDep,
    as_of: AsOfDep,
    org: str | None = None,
) -> HTMLResponse:
    """One nominator in full with `?org=CODE`, else the overview of the provinces with the most
    verified robots; robots and datasets only within the reader's scope."""
    overview = None if org else leading_provinces(services.engine, services.policy, as_of)
    data = graph_view(services.engine, org=org or None, overview=overview)
    data = scoped_graph(scope, data, readable_datasets(services.engine, scope))
    return render(request, services, "graph.html", lang=lang, user=user, nav="graph", data=data)
