"""The live picture as people read it: robots with their status, counts, open alerts.

One function (`live_view`) serves ``GET /api/v1/live``, its event stream, the live page and
``robotwork live status``, so every count is computed once. Robots are placed by their current
deployment (scenario, and the province of its site); a robot heard from but not deployed counts
under no province or scenario.
"""

import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.errors import RobotworkError
from robotwork.live.models import LiveAlert, LiveRobotRow
from robotwork.live.tracker import STATUSES, STOPPED
from robotwork.registry.models import Deployment, Scenario, Site

RECENT_STOP_NS = 3600 * 10**9  # robots that stopped within this time are listed first
_FEW = 500  # up to this many robots, their placements are looked up by serial


def iso(time_ns: int | None) -> str | None:
    """ISO-8601 UTC text of a time in ns (None stays None)."""
    if not time_ns:
        return None
    return datetime.fromtimestamp(time_ns / 1e9, UTC).isoformat(timespec="seconds")


def placements(session: Session, serials: set[str] | None = None) -> dict[str, tuple[str, str]]:
    """Serial -> (scenario, province) of each robot's (or these robots') current deployment."""
    query = (
        select(Deployment.robot_serial, Deployment.scenario_id, Site.province)
        .join(Scenario, Scenario.scenario_id == Deployment.scenario_id)
        .join(Site, Site.site_id == Deployment.site_id)
        .where(Deployment.end_date.is_(None))
        .order_by(Deployment.start_date)
    )
    if serials is not None:
        query = query.where(Deployment.robot_serial.in_(sorted(serials)))
    return {serial: (scenario, province) for serial, scenario, province in session.execute(query)}


def robot_json(row: LiveRobotRow, place: tuple[str, str] | None) -> dict[str, Any]:
    """A robot's live status as the API answers it (the contract's keys first)."""
    return {
        "robot_serial": row.robot_serial,
        "connection": row.connection,
        "control_mode": row.control_mode,
        "task": row.task,
        "site_id": row.site_id,
        "battery": row.battery,
        "last_seen": iso(row.last_seen_ns),
        "stale": row.stale,
        "status": row.status,
        "status_since": iso(row.status_since_ns),
        "errors": row.errors,
        "scenario_id": place[0] if place else None,
        "province": place[1] if place else None,
    }


def _counts(robots: list[dict[str, Any]]) -> dict[str, Any]:
    by_status = Counter(r["status"] for r in robots)
    per: dict[str, dict[str, Counter[str]]] = {
        "province": defaultdict(Counter),
        "scenario_id": defaultdict(Counter),
    }
    for robot in robots:
        for key, table in per.items():
            if robot[key]:
                table[robot[key]][robot["status"]] += 1
    return {
        "total": len(robots),
        "by_status": {s: by_status.get(s, 0) for s in STATUSES},
        "by_province": {k: dict(v) for k, v in sorted(per["province"].items())},
        "by_scenario": {k: dict(v) for k, v in sorted(per["scenario_id"].items())},
    }


def _order(robots: list[dict[str, Any]], rows: dict[str, LiveRobotRow], now_ns: int) -> list[dict[str, Any]]:
    """Robots that stopped in the last hour first (latest stop first), then the rest by serial."""

    def key(robot: dict[str, Any]) -> tuple[int, int, str]:
        row = rows[robot["robot_serial"]]
        recent = row.status in STOPPED and now_ns - row.status_since_ns <= RECENT_STOP_NS
        return (0, -row.status_since_ns, row.robot_serial) if recent else (1, 0, row.robot_serial)

    return sorted(robots, key=key)


def live_view(
    engine: Engine,
    *,
    province: str | None = None,
    scenario: str | None = None,
    state: str | None = None,
    robots: frozenset[str] | None = None,
    now_ns: int | None = None,
) -> dict[str, Any]:
    """Every robot heard from (filtered by province, scenario and status), counts of the
    filtered robots by status, per province and per scenario, and the open alerts. `robots`
    is the reader's scope (None: every robot): robots out of it are neither listed nor counted."""
    if state is not None and state not in STATUSES:
        raise RobotworkError(f"state {state!r}: one of {', '.join(STATUSES)}")
    now_ns = now_ns or time.time_ns()
    query = select(LiveRobotRow)
    if state is not None:  # in SQL: a page of stopped robots reads only those rows
        query = query.where(LiveRobotRow.status == state)
    if robots is not None:
        query = query.where(LiveRobotRow.robot_serial.in_(sorted(robots)))
    with Session(engine) as session:
        rows = {r.robot_serial: r for r in session.scalars(query)}
        places = placements(session, set(rows) if len(rows) <= _FEW else None)
        alerts = open_alerts(session)
    listed = [robot_json(row, places.get(serial)) for serial, row in rows.items()]
    listed = [
        r
        for r in listed
        if (province is None or r["province"] == province)
        and (scenario is None or r["scenario_id"] == scenario)
        and (state is None or r["status"] == state)
    ]
    shown = {r["robot_serial"] for r in listed}
    return {
        "robots": _order(listed, rows, now_ns),
        "counts": _counts(listed),
        "alerts": [a for a in alerts if a["robot_serial"] in shown],
        "filters": {"province": province, "scenario": scenario, "state": state},
    }


def open_alerts(session: Session, serials: set[str] | None = None) -> list[dict[str, Any]]:
    """Alerts not cleared yet (of some robots, or all), newest first."""
    query = select(LiveAlert).where(LiveAlert.cleared_ns.is_(None)).order_by(LiveAlert.raised_ns.desc())
    if serials is not None:
        query = query.where(LiveAlert.robot_serial.in_(sorted(serials)))
    return [alert_json(a) for a in session.scalars(query)]


def alert_json(alert: LiveAlert) -> dict[str, Any]:
    """An alert as the page, the API and the webhook show it."""
    return {
        "id": alert.id,
        "robot_serial": alert.robot_serial,
        "kind": alert.kind,
        "since": iso(alert.since_ns),
        "raised": iso(alert.raised_ns),
        "cleared": iso(alert.cleared_ns),
        "details": alert.details,
    }


def robot_live(engine: Engine, serial: str) -> dict[str, Any] | None:
    """One robot's live status and its open alerts, for its page; None if never heard from."""
    with Session(engine) as session:
        row = session.get(LiveRobotRow, serial)
        if row is None:
            return None
        return dict(robot_json(row, placements(session).get(serial)), alerts=open_alerts(session, {serial}))


def org_alerts(engine: Engine, scenario_ids: list[str]) -> list[dict[str, Any]]:
    """Open alerts of the robots deployed now on these scenarios (an organization's page)."""
    wanted = set(scenario_ids)
    with Session(engine) as session:
        serials = {serial for serial, (scenario, _) in placements(session).items() if scenario in wanted}
        return open_alerts(session, serials)
