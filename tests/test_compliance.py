"""Compliance as of a date, at the edges the plan's dates and rules draw."""

from datetime import date

import pytest
from registry_docs import province_program, write_json

from robotwork.compliance import compute_compliance
from robotwork.errors import UnknownRecord
from robotwork.registry.importer import import_file


def load(engine, policy, tmp_path, doc):
    report = import_file(engine, write_json(doc, tmp_path / "doc.json"), policy, actor="tester")
    assert report.ok, report.problems


def org(engine, policy, code, as_of):
    return compute_compliance(engine, policy, date.fromisoformat(as_of), code).organizations[0]


def test_every_province_and_central_soe_appears(engine, policy):
    report = compute_compliance(engine, policy, date(2026, 11, 25))
    summary = report.to_json()["summary"]
    assert summary["provinces"] == 31 and summary["provinces_compliant"] == 0
    assert summary["central_soes"] >= 20
    beijing = next(o for o in report.organizations if o.code == "CN-BJ")
    assert beijing.scenarios_counted == 0 and beijing.domains_covered == []
    assert beijing.implementation_plan == "missing" and not beijing.compliant


def test_quota_met_and_compliant(engine, policy, tmp_path):
    load(engine, policy, tmp_path, province_program())
    gd = org(engine, policy, "CN-GD", "2026-11-25")
    assert (gd.scenarios_counted, gd.domains_covered, gd.quota_met) == (
        20,
        ["factory_warehouse", "service"],
        True,
    )
    assert gd.implementation_plan == "on_time" and gd.progress_report == "not_due"
    assert gd.declared_robots_in_operation == 60 and gd.compliant and gd.problems == []


@pytest.mark.parametrize("submitted_on,status", [("2026-06-30", "on_time"), ("2026-07-01", "late")])
def test_plan_deadline_edge(engine, policy, tmp_path, submitted_on, status):
    doc = province_program()
    doc["submissions"][0]["submitted_on"] = submitted_on
    load(engine, policy, tmp_path, doc)
    gd = org(engine, policy, "CN-GD", "2026-11-25")
    assert gd.implementation_plan == status
    assert gd.compliant  # a late plan is flagged, not fatal
    assert ("implementation plan submitted late (due 2026-06-30)" in gd.problems) == (status == "late")


@pytest.mark.parametrize(
    "as_of,status,compliant", [("2026-11-30", "not_due", True), ("2026-12-01", "missing", False)]
)
def test_progress_report_due_edge(engine, policy, tmp_path, as_of, status, compliant):
    load(engine, policy, tmp_path, province_program())
    gd = org(engine, policy, "CN-GD", as_of)
    assert gd.progress_report == status and gd.compliant is compliant


def test_report_submitted_on_the_day_is_on_time(engine, policy, tmp_path):
    doc = province_program()
    doc["submissions"].append({"org_code": "CN-GD", "kind": "progress_report", "submitted_on": "2026-11-30"})
    load(engine, policy, tmp_path, doc)
    assert org(engine, policy, "CN-GD", "2026-11-29").progress_report == "not_due"
    assert org(engine, policy, "CN-GD", "2026-11-30").progress_report == "on_time"
    assert org(engine, policy, "CN-GD", "2026-12-05").progress_report == "on_time"


def test_as_of_counts_only_what_existed(engine, policy, tmp_path):
    load(engine, policy, tmp_path, province_program(nominated_on="2026-09-15"))
    before = org(engine, policy, "CN-GD", "2026-09-14")
    assert before.scenarios_counted == 0 and not before.quota_met
    assert org(engine, policy, "CN-GD", "2026-09-15").scenarios_counted == 20
    early = org(engine, policy, "CN-GD", "2026-06-27")
    assert early.implementation_plan == "not_due"


def test_duplicates_and_withdrawn_do_not_count(engine, policy, tmp_path):
    doc = province_program(scenarios=22)
    doc["scenarios"][20]["title"] = doc["scenarios"][0]["title"]  # same user + site + title
    doc["scenarios"][21]["title"] = "  TOTE picking   line 1 "  # same title, other spelling
    doc["scenarios"][2]["status"] = "withdrawn"
    load(engine, policy, tmp_path, doc)
    gd = org(engine, policy, "CN-GD", "2026-11-25")
    assert gd.scenarios_counted == 19 and not gd.quota_met
    assert "19 of 20 scenarios nominated" in gd.problems
    assert "2 duplicate nomination(s) not counted" in gd.problems


def test_one_domain_fails_even_with_25_scenarios(engine, policy, tmp_path):
    load(engine, policy, tmp_path, province_program(scenarios=25, domains=("service",)))
    gd = org(engine, policy, "CN-GD", "2026-11-25")
    assert gd.scenarios_counted == 25 and gd.domains_covered == ["service"]
    assert not gd.quota_met and not gd.compliant
    assert "1 of 2 domains covered" in gd.problems


def test_central_soe_quota_is_ten_in_any_domain(engine, policy, tmp_path):
    doc = province_program(scenarios=10, domains=("specialized",))
    for s in doc["scenarios"]:
        s["nominated_by"] = "SOE-SGCC"
    doc["submissions"][0]["org_code"] = "SOE-SGCC"
    load(engine, policy, tmp_path, doc)
    sgcc = org(engine, policy, "SOE-SGCC", "2026-11-25")
    assert sgcc.kind == "central_soe" and sgcc.scenarios_counted == 10 and sgcc.quota_met


def test_non_compliant_come_first(engine, policy, tmp_path):
    load(engine, policy, tmp_path, province_program())
    rows = compute_compliance(engine, policy, date(2026, 11, 25)).organizations
    flags = [o.compliant for o in rows]
    assert flags == sorted(flags) and flags[-1] is True


def test_policy_numbers_drive_the_answer(engine, tmp_path):
    from robotwork.policy import default_policy_text, load_policy

    path = tmp_path / "strict.toml"
    path.write_text(default_policy_text().replace("min_scenarios = 20", "min_scenarios = 21"))
    strict = load_policy(path)
    load(engine, strict, tmp_path, province_program())
    assert not org(engine, strict, "CN-GD", "2026-11-25").quota_met


def test_unknown_org_is_an_error(engine, policy):
    with pytest.raises(UnknownRecord, match="CN-XX"):
        compute_compliance(engine, policy, date(2026, 11, 25), "CN-XX")
