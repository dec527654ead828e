"""Training datasets exported from the harvest (the export itself comes with a later issue)."""

from typing import Any

from fastapi import APIRouter

from robotwork.web.deps import UserDep

router = APIRouter(tags=["datasets"])


@router.get("/datasets")
def list_datasets(_user: UserDep) -> dict[str, Any]:
    """Exported datasets; none can be exported yet, so the list is empty."""
    return {"rows": []}
