"""Computing stored figures, set-based: robot rows, scenario standings and the view's summary.

Every function works on the robots (or scenarios) it is given, so a change recomputes what it
touched and nothing else; called with None it recomputes the whole view (its first read). Sums
over `recording_days` run in the database, grouped per robot and day and then per robot; Python
only turns each robot's totals into its row (rates, level, routine operation) and climbs the
ladder of the scenarios involved. Robots are handled in batches, so memory does not grow with
the fleet.
"""

from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from threading import Lock
from typing import Any

from sqlalchemy import Connection, Select, and_, case, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from robotwork.evidence import figure_tables as ft
from robotwork.evidence.ladder import STAGES, RoutineRobot, stand
from robotwork.evidence.rollup import MODES, RATE_KINDS, RobotRow, Window, robot_row
from robotwork.policy import Policy
from robotwork.registry.models import (
    Deployment,
    Flag,
    Organization,
    Recording,
    RecordingDay,
    Robot,
    Scenario,
    Site,
)
from robotwork.registry.scenarios import counted_scenarios
from robotwork.registry.template import NOMINATOR_KINDS

BATCH = 2000
LEVELS = ("L0", "L1", "L2", "L3", "L4")
SUMMED = [
    c.name for c in RecordingDay.__table__.columns if c.name not in ("recording_id", "day", "robot_serial")
]


class RegistrySnapshot:
    """The registry rows the figures are cut by: scenarios, sites, nominators (small, cached)."""

    def __init__(self, conn: Connection) -> None:
        with Session(bind=conn) as session:
            self.scenarios = list(session.scalars(select(Scenario).order_by(Scenario.scenario_id)))
            self.sites = {s.site_id: s for s in session.scalars(select(Site))}
            self.orgs = list(
                session.scalars(
                    select(Organization)
                    .where(Organization.kind.in_(NOMINATOR_KINDS))
                    .order_by(Organization.code)
                )
            )
            session.expunge_all()
        self._by_org: dict[str, list[Scenario]] = {}
        for s in self.scenarios:
            self._by_org.setdefault(s.nominated_by, []).append(s)
        self._counted: dict[tuple[str, date], tuple[list[Scenario], int]] = {}

    def counted(self, org: Organization, as_of: date) -> list[Scenario]:
        """The organization's scenarios that count toward its quota as of the date."""
        return self.counted_and_duplicates(org, as_of)[0]

    def counted_and_duplicates(self, org: Organization, as_of: date) -> tuple[list[Scenario], int]:
        """`counted_scenarios` of the organization as of the date, worked out once per snapshot."""
        key = (org.code, as_of)
        if key not in self._counted:
            self._counted[key] = counted_scenarios(
                self._by_org.get(org.code, []), self.sites, org.kind, as_of
            )
        return self._counted[key]


_SNAPSHOTS: dict[tuple[str, int], RegistrySnapshot] = {}
_SNAPSHOTS_LOCK = Lock()


def registry_snapshot(conn: Connection, change_id: int) -> RegistrySnapshot:
    """The snapshot of the registry as of change `change_id`, read once per process and change.

    Snapshots are shared read-only: nothing may modify the rows they hold."""
    key = (str(conn.engine.url), change_id)
    with _SNAPSHOTS_LOCK:
        found = _SNAPSHOTS.get(key)
    if found is None:
        found = RegistrySnapshot(conn)
        with _SNAPSHOTS_LOCK:
            if len(_SNAPSHOTS) >= 4:
                _SNAPSHOTS.clear()
            _SNAPSHOTS[key] = found
    return found


def flagged_recording_ids() -> Any:
    """The ids of recordings with an uncleared flag (a subquery): they count in no figure."""
    return select(Flag.recording_id).where(Flag.cleared_at.is_(None))


def unflagged() -> Any:
    """Recording days of recordings without an uncleared flag: the only ones that count."""
    return RecordingDay.recording_id.not_in(flagged_recording_ids())


def unflagged_day_sums(
    sums: Sequence[Any],
    *,
    serials: Collection[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    days: Collection[date] | None = None,
    per_robot: bool = False,
) -> Select[Any]:
    """The `sums` of recording-day columns per day (per robot and day with `per_robot`) over the
    recordings without an uncleared flag, for `serials` (None: every robot) from `start` to
    `end` or on `days`: the one "sum the recording days" behind every figure, series and lever."""
    keys = [RecordingDay.robot_serial, RecordingDay.day] if per_robot else [RecordingDay.day]
    query = select(*keys, *sums).where(unflagged())
    if serials is not None:
        query = query.where(RecordingDay.robot_serial.in_(sorted(serials)))
    if start is not None:
        query = query.where(RecordingDay.day >= start)
    if end is not None:
        query = query.where(RecordingDay.day <= end)
    if days is not None:
        query = query.where(RecordingDay.day.in_(sorted(days)))
    return query.group_by(*keys)


def window_ns(window: Window, policy: Policy) -> tuple[int, int]:
    """The window as [start, end) in nanoseconds UTC, midnights in the program's time zone."""

    def ns(day: date) -> int:
        return int(datetime.combine(day, time.min, tzinfo=policy.zone).timestamp()) * 10**9

    return ns(window.start), ns(window.end + timedelta(days=1))


def _totals(
    conn: Connection, policy: Policy, window: Window, serials: list[str]
) -> dict[str, dict[str, Any]]:
    """Per robot: the window's sums and its worked days, grouped in the database."""
    routine = policy.routine_operation
    per_day = unflagged_day_sums(
        [func.sum(getattr(RecordingDay, c)).label(c) for c in SUMMED],
        serials=serials,
        start=window.start,
        end=window.end,
        per_robot=True,
    ).subquery()
    operating = per_day.c.autonomous_s + per_day.c.teleoperated_s + per_day.c.scripted_s
    worked = and_(
        operating >= literal(routine["worked_day_min_operating_hours"] * 3600),
        per_day.c.tasks_started >= literal(routine["worked_day_min_tasks"]),
    )
    query = select(
        per_day.c.robot_serial,
        *[func.sum(per_day.c[c]).label(c) for c in SUMMED],
        func.sum(case((worked, 1), else_=0)).label("worked_days"),
    ).group_by(per_day.c.robot_serial)
    return {row.robot_serial: row._asdict() for row in conn.execute(query)}


def _placements(conn: Connection, window: Window, serials: list[str]) -> dict[str, Deployment]:
    """Each robot's latest deployment that starts by the as-of date and overlaps the window."""
    chosen: dict[str, Deployment] = {}
    with Session(bind=conn) as session:
        query = (
            select(Deployment)
            .where(Deployment.robot_serial.in_(serials), Deployment.start_date <= window.end)
            .order_by(Deployment.start_date, Deployment.scenario_id)
        )
        for d in session.scalars(query):
            if d.end_date is None or d.end_date >= window.start:
                chosen[d.robot_serial] = d  # later starts win
        session.expunge_all()
    return chosen


def _flagged(conn: Connection, policy: Policy, window: Window, serials: list[str]) -> set[str]:
    start_ns, end_ns = window_ns(window, policy)
    query = (
        select(Recording.robot_serial)
        .where(
            Recording.robot_serial.in_(serials),
            Recording.recording_id.in_(flagged_recording_ids()),
            Recording.start_ns < end_ns,
            Recording.end_ns >= start_ns,
        )
    )
    return set(conn.scalars(query))


def _robot_batches(conn: Connection, serials: Iterable[str] | None) -> Iterator[list[tuple[str, str]]]:
    """(serial, model) of the robots asked for (all when None), in serial order, a batch at a time."""
    if serials is not None:
        wanted = sorted(set(serials))
        for i in range(0, len(wanted), BATCH):
            yield [
                (r.serial, r.model)
                for r in conn.execute(
                    select(Robot.serial, Robot.model).where(Robot.serial.in_(wanted[i : i + BATCH]))
                )
            ]
        return
    last = ""
    while True:
        batch = [
            (r.serial, r.model)
            for r in conn.execute(
                select(Robot.serial, Robot.model)
                .where(Robot.serial > last)
                .order_by(Robot.serial)
                .limit(BATCH)
            )
        ]
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def refresh_robots(
    conn: Connection,
    policy: Policy,
    view: str,
    window: Window,
    sites: dict[str, Site],
    serials: Iterable[str] | None,
) -> set[str]:
    """Recompute the robot rows of `serials` (every robot when None); returns the scenarios they
    were or are now placed on, whose standings may have changed."""
    touched: set[str] = set()
    if serials is None:
        conn.execute(delete(ft.robots).where(ft.robots.c.view == view))
    for batch in _robot_batches(conn, serials):
        keys = [serial for serial, _ in batch]
        old = ft.robots.c.view == view
        touched.update(
            s
            for s in conn.scalars(
                select(ft.robots.c.scenario_id).where(old, ft.robots.c.robot_serial.in_(keys))
            )
            if s is not None
        )
        conn.execute(delete(ft.robots).where(old, ft.robots.c.robot_serial.in_(keys)))
        totals = _totals(conn, policy, window, keys)
        placements = _placements(conn, window, keys)
        flagged = _flagged(conn, policy, window, keys)
        rows = []
        for serial, model in batch:
            placement = placements.get(serial)
            site_id = placement.site_id if placement else None
            site = sites.get(site_id) if site_id else None
            row = robot_row(
                serial,
                model,
                placement.scenario_id if placement else None,
                site_id,
                totals.get(serial),
                policy,
                serial in flagged,
                site.city if site else None,
            )
            if row.scenario_id is not None:
                touched.add(row.scenario_id)
            rows.append({"view": view, **row.__dict__})
        if rows:
            conn.execute(insert(ft.robots), rows)
    return touched


def read_robot_rows(conn: Connection, view: str, **where: Any) -> list[RobotRow]:
    """Stored robot rows of a view in serial order, optionally narrowed (`scenario_id=`, `robot_serial=`)."""
    names = [c.name for c in ft.robots.columns if c.name != "view"]
    query = select(*[ft.robots.c[n] for n in names]).where(ft.robots.c.view == view)
    for column, value in where.items():
        query = query.where(ft.robots.c[column] == value)
    return [
        RobotRow(
            **{
                **r._asdict(),
                "in_routine_operation": bool(r.in_routine_operation),
                "flagged": bool(r.flagged),
            }
        )
        for r in conn.execute(query.order_by(ft.robots.c.robot_serial))
    ]


def refresh_scenarios(conn: Connection, policy: Policy, view: str, ids: set[str] | None) -> None:
    """Climb the ladder again for the scenarios `ids` (every scenario with robots when None)."""
    c = ft.robots.c
    if ids is None:
        conn.execute(delete(ft.scenarios).where(ft.scenarios.c.view == view))
        ids = set(
            conn.scalars(select(c.scenario_id).where(c.view == view, c.scenario_id.is_not(None)).distinct())
        )
    else:
        conn.execute(
            delete(ft.scenarios).where(ft.scenarios.c.view == view, ft.scenarios.c.scenario_id.in_(ids))
        )
    placed = {
        sid: n
        for sid, n in conn.execute(
            select(c.scenario_id, func.count())
            .where(c.view == view, c.scenario_id.in_(ids))
            .group_by(c.scenario_id)
        )
    }
    routine: dict[str, list[RoutineRobot]] = {sid: [] for sid in placed}
    query = (
        select(
            c.scenario_id,
            c.robot_serial,
            c.site_id,
            c.city,
            c.tasks_succeeded,
            c.tasks_failed,
            c.tasks_aborted,
        )
        .where(c.view == view, c.scenario_id.in_(ids), c.in_routine_operation.is_(True))
        .order_by(c.robot_serial)
    )
    for r in conn.execute(query):
        tasks = r.tasks_succeeded + r.tasks_failed + r.tasks_aborted
        routine[r.scenario_id].append(
            RoutineRobot(r.robot_serial, r.site_id, r.city, tasks, r.tasks_succeeded)
        )
    rows = []
    for sid, count in placed.items():
        robots = routine[sid]
        standing = stand(robots, policy)
        rows.append(
            {
                "view": view,
                "scenario_id": sid,
                "stage": standing.stage,
                "missing": [m.to_json() for m in standing.shortfalls],
                "success_rate": standing.success_rate,
                "high_value": standing.high_value,
                "robots": count,
                "robots_in_routine_operation": len(robots),
                "sites_in_routine_operation": len({r.site_id for r in robots if r.site_id}),
                "cities": sorted({r.city for r in robots if r.city}),
            }
        )
    if rows:
        conn.execute(insert(ft.scenarios), rows)


def read_scenario_rows(conn: Connection, view: str) -> dict[str, dict[str, Any]]:
    """The view's stored standings by scenario (only scenarios with robots have one)."""
    query = select(ft.scenarios).where(ft.scenarios.c.view == view)
    return {r.scenario_id: r._asdict() for r in conn.execute(query)}


def summary(conn: Connection, view: str, as_of: date, registry: RegistrySnapshot) -> dict[str, Any]:
    """The view's organization rows and the robot totals of its national row."""
    c = ft.scenarios.c
    query = select(c.scenario_id, c.stage, c.high_value, c.robots_in_routine_operation).where(c.view == view)
    standings = {r.scenario_id: r._asdict() for r in conn.execute(query)}
    orgs = []
    for org in sorted(registry.orgs, key=lambda o: (o.kind != "province", o.code)):
        counted = registry.counted(org, as_of)
        stages = dict.fromkeys(STAGES, 0)
        for s in counted:
            stages[standings[s.scenario_id]["stage"] if s.scenario_id in standings else STAGES[0]] += 1
        ids = {s.scenario_id for s in counted}
        orgs.append(
            {
                "code": org.code,
                "name": org.name,
                "name_zh": org.name_zh,
                "kind": org.kind,
                "robots_in_routine_operation": sum(
                    standings[i]["robots_in_routine_operation"] for i in ids if i in standings
                ),
                "declared_robots_in_operation": sum(s.declared_robots_in_operation or 0 for s in counted),
                "high_value_applications": sum(
                    bool(standings[i]["high_value"]) for i in ids if i in standings
                ),
                "stages": stages,
            }
        )
    c = ft.robots.c
    levels = dict.fromkeys(LEVELS, 0)
    for level, n in conn.execute(
        select(c.autonomy_level, func.count()).where(c.view == view).group_by(c.autonomy_level)
    ):
        if level in levels:
            levels[level] = n
    routine = conn.scalar(select(func.count()).where(c.view == view, c.in_routine_operation.is_(True)))
    hours = conn.scalar(select(func.coalesce(func.sum(c.operating_hours), 0.0)).where(c.view == view))
    robots = {"routine": int(routine or 0), "levels": levels, "operating_hours": round(float(hours or 0), 3)}
    return {"orgs": orgs, "robots": robots}


def refresh_days(conn: Connection, days: list[date] | None) -> None:
    """Recompute the national per-day totals of `days` (every day when None): the data lever."""
    operating = sum((getattr(RecordingDay, f"{m}_s") for m in MODES[1:]), RecordingDay.autonomous_s)
    interventions = sum((getattr(RecordingDay, k) for k in RATE_KINDS[1:]), RecordingDay.takeover)
    query = unflagged_day_sums([func.sum(operating), func.sum(interventions)], days=days)
    if days is None:
        conn.execute(delete(ft.days))
    else:
        conn.execute(delete(ft.days).where(ft.days.c.day.in_(days)))
    rows = [
        {"day": day, "operating_s": float(s or 0), "interventions": int(n or 0)}
        for day, s, n in conn.execute(query)
    ]
    if rows:
        conn.execute(insert(ft.days), rows)


def recording_counts(conn: Connection, serials: Collection[str] | None = None) -> dict[str, int]:
    """Recordings stored, and those with an uncleared flag, of `serials` (None: every robot,
    the national figures), every date."""
    if serials is not None and not serials:
        return {"recordings": 0, "flagged_recordings": 0}
    query = select(func.count()).select_from(Recording)
    if serials is not None:
        query = query.where(Recording.robot_serial.in_(sorted(serials)))
    total = conn.scalar(query) or 0
    flagged = conn.scalar(query.where(Recording.recording_id.in_(flagged_recording_ids()))) or 0
    return {"recordings": int(total), "flagged_recordings": int(flagged)}
