"""The national picture: targets, compliance of every nominator, autonomy, and the data lever.

Every figure comes from `compute_compliance` (which reads `gather` once), so the page shows
exactly what `robotwork compliance` and `robotwork metrics --by national` print.
"""

from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, select

from robotwork.compliance import compute_compliance
from robotwork.evidence import figure_tables as ft
from robotwork.evidence.standing import ensure_days
from robotwork.policy import Policy


def national_view(engine: Engine, policy: Policy, as_of: date) -> dict[str, Any]:
    """Targets, declared beside verified, days left, every nominator (non-compliant first)."""
    report = compute_compliance(engine, policy, as_of)
    due = policy.deadlines["progress_report"]
    rows = [asdict(o) for o in report.organizations]
    return {
        "as_of": as_of.isoformat(),
        "policy": {"name": policy.name, "version": policy.version},
        "national": report.national,
        "summary": report.summary(),
        "progress_report_due": due.isoformat(),
        "days_left": (due - as_of).days,
        "provinces": [r for r in rows if r["kind"] == "province"],
        "central_soes": [r for r in rows if r["kind"] == "central_soe"],
        "payoff": data_payoff(engine, as_of),
    }


def data_payoff(engine: Engine, as_of: date) -> list[dict[str, Any]]:
    """Per week (Monday first): interventions per operating hour, and operating hours harvested
    so far. Read from the stored per-day totals of `recording_days` of recordings without an
    uncleared flag (`robotwork.evidence.figures.refresh_days`: the same modes and intervention
    kinds as the metrics), so a falling rate against rising hours shows whether the harvested
    data is paying off in autonomy."""
    ensure_days(engine)
    query = select(ft.days.c.day, ft.days.c.operating_s, ft.days.c.interventions).where(
        ft.days.c.day <= as_of
    )
    weeks: dict[date, list[float]] = {}
    with engine.connect() as conn:
        for day, seconds, count in conn.execute(query.order_by(ft.days.c.day)):
            week = weeks.setdefault(day - timedelta(days=day.weekday()), [0.0, 0.0])
            week[0] += float(seconds or 0)
            week[1] += float(count or 0)
    out, cumulative = [], 0.0
    for monday, (seconds, count) in sorted(weeks.items()):
        hours = seconds / 3600
        cumulative += hours
        out.append(
            {
                "week": monday.isoformat(),
                "to": min(monday + timedelta(days=6), as_of).isoformat(),
                "operating_hours": round(hours, 2),
                "interventions": int(count),
                "interventions_per_hour": round(count / hours, 4) if hours else None,
                "cumulative_operating_hours": round(cumulative, 2),
            }
        )
    return out
