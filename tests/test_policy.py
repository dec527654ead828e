"""The policy file: every number of policy.md is in it, and a bad file is refused clearly."""

from datetime import date

import pytest

from robotwork.errors import PolicyError
from robotwork.policy import default_policy_text, load_policy


def test_default_policy_holds_the_plan(policy):
    assert policy.domains == ("factory_warehouse", "service", "specialized")
    assert (policy.quotas["province"].min_scenarios, policy.quotas["province"].min_domains) == (20, 2)
    assert policy.quotas["central_soe"].min_scenarios == 10
    assert policy.deadlines == {
        "implementation_plan": date(2026, 6, 30),
        "progress_report": date(2026, 11, 30),
    }
    assert policy.targets == {
        "date": date(2026, 12, 31),
        "robots_in_routine_operation": 10000,
        "high_value_applications_more_than": 100,
    }
    assert policy.routine_operation["window_days"] == 30
    assert policy.routine_operation["min_worked_days"] == 15
    assert policy.routine_operation["worked_day_min_operating_hours"] == 2.0
    assert policy.stages["verified"] == {"min_robots": 1, "min_success_rate": 0.8, "min_tasks": 50}
    assert policy.stages["batch"]["min_robots"] == 5
    assert policy.stages["region"] == {"min_sites": 3, "min_cities": 2}
    assert policy.high_value == {"min_stage": "batch", "min_success_rate": 0.9}
    assert [r.level for r in policy.autonomy_levels] == ["L4", "L3", "L2", "L1", "L0"]
    assert policy.autonomy_levels[0].min_autonomous_share == 0.95
    assert policy.autonomy_levels[0].min_mtbi_hours == 10.0
    assert policy.autonomy_levels[3].scripted_at_least_teleoperated
    assert policy.motion_epsilon_rad == 0.001
    assert policy.timezone == "Asia/Shanghai" and policy.domain_name("service", "zh") == "服务"


@pytest.mark.parametrize(
    "old,new,fragment",
    [
        (
            "min_scenarios = 20",
            'min_scenarios = "twenty"',
            "quotas.province.min_scenarios has the wrong type",
        ),
        ("progress_report = 2026-11-30", "", "missing policy value deadlines.progress_report"),
        ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"', "unknown time zone"),
        ("[targets]", "[targets", "not valid TOML"),
    ],
)
def test_bad_policy_files_are_refused(tmp_path, old, new, fragment):
    path = tmp_path / "policy.toml"
    path.write_text(default_policy_text().replace(old, new, 1))
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert str(path) in str(err.value) and fragment in str(err.value)


def test_missing_policy_file(tmp_path):
    with pytest.raises(PolicyError, match="cannot read policy file"):
        load_policy(tmp_path / "nope.toml")
