"""Live status against recorded evidence, both ways.

- Live hours without evidence: a robot said ``autonomous`` or ``teleoperated`` live for a good
  part of an hour, and no recording of that hour arrived within the grace time (48 h). Listed
  on the integrity page; it is a question to the consortium, not a verdict on any recording.
- Recorded while offline: a recording covers time in which the robot's live status said it was
  offline (OFFLINE or CONNECTIONBROKEN). That is a flag on the recording (rule
  ``recorded_while_offline``), so it stays out of the figures until a reviewer clears it.

Only robots with a live history are judged: a robot that never spoke MQTT is not "offline".
"""

import time
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.evidence.standing import mark_recording
from robotwork.live.persist import scan_events
from robotwork.live.view import iso
from robotwork.policy import Policy
from robotwork.registry.models import Flag, Recording
from robotwork.store.files import StoreFiles

RECORDED_OFFLINE = "recorded_while_offline"  # the flag's rule (beside evidence.flags.RULES)
HOUR_NS = 3600 * 10**9
GRACE_NS = 48 * HOUR_NS  # a recording may arrive this long after the hours it covers
MIN_WORKING_MINUTES = 10  # less live work than this in an hour is not worth asking about
MIN_OFFLINE_MINUTES = 10  # a recording overlapping less offline time than this is not flagged
LOOKBACK_NS = 7 * 24 * HOUR_NS
_DAY_NS = 24 * HOUR_NS


def _intervals(events: list[dict[str, Any]], end_ns: int, wanted: Any) -> dict[str, list[tuple[int, int]]]:
    """Per robot, the spans in which `wanted(event)` held (each event lasts until the next)."""
    by_robot: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        by_robot[event["robot_serial"]].append(event)
    found: dict[str, list[tuple[int, int]]] = {}
    for serial, rows in by_robot.items():
        ends = [r["time_ns"] for r in rows[1:]] + [end_ns]
        pairs = zip(rows, ends, strict=True)
        found[serial] = [(r["time_ns"], end) for r, end in pairs if wanted(r) and end > r["time_ns"]]
    return found


def _working(event: dict[str, Any]) -> bool:
    return event["status"] == "working" and event["control_mode"] in ("autonomous", "teleoperated")


def _offline(event: dict[str, Any]) -> bool:
    return event["status"] == "offline"


def _recordings(engine: Engine, serials: set[str], from_ns: int, to_ns: int) -> dict[str, list[Recording]]:
    found: dict[str, list[Recording]] = defaultdict(list)
    with Session(engine) as session:
        query = select(Recording).where(Recording.robot_serial.in_(sorted(serials)))
        query = query.where(Recording.end_ns > from_ns, Recording.start_ns < to_ns)
        for rec in session.scalars(query):
            found[rec.robot_serial].append(rec)
    return found


def live_hours_without_evidence(
    engine: Engine, files: StoreFiles, policy: Policy, *, now_ns: int | None = None
) -> list[dict[str, Any]]:
    """Robot-hours of live autonomous/teleoperated work, over the last week up to the grace
    time ago, that no recording covers; hours shown in the program's time zone."""
    now_ns = now_ns or time.time_ns()
    to_ns = now_ns - GRACE_NS
    from_ns = to_ns - LOOKBACK_NS
    events = list(scan_events(files, from_ns=from_ns - _DAY_NS, to_ns=to_ns))
    spans = _intervals(events, to_ns, _working)
    recordings = _recordings(engine, set(spans), from_ns, to_ns)
    rows = []
    for serial, intervals in sorted(spans.items()):
        minutes: dict[int, float] = defaultdict(float)
        for start, end in intervals:
            start = max(start, from_ns)
            for hour in range(start // HOUR_NS, (end - 1) // HOUR_NS + 1):
                overlap = min(end, (hour + 1) * HOUR_NS) - max(start, hour * HOUR_NS)
                minutes[hour] += max(overlap, 0) / 60e9
        for hour, worked in sorted(minutes.items()):
            h0, h1 = hour * HOUR_NS, (hour + 1) * HOUR_NS
            covered = any(r.start_ns < h1 and r.end_ns > h0 for r in recordings[serial])
            if worked < MIN_WORKING_MINUTES or covered:
                continue
            hour_text = datetime.fromtimestamp(h0 / 1e9, policy.zone).isoformat(timespec="minutes")
            rows.append({"robot_serial": serial, "hour": hour_text, "minutes": round(worked)})
    return rows


def flag_recordings_while_offline(engine: Engine, files: StoreFiles, *, now_ns: int | None = None) -> int:
    """Flag recordings of the last week that cover live offline time; the number newly flagged."""
    now_ns = now_ns or time.time_ns()
    from_ns = now_ns - LOOKBACK_NS
    events = list(scan_events(files, from_ns=from_ns - _DAY_NS, to_ns=now_ns))
    offline = _intervals(events, now_ns, _offline)
    added: list[str] = []
    with Session(engine) as session, session.begin():
        for serial, recs in _recordings(engine, set(offline), from_ns, now_ns).items():
            for rec in recs:
                spans = [(max(a, rec.start_ns), min(b, rec.end_ns)) for a, b in offline[serial]]
                spans = [(a, b) for a, b in spans if b > a]
                total = sum(b - a for a, b in spans)
                if total < MIN_OFFLINE_MINUTES * 60e9:
                    continue
                if session.scalars(
                    select(Flag).where(Flag.recording_id == rec.recording_id, Flag.rule == RECORDED_OFFLINE)
                ).first():
                    continue
                evidence = {
                    "offline_minutes": round(total / 60e9, 1),
                    "offline_from_ns": spans[0][0],
                    "offline_to_ns": spans[-1][1],
                }
                flag = Flag(recording_id=rec.recording_id, rule=RECORDED_OFFLINE, evidence=evidence)
                flag.flagged_at = datetime.now(UTC)
                session.add(flag)
                added.append(rec.recording_id)
        session.flush()
        for recording_id in added:  # last before the commit: the stored figures drop these recordings
            mark_recording(session, recording_id)
    return len(added)


def robot_history(
    files: StoreFiles, serial: str, *, now_ns: int | None = None, days: int = 7
) -> dict[str, Any]:
    """A robot's live history from the time series: hours online and hours working over the last
    `days` days, and its changes of the last 24 h (newest first)."""
    now_ns = now_ns or time.time_ns()
    from_ns = now_ns - days * _DAY_NS
    events = list(scan_events(files, from_ns=from_ns - _DAY_NS, to_ns=now_ns, robot_serial=serial))

    def hours(wanted: Any) -> float:
        spans = _intervals(events, now_ns, wanted).get(serial, [])
        return round(sum(max(0, end - max(start, from_ns)) for start, end in spans) / 3.6e12, 2)

    return {
        "days": days,
        "hours_online": hours(lambda e: e["status"] != "offline"),
        "hours_working": hours(lambda e: e["status"] == "working"),
        "changes": [
            dict(e, time=iso(e["time_ns"])) for e in reversed(events) if e["time_ns"] >= now_ns - _DAY_NS
        ],
    }
