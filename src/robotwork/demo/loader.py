"""Loading the demo through the same doors officials and robots use, so it obeys every check.

The registry goes in through the importer; the operating data is written as real MCAP files
(both encodings) and goes in through `Intake`, so its evidence and integrity flags are derived
exactly as for any robot's upload.
"""

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from multiprocessing import get_context
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from robotwork.datasets import ExportFilters, export_dataset
from robotwork.demo.program import build_program
from robotwork.demo.telemetry import plan_fleet, plan_recordings
from robotwork.errors import RobotworkError
from robotwork.intake import Intake
from robotwork.policy import Policy
from robotwork.registry.importer import import_document
from robotwork.registry.models import Episode, Recording, Robot
from robotwork.registry.sources import document_from_rows
from robotwork.store.telemetry import TelemetryStore


def load_demo_program(engine: Engine, policy: Policy, *, seed: int, actor: str) -> tuple[dict, list[str]]:
    """Import the demo registry for `seed`; returns the program and what was built, line by line."""
    program = build_program(seed=seed)
    doc = document_from_rows(Path(f"demo-seed-{seed}.json"), program)
    report = import_document(engine, doc, policy, actor=actor)
    if not report.ok:
        raise RobotworkError(f"demo program (seed {seed}) failed its own checks: {report.problems[0]}")
    lines = [f"demo program, seed {seed}:"]
    for sheet, counts in report.sheets.items():
        lines.append(
            f"  {sheet}: {len(program[sheet])} rows ({counts.created} new, "
            f"{counts.updated} updated, {counts.unchanged} unchanged)"
        )
    return program, lines


@dataclass(frozen=True)
class DemoSize:
    """How much operating data the demo writes: days back from today, days per recording."""

    days: int
    block: int


# The default is a first look in minutes: 35 days in fortnightly files is enough for routine
# operation (15 worked days in any 30) and five weekly points on the charts; the full size is
# the program as it has been run so far, 45 days in weekly files.
QUICK = DemoSize(days=35, block=14)
FULL = DemoSize(days=45, block=7)


def load_demo_telemetry(
    engine: Engine,
    store: TelemetryStore,
    policy: Policy,
    program: dict,
    *,
    folder: Path,
    seed: int,
    today: date,
    actor: str,
    size: DemoSize = FULL,
    writers: int = 0,
    on_file: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Write the fleet's recordings up to yesterday into `folder` and take them in.

    Files are written by ``writers`` processes (0: one fewer than the cores, at least one) a few
    robots ahead of the intake, which takes them in the fleet's order, so that the result does
    not depend on how many processes wrote it. Writers are spawned, not forked: the caller may
    be a server or a test runner with threads of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    plan = plan_recordings(
        folder, plan_fleet(program), seed=seed, today=today, days=size.days, block=size.block
    )
    total = plan.count()
    intake = Intake(engine, store, policy, actor=actor)
    statuses: dict[str, int] = {}
    messages = done = 0
    planted: set[str] = set()
    if on_file:
        on_file(0, total)
    workers = writers or max(1, (os.cpu_count() or 2) - 1)
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        for recordings in pool.map(plan.write_robot, range(len(plan.fleet))):
            for rec in recordings:
                result = intake.take(rec.path)
                if result.status == "rejected":
                    raise RobotworkError(f"demo recording refused: {result.error}")
                statuses[result.status] = statuses.get(result.status, 0) + 1
                messages += result.messages
                planted |= {rec.planted} if rec.planted else set()
                done += 1
                if on_file:
                    on_file(done, total)
    return [
        f"  recordings: {done} MCAP files in {folder} "
        f"({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}; {messages:,} messages), "
        f"planted integrity cases: {', '.join(sorted(planted)) or 'none'}"
    ]


def export_demo_dataset(
    engine: Engine, store: TelemetryStore, policy: Policy, folder: Path, *, actor: str
) -> list[str]:
    """One training dataset, as an algorithm team would ask for a first look: the task episodes
    of one day of the robot with the most of them, in the scenario and robot model with the
    most, a tenth held out for validation. (The whole scenario would be ~140 million frames.)"""
    finished = Episode.outcome != "incomplete"
    count = func.count(Episode.id)
    with Session(engine) as session:
        top = session.execute(
            select(Recording.scenario_id, Robot.model, Recording.robot_serial, func.max(Episode.start_ns))
            .join(Episode, Episode.recording_id == Recording.recording_id)
            .join(Robot, Robot.serial == Recording.robot_serial)
            .where(Recording.scenario_id.is_not(None), finished)
            .group_by(Recording.scenario_id, Robot.model, Recording.robot_serial)
            .order_by(count.desc(), Recording.robot_serial)
            .limit(1)
        ).first()
    if top is None:
        return []
    scenario, model, serial, last_ns = top
    day = datetime.fromtimestamp(last_ns / 1e9, policy.zone).date()
    out = folder / f"{scenario}-{serial}-{day.isoformat()}"
    if out.exists():
        return [f"  dataset: {out} is there already (not exported again)"]
    folder.mkdir(parents=True, exist_ok=True)
    filters = ExportFilters(scenario=scenario, robot=serial, date_from=day, date_to=day)
    [result] = export_dataset(engine, store, policy, out, filters=filters, val_fraction=0.1, actor=actor)
    return [
        f"  dataset: {result.episodes} task episodes ({result.frames:,} frames) of {serial} ({model}) "
        f"at {scenario} on {day}, as LeRobot v3.0 in {out} (robotwork dataset show {result.dataset_id[:8]})"
    ]


def create_demo_accounts(engine: Engine, program: dict) -> list[str]:
    """One account per role (and a device token), with demo passwords, and how to log in; the
    consortium member and the algorithm team are of a consortium whose robots have recordings."""
    from robotwork.accounts import add_user, create_token

    soe = next(s["nominated_by"] for s in program["scenarios"] if str(s["nominated_by"]).startswith("SOE-"))
    deployed = {d["scenario_id"]: d["robot_serial"] for d in program["deployments"]}
    teams = {
        m["consortium_id"]: m["org_code"]
        for m in program["consortium_members"]
        if m["role"] == "algorithm_team"
    }
    working = [c for c in program["consortia"] if any(s in deployed for s in c["scenario_ids"])]
    # one with an algorithm team (a few consortia lack one), so the team reads the robots' data
    consortium = next((c for c in working if c["consortium_id"] in teams), working[0])
    robot = next(deployed[s] for s in consortium["scenario_ids"] if s in deployed)
    team = teams.get(consortium["consortium_id"])
    accounts = [
        ("ministry", "ministry", {}),
        ("gd-officer", "province", {"org": "CN-GD"}),
        (f"{soe.removeprefix('SOE-').lower()}-officer", "central_soe", {"org": soe}),
        ("consortium-member", "consortium", {"consortium": consortium["consortium_id"]}),
    ]
    if team:
        accounts.append(("algorithm-team", "algorithm_team", {"org": team}))
    lines = ["  accounts (user / password):"]
    for username, role, extra in accounts:
        add_user(engine, username, f"{username}-demo", role, **extra)
        where = extra.get("org") or extra.get("consortium") or "all"
        lines.append(f"    {username} / {username}-demo  ({role}, {where})")
    token = create_token(engine, robot=robot, label="demo device")
    lines.append(f"    device token for robot {robot}: {token}")
    return lines
