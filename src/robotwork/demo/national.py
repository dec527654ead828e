"""`robotwork simulate`: the national program at full size, to measure robotwork where it will run.

The registry (31 provinces and the central SOEs nominating ~2,000 scenarios, their sites, users
and makers, N robots and their deployments) and one daily summary (`recording_days` row) per
robot per worked day are written in bulk, a few thousand rows per statement, never the whole
fleet in memory. A few robots (`raw_robots`) instead send real MCAP recordings, written by the
demo's generator and taken in by the real ingest, so ingest runs for real beside the summaries.
Same seed, same program.
"""

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, insert

from robotwork.demo.program import cities
from robotwork.demo.telemetry import FleetRobot, write_demo_recordings
from robotwork.evidence.standing import recount_all
from robotwork.intake import Intake
from robotwork.policy import Policy
from robotwork.registry import models as m
from robotwork.registry.reference import central_soes, provinces
from robotwork.store.telemetry import TelemetryStore

PROVINCE_SCENARIOS, SOE_SCENARIOS, SITES_PER_PROVINCE = 50, 7, 12
DOMAINS = ("factory_warehouse", "service", "specialized")
MODELS = ("G1", "H1", "Walker S", "CyberOne", "GR-1")
_CHUNK = 500  # robots per batch of summaries: 500 x 90 days = 45,000 rows per statement


@dataclass(frozen=True)
class Simulated:
    """What was written: counts, for the command's report and the bench."""

    scenarios: int
    robots: int
    summaries: int
    raw_recordings: int


def _rows(engine: Engine, model: type[m.Base], rows: list[dict[str, Any]]) -> None:
    if rows:
        with engine.begin() as conn:
            conn.execute(insert(model), rows)


def _registry(
    engine: Engine, robots: int, start: date, rng: np.random.Generator
) -> tuple[list[dict[str, Any]], int]:
    """Organizations, sites, scenarios and robots; returns the deployments (one per robot) and
    the number of scenarios."""
    orgs = [
        {"code": f"SIM-M-{i}", "name": f"Maker {i}", "kind": "manufacturer", "notes": {}} for i in range(5)
    ]
    sites: list[dict[str, Any]] = []
    scenarios: list[dict[str, Any]] = []
    by_province: dict[str, list[str]] = {}
    for prov in provinces():
        tag = prov.code.split("-")[1]
        orgs.append({"code": f"SIM-U-{tag}", "name": f"{prov.name} users", "kind": "user", "notes": {}})
        towns = cities().get(prov.code) or ()
        for i in range(SITES_PER_PROVINCE):
            site = f"SIM-S-{tag}-{i:02d}"
            town = towns[i % len(towns)].name if towns else f"{prov.name} city {i % 3}"
            sites.append(
                {
                    "site_id": site,
                    "name": f"Plant {i}",
                    "province": prov.code,
                    "city": town,
                    "user_org": f"SIM-U-{tag}",
                }
            )
            by_province.setdefault(prov.code, []).append(site)
    province_codes = sorted(by_province)
    nominators = [(p.code, PROVINCE_SCENARIOS) for p in provinces()] + [
        (s.code, SOE_SCENARIOS) for s in central_soes()
    ]
    for code, count in nominators:
        home = code if code in by_province else province_codes[int(rng.integers(len(province_codes)))]
        for i in range(count):
            site = by_province[home][i % SITES_PER_PROVINCE]
            scenarios.append(
                {
                    "scenario_id": f"SIM-{code}-{i:03d}",
                    "title": f"{DOMAINS[i % 3].replace('_', ' ')} line {i}",
                    "domain": DOMAINS[i % 3],
                    "nominated_by": code,
                    "site_id": site,
                    "user_org": f"SIM-U-{home.split('-')[1]}",
                    "tasks": ["pick", "place"],
                    "nominated_on": date(2026, 6, 1) + timedelta(days=i % 25),
                    "planned_robots": 5,
                    "declared_robots_in_operation": int(rng.integers(0, 8)),
                    "status": "nominated",
                    "notes": {},
                }
            )
    _rows(engine, m.Organization, orgs)
    _rows(engine, m.Site, sites)
    _rows(engine, m.Scenario, scenarios)
    robot_rows, deployments = [], []
    for i in range(robots):
        serial = f"SIM-R-{i:05d}"
        scenario = scenarios[(i * 7919) % len(scenarios)]
        home = [s for s in by_province if scenario["site_id"].startswith(f"SIM-S-{s.split('-')[1]}-")][0]
        site = (
            by_province[home][int(rng.integers(SITES_PER_PROVINCE))]
            if rng.random() < 0.5
            else scenario["site_id"]
        )
        robot_rows.append(
            {
                "serial": serial,
                "model": MODELS[i % len(MODELS)],
                "manufacturer": f"SIM-M-{i % 5}",
                "built_on": date(2026, 1, 1),
                "notes": {},
            }
        )
        deployments.append(
            {
                "robot_serial": serial,
                "scenario_id": scenario["scenario_id"],
                "site_id": site,
                "start_date": start - timedelta(days=int(rng.integers(0, 10))),
                "notes": {},
            }
        )
    for i in range(0, robots, 5000):
        _rows(engine, m.Robot, robot_rows[i : i + 5000])
        _rows(engine, m.Deployment, deployments[i : i + 5000])
    return deployments, len(scenarios)


def _summaries(
    serials: list[str], days: list[date], policy: Policy, seed: int, now: datetime
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """(recordings, recording_days) of a batch of robots: one recording per robot per worked day.

    Each robot has its own habits (how often it works, how long, how autonomous, how well), so
    the fleet spans every stage and autonomy level."""
    rng = np.random.default_rng([seed, len(serials), hash(serials[0]) & 0xFFFF])
    n, d = len(serials), len(days)
    works = rng.uniform(0.35, 0.98, n)[:, None] > rng.random((n, d))
    hours = np.clip(rng.normal(rng.uniform(1.5, 7.0, n)[:, None], 0.8, (n, d)), 0.2, 10)
    auto = rng.beta(rng.uniform(0.5, 8, n), 1.5)[:, None] * np.ones((1, d))
    tasks = rng.poisson(rng.uniform(5, 40, n)[:, None] * np.ones((1, d)))
    success = np.clip(rng.normal(rng.uniform(0.6, 0.99, n)[:, None], 0.03, (n, d)), 0, 1)
    takeovers = rng.poisson((1 - auto) * 2)
    recordings, rows = [], []
    for i, j in zip(*np.nonzero(works), strict=True):
        serial, day = serials[i], days[j]
        rid = hashlib.sha256(f"sim/{seed}/{serial}/{day}".encode()).hexdigest()
        start = int(datetime.combine(day, time(9), policy.zone).timestamp()) * 10**9
        seconds = float(hours[i, j]) * 3600
        done = int(tasks[i, j])
        ok = int(round(done * float(success[i, j])))
        recordings.append(
            {
                "recording_id": rid,
                "robot_serial": serial,
                "source_name": f"{serial}-{day}.mcap",
                "source_kind": "simulated",
                "start_ns": start,
                "end_ns": start + int(seconds * 1e9),
                "messages": int(seconds * 50),
                "size_bytes": int(seconds * 50 * 300),
                "joint_names": [],
                "topics": {},
                "rows": {},
                "files": [],
                "ingested_at": now,
                "ingested_by": "simulate",
            }
        )
        a = round(seconds * float(auto[i, j]), 3)
        rows.append(
            {
                "recording_id": rid,
                "day": day,
                "robot_serial": serial,
                "autonomous_s": a,
                "teleoperated_s": round(seconds - a, 3),
                "scripted_s": 0.0,
                "idle_s": 1800.0,
                "fault_s": 0.0,
                "claimed_operating_s": round(seconds, 3),
                "moving_minutes": int(seconds // 60),
                "tasks_started": done,
                "tasks_succeeded": ok,
                "tasks_failed": done - ok,
                "tasks_aborted": 0,
                "tasks_incomplete": 0,
                "takeover": int(takeovers[i, j]),
                "correction": 0,
                "estop": 0,
                "assist": 0,
            }
        )
    yield recordings, rows


def simulate_program(
    engine: Engine,
    store: TelemetryStore,
    policy: Policy,
    *,
    robots: int,
    days: int,
    raw_robots: int,
    until: date,
    folder: Path,
    seed: int = 0,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> Simulated:
    """Write the program, the summaries of the `days` days before `until`, and ingest the real
    recordings of `raw_robots` robots; the stored figures are remade from it when next read."""
    rng = np.random.default_rng(seed)
    start = until - timedelta(days=days)
    deployments, scenarios = _registry(engine, robots, start, rng)
    raw = min(raw_robots, robots)
    serials = [d["robot_serial"] for d in deployments[raw:]]
    calendar = [start + timedelta(days=i) for i in range(days)]
    now = datetime.now(UTC)
    summaries = 0
    for i in range(0, len(serials), _CHUNK):
        for recordings, rows in _summaries(serials[i : i + _CHUNK], calendar, policy, seed + i, now):
            _rows(engine, m.Recording, recordings)
            _rows(engine, m.RecordingDay, rows)
            summaries += len(rows)
        if on_progress:
            on_progress("summaries", min(i + _CHUNK, len(serials)), len(serials))
    taken = _ingest_raw(engine, store, policy, deployments[:raw], until, days, folder, seed, on_progress)
    recount_all(engine)
    return Simulated(scenarios, robots, summaries, taken)


def _ingest_raw(
    engine: Engine,
    store: TelemetryStore,
    policy: Policy,
    deployments: list[dict[str, Any]],
    until: date,
    days: int,
    folder: Path,
    seed: int,
    on_progress: Callable[[str, int, int], None] | None,
) -> int:
    """Write the demo's MCAP recordings for these robots and take them in through ingest."""
    if not deployments:
        return 0
    fleet = [
        FleetRobot(
            d["robot_serial"],
            MODELS[0],
            d["scenario_id"],
            d["site_id"],
            "",
            date(2026, 1, 1),
            d["start_date"],
            ("pick",),
        )
        for d in deployments
    ]
    written = write_demo_recordings(folder, fleet, seed=seed, today=until, days=days)
    intake = Intake(engine, store, policy, actor="simulate")
    for k, recording in enumerate(written, 1):
        intake.take(recording.path)
        if on_progress:
            on_progress("recordings", k, len(written))
    return len(written)
