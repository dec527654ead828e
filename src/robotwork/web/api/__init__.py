"""The REST API under /api/v1: one router per resource, all on the same services as the pages."""

from fastapi import APIRouter

from robotwork.web.api import (
    audit,
    datasets,
    figures,
    flags,
    harvest,
    live,
    recordings,
    registry,
    reports,
    robots,
)
from robotwork.web.api.errors import REFUSALS

api_router = APIRouter()
for module in (registry, figures, robots, recordings, flags, reports, datasets, harvest, live, audit):
    api_router.include_router(module.router, responses=REFUSALS)
