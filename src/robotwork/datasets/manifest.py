"""Provenance of an export: the manifest in the dataset folder and the registry's `datasets` row.

The manifest holds no time and no id drawn at random, so the same selection exported twice gives
the same manifest too; when and by whom is in the registry row. A recording's id is the SHA-256
of its uploaded bytes, so the manifest's `sha256` lets anyone check the source of every frame.
"""

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.errors import UnknownRecord
from robotwork.registry.models import Dataset

MANIFEST_FORMAT = "robotwork-dataset-manifest/1"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_files(root: Path) -> list[dict[str, Any]]:
    """Every data and video file of a dataset folder with its size and SHA-256, in path order."""
    files = [*(root / "data").rglob("*.parquet"), *(root / "videos").rglob("*.mp4")]
    return [
        {"path": p.relative_to(root).as_posix(), "bytes": p.stat().st_size, "sha256": file_sha256(p)}
        for p in sorted(files)
    ]


def dataset_id(manifest: dict[str, Any], path: Path) -> str:
    """Same manifest at the same place, same id: a re-export there replaces the registry row."""
    canonical = json.dumps(manifest, sort_keys=True, ensure_ascii=False) + "\n" + str(path)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def register(engine: Engine, manifest: dict[str, Any], path: Path, actor: str) -> Dataset:
    """Record an export (its manifest and the figures people ask about) in the registry."""
    recordings = manifest["recordings"]
    row = Dataset(
        dataset_id=dataset_id(manifest, path),
        name=manifest["name"],
        path=str(path),
        fps=manifest["fps"],
        filters=manifest["filters"],
        robot_model=manifest["robot_model"],
        episodes=manifest["totals"]["episodes"],
        frames=manifest["totals"]["frames"],
        recording_ids=[r["recording_id"] for r in recordings],
        scenario_ids=sorted({r["scenario_id"] for r in recordings if r["scenario_id"]}),
        manifest=manifest,
        created_at=datetime.now(UTC),
        created_by=actor,
    )
    with Session(engine, expire_on_commit=False) as session, session.begin():
        session.merge(row)
    return row


def dataset_json(row: Dataset, *, full: bool = False) -> dict[str, Any]:
    """A registry row as `dataset list` / `dataset show` print it."""
    doc: dict[str, Any] = {
        "dataset_id": row.dataset_id,
        "name": row.name,
        "path": row.path,
        "robot_model": row.robot_model,
        "fps": row.fps,
        "episodes": row.episodes,
        "frames": row.frames,
        "recordings": len(row.recording_ids),
        "cameras": (row.manifest or {}).get("cameras", {}).get("exported", []),
        "scenario_ids": row.scenario_ids,
        "filters": row.filters,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "created_by": row.created_by,
    }
    if full:
        doc["manifest"] = row.manifest
    return doc


def list_datasets(engine: Engine) -> list[dict[str, Any]]:
    """Every registered export, newest first."""
    with Session(engine) as session:
        rows = session.scalars(select(Dataset).order_by(Dataset.created_at.desc(), Dataset.dataset_id))
        return [dataset_json(r) for r in rows]


def show_dataset(engine: Engine, prefix: str) -> dict[str, Any]:
    """One export by its id or a unique prefix of it, with the whole manifest."""
    with Session(engine) as session:
        rows = list(session.scalars(select(Dataset).where(Dataset.dataset_id.startswith(prefix)).limit(2)))
    if not rows:
        raise UnknownRecord(f"unknown dataset {prefix}", kind="dataset", key=prefix)
    if len(rows) > 1:
        raise UnknownRecord(f"dataset id prefix {prefix} is ambiguous; give more characters")
    return dataset_json(rows[0], full=True)
