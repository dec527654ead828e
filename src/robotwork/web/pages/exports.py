"""Exports from the web: start one (a background job, `web.exports`), follow its progress, and
download a finished dataset as an archive. Only datasets and selections made of robots in the
reader's scope, as every other dataset read."""

import threading
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from robotwork.access import readable_datasets
from robotwork.datasets.manifest import show_dataset
from robotwork.datasets.selection import ExportFilters
from robotwork.errors import RobotworkError, UnknownRecord
from robotwork.web.deps import ScopeDep, ServicesDep, UserDep
from robotwork.web.exports import ExportJobs, dataset_archive
from robotwork.web.pages.render import LangDep, not_found, render

router = APIRouter()
_START = threading.Lock()


def export_jobs(request: Request) -> ExportJobs:
    """The process's export jobs (made on first use, kept on the app)."""
    with _START:
        jobs = getattr(request.app.state, "exports", None)
        if jobs is None:
            services = request.app.state.services
            home = request.app.state.settings.home
            jobs = ExportJobs(services.engine, services.store, services.policy, Path(home))
            request.app.state.exports = jobs
        return jobs


def _day(text: str | None) -> date | None:
    """A form's day (YYYY-MM-DD), or None when left empty."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RobotworkError(f"{text!r}: not a date (YYYY-MM-DD)") from None


@router.post("/datasets/export", response_model=None)
def start_export(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    scope: ScopeDep,
    lang: LangDep,
    name: Annotated[str | None, Form(max_length=120)] = None,
    scenario: Annotated[str | None, Form(max_length=64)] = None,
    model: Annotated[str | None, Form(max_length=120)] = None,
    mode: Annotated[str | None, Form(max_length=32)] = None,
    outcome: Annotated[str | None, Form(max_length=32)] = None,
    robot: Annotated[str | None, Form(max_length=64)] = None,
    day_from: Annotated[str | None, Form(alias="from", max_length=10)] = None,
    day_to: Annotated[str | None, Form(alias="to", max_length=10)] = None,
) -> Response:
    """Check the selection and start its export in the background; then follow it."""
    try:
        filters = ExportFilters(
            scenario=scenario or None,
            robot=robot or None,
            model=model or None,
            mode=mode or None,
            outcome=outcome or None,
            date_from=_day(day_from),
            date_to=_day(day_to),
        )
        job = export_jobs(request).start(scope, filters, name)
    except RobotworkError as exc:
        context = {"message": str(exc), "heading": "export.refused", "back": "/harvest"}
        return render(request, services, "error.html", lang=lang, user=user, status=422, **context)
    return RedirectResponse(f"/datasets/exports/{job.job_id}", status_code=303)


@router.get("/datasets/exports/{job_id}", response_model=None)
def export_progress(
    request: Request, job_id: str, services: ServicesDep, user: UserDep, lang: LangDep
) -> Response:
    """One export of the reader's: its progress (the page reloads itself until the job ends), or
    with ``format=json`` the job as JSON."""
    job = export_jobs(request).read(job_id, user.name)
    if job is None:
        missing = UnknownRecord(f"export {job_id!r}: not one of yours", kind="export", key=job_id)
        return not_found(request, services, lang, user, missing)
    if request.query_params.get("format") == "json":
        return JSONResponse(job.to_json())
    return render(request, services, "export.html", lang=lang, user=user, nav="datasets", data=job.to_json())


@router.get("/datasets/{dataset_id}/archive", response_model=None)
def download(
    request: Request, dataset_id: str, services: ServicesDep, user: UserDep, scope: ScopeDep, lang: LangDep
) -> Response:
    """The dataset folder as a .tar.gz that unpacks into a LeRobot root."""
    try:
        found = show_dataset(services.engine, dataset_id)
    except UnknownRecord as exc:
        return not_found(request, services, lang, user, exc)
    if (
        found["dataset_id"] not in readable_datasets(services.engine, scope)
        or not Path(found["path"]).is_dir()
    ):
        missing = UnknownRecord(
            f"dataset {dataset_id}: not yours to read, or not on disk", kind="dataset", key=dataset_id
        )
        return not_found(request, services, lang, user, missing)
    home = Path(request.app.state.settings.home)
    archive = dataset_archive(home, found["dataset_id"], Path(found["path"]))
    filename = f"{Path(found['path']).name}.tar.gz"
    return FileResponse(archive, media_type="application/gzip", filename=filename)
