"""The harvest over the API: the episodes and hours in the reader's scope by task, robot model,
control mode and outcome (the `/harvest` page's read, `read.harvest`)."""

from datetime import date

from fastapi import APIRouter

from robotwork.read.harvest import Harvest, harvest
from robotwork.web.deps import DatasetsReader, ServicesDep

router = APIRouter(tags=["datasets"])


@router.get("/harvest")
def get_harvest(
    services: ServicesDep,
    scope: DatasetsReader,
    as_of: date | None = None,
    task: str | None = None,
    model: str | None = None,
    mode: str | None = None,
    outcome: str | None = None,
) -> Harvest:
    """What data exists to train on, narrowed by task, model, mode and outcome, and the
    `robotwork dataset export` options that select it."""
    day = as_of or services.today()
    return harvest(
        services.engine, services.policy, day, scope, task=task, model=model, mode=mode, outcome=outcome
    )
