"""What the demo robots do at work: shifts, task episodes, control modes, interventions, motion.

The generator is built backwards from the evidence the demo must show (policy.md). Every
scenario gets a target stage, and its robots get traits that produce it: a routine robot
works five days in every seven-day block with at least 2.15 h of operating time a day (so any
30 days hold at least 20 worked days), the others one or two days a block (at most 10 in any
30 days); a reliability sets each robot's success rate; an autonomy profile lands it on a level
L0..L4. Nothing here writes files: `week_content` returns the arrays and event texts of one
robot-week, which telemetry.py encodes.
"""

from __future__ import annotations

import json
import random
import zlib
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np

if TYPE_CHECKING:
    from robotwork.demo.telemetry import FleetRobot

CONTROL_MODE = "/robotwork/control_mode"
TASK = "/robotwork/task"
INTERVENTION = "/robotwork/intervention"
OPERATING = ("autonomous", "teleoperated", "scripted")
SHANGHAI = ZoneInfo("Asia/Shanghai")  # shift hours are local; times inside are UTC ns
SECOND = 1_000_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE

_JOINTS = (
    "left_shoulder_pitch",
    "left_shoulder_roll",
    "left_elbow",
    "left_wrist_roll",
    "right_shoulder_pitch",
    "right_shoulder_roll",
    "right_elbow",
    "right_wrist_roll",
    "waist_yaw",
    "head_yaw",
    "left_wrist_pitch",
    "right_wrist_pitch",
)
_REASONS = {
    "takeover": (
        "object out of reach",
        "path blocked by a person",
        "grasp failed twice",
        "localization lost",
        "unexpected obstacle",
    ),
    "correction": (
        "misaligned grasp",
        "wrong placement",
        "drifted from the work area",
        "pace adjusted to the line",
    ),
    "estop": (
        "person entered the safety zone",
        "collision detected",
        "joint over-temperature",
        "stop button pressed",
    ),
    "assist": ("door opened for the robot", "part handed to the robot", "waypoint re-taught", "jam cleared"),
}
# Samples 25-30 s apart: every calendar minute of a shift holds at least two, yet few messages.
_SAMPLE_GAP_S = (25.0, 30.0)
_NOISE_RAD = 5e-5  # encoder noise: far below the 0.001 rad that makes a minute moving
_FAULT_PER_EPISODE = 0.004
_LEARNING_HOURS = 200.0  # harvested hours at which a model's learning starts to show


@dataclass(frozen=True)
class Profile:
    """How a robot is run: the modes of its task episodes and how often people step in."""

    modes: dict[str, float]
    per_hour: float  # interventions per hour of task time
    kinds: dict[str, float]
    initiators: dict[str, float]
    takeover_min: tuple[float, float] = (3.0, 8.0)
    idle_after_task: float = 0.2  # chance of an idle pause after a task


_AUTONOMOUS_KINDS = {"takeover": 0.45, "correction": 0.3, "assist": 0.15, "estop": 0.1}
_AUTONOMOUS_BY = {"system": 0.5, "remote_operator": 0.3, "onsite_operator": 0.2}
PROFILES = {  # the comments say the autonomy level each profile lands on over a month
    "remote_piloted": Profile(  # L0
        {"teleoperated": 0.88, "scripted": 0.08, "autonomous": 0.04},
        0.3,
        {"assist": 0.5, "correction": 0.3, "estop": 0.2},
        {"remote_operator": 0.6, "onsite_operator": 0.3, "system": 0.1},
    ),
    "scripted": Profile(  # L1
        {"scripted": 0.7, "teleoperated": 0.2, "autonomous": 0.1},
        0.4,
        {"correction": 0.4, "estop": 0.25, "takeover": 0.2, "assist": 0.15},
        {"onsite_operator": 0.6, "system": 0.3, "remote_operator": 0.1},
    ),
    "supervised": Profile(  # L2: takeovers eat a third of the autonomous time, MTBI < 1 h
        {"autonomous": 0.8, "scripted": 0.12, "teleoperated": 0.08},
        1.6,
        _AUTONOMOUS_KINDS,
        _AUTONOMOUS_BY,
        (10.0, 22.0),
    ),
    "conditional": Profile(  # L3: MTBI about 3 h
        {"autonomous": 0.95, "teleoperated": 0.05}, 0.35, _AUTONOMOUS_KINDS, _AUTONOMOUS_BY
    ),
    "high": Profile(  # L4: MTBI about 30 h
        {"autonomous": 1.0}, 0.03, _AUTONOMOUS_KINDS, _AUTONOMOUS_BY, (2.0, 5.0)
    ),
}
_PROFILE_WEIGHTS = {
    "remote_piloted": 0.32,
    "scripted": 0.3,
    "supervised": 0.18,
    "conditional": 0.12,
    "high": 0.08,
}
# A planted static robot: it claims autonomy for hours, asks for no help and never moves.
STATIC_PROFILE = Profile({"autonomous": 1.0}, 0.0, {"assist": 1.0}, {"system": 1.0})


@dataclass(frozen=True)
class Target:
    """The stage a scenario's operating data is made to reach, and whether it is high value."""

    stage: str  # nominated | verified | batch | region
    high_value: bool = False


@dataclass(frozen=True)
class Traits:
    """How one robot works: routine or now and then, how reliably, how autonomously."""

    routine: bool
    reliability: float
    profile: str


@dataclass(frozen=True)
class Content:
    """One recording's worth of work (times are UTC ns, events in time order)."""

    times: np.ndarray  # /joint_states log times, int64
    position: np.ndarray  # (samples, joints) rad
    velocity: np.ndarray
    effort: np.ndarray
    command_times: np.ndarray
    command_position: np.ndarray
    events: list[tuple[int, str, str]]  # (log time, topic, JSON text)

    @property
    def start_ns(self) -> int:
        return min(int(self.times[0]), self.events[0][0])

    @property
    def end_ns(self) -> int:
        return max(int(self.times[-1]), int(self.command_times[-1]), self.events[-1][0])

    def shifted(self, delta_ns: int) -> Content:
        """The same work re-sent ``delta_ns`` later: what a replay looks like."""
        return replace(
            self,
            times=self.times + delta_ns,
            command_times=self.command_times + delta_ns,
            events=[(t + delta_ns, topic, text) for t, topic, text in self.events],
        )


def joint_names(model: str) -> list[str]:
    """One joint layout per model: 8-12 joints, by a stable hash of the model name."""
    return list(_JOINTS[: 8 + zlib.crc32(model.encode()) % 5])


def first_day(robot: FleetRobot) -> date:
    """The first day the robot may work: deployed, and built the day before at the latest."""
    return max(robot.deployed_from, robot.built_on + timedelta(days=1))


# -- scenario targets and robot traits --------------------------------------------------------

_TARGET_MIX = {  # capability -> (stage, cumulative share) in order; the first always occurs
    "region": (("region", 0.6), ("batch", 0.8), ("verified", 1.0)),
    "batch": (("batch", 0.5), ("verified", 0.75), ("nominated", 1.0)),
    "few": (("verified", 0.45), ("nominated", 1.0)),
}


def _capability(robots: list[FleetRobot]) -> str:
    sites, cities = {r.site_id for r in robots}, {r.city for r in robots}
    if len(robots) >= 5 and len(sites) >= 3 and len(cities) >= 2:
        return "region"
    return "batch" if len(robots) >= 5 else "few"


def scenario_targets(fleet: list[FleetRobot], seed: int) -> dict[str, Target]:
    """The stage each scenario of ``fleet`` is made to reach; half the batches are high value.

    Scenarios are dealt by what their fleet could reach (regional, batch-sized, few robots),
    so every stage occurs whenever a fleet can reach it.
    """
    rng = random.Random(f"targets/{seed}")
    groups = _by_scenario(fleet)
    targets: dict[str, Target] = {}
    high = 0
    for capability, mix in _TARGET_MIX.items():
        ids = sorted(s for s, robots in groups.items() if _capability(robots) == capability)
        rng.shuffle(ids)
        for i, scenario_id in enumerate(ids):
            stage = next(stage for stage, upto in mix if i / len(ids) < upto)
            high_value = stage in ("batch", "region") and high % 2 == 0
            high += stage in ("batch", "region")
            targets[scenario_id] = Target(stage, high_value)
    return targets


def assign_traits(fleet: list[FleetRobot], seed: int) -> dict[str, Traits]:
    """Traits of every robot, chosen per scenario so that the scenario meets its target."""
    targets = scenario_targets(fleet, seed)
    traits: dict[str, Traits] = {}
    for scenario_id, robots in _by_scenario(fleet).items():
        rng = random.Random(f"traits/{seed}/{scenario_id}")
        target = targets[scenario_id]
        routine = _routine(target, robots, rng)
        base = rng.choices(list(_PROFILE_WEIGHTS), list(_PROFILE_WEIGHTS.values()))[0]
        lead = next((r.serial for r in robots if r.serial in routine), None)
        for robot in robots:
            profile = (
                base
                if rng.random() < 0.8
                else rng.choices(list(_PROFILE_WEIGHTS), list(_PROFILE_WEIGHTS.values()))[0]
            )
            reliability = _reliability(target, robot.serial in routine, robot.serial == lead, rng)
            traits[robot.serial] = Traits(robot.serial in routine, round(reliability, 3), profile)
    return traits


def _by_scenario(fleet: list[FleetRobot]) -> dict[str, list[FleetRobot]]:
    groups: dict[str, list[FleetRobot]] = {}
    for robot in fleet:
        groups.setdefault(robot.scenario_id, []).append(robot)
    return groups


def _routine(target: Target, robots: list[FleetRobot], rng: random.Random) -> set[str]:
    """The serials that work routinely: just enough of the right robots for the target.

    A batch of a fleet that could be regional keeps its routine robots at two sites; a region
    has one routine robot at every site at least; a nominated scenario has none, or (one in
    three) routine robots too unreliable to verify.
    """
    serials = [r.serial for r in robots]
    if target.stage == "nominated":
        return set(serials) if rng.random() < 0.3 else set()
    if target.stage == "verified":
        return set(rng.sample(serials, rng.randint(1, min(4, len(serials)))))
    pool = robots
    if target.stage == "batch":
        counts: dict[str, int] = {}
        for r in robots:
            counts[r.site_id] = counts.get(r.site_id, 0) + 1
        top = sorted(counts, key=lambda s: (-counts[s], s))[:2]
        pool = [r for r in robots if r.site_id in top]
    chosen = {r.serial for r in pool if rng.random() < 0.75}
    if target.stage == "region":
        chosen |= {next(r.serial for r in robots if r.site_id == s) for s in {r.site_id for r in robots}}
    for robot in pool:
        if len(chosen) >= 5:
            break
        chosen.add(robot.serial)
    return chosen


def _reliability(target: Target, routine: bool, lead: bool, rng: random.Random) -> float:
    """A success rate that keeps the target true: high value pooled >= 90%, otherwise a lead
    robot >= 80% and the others below, so that pooled stays under 90%."""
    if not routine:
        return rng.uniform(0.6, 0.95)
    if target.stage == "nominated":
        return rng.uniform(0.6, 0.76)
    if target.high_value:
        return rng.uniform(0.93, 0.99)
    if lead:
        return rng.uniform(0.88, 0.96)
    return rng.uniform(0.62, 0.84) if target.stage != "verified" else rng.uniform(0.6, 0.95)


# -- one robot-week ---------------------------------------------------------------------------


def worked_days(robot: FleetRobot, traits: Traits, block: list[date], rng: random.Random) -> list[date]:
    """The days of a block the robot works: five of every seven (off on Sundays and one other
    day a week) when routine, else one or two a week."""
    active = [d for d in block if d >= first_day(robot)]
    if not active:
        return []
    weeks = -(-len(block) // 7)
    if traits.routine:
        others = [d for d in active if d.weekday() != 6]
        off = {d for d in active if d.weekday() == 6} | set(rng.sample(others, min(weeks, len(others))))
        return [d for d in active if d not in off]
    return sorted(rng.sample(active, min(len(active), sum(rng.randint(1, 2) for _ in range(weeks)))))


def week_content(
    robot: FleetRobot,
    traits: Traits,
    days: list[date],
    rng: random.Random,
    *,
    static: bool = False,
    learned: float = 1.0,
) -> Content | None:
    """The robot's work on ``days`` as one recording (None without days); ``static`` plants a
    robot that claims autonomy while its joints never move; ``learned`` scales how often people
    step in (see `learning`)."""
    if not days:
        return None
    profile = STATIC_PROFILE if static else PROFILES[traits.profile]
    profile = replace(profile, per_hour=profile.per_hour * learned)
    shifts = [_Shift(robot, traits, profile, day, rng).work() for day in days]
    events = sorted((e for s in shifts for e in s.events), key=lambda e: e[0])
    gen = np.random.default_rng(rng.getrandbits(64))
    times = np.concatenate([_sample_times(s.start, s.end, gen) for s in shifts])
    modes = [(t, text) for t, topic, text in events if topic == CONTROL_MODE]
    moving = _moving(times, modes)
    keep = moving | (np.arange(len(times)) % 2 == 0)  # a still robot needs half the samples
    times, moving = times[keep], moving[keep]
    joints = len(joint_names(robot.model))
    if static:
        position = np.tile(np.round(gen.uniform(-0.5, 0.5, joints), 4), (len(times), 1))
        velocity, effort = np.zeros_like(position), np.round(4.0 * position, 2)
    else:
        position, velocity, effort = _motion(times, moving, joints, gen)
    step = slice(0, None, 8)  # commands with every eighth state: enough to show the action
    command = np.round(position[step] + 0.05 * velocity[step], 4)
    return Content(times, position, velocity, effort, times[step] + 40_000_000, command, events)


def learning_rate(model: str) -> float:
    """How fast a model learns from its data: the exponent of `learning`, 0.15-0.45 by a stable
    hash of the model name, so that the models of the fleet improve at different rates."""
    return 0.15 + (zlib.crc32(f"learn/{model}".encode()) % 7) * 0.05


def learning(model: str, harvested_hours: float) -> float:
    """The share of its starting intervention rate a model needs once ``harvested_hours`` of its
    fleet's operating data have been harvested: a power law, as training on more data gives
    (1 at none, about 0.5-0.8 after a few thousand hours), so the "data paying off" chart has a
    slope to show, steeper for some models than others."""
    return float((1.0 + max(harvested_hours, 0.0) / _LEARNING_HOURS) ** -learning_rate(model))


def _sample_times(start: int, end: int, gen: np.random.Generator) -> np.ndarray:
    low, high = (int(s * SECOND) for s in _SAMPLE_GAP_S)
    gaps = gen.integers(low, high, (end - start) // low + 1)
    times = start + np.concatenate([[0], np.cumsum(gaps)])
    return times[times <= end].astype(np.int64)


def _moving(times: np.ndarray, modes: list[tuple[int, str]]) -> np.ndarray:
    """Whether each sample falls in an operating mode (the robot moves only then)."""
    mode_times = np.array([t for t, _ in modes], np.int64)
    operating = np.array([json.loads(text)["mode"] in OPERATING for _, text in modes])
    return operating[np.searchsorted(mode_times, times, side="right") - 1]


def _motion(
    times: np.ndarray, moving: np.ndarray, joints: int, gen: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Smooth arm motion that advances only while the robot operates (held still otherwise),
    plus encoder noise; rounded as an encoder reports it."""
    dt = np.diff(times, prepend=times[0]) / SECOND
    tau = np.cumsum(dt * moving) + gen.uniform(0, 1e5)
    periods = gen.uniform(40.0, 180.0, (2, joints))
    amplitude = gen.uniform(0.05, 0.45, (2, joints))
    angle = 2 * np.pi * tau[:, None, None] / periods + gen.uniform(0, 2 * np.pi, (2, joints))
    centre = gen.uniform(-0.5, 0.5, joints)
    position = centre + (amplitude * np.sin(angle)).sum(axis=1)
    position += gen.normal(0, _NOISE_RAD, position.shape)
    velocity = (amplitude * 2 * np.pi / periods * np.cos(angle)).sum(axis=1) * moving[:, None]
    effort = 4.0 * position  # holding the arms against gravity, in N·m
    return np.round(position, 4), np.round(velocity, 3), np.round(effort, 2)


def _local_ns(day: date, minutes: float) -> int:
    midnight = datetime.combine(day, time(), SHANGHAI)
    return int(midnight.timestamp()) * SECOND + int(minutes * MINUTE)


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


class _Shift:
    """One day of work laid out in time: task episodes until the day's operating time is
    reached, with the mode changes, interventions, pauses and faults between them."""

    def __init__(
        self, robot: FleetRobot, traits: Traits, profile: Profile, day: date, rng: random.Random
    ) -> None:
        self.robot, self.traits, self.profile, self.rng = robot, traits, profile, rng
        self.start = self.t = _local_ns(day, rng.uniform(8 * 60, 10 * 60))
        self.end = self.start
        self.events: list[tuple[int, str, str]] = []
        self.mode = ""
        self.operating = 0

    def work(self) -> _Shift:
        hours = (2.15, 2.8) if self.traits.routine else (1.0, 3.0)
        target = int(self.rng.uniform(*hours) * HOUR)
        while self.operating < target:
            self._episode()
        if self.mode != "idle":
            self._set_mode(self.t, "idle")
        self.end = self.t
        return self

    def _emit(self, at: int, topic: str, payload: dict[str, str]) -> None:
        self.events.append((at, topic, json.dumps(payload, ensure_ascii=False)))

    def _set_mode(self, at: int, mode: str) -> None:
        payload = {"mode": mode}
        if mode in ("teleoperated", "scripted"):
            who = "remote" if mode == "teleoperated" else "onsite"
            payload["operator"] = f"{who}-{self.rng.randint(1, 12):02d}"
        self._emit(at, CONTROL_MODE, payload)
        self.mode = mode

    def _episode(self) -> None:
        """One task: start, interventions, maybe a fault, then its outcome and a pause."""
        rng, start = self.rng, self.t
        mode = _pick(rng, self.profile.modes)
        if mode != self.mode:
            self._set_mode(start, mode)
        task = rng.choice(self.robot.tasks or ("assigned task",))
        self._emit(start, TASK, {"event": "start", "task": task})
        end = start + int(rng.uniform(5, 15) * MINUTE)
        ok = rng.random() < self.traits.reliability
        outcome = "success" if ok else ("failure" if rng.random() < 0.7 else "abort")
        end, halt = self._interventions(start, end, mode)
        if halt is None and rng.random() < _FAULT_PER_EPISODE:
            halt = ("fault", rng.uniform(5, 25))  # the task ends in a fault
        if halt is not None:
            outcome = "abort"
        self._emit(end, TASK, {"event": outcome, "task": task})
        self.operating += end - start
        if halt is None and rng.random() < self.profile.idle_after_task:
            halt = ("idle", rng.uniform(2, 8))
        if halt is None:
            self.t = end + int(rng.uniform(10, 60) * SECOND)
            return
        self._set_mode(end, halt[0])
        self.t = end + int(halt[1] * MINUTE)

    def _interventions(self, start: int, end: int, mode: str) -> tuple[int, tuple[str, float] | None]:
        """People stepping in during a task, arriving at the profile's rate: a takeover hands
        the robot to a remote pilot for a while, an e-stop ends the task."""
        rng, profile = self.rng, self.profile
        at, busy = start, start
        while profile.per_hour and (at := at + int(rng.expovariate(profile.per_hour) * HOUR)) < end:
            if at < busy:
                continue
            kind = _pick(rng, profile.kinds)
            if kind == "takeover" and mode == "teleoperated":
                kind = "correction"
            self._emit(
                at,
                INTERVENTION,
                {
                    "kind": kind,
                    "initiated_by": _pick(rng, profile.initiators),
                    "reason": rng.choice(_REASONS[kind]),
                },
            )
            if kind == "estop":
                return at, ("idle", rng.uniform(2, 6))
            if kind == "takeover":
                busy = at + int(rng.uniform(*profile.takeover_min) * MINUTE)
                self._set_mode(at, "teleoperated")
                self._set_mode(busy, mode)
                end = max(end, busy + MINUTE)
        return end, None
