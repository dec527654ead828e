"""Import of the nomination template: formats, every check of registry.md, atomicity, history."""

from pathlib import Path

import pytest
from registry_docs import edited, province_program, write_csv_folder, write_json, write_xlsx
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from robotwork.errors import ImportRejected
from robotwork.policy import Policy
from robotwork.registry import models
from robotwork.registry.importer import import_file
from robotwork.registry.template import SHEETS

WRITERS = {
    "json": lambda doc, tmp: write_json(doc, tmp / "program.json"),
    "xlsx": lambda doc, tmp: write_xlsx(doc, tmp / "program.xlsx"),
    "csv": lambda doc, tmp: write_csv_folder(doc, tmp / "program"),
}


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every registry table, for before/after comparisons."""
    out = {}
    with Session(engine) as session:
        for sheet in (*SHEETS, None):
            model = models.Change if sheet is None else sheet.model
            cols = [c.name for c in model.__table__.columns]
            rows = session.execute(select(*[getattr(model, c) for c in cols])).all()
            out[model.__tablename__] = sorted(map(repr, rows))
    return out


def run_import(engine: Engine, policy: Policy, doc, tmp: Path, fmt: str = "json", **kw):
    return import_file(engine, WRITERS[fmt](doc, tmp), policy, actor="tester", **kw)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_each_format_imports_every_sheet(engine, policy, tmp_path, fmt):
    doc = province_program()
    report = run_import(engine, policy, doc, tmp_path, fmt)
    assert report.ok and report.written, report.problems
    for sheet, rows in doc.items():
        assert report.sheets[sheet].created == len(rows)
    with Session(engine) as session:
        scenario = session.get(models.Scenario, "SC-GD-001")
        assert scenario.tasks == ["pick tote", "place tote"]
        assert str(scenario.nominated_on) == "2026-07-01"
        assert scenario.declared_robots_in_operation == 3
        assert scenario.status == "nominated"
        deployment = session.scalars(select(models.Deployment)).one()
        assert deployment.end_date is None


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_reimport_changes_nothing(engine, policy, tmp_path, fmt):
    doc = province_program()
    run_import(engine, policy, doc, tmp_path, fmt)
    before = snapshot(engine)
    report = run_import(engine, policy, doc, tmp_path, fmt)
    assert report.ok
    assert sum(c.created + c.updated for c in report.sheets.values()) == 0
    assert sum(c.unchanged for c in report.sheets.values()) == sum(len(r) for r in doc.values())
    assert snapshot(engine) == before


def test_changed_row_updates_and_is_recorded(engine, policy, tmp_path):
    doc = province_program()
    run_import(engine, policy, doc, tmp_path)
    changed = edited(
        doc, "scenarios", 3, title="Tote picking line 3 (night shift)", declared_robots_in_operation=9
    )
    report = run_import(engine, policy, changed, tmp_path)
    assert report.sheets["scenarios"].updated == 1
    with Session(engine) as session:
        assert session.get(models.Scenario, "SC-GD-003").declared_robots_in_operation == 9
        change = session.scalars(
            select(models.Change).where(
                models.Change.record_key == "SC-GD-003", models.Change.action == "update"
            )
        ).one()
    assert change.old == {"title": "Tote picking line 3", "declared_robots_in_operation": 3}
    assert change.new == {"title": "Tote picking line 3 (night shift)", "declared_robots_in_operation": 9}
    assert change.actor == "tester" and change.source.endswith("program.json")
    assert change.changed_at is not None


def test_extra_columns_are_kept_as_notes(engine, policy, tmp_path):
    doc = edited(province_program(), "sites", 0, contact="Ms. Li")
    run_import(engine, policy, doc, tmp_path, "xlsx")
    with Session(engine) as session:
        assert session.get(models.Site, "S-GD-1").notes == {"contact": "Ms. Li"}


def _other_province_site(doc):
    doc["sites"][0].update(province="CN-ZJ", city="Hangzhou")
    return doc


def _overlapping_deployment(doc):
    doc["deployments"].append(
        {
            "robot_serial": "R-GD-1",
            "scenario_id": "SC-GD-001",
            "site_id": "S-GD-1",
            "start_date": "2026-09-01",
        }
    )
    return doc


def _duplicate_key(doc):
    doc["robots"].append(dict(doc["robots"][0]))
    return doc


BAD_ROWS = [
    (
        "unknown nominator",
        lambda d: edited(d, "scenarios", 2, nominated_by="CN-XX"),
        "scenarios",
        "nominated_by",
        "unknown organization 'CN-XX'",
    ),
    (
        "nominator not a province",
        lambda d: edited(d, "scenarios", 2, nominated_by="U-GD"),
        "scenarios",
        "nominated_by",
        "not a province or central SOE",
    ),
    (
        "unknown site",
        lambda d: edited(d, "scenarios", 2, site_id="S-NOPE"),
        "scenarios",
        "site_id",
        "unknown site 'S-NOPE'",
    ),
    (
        "site in another province",
        _other_province_site,
        "scenarios",
        "site_id",
        "lies in CN-ZJ, not in the nominating province CN-GD",
    ),
    (
        "domain outside the list",
        lambda d: edited(d, "scenarios", 2, domain="agriculture"),
        "scenarios",
        "domain",
        "'agriculture' is not one of",
    ),
    (
        "kind outside the list",
        lambda d: edited(d, "organizations", 1, kind="bank"),
        "organizations",
        "kind",
        "'bank' is not one of",
    ),
    (
        "unknown province code",
        lambda d: edited(d, "organizations", 0, province="CN-ZZ"),
        "organizations",
        "province",
        "unknown province 'CN-ZZ'",
    ),
    (
        "invented province",
        lambda d: edited(d, "organizations", 0, kind="province"),
        "organizations",
        "code",
        "not an ISO 3166-2:CN province code",
    ),
    (
        "date not ISO",
        lambda d: edited(d, "scenarios", 2, nominated_on="30/06/2026"),
        "scenarios",
        "nominated_on",
        "is not YYYY-MM-DD",
    ),
    (
        "date impossible",
        lambda d: edited(d, "submissions", 0, submitted_on="2026-02-30"),
        "submissions",
        "submitted_on",
        "does not exist",
    ),
    (
        "required value missing",
        lambda d: edited(d, "scenarios", 2, title=""),
        "scenarios",
        "title",
        "required value missing",
    ),
    (
        "no tasks",
        lambda d: edited(d, "scenarios", 2, tasks=[]),
        "scenarios",
        "tasks",
        "required value missing",
    ),
    (
        "negative number",
        lambda d: edited(d, "scenarios", 2, planned_robots=-4),
        "scenarios",
        "planned_robots",
        "is negative",
    ),
    (
        "word for a number",
        lambda d: edited(d, "scenarios", 2, planned_robots="many"),
        "scenarios",
        "planned_robots",
        "is not a whole number",
    ),
    (
        "status outside the list",
        lambda d: edited(d, "scenarios", 2, status="paused"),
        "scenarios",
        "status",
        "'paused' is not one of",
    ),
    (
        "unknown role",
        lambda d: edited(d, "consortium_members", 0, role="sponsor"),
        "consortium_members",
        "role",
        "'sponsor' is not one of",
    ),
    (
        "unknown consortium scenario",
        lambda d: edited(d, "consortia", 0, scenario_ids=["SC-X"]),
        "consortia",
        "scenario_ids",
        "unknown scenario 'SC-X'",
    ),
    (
        "unknown manufacturer",
        lambda d: edited(d, "robots", 0, manufacturer="M-NOPE"),
        "robots",
        "manufacturer",
        "unknown organization 'M-NOPE'",
    ),
    (
        "unknown robot",
        lambda d: edited(d, "deployments", 0, robot_serial="R-NOPE"),
        "deployments",
        "robot_serial",
        "unknown robot 'R-NOPE'",
    ),
    (
        "end before start",
        lambda d: edited(d, "deployments", 0, end_date="2026-07-01"),
        "deployments",
        "end_date",
        "before the start date",
    ),
    (
        "overlapping deployments",
        _overlapping_deployment,
        "deployments",
        "start_date",
        "already deployed at scenario SC-GD-000",
    ),
    (
        "submission kind",
        lambda d: edited(d, "submissions", 0, kind="report"),
        "submissions",
        "kind",
        "'report' is not one of",
    ),
    (
        "submission by a user",
        lambda d: edited(d, "submissions", 0, org_code="U-GD"),
        "submissions",
        "org_code",
        "only provinces and central SOEs submit",
    ),
    (
        "serial with a slash",
        lambda d: edited(d, "robots", 0, serial="R/1"),
        "robots",
        "serial",
        "may hold only letters",
    ),
    ("duplicate key", _duplicate_key, "robots", "serial", "duplicate key R-GD-1"),
]


@pytest.mark.parametrize("case", BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_bad_row_rejects_whole_file(engine, policy, tmp_path, case):
    _, mutate, sheet, column, fragment = case
    before = snapshot(engine)
    report = run_import(engine, policy, mutate(province_program()), tmp_path)
    assert not report.ok and not report.written
    hits = [p for p in report.problems if p.sheet == sheet and p.column == column]
    assert hits and fragment in hits[0].message, report.problems
    assert hits[0].row >= 1
    assert snapshot(engine) == before


def test_row_numbers_are_spreadsheet_lines(engine, policy, tmp_path):
    doc = edited(province_program(), "scenarios", 4, domain="farm")
    report = run_import(engine, policy, doc, tmp_path, "xlsx")
    assert [str(p) for p in report.problems] == [
        "scenarios row 6, column domain: 'farm' is not one of factory_warehouse, service, specialized"
    ]


def test_every_bad_row_is_reported(engine, policy, tmp_path):
    doc = edited(edited(province_program(), "scenarios", 1, domain="x"), "robots", 0, model="")
    report = run_import(engine, policy, doc, tmp_path, "csv")
    assert {(p.sheet, p.row, p.column) for p in report.problems} >= {
        ("scenarios", 3, "domain"),
        ("robots", 2, "model"),
    }


def test_missing_required_column_in_workbook(engine, policy, tmp_path):
    doc = province_program()
    for row in doc["sites"]:
        del row["city"]
    report = run_import(engine, policy, doc, tmp_path, "xlsx")
    assert any(p.sheet == "sites" and p.row == 1 and p.column == "city" for p in report.problems)
    assert not report.written


def test_partial_imports_the_good_rows(engine, policy, tmp_path):
    doc = edited(province_program(), "scenarios", 5, domain="x")
    report = run_import(engine, policy, doc, tmp_path, partial=True)
    assert report.written and not report.ok
    assert report.sheets["scenarios"].created == 19 and report.sheets["scenarios"].rejected == 1
    with Session(engine) as session:
        assert session.get(models.Scenario, "SC-GD-005") is None
        assert session.scalar(select(func.count()).select_from(models.Scenario)) == 19


def test_rows_naming_a_bad_row_are_bad_too(engine, policy, tmp_path):
    doc = edited(province_program(), "robots", 0, manufacturer="M-NOPE")
    report = run_import(engine, policy, doc, tmp_path, partial=True)
    assert any(p.sheet == "deployments" and "unknown robot" in p.message for p in report.problems)


def test_incomplete_consortium_is_accepted_and_flagged(engine, policy, tmp_path):
    doc = province_program()
    doc["consortium_members"] = doc["consortium_members"][:2]
    report = run_import(engine, policy, doc, tmp_path)
    assert report.ok
    assert report.warnings == ["consortium C-GD is incomplete: no member with role algorithm_team"]


@pytest.mark.parametrize(
    "name,content,fragment",
    [
        ("broken.json", b'{"scenarios": [', "not valid JSON at line 1"),
        ("list.json", b"[1, 2]", "must be an object of sheets"),
        ("rows.json", b'{"scenarios": {"a": 1}}', "must be a list of objects"),
        ("latin1.json", '{"sites": "Zürich"}'.encode("latin-1"), "not UTF-8"),
        ("fake.xlsx", b"PK\x03\x04 this is not a workbook", "not a readable .xlsx workbook"),
        ("program.ods", b"whatever", "unsupported file type '.ods'"),
    ],
)
def test_malformed_files_are_refused_with_the_file_named(engine, policy, tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot(engine)
    with pytest.raises(ImportRejected) as err:
        import_file(engine, path, policy, actor="tester")
    assert str(path) in str(err.value) and fragment in str(err.value)
    assert "\n" not in str(err.value)
    assert snapshot(engine) == before


def test_empty_folder_is_refused(engine, policy, tmp_path):
    with pytest.raises(ImportRejected, match="no .csv files"):
        import_file(engine, tmp_path, policy, actor="tester")


def test_unknown_sheets_are_ignored_with_a_warning(engine, policy, tmp_path):
    doc = province_program()
    doc["instructions"] = [{"text": "fill in every sheet"}]
    report = run_import(engine, policy, doc, tmp_path, "xlsx")
    assert report.ok and report.warnings == ["sheet 'instructions' is not in the template and was ignored"]
