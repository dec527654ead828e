"""The rollout ladder "verify one, deploy a batch, drive a region", and high-value applications.

A scenario stands on the highest rung whose rule holds together with every rung below it, so a
scenario with robots at three sites but no verified robot is still `nominated`. Every threshold
comes from the policy; `missing` says, in words, what the next rung still needs.
"""

from dataclasses import dataclass, field

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
    missing_for_next_stage: list[str] = field(default_factory=list)
    success_rate: float | None = None
    high_value: bool = False


def _rate(succeeded: int, tasks: int) -> float | None:
    return succeeded / tasks if tasks else None


def _verified(robots: list[RoutineRobot], policy: Policy) -> list[str]:
    rule = policy.stages["verified"]
    good = [
        r
        for r in robots
        if r.tasks >= rule["min_tasks"] and r.succeeded / r.tasks >= rule["min_success_rate"]
    ]
    if len(good) >= rule["min_robots"]:
        return []
    need = (
        f"{rule['min_robots'] - len(good)} more robot(s) in routine operation with a task success "
        f"rate of at least {rule['min_success_rate']:.0%} over at least {rule['min_tasks']} tasks"
    )
    if robots:
        best = max(robots, key=lambda r: (r.tasks >= rule["min_tasks"], _rate(r.succeeded, r.tasks) or 0))
        rate = _rate(best.succeeded, best.tasks)
        need += f" (best: {best.serial}, {'no' if rate is None else f'{rate:.0%} of'} {best.tasks} tasks)"
    else:
        need += " (none in routine operation)"
    return [need]


def _batch(robots: list[RoutineRobot], policy: Policy) -> list[str]:
    want = policy.stages["batch"]["min_robots"]
    if len(robots) >= want:
        return []
    return [f"{want - len(robots)} more robot(s) in routine operation ({len(robots)} of {want})"]


def _region(robots: list[RoutineRobot], policy: Policy) -> list[str]:
    rule = policy.stages["region"]
    sites = {r.site_id for r in robots if r.site_id}
    cities = {r.city for r in robots if r.city}
    missing = []
    if len(sites) < rule["min_sites"]:
        missing.append(
            f"robots in routine operation at {rule['min_sites'] - len(sites)} more site(s) "
            f"({len(sites)} of {rule['min_sites']})"
        )
    if len(cities) < rule["min_cities"]:
        missing.append(
            f"robots in routine operation in {rule['min_cities'] - len(cities)} more city(ies) "
            f"({len(cities)} of {rule['min_cities']})"
        )
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
