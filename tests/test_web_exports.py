"""Dataset exports from the web: started as a background job with progress, refused outside the
reader's scope, downloaded as an archive that unpacks into a LeRobot root."""

import io
import json
import os
import subprocess
import tarfile
import time
from dataclasses import asdict
from pathlib import Path

from program_app import app, signed_in

from robotwork.web.exports import (
    _UNFINISHED_HERE,
    EXPORTS_DIR,
    INTERRUPTED,
    JOBS_DIR,
    ExportJob,
    ExportJobs,
)
from robotwork.web.session import COOKIE

__all__ = ["app"]  # the module's program, a fixture


def _csrf(client) -> str:
    return client.app.state.services.sessions.read(client.cookies[COOKIE]).csrf


def _finished(client, url: str) -> dict:
    deadline = time.monotonic() + 120
    while True:
        job = client.get(url + "?format=json").json()
        if job["state"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


def test_an_export_runs_in_the_background_and_downloads_as_an_archive(app):
    client = signed_in(app, "cgd")
    form = {"csrf_token": _csrf(client), "name": "totes", "model": "H1", "outcome": "success"}
    answer = client.post("/datasets/export", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/datasets/exports/")
    url = answer.headers["location"]
    assert 'id="export-job"' in client.get(url).text
    job = _finished(client, url)
    assert job["state"] == "done", job
    assert job["progress"] == 1.0 and job["frames_done"] == job["frames_total"] > 0 and job["episodes"] > 0
    [dataset_id] = job["dataset_ids"]
    card = client.get(f"/datasets/{dataset_id}?lang=en").text
    assert "Dataset card" in card and f"/datasets/{dataset_id}/archive" in card
    archive = client.get(f"/datasets/{dataset_id}/archive")
    assert archive.status_code == 200 and archive.headers["content-type"] == "application/gzip"
    with tarfile.open(fileobj=io.BytesIO(archive.content), mode="r:gz") as tar:
        names = tar.getnames()
    root = names[0].split("/")[0]
    assert f"{root}/meta/info.json" in names and any(n.endswith(".parquet") for n in names)
    assert signed_in(app, "cbj").get(f"/datasets/{dataset_id}/archive").status_code == 404  # not theirs
    assert signed_in(app, "gd").get(url + "?format=json").status_code == 404  # not their job


def test_an_export_outside_the_readers_scope_or_of_nothing_is_refused(app):
    client = signed_in(app, "cbj")
    answer = client.post("/datasets/export", data={"csrf_token": _csrf(client), "model": "H1"})
    assert answer.status_code == 422 and "outside your scope" in answer.text
    empty = client.post("/datasets/export", data={"csrf_token": _csrf(client), "outcome": "abort"})
    assert empty.status_code == 422 and "no task episodes" in empty.text
    bad_day = client.post("/datasets/export", data={"csrf_token": _csrf(client), "from": "30/11/2026"})
    assert bad_day.status_code == 422 and "not a date" in bad_day.text
    assert client.post("/datasets/export", data={"model": "H1"}).status_code == 403  # no CSRF token


def test_a_restarted_server_still_lists_and_serves_the_exports(app):
    client = signed_in(app, "cgd")
    form = {"csrf_token": _csrf(client), "name": "again", "model": "H1"}
    url = client.post("/datasets/export", data=form, follow_redirects=False).headers["location"]
    job = _finished(client, url)
    assert job["state"] == "done", job
    services, home = app.state.services, Path(app.state.settings.home)
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process that ran a job and is no more
    left = ExportJob("0123456789ab", "cgd", "cut", {"model": "H1"}, 3, state="running", pid=gone.pid)
    (home / JOBS_DIR / "0123456789ab.json").write_text(json.dumps(asdict(left)))
    partial = home / EXPORTS_DIR / ".cut-0123456789ab.partial-1234abcd"
    partial.mkdir(parents=True)
    restarted = ExportJobs(services.engine, services.store, services.policy, home)  # a new process's
    assert not partial.exists()  # the half-written folder it left is removed
    mine = {j.job_id: j for j in restarted.of("cgd")}
    assert mine[job["job_id"]].state == "done" and mine[job["job_id"]].dataset_ids == job["dataset_ids"]
    assert mine["0123456789ab"].state == "failed" and mine["0123456789ab"].error == INTERRUPTED
    assert restarted.of("cbj") == [] and restarted.read(job["job_id"], "gd") is None
    assert restarted.read("../../etc/passwd", "cgd") is None
    app.state.exports = restarted
    page = client.get("/harvest?lang=en").text
    assert 'id="export-jobs"' in page and f'data-job="{job["job_id"]}"' in page and "Your exports" in page
    assert client.get(url + "?format=json").json()["state"] == "done"
    [dataset_id] = job["dataset_ids"]
    assert client.get(f"/datasets/{dataset_id}/archive").status_code == 200


def test_a_job_with_our_pid_is_interrupted_only_when_this_process_is_not_running_it(app):
    services, home = app.state.services, Path(app.state.settings.home)
    job = ExportJob("abcdef012345", "cgd", "mine", {"model": "H1"}, 2, state="running", pid=os.getpid())
    (home / JOBS_DIR / f"{job.job_id}.json").write_text(json.dumps(asdict(job)))
    _UNFINISHED_HERE.add(job.job_id)  # run by this process (by another app's jobs, say)
    try:
        other = ExportJobs(services.engine, services.store, services.policy, home)
        assert other.read(job.job_id, "cgd").state == "running"
    finally:
        _UNFINISHED_HERE.discard(job.job_id)
    later = ExportJobs(services.engine, services.store, services.policy, home)  # our pid, given again
    assert later.read(job.job_id, "cgd").error == INTERRUPTED
