"""Bad workbooks refused (issue 14): formula cells, an empty workbook, a template sheet without
data rows; messages name the file as it was sent, never a path of the server."""

import json

import pytest
from openpyxl import Workbook
from registry_docs import province_program, write_xlsx
from test_import import snapshot

from robotwork.errors import ImportRejected
from robotwork.registry.importer import import_file


def test_a_formula_cell_is_refused_naming_sheet_row_and_column(engine, policy, tmp_path):
    path = write_xlsx(province_program(), tmp_path / "gd.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["scenarios"]["B5"] = '=CONCATENATE("Tote ", "picking")'
    wb.save(path)
    before = snapshot(engine)
    with pytest.raises(ImportRejected) as refused:
        import_file(engine, path, policy, actor="t")
    message = str(refused.value)
    assert message.startswith(f"{path}: sheet scenarios row 5, column B: a formula")
    assert snapshot(engine) == before


@pytest.mark.parametrize("kind", ["no sheets of the template", "headers only", "blank rows only"])
def test_an_empty_workbook_is_refused(engine, policy, tmp_path, kind):
    wb = Workbook()
    ws = wb.active
    ws.title = "notes" if kind == "no sheets of the template" else "scenarios"
    if kind != "no sheets of the template":
        ws.append(["scenario_id", "title"])
    if kind == "blank rows only":
        ws.append([None, "  "])
    path = tmp_path / "empty.xlsx"
    wb.save(path)
    with pytest.raises(ImportRejected, match=r"empty.xlsx: no data rows in any of the template's sheets"):
        import_file(engine, path, policy, actor="t")


def test_a_template_sheet_without_rows_is_refused(engine, policy, tmp_path):
    doc = province_program()
    doc["robots"] = []
    path = tmp_path / "gd.json"
    path.write_text(json.dumps(doc))
    before = snapshot(engine)
    with pytest.raises(ImportRejected, match=r"gd.json: sheet robots row 2: no data rows under the header"):
        import_file(engine, path, policy, actor="t")
    assert snapshot(engine) == before


def test_api_messages_name_the_file_as_sent(tmp_path, policy):
    from access_world import auth, world

    api = world(tmp_path, None, policy)
    for name, body in (
        ("bad nominations.json", b"{not json"),
        ("empty.json", b"{}"),
        ("scenarios.xlsx", b"PK not a zip"),
    ):
        answer = api.post(
            "/api/v1/imports",
            files={"file": (name, body, "application/octet-stream")},
            headers=auth(api, "gd"),
        )
        assert answer.status_code == 422, answer.text
        detail = answer.json()["detail"]
        assert detail.startswith(f"{name}: "), detail
        assert "/tmp" not in detail and str(tmp_path) not in detail
