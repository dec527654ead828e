"""Ingest: one upload into the telemetry store exactly once, whole or not at all.

Order of work, and why: hash the bytes (the upload's identity, so a duplicate costs no decode);
claim the job in the registry (`robotwork.ingest.jobs`); stream the recording into this
attempt's staging area while checking every batch (times, robot); publish the files; only then
record the recording in the registry, with the job's new state. A crash at any point leaves
either nothing visible or whole files not yet in the registry, which the next attempt
overwrites with identical content and records. `robotwork.intake` runs the steps.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.errors import IngestError
from robotwork.ingest import jobs
from robotwork.ingest.readers import open_recording
from robotwork.policy import Policy
from robotwork.registry.db import writing
from robotwork.registry.models import Deployment, Recording, Robot, Scenario
from robotwork.store.layout import new_attempt
from robotwork.store.schema import CONTROL_MODE, IMAGES, JOINT_STATES, TOPICS, RecordingInfo, TableBatch
from robotwork.store.telemetry import TelemetryStore
from robotwork.store.writer import CommitResult

_HASH_BLOCK = 1 << 20
REQUIRED_TOPICS = {"/joint_states": JOINT_STATES, "/robotwork/control_mode": CONTROL_MODE}


@dataclass
class IngestResult:
    """The answer for one input; `to_json` is the ``--json`` contract."""

    path: str
    status: str  # ingested | duplicate | rejected | received (an upload queued) | error (a bug)
    recording_id: str | None = None
    robot_serial: str | None = None
    messages: int = 0
    error: str | None = None
    state: str | None = None  # the job's state (see robotwork.ingest.jobs) when it has one

    def to_json(self) -> dict[str, Any]:
        """The result object printed per input by ``robotwork ingest --json``."""
        return {
            "path": self.path,
            "status": self.status,
            "recording_id": self.recording_id,
            "robot_serial": self.robot_serial,
            "messages": self.messages,
            "error": self.error,
            "state": self.state,
        }


@dataclass(frozen=True)
class Overrides:
    """Identity given on the command line; it wins over what the file says."""

    robot_serial: str | None = None
    scenario_id: str | None = None
    start_ns: int | None = None


def content_hash(path: Path) -> str:
    """SHA-256 of an upload: a file's bytes, or a folder's files (relative names and bytes)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        with file.open("rb") as handle:
            while block := handle.read(_HASH_BLOCK):
                digest.update(block)
    return digest.hexdigest()


def _size(path: Path) -> int:
    return (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        if path.is_dir()
        else path.stat().st_size
    )


def _day_start_ns(day: date, policy: Policy) -> int:
    return int(datetime.combine(day, time.min, tzinfo=policy.zone).timestamp()) * 1_000_000_000


def _iso(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, UTC).isoformat(timespec="seconds")


class _TimeCheck:
    """Refuses times in the future or before the robot was built, naming the message."""

    def __init__(self, path: Path, earliest_ns: int, latest_ns: int) -> None:
        self.path, self.earliest_ns, self.latest_ns = path, earliest_ns, latest_ns
        self.seen: dict[str, int] = {}

    def check(self, tb: TableBatch) -> None:
        times = tb.batch.column("time_ns")
        offset = self.seen.get(tb.table, 0)
        self.seen[tb.table] = offset + len(times)
        if not len(times):
            return
        for mask, what in (
            (pc.greater(times, self.latest_ns), "is in the future"),
            (pc.less(times, self.earliest_ns), "is before the robot was built"),
        ):
            if pc.any(mask).as_py():
                first = pc.index(mask, True).as_py()
                raise IngestError(
                    f"{self.path}: {_where(tb, offset, first)}: time {_iso(times[first].as_py())} {what}"
                )


def _where(tb: TableBatch, offset: int, row: int) -> str:
    """A stored row as the refusal names it: message N of its topic, or camera frame N (all
    cameras counted together) and the camera, since camera topics are not fixed names."""
    if tb.table == IMAGES:
        return f"camera frame {offset + row} (camera {tb.batch.column('camera')[row].as_py()})"
    topic = next(t for t, table in TOPICS.items() if table == tb.table)
    return f"message {offset + row} on {topic}"


def _robot(session: Session, path: Path, serial: str | None) -> Robot:
    if not serial:
        raise IngestError(
            f"{path}: no robot serial: give --robot or put robot_serial in the "
            "recording's 'robotwork' metadata (or the bag's custom_data)"
        )
    robot = session.get(Robot, serial)
    if robot is None:
        raise IngestError(f"{path}: unknown robot {serial!r}: import it into the registry first")
    return robot


def _placement(
    session: Session, path: Path, serial: str, identity: dict[str, str], day: date
) -> tuple[str | None, str | None]:
    """Scenario and site: from the file or command line, else from the deployment on `day`."""
    scenario, site = identity.get("scenario_id") or None, identity.get("site_id") or None
    query = select(Deployment).where(Deployment.robot_serial == serial, Deployment.start_date <= day)
    for d in session.scalars(query.order_by(Deployment.start_date.desc())):
        if (d.end_date is None or d.end_date >= day) and scenario in (None, d.scenario_id):
            return d.scenario_id, site or d.site_id
    return scenario, site


def _missing_topics(path: Path, info: RecordingInfo) -> None:
    missing = [t for t in REQUIRED_TOPICS if info.topics.get(t, ("", 0))[1] == 0]
    if missing:
        found = ", ".join(f"{t} ({schema}, {n})" for t, (schema, n) in sorted(info.topics.items()))
        raise IngestError(
            f"{path}: no operating data: needs {' and '.join(missing)}; found {found or 'no messages'}"
        )


def _source_kind(path: Path) -> str:
    if path.is_dir():
        return "lerobot" if (path / "meta" / "info.json").exists() else "rosbag2"
    return "mcap"


def store_recording(
    engine: Engine,
    store: TelemetryStore,
    policy: Policy,
    path: Path,
    *,
    recording_id: str,
    claim: str,
    overrides: Overrides,
    actor: str,
    now_ns: int | None = None,
    on_rows: Callable[[int], None] | None = None,
    on_published: Callable[[], None] | None = None,
) -> IngestResult:
    """The step received -> stored of a job we hold: check and stream `path` into the store,
    publish its files, then write its registry row and the new state in one transaction.

    Refusals raise IngestError (or StoreError) with nothing published. Files are written under
    this attempt's own staging and published under names fixed by the recording id, with the
    same bytes whoever writes them, so a crash after publishing is finished by the next attempt
    writing them again; nothing here ever deletes a published file.
    """
    if not path.exists():
        raise IngestError(f"{path}: no such file or folder")
    with Session(engine) as session:
        recording = open_recording(path, start_ns=overrides.start_ns)
        identity = dict(recording.identity)
        if overrides.robot_serial:
            identity["robot_serial"] = overrides.robot_serial
        if overrides.scenario_id:
            identity["scenario_id"] = overrides.scenario_id
        robot = _robot(session, path, identity.get("robot_serial"))
        scenario = identity.get("scenario_id")
        if scenario and session.get(Scenario, scenario) is None:
            raise IngestError(f"{path}: unknown scenario {scenario!r}")
        serial, built_on = robot.serial, robot.built_on
    now = now_ns if now_ns is not None else datetime.now(UTC).timestamp() * 1e9
    checker = _TimeCheck(path, _day_start_ns(built_on, policy) if built_on else 0, int(now))
    with store.begin(recording_id, serial, attempt=new_attempt()) as writer:
        for tb in recording.batches():
            checker.check(tb)
            writer.write(tb)
            if on_rows:
                on_rows(tb.batch.num_rows)
        info = recording.info
        _missing_topics(path, info)
        committed = writer.commit()
    if on_published:
        on_published()
    _record(engine, path, recording_id, claim, serial, identity, info, committed, actor, policy)
    return IngestResult(str(path), "ingested", recording_id, serial, info.messages)


def _record(
    engine: Engine,
    path: Path,
    recording_id: str,
    claim: str,
    serial: str,
    identity: dict[str, str],
    info: RecordingInfo,
    committed: CommitResult,
    actor: str,
    policy: Policy,
) -> None:
    start, end = info.start_ns or 0, info.end_ns or 0
    day = datetime.fromtimestamp(start / 1e9, policy.zone).date()
    with writing(engine) as session:
        scenario, site = _placement(session, path, serial, identity, day)
        session.add(
            Recording(
                recording_id=recording_id,
                robot_serial=serial,
                scenario_id=scenario,
                site_id=site,
                software_version=identity.get("software_version"),
                source_name=path.name,
                source_kind=_source_kind(path),
                start_ns=start,
                end_ns=end,
                messages=info.messages,
                size_bytes=_size(path),
                joint_names=list(info.joint_names),
                topics={t: list(v) for t, v in info.topics.items()},
                rows=dict(committed.rows),
                files=sorted(f.path for f in committed.files),
                ingested_at=datetime.now(UTC),
                ingested_by=actor,
            )
        )
        jobs.advance(session, recording_id, claim, jobs.STORED)
