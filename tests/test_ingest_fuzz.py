"""Fuzzed recordings made from valid ones: bit flips, truncations, bad lengths, bad UTF-8, time
reversals. Never a traceback or an internal error; a refusal leaves nothing; the batch goes on;
a file whose messages are merely out of order is stored sorted, with its evidence."""

import json
import random
import struct
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from recordings import synthetic_content, write_json_mcap, write_ros2_mcap
from registry_docs import province_program, write_json
from typer.testing import CliRunner

from robotwork.cli.app import app
from robotwork.intake import Intake

START = 1_788_228_000 * 10**9  # 2026-09-01T02:00Z


@pytest.fixture
def cli(tmp_path: Path):
    home = tmp_path / "home"

    def run(*args: str):
        return CliRunner().invoke(app, ["--home", str(home), *args])

    assert run("import", str(write_json(province_program(), tmp_path / "gd.json"))).exit_code == 0
    run.home = home
    return run


def valid(tmp_path: Path, kind: str, seed: int = 0, **options: bool) -> Path:
    content = synthetic_content(states=800, joints=6, start_ns=START + seed * 10**12, seed=seed)
    content.identity = {"robot_serial": "R-GD-1"}
    writer = write_json_mcap if kind == "json" else write_ros2_mcap
    # JSON uncompressed, so flips and bad UTF-8 reach the payloads; CDR compressed (zstd)
    compression = "none" if kind == "json" else "zstd"
    path = tmp_path / f"valid-{kind}-{seed}{'-plain' if options else ''}.mcap"
    return writer(path, content, chunk_size=4096, compression=compression, **options)


def stored_rows(home: Path) -> int:
    return sum(
        pq.ParquetFile(p).metadata.num_rows
        for p in (home / "telemetry").rglob("*.parquet")
        if not {"_staging", "derived", "_inbox"} & set(p.parts)
    )


def mutations(data: bytes, chance: random.Random) -> list[tuple[str, bytes]]:
    out = []
    for _ in range(12):
        at = chance.randrange(8, len(data))
        flipped = bytearray(data)
        flipped[at] ^= 1 << chance.randrange(8)
        out.append((f"flip@{at}", bytes(flipped)))
    for _ in range(6):
        at = chance.randrange(1, len(data))
        out.append((f"cut@{at}", data[:at]))
    for _ in range(4):  # a record length that lies: the u64 after an opcode
        at = chance.randrange(8, len(data) - 9)
        lied = bytearray(data)
        lied[at + 1 : at + 9] = struct.pack("<Q", chance.choice([0, 7, 2**40, 2**63]))
        out.append((f"length@{at}", bytes(lied)))
    return out


@pytest.mark.parametrize("kind", ["json", "cdr"])
def test_fuzzed_recordings_are_refused_in_one_line_and_the_batch_goes_on(
    cli, tmp_path: Path, kind: str
) -> None:
    data = valid(tmp_path, kind).read_bytes()
    cases = mutations(data, random.Random(kind))
    if kind == "json":  # joint names that are not UTF-8 (unchunked: no chunk CRC to catch it first)
        plain = valid(tmp_path, kind, chunked=False).read_bytes()
        assert b"joint_00" in plain
        cases.append(("bad-utf8", plain.replace(b"joint_00", b"joint_\xff\xfe")))
    paths = []
    for i, (label, blob) in enumerate(cases):
        path = tmp_path / f"fuzz-{i:02d}-{label}.mcap"
        path.write_bytes(blob)
        paths.append(path)
    last = valid(tmp_path, kind, seed=1)
    result = cli("ingest", *map(str, paths), str(last), "--json")

    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == [str(p) for p in [*paths, last]]
    assert lines[-1]["status"] == "ingested"
    for line, path in zip(lines[:-1], paths, strict=True):
        if line["status"] == "rejected":
            assert line["error"].startswith(str(path)) and "\n" not in line["error"], line
        if "bad-utf8" in path.name:
            assert line["status"] == "rejected" and "not UTF-8" in line["error"], line
    listed = json.loads(cli("recordings", "list", "--json").stdout)
    accepted = {line["recording_id"] for line in lines if line["status"] == "ingested"}
    assert {r["recording_id"] for r in listed} == accepted  # nothing kept of a refusal
    assert stored_rows(cli.home) == sum(sum(r["rows"].values()) for r in listed)


@pytest.mark.parametrize("kind", ["json", "cdr"])
def test_messages_out_of_time_order_are_stored_sorted_with_evidence(cli, tmp_path: Path, kind: str) -> None:
    content = synthetic_content(states=3000, joints=6, start_ns=START, seed=4)
    content.identity = {"robot_serial": "R-GD-1"}
    writer = write_json_mcap if kind == "json" else write_ros2_mcap
    path = writer(tmp_path / "shuffled.mcap", content, chunk_size=4096, shuffle=1)
    in_order = writer(tmp_path / "ordered.mcap", content, chunk_size=4096)

    [line] = [json.loads(x) for x in cli("ingest", str(path), "--json").stdout.splitlines()]
    assert line["status"] == "ingested", line
    [rec] = json.loads(cli("recordings", "list", "--json").stdout)
    assert rec["state"] == "counted" and rec["rows"]["joint_states"] == 3000
    query = (
        "SELECT count(*) FILTER (WHERE d < 0) AS back, count(*) AS n "
        "FROM (SELECT time_ns - lag(time_ns) OVER () AS d FROM joint_states)"
    )
    assert json.loads(cli("query", query, "--json").stdout) == [{"back": 0, "n": 3000}]
    figures = json.loads(cli("metrics", "--by", "robot", "--as-of", "2026-09-01", "--json").stdout)
    assert cli("rebuild").exit_code == 0
    assert json.loads(cli("metrics", "--by", "robot", "--as-of", "2026-09-01", "--json").stdout) == figures
    # the same messages in time order give the same figures (a replay flag aside: same data)
    assert json.loads(cli("ingest", str(in_order), "--json").stdout)["status"] == "ingested"


def test_a_bug_on_one_input_is_exit_3_with_a_logged_traceback_and_the_batch_goes_on(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a bug cannot be made from outside: one is planted where the ingest of the first file runs
    broken, fine = valid(tmp_path, "cdr", seed=2), valid(tmp_path, "cdr", seed=3)
    take = Intake.take

    def planted(self: Intake, path: Path, **kw: object) -> object:
        if Path(path) == broken:
            raise KeyError("planted bug")
        return take(self, path, **kw)

    monkeypatch.setattr(Intake, "take", planted)
    result = cli("ingest", str(broken), str(fine), "--json")

    assert result.exit_code == 3
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["status"] == "error" and first["error"].startswith("internal error, please report")
    assert "\n" not in first["error"] and second["status"] == "ingested"
    log = (cli.home / "logs" / "internal-errors.log").read_text()
    assert "Traceback" in log and "planted bug" in log
