"""`robotwork query` is sandboxed (issue 14): SQL over the store's own tables answers; reading
other files, writing files, installing extensions or unlocking the settings is refused."""

import pytest
from recordings import synthetic_content, write_json_mcap
from registry_docs import province_program, write_json
from test_api import START
from test_cli import run

from robotwork.web.settings import Settings


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    assert (
        run("--home", str(home), "import", str(write_json(province_program(), tmp_path / "p.json"))).exit_code
        == 0
    )
    content = synthetic_content(states=150, start_ns=START, seed=1)
    content.identity = {"robot_serial": "R-GD-1"}
    recording = write_json_mcap(tmp_path / "r.mcap", content)
    assert run("--home", str(home), "ingest", str(recording)).exit_code == 0
    Settings(home=home).signing_key()  # the cookie-signing key the issue read through `query`
    return home


def _query(home, sql):
    return run("--home", str(home), "query", sql, "--json")


def test_sql_over_the_store_still_answers(home):
    result = _query(home, "SELECT robot, count(*) AS n FROM joint_states GROUP BY robot")
    assert result.exit_code == 0, result.output
    assert '"robot": "R-GD-1"' in result.stdout and '"n": 150' in result.stdout
    explained = _query(home, "EXPLAIN SELECT count(*) FROM tasks")
    assert explained.exit_code == 0, explained.output


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_text('{home}/secret.key')",
        "SELECT * FROM read_text('{home}/telemetry/../secret.key')",
        "SELECT * FROM read_blob('{home}/registry.sqlite')",
        "SELECT * FROM glob('/*')",
        "COPY (SELECT 1) TO '{home}/written.csv'",
        "COPY (SELECT 1) TO '{home}/telemetry/written.csv'",
        "SELECT 1; COPY (SELECT 1) TO '{home}/telemetry/written.csv'",
        "CREATE TABLE t AS SELECT 1",
        "ATTACH '{home}/attached.duckdb'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "RESET lock_configuration",
        "PRAGMA enable_profiling",
    ],
)
def test_everything_else_is_refused(home, sql):
    before = sorted(p.relative_to(home) for p in home.rglob("*"))
    result = _query(home, sql.format(home=home))
    assert result.exit_code == 1, (sql, result.output)
    assert result.stderr.startswith("error: query: ") and result.stderr.count("\n") == 1
    assert "root:" not in result.output and Settings(home=home).signing_key() not in result.output
    assert sorted(p.relative_to(home) for p in home.rglob("*")) == before
