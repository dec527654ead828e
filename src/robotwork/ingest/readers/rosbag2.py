"""A rosbag2 folder: the .mcap files its `metadata.yaml` lists, read as one recording.

Without a `metadata.yaml` (a bag whose recorder died before writing it, which `ros2 bag
reindex` would repair) the folder's .mcap files are read in natural name order
(`bag_2.mcap` before `bag_10.mcap`), as rosbag2 numbers its splits.
"""

import re
from pathlib import Path

from robotwork.errors import IngestError
from robotwork.ingest.readers._identity import custom_data, load_yaml
from robotwork.ingest.readers.mcap_recording import McapRecording

METADATA = "metadata.yaml"


def open_rosbag2(folder: Path) -> McapRecording:
    """Open a rosbag2 folder in MCAP storage."""
    metadata_path = folder / METADATA
    if not metadata_path.is_file():
        files = sorted(folder.glob("*.mcap"), key=lambda p: natural_key(p.name))
        if not files:
            raise IngestError(f"{folder}: not a recording (no {METADATA}, no .mcap files, no meta/info.json)")
        return McapRecording(files)
    document = load_yaml(metadata_path.read_text(encoding="utf-8"), metadata_path)
    bag = document.get("rosbag2_bagfile_information") if isinstance(document, dict) else None
    if not isinstance(bag, dict):
        raise IngestError(f"{metadata_path}: no rosbag2_bagfile_information")
    _check_storage(bag, metadata_path)
    names = bag.get("relative_file_paths") or [f.get("path") for f in bag.get("files") or []]
    if not names:
        raise IngestError(f"{metadata_path}: lists no files")
    paths = [_resolve(folder, str(name), metadata_path) for name in names]
    return McapRecording(paths, custom_data=custom_data(bag.get("custom_data"), metadata_path))


def _check_storage(bag: dict, where: Path) -> None:
    """Only uncompressed MCAP storage is read; name the conversion for anything else."""
    storage = bag.get("storage_identifier", "mcap")
    if storage != "mcap":
        raise IngestError(
            f"{where}: storage {storage!r} is not MCAP; convert the bag with "
            "`ros2 bag convert` to storage_id mcap"
        )
    mode = bag.get("compression_mode") or ""
    if mode:
        raise IngestError(
            f"{where}: compression_mode {mode!r} is not supported; write an "
            "uncompressed copy with `ros2 bag convert` (MCAP chunk compression "
            "is fine)"
        )


def _resolve(folder: Path, name: str, where: Path) -> Path:
    """A listed file, relative to the folder (old rosbag2 versions prefixed the folder name)."""
    for candidate in (folder / name, folder / Path(name).name):
        if candidate.is_file():
            return candidate
    raise IngestError(f"{where}: lists {name}, which is missing")


def natural_key(name: str) -> list[int | str]:
    """Sort key that orders numbered files by number: file_2 before file_10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
