"""Compliance and metrics: the same services the CLI and the pages use."""

from datetime import date
from enum import Enum
from typing import Any

from fastapi import APIRouter

from robotwork.compliance import compute_compliance
from robotwork.evidence.metrics import metrics
from robotwork.web.deps import FiguresReader, ServicesDep

router = APIRouter(tags=["figures"])


class Level(str, Enum):  # noqa: UP042 - FastAPI documents str enums as choices
    """Levels of the metrics."""

    robot = "robot"
    scenario = "scenario"
    province = "province"
    national = "national"


@router.get("/compliance")
def compliance(
    services: ServicesDep, _scope: FiguresReader, as_of: date | None = None, org: str | None = None
) -> dict[str, Any]:
    """Compliance of every province and central SOE (or one) as of a date (default today)."""
    return compute_compliance(services.engine, services.policy, as_of or services.today(), org).to_json()


@router.get("/metrics/{by}")
def metrics_by(
    by: Level, services: ServicesDep, scope: FiguresReader, as_of: date | None = None
) -> dict[str, Any]:
    """Verified figures by robot (the robots in the reader's scope), scenario, province or
    national, over the trailing window."""
    out = metrics(services.engine, services.policy, as_of or services.today(), by.value)
    if by is Level.robot:
        out["rows"] = scope.robot_rows(out["rows"])
    return out
