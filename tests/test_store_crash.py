"""Crash safety: a writer SIGKILLed at any point leaves only whole files in the table folders.

A child process writes a recording that crosses UTC midnight in many part files, reporting each
batch and each publishing rename on stdout (it wraps `os.replace` and pauses after each rename,
so a kill lands between two renames). The parent kills it at chosen and random points, checks
every visible file, then lets a final run complete the recording.
"""

import hashlib
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from robotwork.store import TelemetryStore
from robotwork.store.query import connect

BATCHES = 40
BATCH_ROWS = 5_000
ROWS_PER_FILE = 20_000
RECORDING = hashlib.sha256(b"crash test upload").hexdigest()
SRC = str(Path(__file__).resolve().parents[1] / "src")

CHILD = f"""
import os, sys, time
import numpy as np, pyarrow as pa
from robotwork.store.schema import TableBatch, joint_schema
from robotwork.store import TelemetryStore

root, pause = sys.argv[1], float(sys.argv[2])
real_replace = os.replace
def replace(src, dst):
    real_replace(src, dst)
    print("renamed", flush=True)
    time.sleep(pause)
os.replace = replace

store = TelemetryStore(root, max_rows_per_file={ROWS_PER_FILE}, row_group_bytes=1 << 20)
writer = store.begin("{RECORDING}", "SN-CRASH")
start = 1_767_225_600 * 10**9 - 2_000 * 10**9  # 2000 s before a UTC midnight, 50 Hz
for i in range({BATCHES}):
    rng = np.random.default_rng(i)
    times = start + (i * {BATCH_ROWS} + np.arange({BATCH_ROWS}, dtype=np.int64)) * 20_000_000
    pos = pa.FixedSizeListArray.from_arrays(pa.array(rng.normal(size={BATCH_ROWS} * 32)), 32)
    nulls = pa.nulls({BATCH_ROWS}, pos.type)
    batch = pa.RecordBatch.from_arrays([pa.array(times), pos, pos, nulls], schema=joint_schema(32))
    writer.write(TableBatch("joint_states", batch))
    print("batch", i, flush=True)
print("commit", flush=True)
writer.commit()
print("done", flush=True)
"""


def run_child(
    root: str,
    *,
    kill_on: str | None = None,
    occurrence: int = 1,
    delay: float | None = None,
    pause: float = 0.1,
) -> bool:
    """Run the writer; SIGKILL it at the `occurrence`th line `kill_on` or after `delay` seconds.

    Returns whether it finished on its own.
    """
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, root, str(pause)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None
    if delay is not None:
        try:
            child.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            child.kill()
    elif kill_on is not None:
        seen = 0
        for line in child.stdout:
            seen += line.strip() == kill_on
            if seen == occurrence:
                child.kill()
                break
    child.stdout.read()
    return child.wait(timeout=60) == 0


def visible_rows(store: TelemetryStore) -> int:
    """Rows in the table folders, checking that every file there opens and is whole."""
    total = 0
    for rel in store.files.find("", "*"):
        if rel.startswith("_staging/"):
            continue
        assert rel.startswith("joint_states/") and rel.endswith(".parquet"), rel
        table = pq.read_table(store.files.path(rel))  # a partial file has no footer: this raises
        assert table.num_rows == ROWS_PER_FILE  # the recording divides into full files
        total += table.num_rows
    return total


def test_killed_writer_leaves_only_whole_files_and_a_rerun_completes(tmp_path: Path) -> None:
    store = TelemetryStore(str(tmp_path / "telemetry"))
    root = store.root

    for batch in (3, 25):
        assert not run_child(root, kill_on=f"batch {batch}")
        assert visible_rows(store) == 0  # nothing is published before commit
    assert not run_child(root, kill_on="commit")
    assert visible_rows(store) % ROWS_PER_FILE == 0
    for renames in (1, 5):
        assert not run_child(root, kill_on="renamed", occurrence=renames)
        assert visible_rows(store) == renames * ROWS_PER_FILE  # killed between two renames
    chance = random.Random(7)
    for _ in range(4):  # a whole run takes about 0.6 s here, imports included
        run_child(root, delay=chance.uniform(0.05, 0.7), pause=0.0)
        assert visible_rows(store) <= BATCHES * BATCH_ROWS

    assert run_child(root, pause=0.0)
    expected = BATCHES * BATCH_ROWS
    assert visible_rows(store) == expected
    assert len(store.recording_files(RECORDING)) == expected // ROWS_PER_FILE
    # killed attempts' staging stays (another process might own it) until it is old enough
    assert store.clean_staging(older_than_s=0, now_s=time.time() + 1)
    assert store.files.subdirs("_staging") == []
    con = connect(store)
    assert con.execute(
        "SELECT count(*), count(DISTINCT time_ns), count(DISTINCT date) FROM joint_states"
    ).fetchone() == (expected, expected, 2)
