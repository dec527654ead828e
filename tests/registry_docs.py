"""Small import documents for tests, and writers for each import format (json, xlsx, csv folder)."""

import copy
import csv
import json
from pathlib import Path

from openpyxl import Workbook

Doc = dict[str, list[dict[str, object]]]


def province_program(
    province: str = "CN-GD",
    *,
    scenarios: int = 20,
    domains: tuple[str, ...] = ("factory_warehouse", "service"),
    nominated_on: str = "2026-07-01",
    city: str = "Shenzhen",
) -> Doc:
    """A province with `scenarios` nominations spread over `domains`, one site, one user."""
    tag = province.split("-")[1]
    doc: Doc = {
        "organizations": [
            {
                "code": f"U-{tag}",
                "name": f"{tag} Logistics Co.",
                "name_zh": "物流公司",
                "kind": "user",
                "province": province,
            },
            {"code": f"I-{tag}", "name": f"{tag} Integrator", "kind": "integrator", "province": province},
            {"code": f"A-{tag}", "name": f"{tag} Robot Learning Lab", "kind": "algorithm_team"},
            {"code": "M-UNITREE", "name": "Unitree Robotics", "kind": "manufacturer", "province": "CN-ZJ"},
        ],
        "sites": [
            {
                "site_id": f"S-{tag}-1",
                "name": "Warehouse 1",
                "province": province,
                "city": city,
                "user_org": f"U-{tag}",
            }
        ],
        "scenarios": [
            {
                "scenario_id": f"SC-{tag}-{i:03d}",
                "title": f"Tote picking line {i}",
                "domain": domains[i % len(domains)],
                "nominated_by": province,
                "site_id": f"S-{tag}-1",
                "user_org": f"U-{tag}",
                "tasks": ["pick tote", "place tote"],
                "nominated_on": nominated_on,
                "planned_robots": 5,
                "declared_robots_in_operation": 3,
            }
            for i in range(scenarios)
        ],
        "consortia": [
            {"consortium_id": f"C-{tag}", "name": f"{tag} consortium", "scenario_ids": [f"SC-{tag}-000"]}
        ],
        "consortium_members": [
            {"consortium_id": f"C-{tag}", "org_code": f"U-{tag}", "role": "user"},
            {"consortium_id": f"C-{tag}", "org_code": f"I-{tag}", "role": "integrator"},
            {"consortium_id": f"C-{tag}", "org_code": f"A-{tag}", "role": "algorithm_team"},
        ],
        "robots": [
            {
                "serial": f"R-{tag}-1",
                "model": "H1",
                "manufacturer": "M-UNITREE",
                "built_on": "2026-01-10",
                "owner_org": f"I-{tag}",
            }
        ],
        "deployments": [
            {
                "robot_serial": f"R-{tag}-1",
                "scenario_id": f"SC-{tag}-000",
                "site_id": f"S-{tag}-1",
                "start_date": "2026-08-01",
                "end_date": "",
            }
        ],
        "submissions": [
            {
                "org_code": province,
                "kind": "implementation_plan",
                "submitted_on": "2026-06-28",
                "document": "plan.pdf",
            }
        ],
    }
    return doc


FLEET_SITES = {"S-GD-1": "Shenzhen", "S-GD-2": "Shenzhen", "S-GD-3": "Guangzhou"}


def gd_fleet(robots: int) -> Doc:
    """CN-GD with robots R-GD-1..5 on SC-GD-000 at three sites in two cities, the rest on SC-GD-001."""
    doc = province_program()
    doc["sites"] = [
        {"site_id": s, "name": f"Hall {s}", "province": "CN-GD", "city": c, "user_org": "U-GD"}
        for s, c in FLEET_SITES.items()
    ]
    serials = [f"R-GD-{i}" for i in range(1, robots + 1)]
    doc["robots"] = [
        {"serial": s, "model": "H1", "manufacturer": "M-UNITREE", "built_on": "2026-01-10"} for s in serials
    ]
    doc["deployments"] = [
        {
            "robot_serial": s,
            "scenario_id": "SC-GD-000" if i < 5 else "SC-GD-001",
            "site_id": list(FLEET_SITES)[i % 3],
            "start_date": "2026-09-01",
        }
        for i, s in enumerate(serials)
    ]
    return doc


def edited(doc: Doc, sheet: str, index: int, **changes: object) -> Doc:
    """A deep copy of `doc` with one row's cells changed."""
    out = copy.deepcopy(doc)
    out[sheet][index].update(changes)
    return out


def _cell(value: object) -> object:
    return ";".join(map(str, value)) if isinstance(value, list) else value


def write_json(doc: Doc, path: Path) -> Path:
    """The document as the template's JSON form."""
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def write_xlsx(doc: Doc, path: Path) -> Path:
    """The document as a workbook, one sheet per template sheet, all cells as text."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, rows in doc.items():
        ws = wb.create_sheet(sheet)
        header = list(dict.fromkeys(k for r in rows for k in r))
        ws.append(header)
        for r in rows:
            ws.append([_cell(r.get(h)) for h in header])
    wb.save(path)
    return path


def write_csv_folder(doc: Doc, folder: Path) -> Path:
    """The document as a folder of .csv files named after the sheets."""
    folder.mkdir(parents=True, exist_ok=True)
    for sheet, rows in doc.items():
        header = list(dict.fromkeys(k for r in rows for k in r))
        with (folder / f"{sheet}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for r in rows:
                writer.writerow(["" if r.get(h) is None else _cell(r.get(h)) for h in header])
    return folder
