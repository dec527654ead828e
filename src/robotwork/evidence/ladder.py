"""The rollout ladder "verify one, deploy a batch, drive a region", and high-value applications.

A scenario stands on the highest rung whose rule holds together with every rung below it, so a
scenario with robots at three sites but no verified robot is still `nominated`. Every threshold
comes from the policy; `shortfalls` say, as data (`evidence.shortfall`), what the next rung
still needs.
"""

from dataclasses import dataclass, field

from robotwork.evidence.shortfall import Shortfall
from robotwork.policy import Policy

STAGES = ("nominated", "verified", "batch", "region")


@dataclass(frozen=True)
class RoutineRobot:
    """What the ladder needs to know of one robot of the scenario in routine operation."""

    serial: str
    site_id: str | None
    city: str | None
    tasks: int  # succeeded + failed + aborted in the window
    succeeded: int


@dataclass
class Standing:
    """A scenario's stage, what the next rung lacks, and whether it is a high-value application."""

    stage: str
    shortfalls: list[Shortfall] = field(default_factory=list)
    success_rate: float | None = None
    high_value: bool = False

    @property
    def missing_for_next_stage(self) -> list[str]:
        """What the next rung lacks in the English sentences of the JSON documents."""
        return [s.english() for s in self.shortfalls]


def _rate(succeeded: int, tasks: int) -> float | None:
    return succeeded / tasks if tasks else None


def _verified(robots: list[RoutineRobot], policy: Policy) -> list[Shortfall]:
    rule = policy.stages["verified"]
    good = [
        r
        for r in robots
        if r.tasks >= rule["min_tasks"] and r.succeeded / r.tasks >= rule["min_success_rate"]
    ]
    if len(good) >= rule["min_robots"]:
        return []
    params = {
        "min_success_rate": rule["min_success_rate"],
        "min_tasks": rule["min_tasks"],
        "best_serial": None,
        "best_rate": None,
        "best_tasks": 0,
    }
    if robots:
        best = max(robots, key=lambda r: (r.tasks >= rule["min_tasks"], _rate(r.succeeded, r.tasks) or 0))
        params |= {
            "best_serial": best.serial,
            "best_rate": _rate(best.succeeded, best.tasks),
            "best_tasks": best.tasks,
        }
    return [Shortfall("stage.verified", len(good), rule["min_robots"], "robots", params)]


def _batch(robots: list[RoutineRobot], policy: Policy) -> list[Shortfall]:
    want = policy.stages["batch"]["min_robots"]
    if len(robots) >= want:
        return []
    return [Shortfall("stage.batch", len(robots), want, "robots")]


def _region(robots: list[RoutineRobot], policy: Policy) -> list[Shortfall]:
    rule = policy.stages["region"]
    sites = {r.site_id for r in robots if r.site_id}
    cities = {r.city for r in robots if r.city}
    missing = []
    if len(sites) < rule["min_sites"]:
        missing.append(Shortfall("stage.sites", len(sites), rule["min_sites"], "sites"))
    if len(cities) < rule["min_cities"]:
        missing.append(Shortfall("stage.cities", len(cities), rule["min_cities"], "cities"))
    return missing


_RUNGS = (("verified", _verified), ("batch", _batch), ("region", _region))


def stand(robots: list[RoutineRobot], policy: Policy) -> Standing:
    """Climb the ladder with the scenario's robots in routine operation."""
    stage, missing = "nominated", []
    for name, rule in _RUNGS:
        missing = rule(robots, policy)
        if missing:
            break
        stage, missing = name, []
    tasks = sum(r.tasks for r in robots)
    rate = _rate(sum(r.succeeded for r in robots), tasks)
    high = policy.high_value
    high_value = (
        STAGES.index(stage) >= STAGES.index(high["min_stage"])
        and rate is not None
        and rate >= high["min_success_rate"]
    )
    return Standing(stage, missing, rate, high_value)
