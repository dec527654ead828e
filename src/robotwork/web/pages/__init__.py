"""Server-rendered dashboard pages (filled in by `robotwork.web.pages.routes`)."""

from fastapi import APIRouter

pages_router = APIRouter(include_in_schema=False)
