"""The audit page: every write and login, for the ministry (the same rows as `robotwork audit`)."""

from datetime import UTC, date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from robotwork.registry.audit import list_events
from robotwork.web.deps import AuditReader, ServicesDep, UserDep
from robotwork.web.pages.render import LangDep, render

router = APIRouter()


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    _scope: AuditReader,
    lang: LangDep,
    actor: str | None = None,
    action: str | None = None,
    since: date | None = None,
) -> HTMLResponse:
    """The newest events first, filtered by who, what and since when."""
    start = datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None
    events = list_events(services.engine, since=start, actor=actor or None, action=action or None)
    filters = {"actor": actor, "action": action, "since": since.isoformat() if since else None}
    data = {"events": events, "filters": filters}
    return render(request, services, "audit.html", lang=lang, user=user, nav="audit", data=data)
