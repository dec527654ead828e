""" "How this connects": the graph page (the data is `read.graph.graph`)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from robotwork.read.graph import graph as graph_view
from robotwork.web.deps import ScopeDep, ServicesDep, UserDep
from robotwork.web.pages.render import AsOfDep, LangDep, render

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
) -> Response:
    """One nominator in full with `?org=CODE`, else the overview of the provinces with the most
    verified robots; robots and datasets only within the reader's scope."""
    data = graph_view(services.engine, services.policy, as_of, scope, org=org or None)
    return render(request, services, "graph.html", lang=lang, user=user, nav="graph", data=data)
