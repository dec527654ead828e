"""The demo program generator on its own: deterministic, complete, consistent, mixed as planned.

The quota rules are re-derived here from policy.md rather than imported, so a generator bug
cannot hide behind the same bug in the evaluator.
"""

from collections import Counter, defaultdict
from datetime import date
from itertools import pairwise
from typing import cast

import pytest

from robotwork.demo.program import build_program, cities
from robotwork.registry.reference import central_soes, provinces

Doc = dict[str, list[dict[str, object]]]

COLUMNS = {
    "organizations": ("code", "name", "name_zh", "kind", "province"),
    "sites": ("site_id", "name", "province", "city", "user_org"),
    "scenarios": (
        "scenario_id",
        "title",
        "domain",
        "nominated_by",
        "site_id",
        "user_org",
        "tasks",
        "nominated_on",
        "planned_robots",
        "declared_robots_in_operation",
        "status",
    ),
    "consortia": ("consortium_id", "name", "scenario_ids"),
    "consortium_members": ("consortium_id", "org_code", "role"),
    "robots": ("serial", "model", "manufacturer", "built_on", "owner_org"),
    "deployments": ("robot_serial", "scenario_id", "site_id", "start_date", "end_date"),
    "submissions": ("org_code", "kind", "submitted_on", "document"),
}
REQUIRED = {
    "organizations": ("code", "name", "kind"),
    "sites": COLUMNS["sites"],
    "scenarios": (
        "scenario_id",
        "title",
        "domain",
        "nominated_by",
        "site_id",
        "user_org",
        "tasks",
        "nominated_on",
    ),
    "consortia": ("consortium_id", "name"),
    "consortium_members": COLUMNS["consortium_members"],
    "robots": ("serial", "model", "manufacturer"),
    "deployments": ("robot_serial", "scenario_id", "site_id", "start_date"),
    "submissions": ("org_code", "kind", "submitted_on"),
}
DATES = {
    "scenarios": ("nominated_on",),
    "robots": ("built_on",),
    "deployments": ("start_date", "end_date"),
    "submissions": ("submitted_on",),
}
PROVINCES = {p.code for p in provinces()}
SOES = {s.code for s in central_soes()}


@pytest.fixture(scope="module", params=[0, 1, 2])
def doc(request: pytest.FixtureRequest) -> Doc:
    return build_program(seed=request.param)


def ints(rows: list[dict[str, object]], column: str) -> list[int]:
    values = [r[column] for r in rows]
    assert all(isinstance(v, int) for v in values)
    return cast("list[int]", values)


def strings(value: object) -> list[str]:
    assert isinstance(value, list) and all(isinstance(v, str) for v in value)
    return value


def counted(doc: Doc) -> dict[str, tuple[int, set[str]]]:
    """Per nominator: the scenarios that count (not withdrawn, user+site+title once), domains."""
    seen: set[tuple[object, ...]] = set()
    out: dict[str, tuple[int, set[str]]] = defaultdict(lambda: (0, set()))
    for s in doc["scenarios"]:
        key = (s["user_org"], s["site_id"], s["title"])
        if s["status"] == "withdrawn" or key in seen:
            continue
        seen.add(key)
        n, domains = out[str(s["nominated_by"])]
        out[str(s["nominated_by"])] = (n + 1, domains | {str(s["domain"])})
    return out


def plan_dates(doc: Doc) -> dict[str, str]:
    return {
        str(s["org_code"]): str(s["submitted_on"])
        for s in doc["submissions"]
        if s["kind"] == "implementation_plan"
    }


def test_numbers_are_ints(doc: Doc) -> None:
    assert min(ints(doc["scenarios"], "declared_robots_in_operation")) >= 0
    assert min(ints(doc["scenarios"], "planned_robots")) >= 2


def test_same_seed_same_document_other_seed_other_document() -> None:
    assert build_program(seed=5) == build_program(seed=5)
    assert build_program(seed=5) != build_program(seed=6)


def test_rows_have_exactly_the_template_columns(doc: Doc) -> None:
    assert set(doc) == set(COLUMNS)
    for sheet, rows in doc.items():
        assert rows, sheet
        for row in rows:
            assert tuple(row) == COLUMNS[sheet], (sheet, row)


def test_required_cells_filled_and_typed(doc: Doc) -> None:
    for sheet, rows in doc.items():
        for row in rows:
            for col in REQUIRED[sheet]:
                assert row[col] not in ("", None, []), (sheet, col, row)
            for col in DATES.get(sheet, ()):
                if row[col]:
                    date.fromisoformat(str(row[col]))
    for s in doc["scenarios"]:
        assert 1 <= len(strings(s["tasks"])) <= 4 and all(strings(s["tasks"]))
        assert s["status"] in ("nominated", "withdrawn")
        assert s["domain"] in ("factory_warehouse", "service", "specialized")
        assert "2026-06-08" <= str(s["nominated_on"]) <= "2026-11-20"


def test_every_reference_resolves(doc: Doc) -> None:
    kinds = {str(o["code"]): o["kind"] for o in doc["organizations"]}
    assert len(kinds) == len(doc["organizations"])
    assert not (set(kinds) & (PROVINCES | SOES)), "reference orgs are not to be listed again"
    assert {o["province"] for o in doc["organizations"]} <= PROVINCES
    sites = {s["site_id"] for s in doc["sites"]}
    scenarios = {s["scenario_id"] for s in doc["scenarios"]}
    assert len(sites) == len(doc["sites"]) and len(scenarios) == len(doc["scenarios"])
    for s in doc["sites"]:
        assert kinds[str(s["user_org"])] == "user"
    for s in doc["scenarios"]:
        assert s["nominated_by"] in PROVINCES | SOES and s["site_id"] in sites
        assert kinds[str(s["user_org"])] == "user"
    consortia = {c["consortium_id"] for c in doc["consortia"]}
    for c in doc["consortia"]:
        assert set(strings(c["scenario_ids"])) <= scenarios
    for m in doc["consortium_members"]:
        assert m["consortium_id"] in consortia and kinds[str(m["org_code"])] == m["role"]
    serials = {r["serial"] for r in doc["robots"]}
    assert len(serials) == len(doc["robots"])
    for r in doc["robots"]:
        assert kinds[str(r["manufacturer"])] == "manufacturer"
        assert kinds[str(r["owner_org"])] in ("user", "integrator")
    for d in doc["deployments"]:
        assert d["robot_serial"] in serials and d["scenario_id"] in scenarios
        assert d["site_id"] in sites
    for s in doc["submissions"]:
        assert s["org_code"] in PROVINCES | SOES
        assert s["kind"] in ("implementation_plan", "progress_report")


def test_sites_stand_in_real_cities_and_province_sites_at_home(doc: Doc) -> None:
    places = {(c.province, c.name) for found in cities().values() for c in found}
    site = {s["site_id"]: s for s in doc["sites"]}
    for s in doc["sites"]:
        assert (s["province"], s["city"]) in places
    for s in doc["scenarios"]:
        if s["nominated_by"] in PROVINCES:
            assert site[s["site_id"]]["province"] == s["nominated_by"]
        assert site[s["site_id"]]["user_org"] == s["user_org"]


def test_province_quota_mix(doc: Doc) -> None:
    count = counted(doc)
    assert set(count) >= PROVINCES
    meet = {p for p in PROVINCES if count[p][0] >= 20 and len(count[p][1]) >= 2}
    short_count = {p for p in PROVINCES if count[p][0] < 20}
    short_domains = {p for p in PROVINCES if count[p][0] >= 20 and len(count[p][1]) < 2}
    assert 22 <= len(meet) <= 24
    assert 2 <= len(short_domains) <= 3
    assert len(short_count) == 31 - len(meet) - len(short_domains)
    assert all(14 <= count[p][0] <= 19 for p in short_count)


def test_duplicates_and_withdrawals_exercise_the_counting_rule(doc: Doc) -> None:
    keys = Counter(
        (s["user_org"], s["site_id"], s["title"]) for s in doc["scenarios"] if s["status"] != "withdrawn"
    )
    assert 2 <= sum(n - 1 for n in keys.values()) <= 3
    assert 5 <= sum(s["status"] == "withdrawn" for s in doc["scenarios"]) <= 8
    naive = Counter(s["nominated_by"] for s in doc["scenarios"] if s["status"] != "withdrawn")
    tipped = [p for p in PROVINCES if counted(doc)[p][0] == 19 and naive[p] >= 20]
    assert tipped, "a province at 19 whose duplicate would tip a naive count to 20"


def test_central_soes_nominate(doc: Doc) -> None:
    count = counted(doc)
    nominating = [c for c in count if c in SOES]
    assert len(nominating) >= 20
    assert all(8 <= count[c][0] <= 14 for c in nominating)
    assert sum(count[c][0] >= 10 for c in nominating) >= 0.7 * len(nominating)


def test_implementation_plans_and_progress_reports(doc: Doc) -> None:
    plans = plan_dates(doc)
    late = {c for c, d in plans.items() if d > "2026-06-30"}
    assert all("2026-06-15" <= d <= "2026-07-31" for d in plans.values())
    assert 2 <= len(late & PROVINCES) <= 4 and 1 <= len(PROVINCES - set(plans)) <= 2
    nominators = {str(s["nominated_by"]) for s in doc["scenarios"]}
    soes = nominators & SOES
    assert 1 <= len(late & soes) + len(soes - set(plans)) <= 2
    reports = [s for s in doc["submissions"] if s["kind"] == "progress_report"]
    assert all("2026-11-02" <= str(r["submitted_on"]) <= "2026-11-24" for r in reports)
    assert len({r["org_code"] for r in reports}) == len(reports)
    assert 0.3 <= len(reports) / len(nominators) <= 0.5


def test_consortia_mostly_complete(doc: Doc) -> None:
    roles: dict[object, set[object]] = defaultdict(set)
    for m in doc["consortium_members"]:
        roles[m["consortium_id"]].add(m["role"])
    incomplete = [c for c in doc["consortia"] if len(roles[c["consortium_id"]]) < 3]
    assert 3 <= len(incomplete) <= 6
    covered = {i for c in doc["consortia"] for i in strings(c["scenario_ids"])}
    assert covered == {s["scenario_id"] for s in doc["scenarios"]}


def test_robot_fleet(doc: Doc) -> None:
    assert 300 <= len(doc["robots"]) <= 400
    assert 6 <= len({r["model"] for r in doc["robots"]}) <= 8
    assert len({r["manufacturer"] for r in doc["robots"]}) >= 4
    assert all("2025-03-01" <= str(r["built_on"]) <= "2026-06-30" for r in doc["robots"])
    assert all("2026-07-01" <= str(d["start_date"]) <= "2026-10-15" for d in doc["deployments"])


def test_each_robot_in_one_scenario_without_overlap(doc: Doc) -> None:
    spans: dict[object, list[tuple[str, str]]] = defaultdict(list)
    for d in doc["deployments"]:
        spans[d["robot_serial"]].append((str(d["start_date"]), str(d["end_date"]) or "9999-12-31"))
    assert set(spans) == {r["serial"] for r in doc["robots"]}
    for found in spans.values():
        found.sort()
        assert all(later[0] > earlier[1] for earlier, later in pairwise(found))
    scenarios = defaultdict(set)
    for d in doc["deployments"]:
        scenarios[d["robot_serial"]].add(d["scenario_id"])
    assert all(len(s) == 1 for s in scenarios.values())


def test_fleet_sizes_reach_every_stage(doc: Doc) -> None:
    city = {s["site_id"]: (s["province"], s["city"]) for s in doc["sites"]}
    robots: Counter[object] = Counter()
    sites: dict[object, set[object]] = defaultdict(set)
    for d in doc["deployments"]:
        robots[d["scenario_id"]] += 1
        sites[d["scenario_id"]].add(d["site_id"])
    assert 60 <= len(robots) <= 80
    assert sum(n == 1 for n in robots.values()) >= 5
    assert sum(2 <= n <= 4 for n in robots.values()) >= 5
    assert sum(n >= 5 for n in robots.values()) >= 10
    regional = [
        s
        for s, n in robots.items()
        if n >= 5 and len(sites[s]) >= 3 and len({city[x] for x in sites[s]}) >= 2
    ]
    assert len(regional) >= 3
    status = {s["scenario_id"]: s for s in doc["scenarios"]}
    assert all(status[s]["status"] == "nominated" for s in robots)
    assert all(
        str(status[d["scenario_id"]]["nominated_on"]) <= str(d["start_date"]) for d in doc["deployments"]
    )


def test_declarations_run_ahead_of_deployments(doc: Doc) -> None:
    robots = Counter(d["scenario_id"] for d in doc["deployments"])
    declared = ints(doc["scenarios"], "declared_robots_in_operation")
    planned = ints(doc["scenarios"], "planned_robots")
    assert sum(declared) > 1.5 * len(doc["robots"])
    assert all(p >= d for p, d in zip(planned, declared, strict=True))
    deployed = [robots[s["scenario_id"]] for s in doc["scenarios"]]
    assert sum(d > n for d, n in zip(declared, deployed, strict=True)) > 100
