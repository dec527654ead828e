"""The REST API under /api/v1: one router per resource, all on the same services as the pages."""

from fastapi import APIRouter

api_router = APIRouter()
