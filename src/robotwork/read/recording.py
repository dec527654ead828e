"""A recording, one shape for the API, the recordings list, robot pages and the integrity review.

Before this there were three (every column from `/api/v1/recordings`, the pages' row with local
times, and an upload still on its way in); `Recording` is their union, so no reader lost a key:
`start`/`end` are in the program's time zone, `start_ns`/`end_ns` as stored, and `state` says where
its upload stands (`counted` once stored). An upload not stored yet (or refused) is an `Upload`:
its id, robot, file name, state and error, nothing a stored recording would claim.
"""

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from robotwork.access import ReadScope
from robotwork.errors import UnknownRecord
from robotwork.policy import Policy
from robotwork.read.flag import Flag, flag_of
from robotwork.read.models import ReadModel
from robotwork.registry import models

COUNTED = "counted"  # the state of a stored recording (robotwork.ingest.jobs.COUNTED)


class Recording(ReadModel):
    """A stored recording with its flags."""

    recording_id: str
    robot_serial: str
    scenario_id: str | None = None
    site_id: str | None = None
    software_version: str | None = None
    source_name: str | None = None
    source_kind: str | None = None
    start_ns: int | None = None
    end_ns: int | None = None
    start: str | None = None
    end: str | None = None
    messages: int | None = None
    size_bytes: int | None = None
    joint_names: list[str] = []
    topics: dict[str, Any] = {}
    rows: dict[str, int] = {}
    ingested_at: str | None = None
    ingested_by: str | None = None
    content_digest: str | None = None
    files: list[str] = []
    flags: list[Flag] = []
    state: str | None = None


class RecordingList(ReadModel):
    """Recordings of the robots in the reader's scope, newest first."""

    rows: list[Recording]


class Upload(ReadModel):
    """Where an upload not stored yet stands, from its ingest job (the API route reads the job)."""

    recording_id: str
    robot_serial: str | None
    source_name: str
    state: str
    error: str | None


def local_time(ns: int, policy: Policy) -> str:
    """A time in ns as the pages show it: the program's time zone, to the minute."""
    return datetime.fromtimestamp(ns / 1e9, UTC).astimezone(policy.zone).isoformat(timespec="minutes")


def recording_of(
    rec: models.Recording, flags: list[models.Flag], policy: Policy, *, state: str | None = COUNTED
) -> Recording:
    """The read model of one stored recording with its flags."""
    return Recording(
        recording_id=rec.recording_id,
        robot_serial=rec.robot_serial,
        scenario_id=rec.scenario_id,
        site_id=rec.site_id,
        software_version=rec.software_version,
        source_name=rec.source_name,
        source_kind=rec.source_kind,
        start_ns=rec.start_ns,
        end_ns=rec.end_ns,
        start=local_time(rec.start_ns, policy),
        end=local_time(rec.end_ns, policy),
        messages=rec.messages,
        size_bytes=rec.size_bytes,
        joint_names=list(rec.joint_names or []),
        topics=dict(rec.topics or {}),
        rows=dict(rec.rows or {}),
        ingested_at=rec.ingested_at.isoformat() if rec.ingested_at else None,
        ingested_by=rec.ingested_by,
        content_digest=rec.content_digest,
        files=list(rec.files or []),
        flags=[flag_of(f, rec) for f in flags],
        state=state,
    )


def list_recordings(
    engine: Engine,
    policy: Policy,
    scope: ReadScope,
    *,
    robot: str | None = None,
    scenario: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Recording]:
    """Recordings of the robots in the scope (of one robot, of one scenario), newest first, each
    with its flags (cleared ones too)."""
    query = select(models.Recording).order_by(models.Recording.start_ns.desc(), models.Recording.recording_id)
    if scope.robots is not None:
        query = query.where(models.Recording.robot_serial.in_(sorted(scope.robots)))
    if robot:
        query = query.where(models.Recording.robot_serial == robot)
    if scenario:
        query = query.where(models.Recording.scenario_id == scenario)
    query = query.limit(limit).offset(offset)
    with Session(engine) as session:
        recs = list(session.scalars(query))
        flags: dict[str, list[models.Flag]] = defaultdict(list)
        ids = [r.recording_id for r in recs]
        for start in range(0, len(ids), 1000):  # bound the IN list on long lists
            chunk = ids[start : start + 1000]
            for f in session.scalars(select(models.Flag).where(models.Flag.recording_id.in_(chunk))):
                flags[f.recording_id].append(f)
        return [recording_of(r, sorted(flags[r.recording_id], key=lambda f: f.id), policy) for r in recs]


def recording_detail(
    engine: Engine, policy: Policy, scope: ReadScope, recording_id: str, upload: Upload | None
) -> Recording | Upload:
    """One recording of a robot in the scope with its flags, or (not stored yet) its upload's
    state; `UnknownRecord` when neither is there for this reader (out of scope reads the same)."""
    with Session(engine) as session:
        rec = session.get(models.Recording, recording_id)
        if rec is not None and scope.sees_robot(rec.robot_serial):
            flags = session.scalars(
                select(models.Flag).where(models.Flag.recording_id == recording_id).order_by(models.Flag.id)
            )
            return recording_of(rec, list(flags), policy, state=upload.state if upload else COUNTED)
    if rec is None and upload is not None and upload.robot_serial and scope.sees_robot(upload.robot_serial):
        return upload
    raise UnknownRecord(
        f"recording {recording_id}: not stored, or not yours to read", kind="recording", key=recording_id
    )


class RecordingState(ReadModel):
    """A recording, or an upload not stored yet, with where its ingest stands: a row of
    `robotwork recordings list`. Times are UTC to the second (an operator compares them with the
    files' own stamps); an upload not stored yet has its id, file name, state and who sent it, and
    nulls for what only storing tells."""

    recording_id: str | None
    robot_serial: str | None = None
    scenario_id: str | None = None
    site_id: str | None = None
    source_name: str | None = None
    source_kind: str | None = None
    start: str | None = None
    end: str | None = None
    messages: int = 0
    size_bytes: int | None = None
    rows: dict[str, int] = {}
    joint_names: list[str] = []
    topics: dict[str, Any] = {}
    software_version: str | None = None
    ingested_at: str | None = None
    ingested_by: str | None = None
    state: str = COUNTED


class RecordingStateList(ReadModel):
    """Uploads not stored yet (newest received first), then recordings (newest start first)."""

    rows: list[RecordingState]


class RecordingStateDetail(RecordingState):
    """One recording's state with its stored files and, in words, what it still lacks to count
    (the ingest's own check, which the CLI asks: `read` does not import `ingest`)."""

    files: list[str] = []
    missing: list[str] = []


def _utc(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, UTC).isoformat(timespec="seconds")


def recording_state_of(rec: models.Recording | None, job: models.IngestJob | None) -> RecordingState:
    """The state row of a recording and its ingest job (either may be missing, not both)."""
    if rec is None:
        assert job is not None, "a state row needs a recording or a job"
        return RecordingState(
            recording_id=job.recording_id, source_name=job.source_name, ingested_by=job.actor, state=job.state
        )
    return RecordingState(
        recording_id=rec.recording_id,
        robot_serial=rec.robot_serial,
        scenario_id=rec.scenario_id,
        site_id=rec.site_id,
        source_name=rec.source_name,
        source_kind=rec.source_kind,
        start=_utc(rec.start_ns),
        end=_utc(rec.end_ns),
        messages=rec.messages,
        size_bytes=rec.size_bytes,
        rows=dict(rec.rows or {}),
        joint_names=list(rec.joint_names or []),
        topics=dict(rec.topics or {}),
        software_version=rec.software_version,
        ingested_at=rec.ingested_at.isoformat(),
        ingested_by=rec.ingested_by,
        state=job.state if job else COUNTED,
    )


def recording_states(
    engine: Engine, scope: ReadScope, *, robot: str | None = None, state: str | None = None
) -> RecordingStateList:
    """Recordings of the robots in the scope and uploads not stored yet, with where each stands
    (of one robot, in one ingest state). An upload not stored yet names its robot only when the
    sender said it (`--robot`), so a reader limited to some robots sees only those uploads."""
    Job, Rec = models.IngestJob, models.Recording
    stored = select(Rec, Job).join(Job, Job.recording_id == Rec.recording_id, isouter=True)
    pending = select(Job).where(
        ~select(Rec.recording_id).where(Rec.recording_id == Job.recording_id).exists()
    )
    sender_robot = Job.overrides["robot_serial"].as_string()
    if scope.robots is not None:
        stored = stored.where(Rec.robot_serial.in_(sorted(scope.robots)))
        pending = pending.where(sender_robot.in_(sorted(scope.robots)))
    if robot:
        stored = stored.where(Rec.robot_serial == robot)
        pending = pending.where(sender_robot == robot)
    if state:
        stored = stored.where(func.coalesce(Job.state, COUNTED) == state)
        pending = pending.where(Job.state == state)
    with Session(engine) as session:
        rows = [
            recording_state_of(None, job) for job in session.scalars(pending.order_by(Job.received_at.desc()))
        ]
        rows += [
            recording_state_of(r, job) for r, job in session.execute(stored.order_by(Rec.start_ns.desc()))
        ]
    return RecordingStateList(rows=rows)


def recording_state(engine: Engine, scope: ReadScope, prefix: str) -> RecordingState:
    """The one recording or upload whose id starts with `prefix`, in the scope; `UnknownRecord`
    when none or more than one does (out of scope reads as none; an upload not stored yet is the
    robot's its sender named)."""
    Job, Rec = models.IngestJob, models.Recording
    with Session(engine) as session:
        found = {  # an upload not stored yet, or a recording that came in without a job (simulate)
            *session.scalars(select(Job.recording_id).where(Job.recording_id.startswith(prefix))),
            *session.scalars(select(Rec.recording_id).where(Rec.recording_id.startswith(prefix))),
        }
        rows = []
        for recording_id in sorted(found):
            rec, job = session.get(Rec, recording_id), session.get(Job, recording_id)
            serial = rec.robot_serial if rec else (job.overrides or {}).get("robot_serial") if job else None
            if scope.sees_robot(serial):
                rows.append(recording_state_of(rec, job))
    if len(rows) != 1:
        raise UnknownRecord(
            f"{prefix}: {'no' if not rows else 'more than one'} recording matches",
            kind="recording",
            key=prefix,
        )
    return rows[0]
