"""`robotwork simulate`: a national program of the asked size whose figures come out of the evidence."""

import json

from typer.testing import CliRunner

from robotwork.cli.app import app


def test_simulate_a_small_national_program(tmp_path):
    home = tmp_path / "home"

    def run(*args: str):
        result = CliRunner().invoke(app, ["--home", str(home), *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    done = json.loads(
        run(
            "simulate",
            "--robots",
            "60",
            "--days",
            "20",
            "--raw-robots",
            "1",
            "--until",
            "2026-11-20",
            "--json",
        )
    )
    assert done["robots"] == 60 and done["raw_recordings"] >= 1
    assert 1900 <= done["scenarios"] <= 2100  # 31 provinces x 50 and 7 per central SOE
    national = json.loads(run("metrics", "--by", "national", "--as-of", "2026-11-19", "--json"))["rows"][0]
    assert national["recordings"] == done["summaries"] + done["raw_recordings"]
    assert 0 < national["robots_in_routine_operation"] < 60
    provinces = json.loads(run("compliance", "--as-of", "2026-11-19", "--json"))["summary"]
    assert provinces["provinces"] == 31 and provinces["provinces_compliant"] == 0  # no plans submitted
