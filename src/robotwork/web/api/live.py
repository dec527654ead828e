"""Live fleet status: ``GET /api/v1/live`` and its server-sent event stream (read as robots are)."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from robotwork.live.view import live_view
from robotwork.read.live import LiveRobotDetail, LiveView, live_robot
from robotwork.read.live import live as live_now
from robotwork.web.deps import RobotsReader, ServicesDep

router = APIRouter(tags=["live"])
STREAM_EVERY_S = 1.0
STREAM_FOR_S = 600.0  # a long-lived request is cut now and then, so no connection lives forever
Filter = Annotated[str | None, Query(max_length=64)]


@router.get("/live")
def live(
    services: ServicesDep,
    scope: RobotsReader,
    province: Filter = None,
    scenario: Filter = None,
    state: Filter = None,
) -> LiveView:
    """Every robot's live status (``robots``), counts by status, province and scenario
    (``counts``) and open alerts; filter by province code, scenario id and status. Robots are
    read as robot pages are (the role rule set's ``robots``): those in the reader's scope."""
    return live_now(services.engine, scope, province=province, scenario=scenario, state=state)


# Not an operation of the OpenAPI document: a stream that a generic client would read forever.
@router.get("/live/stream", include_in_schema=False)
async def live_stream(
    request: Request,
    services: ServicesDep,
    scope: RobotsReader,
    province: Filter = None,
    scenario: Filter = None,
    state: Filter = None,
) -> StreamingResponse:
    """The same answer as ``/live``, sent as a server-sent event each time it changes. The stream
    ends after `STREAM_FOR_S`; browsers' EventSource opens it again by itself (``retry``)."""
    view = partial(
        live_view, services.engine, province=province, scenario=scenario, state=state, robots=scope.robots
    )
    first = await run_in_threadpool(view)  # a bad filter is refused here, before the stream starts

    async def events() -> AsyncIterator[str]:
        data: dict[str, Any] | None = first
        last = ""
        yield "retry: 2000\n\n"
        ends = time.monotonic() + STREAM_FOR_S
        while time.monotonic() < ends and not await request.is_disconnected():
            if data is None:
                data = await run_in_threadpool(view)
            text = json.dumps(data, ensure_ascii=False)
            if text != last:
                last = text
                yield f"event: live\ndata: {text}\n\n"
            data = None
            await asyncio.sleep(STREAM_EVERY_S)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


# after /live/stream, which would otherwise read as a serial
@router.get("/live/{serial}")
def live_one(serial: str, services: ServicesDep, scope: RobotsReader) -> LiveRobotDetail:
    """One robot's live status, its open alerts and its history: hours online and working over
    the last 7 days, and its changes of the last 24 h."""
    return live_robot(services.engine, services.store.files, scope, serial)  # out of scope: 404 too
