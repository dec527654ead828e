"""Keeping the stored figures current: marks of changed robot-days, and views that take them in.

Whatever changes a robot-day (a recording's evidence written, a flag raised or cleared) adds a
*mark* (robot, time span) in the same transaction. Registry changes (deployments, scenarios,
sites, robots, organizations) are already in the change history. A view (one policy, one as-of
date) remembers the last mark and change it has taken in; bringing it up to date recomputes only
the robots whose marks fall in its window (and those whose deployments changed), their
scenarios, and its summary. So a view is never stale when read, whoever forgot to call what,
and `count_recording` simply brings the views of its policy up to date at once.

Concurrency: marks are numbered in commit order (on PostgreSQL a transaction-scoped advisory
lock is taken just before the mark is written, on SQLite there is one writer anyway), so "every
mark up to N" is a consistent cut. Views are brought up to date one caller at a time (a second
advisory lock; BEGIN IMMEDIATE on SQLite), and every step recomputes from the current rows, so
running anything twice leaves the same rows.
"""

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from threading import Lock
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from robotwork.evidence import figure_tables as ft
from robotwork.evidence.figures import (
    recording_counts,
    refresh_days,
    refresh_robots,
    refresh_scenarios,
    registry_snapshot,
    summary,
    window_ns,
)
from robotwork.evidence.rollup import Window
from robotwork.policy import Policy
from robotwork.registry.db import lock_for_writing
from robotwork.registry.models import Change, Recording

DAYS_VIEW = "days"
MAX_VIEWS = 48  # views kept; the oldest beyond this are dropped and remade when read again
_MARK_LOCK, _REFRESH_LOCK = 0x526F626F74, 0x526F626F75
_ROBOT_ENTITIES = {"deployments"}  # a change here moves robots: recompute those robots
_VIEW_ENTITIES = {"organizations", "sites", "scenarios", "robots"}  # a change here: remake the view
_DAY = 86_400 * 10**9


def policy_key(policy: Policy) -> str:
    """A digest of the policy's content: views made under another policy are other views."""
    cached = _KEYS.get(id(policy))
    if cached is not None and cached[0] is policy:
        return cached[1]
    raw = json.dumps(policy.raw, sort_keys=True, default=str)
    key = hashlib.sha256(f"{policy.timezone}\n{raw}".encode()).hexdigest()[:32]
    with _KEYS_LOCK:
        _KEYS[id(policy)] = (policy, key)
    return key


_KEYS: dict[int, tuple[Policy, str]] = {}
_KEYS_LOCK = Lock()


def view_name(policy: Policy, as_of: date) -> str:
    """The stored view of the figures of `policy` as of `as_of`."""
    return f"{policy_key(policy)}:{as_of.isoformat()}"


def mark_recording(conn: Connection | Session, recording_id: str) -> None:
    """Note, inside the caller's transaction, that a recording's robot-days changed.

    Call it last before the commit: on PostgreSQL it holds the mark lock until then, which is
    what keeps marks in commit order.
    """
    dialect = conn.get_bind().dialect if isinstance(conn, Session) else conn.dialect
    if dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(_MARK_LOCK)))
    conn.execute(
        insert(ft.marks).from_select(
            ["robot_serial", "start_ns", "end_ns"],
            select(Recording.robot_serial, Recording.start_ns, Recording.end_ns).where(
                Recording.recording_id == recording_id
            ),
        )
    )


def count_recording(engine: Engine, policy: Policy, recording_id: str) -> None:
    """The final step of ingest: the recording's robot-days count in the figures of `policy`.

    Marks the recording (again, if its evidence was marked already: harmless) and brings every
    stored view of the policy, and the per-day totals, up to date. Idempotent.
    """
    with _transaction(engine) as conn:
        mark_recording(conn, recording_id)
    bring_up_to_date(engine, policy)


def bring_up_to_date(engine: Engine, policy: Policy) -> None:
    """Take every pending mark and registry change into the per-day totals and the policy's views."""
    with _refreshing(engine) as conn:
        mark, change = _cut(conn)
        _refresh_days_view(conn, mark, change)
        for name, as_of in conn.execute(
            select(ft.views.c.view, ft.views.c.as_of).where(ft.views.c.policy_key == policy_key(policy))
        ).all():
            _refresh_view(conn, policy, name, as_of, mark, change)
        _forget_marks(conn)


def ensure_view(engine: Engine, policy: Policy, as_of: date) -> tuple[str, tuple[object, ...]]:
    """The view of `policy` as of `as_of`, made or brought up to date when needed; and a token
    that changes whenever what is stored for it does, for callers that cache what they read."""
    name = view_name(policy, as_of)
    Window.ending(as_of, policy)  # refuse impossible dates before writing anything
    with engine.connect() as conn:
        cut = _cut(conn)
        token = _token(conn, name, cut)
        if token is not None:
            return name, token
    with _refreshing(engine) as conn:
        cut = _cut(conn)
        _refresh_days_view(conn, *cut)
        _refresh_view(conn, policy, name, as_of, *cut)
        _evict(conn)
        _forget_marks(conn)
        token = _token(conn, name, cut)  # marks added since do not matter: they are the next cut's
    assert token is not None, "a view just brought to the cut stands at it"
    return name, token


def _token(conn: Connection, name: str, cut: tuple[int, int]) -> tuple[object, ...] | None:
    """(cut, when the view and the day totals were stamped) when both stand at `cut`, else None."""
    rows = {
        r.view: r
        for r in conn.execute(
            select(ft.views.c.view, ft.views.c.mark, ft.views.c.change_id, ft.views.c.made_at).where(
                ft.views.c.view.in_([name, DAYS_VIEW])
            )
        )
    }
    if any(v not in rows or (rows[v].mark, rows[v].change_id) != cut for v in (name, DAYS_VIEW)):
        return None
    return (*cut, rows[name].made_at, rows[DAYS_VIEW].made_at)


def ensure_days(engine: Engine) -> None:
    """The per-day national totals, brought up to date when a mark is pending."""
    with engine.connect() as conn:
        if _fresh(conn, DAYS_VIEW, _cut(conn)):
            return
    with _refreshing(engine) as conn:
        _refresh_days_view(conn, *_cut(conn))
        _forget_marks(conn)


def recount_all(engine: Engine) -> None:
    """Forget every stored figure (after a rebuild of all evidence): views are remade when read."""
    with _refreshing(engine) as conn:
        for table in (ft.robots, ft.scenarios, ft.views, ft.days):
            conn.execute(delete(table))


def _fresh(conn: Connection, name: str, cut: tuple[int, int]) -> bool:
    row = conn.execute(select(ft.views.c.mark, ft.views.c.change_id).where(ft.views.c.view == name)).first()
    return row is not None and (row.mark, row.change_id) == cut


def _cut(conn: Connection) -> tuple[int, int]:
    """The last mark and the last registry change: everything up to them is committed."""
    mark = conn.scalar(select(func.coalesce(func.max(ft.marks.c.seq), 0)))
    change = conn.scalar(select(func.coalesce(func.max(Change.id), 0)))
    return int(mark or 0), int(change or 0)


@contextmanager
def _transaction(engine: Engine) -> Iterator[Connection]:
    """A write transaction; on SQLite it takes the write lock first (see registry.db.writing)."""
    with engine.connect() as conn:
        lock_for_writing(conn)
        yield conn
        conn.commit()


@contextmanager
def _refreshing(engine: Engine) -> Iterator[Connection]:
    """A transaction that is the only one bringing views up to date (marks can still be added)."""
    with _transaction(engine) as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_REFRESH_LOCK)))
            # wait for any transaction between its mark and its commit, so the cut is whole
            conn.execute(select(func.pg_advisory_lock(_MARK_LOCK)))
            conn.execute(select(func.pg_advisory_unlock(_MARK_LOCK)))
        yield conn


def _pending_marks(since: int, upto: int) -> Any:
    return (ft.marks.c.seq > since) & (ft.marks.c.seq <= upto)


def _refresh_days_view(conn: Connection, mark: int, change: int) -> None:
    """The per-day totals and recording counts: made whole at first, then the touched days."""
    row = conn.execute(select(ft.views.c.mark).where(ft.views.c.view == DAYS_VIEW)).first()
    if row is not None and row.mark == mark:
        _stamp(conn, DAYS_VIEW, None, None, mark, change, None)  # registry changes move no day
        return
    refresh_days(conn, None if row is None else _days_between(conn, row.mark, mark))
    _stamp(conn, DAYS_VIEW, None, None, mark, change, recording_counts(conn))


def _days_between(conn: Connection, since: int, upto: int) -> list[date]:
    """The calendar days the pending marks can touch, a day of margin either side (any zone)."""
    out: set[date] = set()
    for start_ns, end_ns in conn.execute(
        select(ft.marks.c.start_ns, ft.marks.c.end_ns).where(_pending_marks(since, upto))
    ):
        day = datetime.fromtimestamp(start_ns // 10**9 - 86_400, UTC).date()
        last = datetime.fromtimestamp(end_ns // 10**9 + 86_400, UTC).date()
        while day <= last:
            out.add(day)
            day += timedelta(days=1)
    return sorted(out)


def _refresh_view(conn: Connection, policy: Policy, name: str, as_of: date, mark: int, change: int) -> None:
    """Bring one view to the cut: remake it, or recompute the robots its pending marks touch."""
    row = conn.execute(select(ft.views.c.mark, ft.views.c.change_id).where(ft.views.c.view == name)).first()
    if row is not None and (row.mark, row.change_id) == (mark, change):
        return
    window = Window.ending(as_of, policy)
    registry = registry_snapshot(conn, change)
    robots = None if row is None else _touched_robots(conn, policy, window, row, mark, change)
    if robots is None:
        scenarios = refresh_robots(conn, policy, name, window, registry.sites, None)
        refresh_scenarios(conn, policy, name, None)
    elif robots:
        scenarios = refresh_robots(conn, policy, name, window, registry.sites, robots)
        refresh_scenarios(conn, policy, name, scenarios)
    _stamp(conn, name, policy_key(policy), as_of, mark, change, summary(conn, name, as_of, registry))


def _touched_robots(
    conn: Connection, policy: Policy, window: Window, row: Any, mark: int, change: int
) -> set[str] | None:
    """Robots whose rows may differ since the view's last cut; None when the view must be remade."""
    robots: set[str] = set()
    changes = select(Change.entity, Change.old, Change.new).where(
        Change.id > row.change_id, Change.id <= change
    )
    for entity, old, new in conn.execute(changes):
        if entity in _VIEW_ENTITIES:
            return None
        if entity in _ROBOT_ENTITIES:
            robots.update(d["robot_serial"] for d in (old, new) if d and "robot_serial" in d)
    start_ns, end_ns = window_ns(window, policy)
    robots.update(
        conn.scalars(
            select(ft.marks.c.robot_serial)
            .where(
                _pending_marks(row.mark, mark),
                ft.marks.c.start_ns < end_ns + _DAY,
                ft.marks.c.end_ns >= start_ns - _DAY,
            )
            .distinct()
        )
    )
    return robots


def _stamp(
    conn: Connection,
    name: str,
    key: str | None,
    as_of: date | None,
    mark: int,
    change: int,
    summary_row: dict[str, Any] | None,
) -> None:
    values: dict[str, Any] = {"mark": mark, "change_id": change, "made_at": datetime.now(UTC)}
    if summary_row is not None:
        values["summary"] = summary_row
    done = conn.execute(update(ft.views).where(ft.views.c.view == name).values(**values))
    if not done.rowcount:
        conn.execute(insert(ft.views).values(view=name, policy_key=key, as_of=as_of, **values))


def _evict(conn: Connection) -> None:
    """Drop the least recently made views beyond MAX_VIEWS (their rows with them)."""
    old = list(
        conn.scalars(
            select(ft.views.c.view)
            .where(ft.views.c.view != DAYS_VIEW)
            .order_by(ft.views.c.made_at.desc())
            .offset(MAX_VIEWS)
        )
    )
    for table in (ft.robots, ft.scenarios, ft.views):
        if old:
            conn.execute(delete(table).where(table.c.view.in_(old)))


def _forget_marks(conn: Connection) -> None:
    """Marks every view has taken in are of no more use; the last is kept to hold the count."""
    low = conn.scalar(select(func.min(ft.views.c.mark)))
    if low:
        conn.execute(delete(ft.marks).where(ft.marks.c.seq < low))
