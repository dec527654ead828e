"""The ladder rung by rung, high value, and the autonomy levels at their boundaries."""

import pytest

from robotwork.evidence.ladder import RoutineRobot, stand
from robotwork.evidence.rollup import _level


def robots(n: int, *, sites: int = 1, cities: int = 1, tasks: int = 60, succeeded: int = 57):
    return [RoutineRobot(f"R{i}", f"S{i % sites}", f"C{i % cities}", tasks, succeeded) for i in range(n)]


def test_nominated_without_robots(policy):
    s = stand([], policy)
    assert s.stage == "nominated" and not s.high_value and s.success_rate is None
    assert "none in routine operation" in s.missing_for_next_stage[0]


def test_verified_needs_success_over_enough_tasks(policy):
    assert stand(robots(1, tasks=49, succeeded=49), policy).stage == "nominated"
    assert stand(robots(1, tasks=50, succeeded=39), policy).stage == "nominated"  # 78%
    verified = stand(robots(1, tasks=50, succeeded=40), policy)  # exactly 80%
    assert verified.stage == "verified"
    assert verified.missing_for_next_stage == ["4 more robot(s) in routine operation (1 of 5)"]


def test_batch_at_five_robots(policy):
    assert stand(robots(4), policy).stage == "verified"
    batch = stand(robots(5), policy)
    assert batch.stage == "batch"
    assert batch.missing_for_next_stage == [
        "robots in routine operation at 2 more site(s) (1 of 3)",
        "robots in routine operation in 1 more city(ies) (1 of 2)",
    ]


def test_region_needs_three_sites_and_two_cities(policy):
    assert stand(robots(5, sites=3, cities=1), policy).stage == "batch"
    assert stand(robots(5, sites=2, cities=2), policy).stage == "batch"
    region = stand(robots(5, sites=3, cities=2), policy)
    assert region.stage == "region" and region.missing_for_next_stage == []


def test_region_needs_batch_below_it(policy):
    spread = robots(4, sites=4, cities=2)
    assert stand(spread, policy).stage == "verified"  # three sites, two cities, but only 4 robots
    unverified = robots(5, sites=3, cities=2, tasks=60, succeeded=30)
    assert stand(unverified, policy).stage == "nominated"  # no rung holds without verify one


def test_high_value_needs_batch_and_ninety_percent(policy):
    assert stand(robots(5, tasks=100, succeeded=90), policy).high_value
    assert not stand(robots(5, tasks=100, succeeded=89), policy).high_value
    assert not stand(robots(4, tasks=100, succeeded=100), policy).high_value


@pytest.mark.parametrize(
    "auto,tele,script,mtbi,level",
    [
        (95, 5, 0, 10.0, "L4"),
        (95, 5, 0, None, "L4"),
        (95, 5, 0, 9.99, "L3"),
        (94.9, 5.1, 0, 100.0, "L3"),
        (80, 20, 0, 1.0, "L3"),
        (80, 20, 0, 0.99, "L2"),
        (79.9, 20.1, 0, None, "L2"),
        (50, 50, 0, None, "L2"),
        (49.9, 25, 25.1, None, "L1"),
        (40, 30, 30, None, "L1"),
        (40, 31, 29, None, "L0"),
        (0, 100, 0, None, "L0"),
        (0, 0, 0, None, None),
    ],
)
def test_autonomy_level_boundaries(policy, auto, tele, script, mtbi, level):
    assert _level(policy.autonomy_levels, auto, tele, script, mtbi) == level
