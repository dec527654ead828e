"""What the ingest benchmarks share: distinct CDR recordings of one robot, and a PostgreSQL
schema of their own for each home (dropped afterwards)."""

import sys
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from recordings import synthetic_content, write_ros2_mcap  # noqa: E402

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = 1_788_228_000 * 10**9  # 2026-09-01T02:00Z


def cdr_recordings(folder: Path, files: int, messages: int, robots: int = 1) -> list[Path]:
    """`files` ROS 2 MCAP recordings (32 joints, `messages` joint states each), all different
    bytes, a day apart, of R-GD-1 or, with `robots`, of R-GD-1..`robots` in turn (a fleet's
    uploads touch many robots' figures, not one's)."""
    paths = []
    for i in range(files):
        content = synthetic_content(
            states=messages, joints=32, start_ns=START + i * 10**12, seed=i, commands=False
        )
        content.identity = {"robot_serial": f"R-GD-{i % robots + 1}"}
        paths.append(write_ros2_mcap(folder / f"f-{i}.mcap", content))
    return paths


class Schemas:
    """PostgreSQL schemas made for one run at `url`, each a fresh registry; `drop` removes them."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.made: list[str] = []

    def fresh(self) -> str:
        """The URL of a new, empty schema (the URL itself when it is not PostgreSQL)."""
        if not self.url.startswith("postgresql"):
            return self.url
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with create_engine(self.url).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        self.made.append(schema)
        return f"{self.url}?options=-csearch_path%3D{schema}"

    def drop(self) -> None:
        """Drop every schema this run made."""
        with create_engine(self.url).begin() as conn:
            for schema in self.made:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        self.made = []
