"""Server-rendered dashboard pages: one router per area, all on the read models of `web.views`."""

from fastapi import APIRouter

from robotwork.web.pages import (
    audit,
    auth,
    dashboard,
    datasets,
    exports,
    facts,
    graph,
    integrity,
    lenses,
    lists,
    live,
    upload,
)

pages_router = APIRouter(include_in_schema=False)
for _area in (auth, dashboard, lenses, lists, integrity, graph, exports, datasets, upload, live, audit):
    pages_router.include_router(_area.router)
pages_router.include_router(facts.router)
