"""`robotwork ingest --ray [ADDRESS]`: the word after `--ray` is the cluster's address when it has
the form of one (`--ray=ADDRESS` too), else the first recording; `--ray-address` still works.
A separate `robotwork ingest` process joins this session's Ray at its address and ingests there."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from recordings import synthetic_content, write_json_mcap
from registry_docs import gd_fleet, write_json
from test_cluster import PG_ONLY, runner

from robotwork.cli.ingest_cmd import ray_address_in


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--ray", "a.mcap", "b.mcap"], ["--ray", "a.mcap", "b.mcap"]),
        (["a.mcap", "--ray"], ["a.mcap", "--ray"]),
        (["--ray", "--json", "a.mcap"], ["--ray", "--json", "a.mcap"]),
        (["--ray", "10.0.0.2:6379", "a.mcap"], ["--ray", "--ray-address", "10.0.0.2:6379", "a.mcap"]),
        (["--ray=ray://head:10001", "a.mcap"], ["--ray", "--ray-address", "ray://head:10001", "a.mcap"]),
        (["a.mcap", "--ray", "auto"], ["a.mcap", "--ray", "--ray-address", "auto"]),
        (["--ray-address", "head:6379", "a.mcap"], ["--ray-address", "head:6379", "a.mcap"]),
        (["--", "--ray", "head:6379"], ["--", "--ray", "head:6379"]),
    ],
)
def test_the_word_after_ray_is_an_address_only_in_the_form_of_one(args, expected) -> None:
    assert ray_address_in(args) == expected


def test_a_file_named_like_an_address_is_a_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "auto").write_bytes(b"")
    assert ray_address_in(["--ray", "auto"]) == ["--ray", "auto"]


@PG_ONLY
@pytest.mark.parametrize("spelling", ["--ray ADDRESS", "--ray=ADDRESS"])
def test_ingest_joins_the_cluster_at_the_address_given(db_url, tmp_path, s3_root, ray_local, spelling):
    import ray

    home = tmp_path / "home"
    cli = runner(home, db_url, s3_root)
    assert cli("import", str(write_json(gd_fleet(1), tmp_path / "fleet.json"))).exit_code == 0
    content = synthetic_content(states=400, start_ns=1_790_000_000 * 10**9, seed=3)
    content.identity = {"robot_serial": "R-GD-1"}
    path = write_json_mcap(tmp_path / "one.mcap", content)
    address = ray.get_runtime_context().gcs_address
    ray_args = ["--ray", address] if spelling == "--ray ADDRESS" else [f"--ray={address}"]
    robotwork = Path(sys.executable).parent / "robotwork"
    options = ["--home", str(home), "--db", db_url, "--store", s3_root, "--actor", "test"]
    done = subprocess.run(
        [str(robotwork), *options, "ingest", *ray_args, str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "ingested"
    # it ran as a driver (a job) of this session's cluster, not on a Ray of its own
    drivers = [j["Entrypoint"] for j in ray._private.state.jobs()]  # noqa: SLF001
    assert any(str(path) in entrypoint and "ingest" in entrypoint for entrypoint in drivers)
