"""A forecast to the plan's target date: robots in routine operation and high-value applications,
per province / central SOE and nationally, projected from the trend of the last weeks.

The model is stated so a reader can check it: an ordinary least-squares straight line through
the figures at the last `WEEKS` week ends (each from its own `gather()` snapshot, the same figures
as `robotwork metrics`), extended to the target date, with a 90 % prediction interval for a new
observation (Student's t with n - 2 degrees of freedom; the interval is clipped at zero, since a
count cannot be negative). A straight line is what a trend "of the last weeks" can support; it
says nothing about a change of pace to come, which is why the interval is shown beside it.

On and after the target date there is nothing to forecast: the figure at the target date is
compared with the target and reads "met" or "missed by" the difference.
"""

import math
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine

from robotwork.evidence.metrics import gather, national_level, org_level
from robotwork.policy import Policy

WEEKS = 8  # week ends fitted, the as-of date included
LEVEL = 0.90  # two-sided prediction interval
MEASURES = ("robots_in_routine_operation", "high_value_applications")
# Student's t, 0.95 quantile (a two-sided 90 % interval), by degrees of freedom; between two
# entries the smaller df is used, which errs toward a wider interval.
_T95 = {1: 6.314, 2: 2.920, 3: 2.353, 4: 2.132, 5: 2.015, 6: 1.943, 7: 1.895, 8: 1.860, 9: 1.833}
_T95 |= {10: 1.812, 12: 1.782, 15: 1.753, 20: 1.725, 25: 1.708, 30: 1.697, 40: 1.684, 60: 1.671}
_T95 |= {120: 1.658}


def t_quantile(df: int) -> float:
    """The 0.95 quantile of Student's t with `df` degrees of freedom (table, rounded down in df)."""
    if df < 1:
        raise ValueError("a prediction interval needs at least one degree of freedom (3 points)")
    return _T95[max(k for k in _T95 if k <= df)] if df <= 120 else 1.645


@dataclass(frozen=True)
class Projection:
    """A fitted straight line's value at one point, with its prediction interval (None when
    there are fewer than three points to fit) and the slope per week."""

    value: float
    low: float | None
    high: float | None
    slope_per_week: float
    points: int


def project(days: list[float], values: list[float], at: float) -> Projection:
    """Least-squares line through (`days`, `values`) evaluated at `at` (days on the same axis),
    with a `LEVEL` prediction interval for one new observation there, clipped at zero."""
    n = len(days)
    if n == 0 or n != len(values):
        raise ValueError("project needs as many values as days, at least one")
    mean_x, mean_y = sum(days) / n, sum(values) / n
    sxx = sum((x - mean_x) ** 2 for x in days)
    if sxx == 0:  # one point (or all on one day): no trend to extend
        return Projection(mean_y, None, None, 0.0, n)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(days, values, strict=True)) / sxx
    value = mean_y + slope * (at - mean_x)
    if n < 3:
        return Projection(value, None, None, slope * 7, n)
    residual = sum((y - (mean_y + slope * (x - mean_x))) ** 2 for x, y in zip(days, values, strict=True))
    s = math.sqrt(residual / (n - 2))
    half = t_quantile(n - 2) * s * math.sqrt(1 + 1 / n + (at - mean_x) ** 2 / sxx)
    return Projection(value, max(0.0, value - half), max(0.0, value + half), slope * 7, n)


def week_ends(as_of: date, weeks: int = WEEKS) -> list[date]:
    """The as-of date and the `weeks - 1` same weekdays before it, oldest first."""
    return [as_of - timedelta(weeks=w) for w in range(weeks - 1, -1, -1)]


def _figures(engine: Engine, policy: Policy, day: date) -> dict[str, dict[str, Any]]:
    """The two measures (and the declared robots) per organization code, and under "" the nation."""
    ev = gather(engine, policy, day)
    orgs = org_level(ev)
    out = {o["code"]: o for o in orgs}
    out[""] = national_level(ev, orgs)[0]
    return out


def _verdict(target: float | None, projection: Projection) -> str | None:
    """On track (even the low end reaches the target), possible (the interval spans it), short."""
    if target is None or projection.low is None or projection.high is None:
        return None
    if projection.low >= target:
        return "on_track"
    return "possible" if projection.high >= target else "short"


def program_forecast(engine: Engine, policy: Policy, as_of: date) -> dict[str, Any]:
    """The forecast (or, from the target date on, the outcome) of both measures for the nation
    (key ``national``) and every organization (``orgs``, by code). An organization's target for
    robots is what it declared in operation; the plan sets no per-organization number of
    high-value applications, so that one has none."""
    targets = policy.targets
    target_date: date = targets["date"]
    after = as_of >= target_date
    days = [target_date] if after else week_ends(as_of)
    series = [_figures(engine, policy, d) for d in days]
    horizon = float((target_date - days[0]).days)
    xs = [float((d - days[0]).days) for d in days]

    def entry(code: str, measure: str, target: float | None) -> dict[str, Any]:
        ys = [float(s.get(code, {}).get(measure, 0)) for s in series]
        out: dict[str, Any] = {"measure": measure, "now": ys[-1], "target": target}
        if after:
            missed = None if target is None or ys[-1] >= target else target - ys[-1]
            status = None if target is None else "met" if missed is None else "missed"
            return dict(out, status=status, missed_by=missed, at_target_date=ys[-1])
        projection = project(xs, ys, horizon)
        return dict(
            out,
            status="forecast",
            projection=asdict(projection),
            verdict=_verdict(target, projection),
        )

    national = series[-1][""]
    hva_target = targets["high_value_applications_more_than"] + 1  # "more than N" is met at N + 1
    return {
        "as_of": as_of.isoformat(),
        "target_date": target_date.isoformat(),
        "model": {"kind": "least_squares_line", "weeks": len(days), "interval": LEVEL},
        "week_ends": [d.isoformat() for d in days],
        "national": [
            entry("", "robots_in_routine_operation", float(national["target_robots"])),
            entry("", "high_value_applications", float(hva_target)),
        ],
        "orgs": {
            code: [
                entry(code, "robots_in_routine_operation", float(row["declared_robots_in_operation"])),
                entry(code, "high_value_applications", None),
            ]
            for code, row in series[-1].items()
            if code
        },
    }


def forecast_of(engine: Engine, policy: Policy, as_of: date, org: str | None) -> dict[str, Any]:
    """One organization's (or, for None, the nation's) forecast entries, as a report shows them."""
    found = program_forecast(engine, policy, as_of)
    entries = found["national"] if org is None else found["orgs"].get(org, [])
    return {"target_date": found["target_date"], "weeks": found["model"]["weeks"], "entries": entries}
