"""LeRobot's own writer on robotwork's exported frames; runs INSIDE LeRobot's Python 3.12 environment.

    ~/.cache/robotwork/lerobot-0.6.1-py312/bin/python bench/lerobot_writer.py SRC OUT [--frames N]

Reads the frames of the robotwork dataset at SRC (its data Parquet files and its episodes
metadata: every episode's rows and task text) into memory, then times only the writing of
whole episodes with LeRobot's per-frame API: `LeRobotDataset.create` (features
`observation.state` and `action`, float32 [joints], no videos), `add_frame` per frame (with
its `task`), `save_episode` per episode, `finalize`. With `--frames N` it writes whole episodes
until N frames are reached. Prints one JSON line: frames, episodes, seconds, frames_per_s.
It imports only LeRobot, numpy and pyarrow (called by bench/export.py, not by robotwork).
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

FEATURES = ("observation.state", "action")


def _matrix(table: pa.Table, name: str) -> np.ndarray:
    column = table.column(name).combine_chunks()
    return column.flatten().to_numpy().reshape(len(column), column.type.list_size)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--frames", type=int, default=0, help="stop after this many frames (0: all)")
    args = parser.parse_args()

    from lerobot.datasets.lerobot_dataset import LeRobotDataset

    info = json.loads((args.src / "meta/info.json").read_text())
    episodes = pq.read_table(
        args.src / "meta/episodes/chunk-000/file-000.parquet",
        columns=["tasks", "dataset_from_index", "dataset_to_index"],
    ).to_pylist()
    files = sorted((args.src / "data").rglob("*.parquet"))
    table = pa.concat_tables([pq.read_table(f, columns=list(FEATURES)) for f in files])
    values = {name: _matrix(table, name) for name in FEATURES}
    features = {
        name: {
            "dtype": "float32",
            "shape": tuple(info["features"][name]["shape"]),
            "names": info["features"][name]["names"],
        }
        for name in FEATURES
    }
    chosen, frames = [], 0
    for ep in episodes:
        if args.frames and frames >= args.frames:
            break
        chosen.append(ep)
        frames += ep["dataset_to_index"] - ep["dataset_from_index"]

    t0 = time.perf_counter()
    ds = LeRobotDataset.create(
        "robotwork/bench",
        fps=info["fps"],
        features=features,
        root=args.out,
        robot_type=info["robot_type"],
        use_videos=False,
    )
    state, action = values["observation.state"], values["action"]
    for ep in chosen:
        task = ep["tasks"][0]
        for i in range(ep["dataset_from_index"], ep["dataset_to_index"]):
            ds.add_frame({"observation.state": state[i], "action": action[i], "task": task})
        ds.save_episode()
    ds.finalize()
    seconds = time.perf_counter() - t0

    written = json.loads((args.out / "meta/info.json").read_text())
    assert written["total_frames"] == frames and written["total_episodes"] == len(chosen), written
    print(
        json.dumps(
            {
                "frames": frames,
                "episodes": len(chosen),
                "seconds": seconds,
                "frames_per_s": frames / seconds,
                "of_frames": len(table),
            }
        )
    )


if __name__ == "__main__":
    main()
