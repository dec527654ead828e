"""Progress reports for download: the same documents as `robotwork report progress`."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from robotwork.reports import MEDIA_TYPES, render_progress_report
from robotwork.web.deps import FiguresReader, ServicesDep

router = APIRouter(tags=["reports"])


@router.get(
    "/reports/progress/{org}",
    response_class=Response,
    responses={200: {"description": "The report", "content": {"application/pdf": {}, "text/html": {}}}},
)
def progress_report(
    org: str,
    services: ServicesDep,
    _scope: FiguresReader,
    lang: Annotated[str, Query(pattern="^(zh|en)$")] = "zh",
    fmt: Annotated[str, Query(alias="format", pattern="^(pdf|html)$")] = "pdf",
    as_of: date | None = None,
) -> Response:
    """An organization's progress report (or `national`), PDF or HTML, in Chinese or English."""
    day = as_of or services.today()
    body = render_progress_report(
        services.engine,
        services.policy,
        org=None if org == "national" else org,
        as_of=day,
        lang=lang,
        fmt=fmt,
    )
    name = f"progress-{org}-{day.isoformat()}-{lang}.{fmt}"
    return Response(
        body, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
