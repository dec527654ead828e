"""Terminal output fits the terminal: every command that prints a table, on a small demo home,
at 80 and 120 columns: no line longer than the width, a bounded number of lines, and `--json`
parses and shows the same figures as the table (issue 12 item 6)."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
import typer
from rich.cells import cell_len
from typer.testing import CliRunner

from robotwork.cli.app import app
from robotwork.cli.output import Col, print_table, rerun

AS_OF = "2026-11-24"
WIDTHS = (80, 120)
RULE = re.compile(r"^─+$")


def _build(home: Path) -> None:
    """The demo program, a week of recordings of two scenarios' robots (with the planted
    integrity cases, so there are flags), one dataset and one token."""
    from robotwork.demo.loader import (
        DemoSize,
        create_demo_accounts,
        export_demo_dataset,
        load_demo_program,
        load_demo_telemetry,
    )
    from robotwork.policy import load_policy
    from robotwork.registry.db import open_registry, sqlite_url
    from robotwork.store.telemetry import TelemetryStore

    policy = load_policy()
    engine = open_registry(sqlite_url(home))
    program, _ = load_demo_program(engine, policy, seed=0, actor="demo")
    create_demo_accounts(engine, program)
    keep = {"SC-CREC-0008", "SC-AH-0027"}
    sliced = dict(program, deployments=[d for d in program["deployments"] if d["scenario_id"] in keep])
    store = TelemetryStore(str(home / "telemetry"))
    today = date.fromisoformat(AS_OF).replace(day=25)
    size = DemoSize(days=28, block=14)
    load_demo_telemetry(
        engine, store, policy, sliced, folder=home / "rec", seed=0, today=today, actor="demo", size=size
    )
    export_demo_dataset(engine, store, policy, home / "datasets", actor="demo")
    _live(engine, [d["robot_serial"] for d in program["deployments"][:30]])
    engine.dispose()


def _live(engine, serials: list[str]) -> None:
    """Thirty robots heard from just now, each at work on a task with a long name."""
    import time

    from robotwork.live.contract import ONLINE
    from robotwork.live.persist import write_rows
    from robotwork.live.tracker import RobotLive

    now = time.time_ns()
    task = "picking parcels from the second conveyor line into the outbound cages"
    robots = [
        RobotLive(
            s, ONLINE, "autonomous", task, last_seen_ns=now, fresh_ns=now, sent_ns=now, status="working"
        )
        for s in serials
    ]
    write_rows(engine, robots)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-home")
    _build(folder)
    return folder


def _run(home: Path, width: int, *args: str):
    result = CliRunner().invoke(app, ["--home", str(home), *args], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, (args, result.output)
    return result


def _json(home: Path, *args: str):
    return json.loads(_run(home, 80, *args, "--json").stdout)


def _rows(out: str) -> list[str]:
    """The body lines of the (first) table printed: between the rule under the header and the
    first line that is not a row."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if RULE.match(line.strip())) + 1
    body = []
    for line in lines[start:]:
        if not line.strip() or line.startswith(("showing ", "left out", "older ones", "provinces ")):
            break
        body.append(line)
    return body


def _fields(out: str) -> dict[str, str]:
    """`name   value` lines as a dict."""
    pairs = (re.split(r"\s{3,}", line.strip(), maxsplit=1) for line in out.splitlines())
    return {p[0]: p[1] for p in pairs if len(p) == 2}


# each table command, the most lines it may print at its defaults on the demo home
COMMANDS: list[tuple[tuple[str, ...], int]] = [
    (("compliance", "--as-of", AS_OF), 40),
    (("metrics", "--by", "national", "--as-of", AS_OF), 20),
    (("metrics", "--by", "robot", "--as-of", AS_OF), 30),
    (("metrics", "--by", "scenario", "--as-of", AS_OF), 30),
    (("metrics", "--by", "province", "--as-of", AS_OF), 30),
    (("flags",), 30),
    (("flags", "list", "--all"), 30),
    (("history",), 60),
    (("audit",), 210),
    (("tokens", "list"), 30),
    (("dataset", "list"), 30),
    (("live", "status"), 30),
    (("recordings", "list"), 30),
    (("recordings", "list", "--state", "counted"), 30),
    (("query", "SELECT * FROM tasks ORDER BY time_ns"), 30),
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("args", "most"), COMMANDS, ids=[" ".join(c[0][:3]) for c in COMMANDS])
def test_every_table_fits_the_width_in_bounded_lines(home, width, args, most):
    out = _run(home, width, *args).stdout
    lines = out.splitlines()
    too_long = [line for line in lines if len(line) > width]
    assert not too_long, too_long[:3]
    assert 0 < len(lines) <= most, len(lines)
    _json(home, *args)  # and the same command answers JSON


@pytest.mark.parametrize("width", WIDTHS)
def test_dataset_show_fits(home, width):
    [dataset] = _json(home, "dataset", "list")
    out = _run(home, width, "dataset", "show", dataset["dataset_id"][:8]).stdout
    assert all(len(line) <= width for line in out.splitlines())
    assert _fields(out)["frames"] == f"{dataset['frames']:,}"
    recordings = _json(home, "dataset", "show", dataset["dataset_id"])["manifest"]["recordings"]
    assert _rows(out)[0].startswith(recordings[0]["recording_id"][:12])


def test_compliance_table_and_json_agree(home):
    doc = _json(home, "compliance", "--as-of", AS_OF)
    orgs = doc["organizations"]
    for width in WIDTHS:
        out = _run(home, width, "compliance", "--as-of", AS_OF).stdout
        rows = _rows(out)
        assert [r.split()[0] for r in rows] == [o["code"] for o in orgs[:20]]
        assert f"showing 20 of {len(orgs)}" in out
        assert "compliance --as-of 2026-11-24 --limit 0" in " ".join(out.split())
        s = doc["summary"]
        assert f"provinces compliant: {s['provinces_compliant']} of {s['provinces']}" in out
    every = _run(home, 80, "compliance", "--as-of", AS_OF, "--limit", "0").stdout
    assert len(_rows(every)) == len(orgs) and "showing" not in every


def test_wide_shows_every_column(home):
    narrow = _run(home, 80, "compliance", "--as-of", AS_OF, "--limit", "3").stdout
    wide = _run(home, 80, "compliance", "--as-of", AS_OF, "--limit", "3", "--wide").stdout
    header = wide.splitlines()[
        wide.splitlines().index(next(li for li in wide.splitlines() if RULE.match(li))) - 1
    ]
    assert header.split()[:3] == ["code", "name", "kind"] and "domains" in header and "declared" in header
    assert "left out to fit: name" in narrow and "--wide" in narrow
    assert "left out" not in wide


def test_metrics_national_is_fields_with_words(home):
    [row] = _json(home, "metrics", "--by", "national", "--as-of", AS_OF)["rows"]
    for width in WIDTHS:
        fields = _fields(_run(home, width, "metrics", "--by", "national", "--as-of", AS_OF).stdout)
        assert fields["robots in routine operation"] == f"{row['robots_in_routine_operation']:,}"
        assert fields["flagged recordings"] == f"{row['flagged_recordings']:,}"
        assert fields["targets met"].startswith("robots " + ("yes" if row["targets_met"]["robots"] else "no"))
    assert row["flagged_recordings"] > 0  # the planted cases


@pytest.mark.parametrize("width", WIDTHS)
def test_metrics_rows_agree_with_json(home, width):
    args = ("metrics", "--as-of", AS_OF, "--by")
    robots = _json(home, *args, "robot")["rows"]
    first = _rows(_run(home, width, *args, "robot").stdout)[0]
    assert first.split()[0] == robots[0]["robot_serial"]
    assert f"{robots[0]['operating_hours']:,.1f}" in first.split()
    scenarios = _json(home, *args, "scenario")["rows"]
    out = _run(home, width, *args, "scenario").stdout
    assert f"showing 20 of {len(scenarios):,}" in out
    assert _rows(out)[0].split()[0] == scenarios[0]["scenario_id"]
    orgs = _json(home, *args, "province")["rows"]
    tokens = _rows(_run(home, width, *args, "province").stdout)[0].split()
    o = orgs[0]
    figures = [
        o["robots_in_routine_operation"],
        o["declared_robots_in_operation"],
        o["high_value_applications"],
    ]
    assert tokens[0] == o["code"]
    assert tokens[-7:] == [f"{n:,}" for n in figures + list(o["stages"].values())]


@pytest.mark.parametrize("width", WIDTHS)
def test_flags_history_audit_tokens_agree_with_json(home, width):
    flags = _json(home, "flags")
    assert flags, "the demo plants integrity cases"
    rows = _rows(_run(home, width, "flags").stdout)
    assert [r.split()[:2] for r in rows] == [[str(f["id"]), f["rule"]] for f in flags]
    changes = _json(home, "history")
    out = _run(home, width, "history").stdout
    assert len(_rows(out)) == len(changes) == 50 and "history --limit 200" in " ".join(out.split())
    events = _json(home, "audit")
    assert len(_rows(_run(home, width, "audit").stdout)) == len(events)
    robots = _json(home, "live", "status")["robots"]
    out = _run(home, width, "live", "status").stdout
    assert f"showing 20 of {len(robots)}" in out
    assert [r.split()[:2] for r in _rows(out)] == [[r["robot_serial"], r["status"]] for r in robots[:20]]
    tokens = _json(home, "tokens", "list")
    rows = _rows(_run(home, width, "tokens", "list").stdout)
    assert [r.split()[0] for r in rows] == [str(t["id"]) for t in tokens]
    assert all(t["state"] in r for t, r in zip(tokens, rows, strict=True))


@pytest.mark.parametrize("width", WIDTHS)
def test_recordings_list_and_show_agree_with_json(home, width):
    recordings = _json(home, "recordings", "list")
    out = _run(home, width, "recordings", "list").stdout
    rows = _rows(out)
    assert [r.split()[:3] for r in rows] == [
        [r["recording_id"][:12], r["state"], r["robot_serial"]] for r in recordings[:20]
    ]
    assert all(f"{r['messages']:,}" in row.split() for r, row in zip(recordings, rows, strict=False))
    assert f"showing 20 of {len(recordings)}" in out
    assert "recordings list --limit 0" in " ".join(out.split())
    first = recordings[0]
    shown = _json(home, "recordings", "show", first["recording_id"][:10])
    assert {k: shown[k] for k in first} == first and shown["files"] and shown["missing"] == []
    out = _run(home, width, "recordings", "show", first["recording_id"][:10]).stdout
    assert all(len(line) <= width for line in out.splitlines())
    fields = _fields(out)
    assert fields["robot serial"] == first["robot_serial"] and fields["messages"] == f"{first['messages']:,}"
    assert fields["files"].startswith(f"{len(shown['files']):,} ")


def test_recording_states_keep_to_the_readers_robots(home):
    """The read layer's rows behind `recordings list|show` within a scope of one robot: only that
    robot's recordings, and another robot's recording reads as unknown."""
    from robotwork.access import ReadScope
    from robotwork.accounts import Principal
    from robotwork.errors import UnknownRecord
    from robotwork.read.recording import recording_state, recording_states
    from robotwork.registry.db import open_registry, sqlite_url

    engine = open_registry(sqlite_url(home))
    everyone = ReadScope(Principal("user", "ops", "ministry"), robots=None)
    every = recording_states(engine, everyone).rows
    mine, other = every[0].robot_serial, next(r for r in every if r.robot_serial != every[0].robot_serial)
    scope = ReadScope(Principal("user", "op", "operator"), robots=frozenset({mine}))
    rows = recording_states(engine, scope).rows
    assert rows == [r for r in every if r.robot_serial == mine]
    assert recording_states(engine, everyone, robot=mine).rows == rows
    assert recording_state(engine, scope, every[0].recording_id[:10]) == every[0]
    with pytest.raises(UnknownRecord):
        recording_state(engine, scope, str(other.recording_id))
    assert recording_states(engine, everyone, state="stored").rows == []
    engine.dispose()


@pytest.mark.parametrize("width", WIDTHS)
def test_query_table_agrees_with_json_and_is_cut_to_the_width(home, width):
    sql = "SELECT robot, count(*) AS n, min(time_ns) AS first_ns FROM joint_states GROUP BY 1 ORDER BY 1"
    counts = _json(home, "query", sql)
    out = _run(home, width, "query", sql).stdout
    assert [r.split() for r in _rows(out)] == [
        [c["robot"], str(c["n"]), str(c["first_ns"])] for c in counts[:20]
    ]
    assert f"showing 20 of {len(counts)}" in out and "query --limit 0" in " ".join(out.split())
    long_text = "SELECT repeat('abc ', 60) AS prose, 7 AS n"
    out = _run(home, width, "query", long_text, "--limit", "0").stdout
    [row] = _rows(out)
    assert "…" in row and row.split()[-1] == "7" and "showing" not in out
    assert "left out" not in out
    assert _json(home, "query", long_text) == [{"prose": "abc " * 60, "n": 7}]


def test_rerun_repeats_the_options_given_and_hides_a_password():
    demo = typer.Typer()

    @demo.callback()
    def root(db: str = "sqlite://") -> None:
        """Global options."""

    @demo.command()
    def show(ctx: typer.Context, by: str = "robot", limit: int = 20, wide: bool = False) -> None:
        print(rerun(ctx, limit=0))

    url = "postgresql+psycopg://ops:s3cret@db.example/registry"
    out = CliRunner().invoke(demo, ["--db", url, "show", "--wide", "--by", "a b"]).stdout.strip()
    assert (
        out
        == 'robotwork --db postgresql+psycopg://ops:***@db.example/registry show --by "a b" --limit 0 --wide'
    )


@pytest.mark.parametrize("width", (40, 80))
def test_wide_characters_and_long_text_fit(width, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(width))
    rows = [
        {"code": f"CN-{i:02d}", "name": "新疆维吾尔自治区" * (i + 1), "note": "word " * 40, "n": 10**i}
        for i in range(30)
    ]
    cols = (
        Col("code", "code"),
        Col("name", "name", flex=True),
        Col("note", "note", rank=1, flex=True),
        Col("n", "n", right=True),
    )
    print_table(rows, cols, title="a title " * 20, limit=5, more="robotwork x --limit 0")
    lines = capsys.readouterr().out.splitlines()
    assert all(cell_len(line) <= width for line in lines)
    assert sum(line.startswith("CN-") for line in lines) == 5
    assert "showing 5 of 30; all of them: robotwork x --limit 0 (or --json)" in " ".join(
        "\n".join(lines).split()
    )
    assert any("10,000" in line for line in lines)


def test_import_problems_are_truncated_with_a_count(tmp_path):
    from registry_docs import province_program, write_json

    doc = province_program()
    for scenario in doc["scenarios"]:
        scenario["nominated_on"] = "yesterday"
    path = write_json(doc, tmp_path / "bad.json")
    home = ["--home", str(tmp_path / "home")]
    report = json.loads(CliRunner().invoke(app, [*home, "import", str(path), "--json"]).stdout)
    lines = len(report["problems"]) + len(report["warnings"])
    assert lines > 20
    some = CliRunner().invoke(app, [*home, "import", str(path)], env={"COLUMNS": "80"})
    every = CliRunner().invoke(app, [*home, "import", str(path), "--limit", "0"])
    assert some.exit_code == every.exit_code == 1  # refused either way
    assert some.stdout.startswith(every.stdout.splitlines()[0])
    assert f"showing 20 of {lines}" in some.stdout
    assert "import --limit 0" in " ".join(some.stdout.split())
    assert len(every.stdout.splitlines()) == lines and "showing" not in every.stdout
