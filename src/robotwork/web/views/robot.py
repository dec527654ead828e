"""One robot: its figures over the window, a per-day timeline, its recordings and flags.

The timeline sums `recording_days` per day; recordings with an uncleared flag are shown apart
(`flagged_operating_hours`) because they do not count, which is exactly what a reviewer needs
to see beside the counted hours.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.errors import UnknownRecord
from robotwork.evidence.metrics import gather, robot_level
from robotwork.evidence.rollup import MODES, RATE_KINDS
from robotwork.live.view import robot_live
from robotwork.policy import Policy
from robotwork.registry.models import Deployment, Flag, Organization, Recording, RecordingDay, Robot

TIMELINE_DAYS = 60


def robot_view(engine: Engine, policy: Policy, as_of: date, serial: str) -> dict[str, Any]:
    """The robot's page data; `UnknownRecord` when the serial is not in the registry."""
    with Session(engine) as session:
        robot = session.get(Robot, serial)
        if robot is None:
            raise UnknownRecord(f"robot {serial!r}: not in the registry")
        maker = session.get(Organization, robot.manufacturer)
        owner = session.get(Organization, robot.owner_org) if robot.owner_org else None
        registry = {
            "serial": robot.serial,
            "model": robot.model,
            "built_on": robot.built_on.isoformat() if robot.built_on else None,
            "manufacturer": _org(maker, robot.manufacturer),
            "owner": _org(owner, robot.owner_org) if robot.owner_org else None,
        }
        deployments = [
            {
                "scenario_id": d.scenario_id,
                "site_id": d.site_id,
                "start_date": d.start_date.isoformat(),
                "end_date": d.end_date.isoformat() if d.end_date else None,
            }
            for d in session.scalars(
                select(Deployment).where(Deployment.robot_serial == serial).order_by(Deployment.start_date)
            )
        ]
    figures = next(r for r in robot_level(gather(engine, policy, as_of)) if r["robot_serial"] == serial)
    recordings = recordings_of(engine, policy, serial)
    return {
        "as_of": as_of.isoformat(),
        "robot": registry,
        "figures": figures,
        "deployments": deployments,
        "timeline": timeline(engine, serial, as_of),
        "timeline_days": TIMELINE_DAYS,
        "recordings": recordings,
        "flags": [f for r in recordings for f in r["flags"]],
        "live": robot_live(engine, serial),
    }


def _org(org: Organization | None, code: str | None) -> dict[str, Any]:
    return {"code": code, "name": org.name if org else code, "name_zh": org.name_zh if org else None}


_HOURS = tuple(f"{name}_hours" for name in (*MODES, "idle", "fault"))
_COUNTS = ("tasks_succeeded", "tasks_failed", "tasks_aborted", "interventions", "assists")


def timeline(engine: Engine, serial: str, as_of: date, days: int = TIMELINE_DAYS) -> list[dict[str, Any]]:
    """Every day from the first with data (of the `days` days up to `as_of`) to `as_of`: hours by
    control mode, tasks and interventions of counted recordings, and the operating hours of flagged
    ones (not counted). Days without data are zeros, so a gap in work shows as a gap."""
    start = as_of - timedelta(days=days - 1)
    sums: dict[date, dict[str, float]] = defaultdict(lambda: dict.fromkeys((*_HOURS, *_COUNTS), 0.0))
    flagged_hours: dict[date, float] = defaultdict(float)
    with Session(engine) as session:
        flagged = set(session.scalars(select(Flag.recording_id).where(Flag.cleared_at.is_(None))))
        query = select(RecordingDay).where(
            RecordingDay.robot_serial == serial, RecordingDay.day >= start, RecordingDay.day <= as_of
        )
        for rd in session.scalars(query):
            day = sums[rd.day]
            if rd.recording_id in flagged:
                flagged_hours[rd.day] += sum(getattr(rd, f"{m}_s") for m in MODES) / 3600
                continue
            for key in _HOURS:
                day[key] += getattr(rd, key.replace("_hours", "_s")) / 3600
            for key in _COUNTS[:3]:
                day[key] += getattr(rd, key)
            day["interventions"] += sum(getattr(rd, k) for k in RATE_KINDS)
            day["assists"] += rd.assist
    if not sums:
        return []
    first = min(sums)
    span = [first + timedelta(days=i) for i in range((as_of - first).days + 1)]
    return [
        {
            "day": d.isoformat(),
            **{k: round(sums[d][k], 3) for k in _HOURS},
            **{k: int(sums[d][k]) for k in _COUNTS},
            "flagged_operating_hours": round(flagged_hours[d], 3),
        }
        for d in span
    ]


def recordings_of(engine: Engine, policy: Policy, serial: str) -> list[dict[str, Any]]:
    """The robot's recordings, newest first, each with its flags (cleared ones included)."""
    with Session(engine) as session:
        recs = list(
            session.scalars(
                select(Recording).where(Recording.robot_serial == serial).order_by(Recording.start_ns.desc())
            )
        )
        flags: dict[str, list[Flag]] = defaultdict(list)
        for f in session.scalars(select(Flag).where(Flag.recording_id.in_([r.recording_id for r in recs]))):
            flags[f.recording_id].append(f)
        return [recording_row(r, flags[r.recording_id], policy) for r in recs]


def recording_row(rec: Recording, flags: list[Flag], policy: Policy) -> dict[str, Any]:
    """A recording as the pages list it: times in the program's time zone, flags as dicts."""
    return {
        "recording_id": rec.recording_id,
        "robot_serial": rec.robot_serial,
        "scenario_id": rec.scenario_id,
        "site_id": rec.site_id,
        "source_name": rec.source_name,
        "source_kind": rec.source_kind,
        "start": _local(rec.start_ns, policy),
        "end": _local(rec.end_ns, policy),
        "messages": rec.messages,
        "size_bytes": rec.size_bytes,
        "flags": [flag_row(f) for f in flags],
    }


def flag_row(f: Flag) -> dict[str, Any]:
    """A flag with its evidence and, once cleared, who cleared it and why."""
    return {
        "id": f.id,
        "recording_id": f.recording_id,
        "rule": f.rule,
        "evidence": dict(f.evidence),
        "flagged_at": f.flagged_at.isoformat(timespec="seconds"),
        "cleared_at": f.cleared_at.isoformat(timespec="seconds") if f.cleared_at else None,
        "cleared_by": f.cleared_by,
        "clear_reason": f.clear_reason,
    }


def _local(ns: int, policy: Policy) -> str:
    return datetime.fromtimestamp(ns / 1e9, UTC).astimezone(policy.zone).isoformat(timespec="minutes")
