"""The export facade: a selection of the harvest written as LeRobot v3.0 dataset(s), with provenance.

Everything is written into a temporary folder beside `out` and renamed into place only when
whole, then registered; a refused request or a failure leaves no folder and no registry row.
"""

import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork import __version__
from robotwork.datasets.camera_feeds import CameraFeeds
from robotwork.datasets.cameras import CameraFrames
from robotwork.datasets.layout import CODEBASE_VERSION, MANIFEST_PATH
from robotwork.datasets.manifest import MANIFEST_FORMAT, data_files, register
from robotwork.datasets.plan import EpisodePlan, intervention_plans, ordered, task_plans
from robotwork.datasets.resample import MODE_NAMES, RecordingSignals, frame_count
from robotwork.datasets.selection import (
    DatasetError,
    ExportFilters,
    SelectedEpisode,
    by_model,
    select_episodes,
)
from robotwork.datasets.shards import EpisodeValues, ShardReader, episode_values
from robotwork.datasets.source import RecordingSource
from robotwork.datasets.writer import DATA_FILE_BYTES, INDEX_FEATURES, DatasetWriter, scalar, write_json
from robotwork.policy import Policy
from robotwork.registry.models import Recording
from robotwork.store.telemetry import TelemetryStore

MAX_FPS = 1000
READ_AHEAD = 8  # episode windows read before they are written: the reader's slack over row groups
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportOptions:
    """How to cut and write; recorded in the manifest."""

    fps: int = 30
    split_by_model: bool = False
    val_fraction: float = 0.0
    interventions_only: bool = False
    seconds_before: float = 5.0
    data_file_bytes: int = DATA_FILE_BYTES
    videos: bool = True
    velocities: bool = False


@dataclass(frozen=True)
class ExportResult:
    """One dataset written: where, what and its registry id."""

    dataset_id: str
    name: str
    path: str
    robot_model: str
    episodes: int
    frames: int
    tasks: int
    recordings: int
    splits: dict[str, str]
    data_files: int
    cameras: list[str]

    def to_json(self) -> dict[str, Any]:
        """For `--json`."""
        return asdict(self)


def check_request(out: Path, options: ExportOptions) -> None:
    """Refuse what can be refused before reading anything."""
    if not 1 <= options.fps <= MAX_FPS:
        raise DatasetError(f"--fps must be an integer from 1 to {MAX_FPS}, not {options.fps}")
    if not 0.0 <= options.val_fraction < 1.0:
        raise DatasetError(f"--val-fraction must be in [0, 1), not {options.val_fraction}")
    if options.seconds_before < 0:
        raise DatasetError(f"--seconds-before must be >= 0, not {options.seconds_before}")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DatasetError(f"{out}: already exists and is not an empty folder")
    if not out.parent.is_dir():
        raise DatasetError(f"{out.parent}: no such folder (create it first)")


def features(
    joint_names: list[str], cameras: dict[str, dict[str, Any]], *, velocities: bool = False
) -> dict[str, dict[str, Any]]:
    """The LeRobot features of a robotwork dataset, in column order (cameras have no column).
    With velocities the state is the positions, then the velocities named `<joint>.vel`."""
    state = list(joint_names) + ([f"{name}.vel" for name in joint_names] if velocities else [])
    return {
        "observation.state": {"dtype": "float32", "shape": [len(state)], "names": state},
        **cameras,
        "action": {"dtype": "float32", "shape": [len(joint_names)], "names": list(joint_names)},
        "control_mode": scalar("int64", list(MODE_NAMES)),
        "intervention": scalar("bool"),
        "next.success": scalar("bool"),
        "timestamp": scalar("float32"),
        **{name: scalar("int64") for name in INDEX_FEATURES[1:]},
    }


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "model"


def _recordings(engine: Engine, ids: set[str]) -> dict[str, Recording]:
    with Session(engine, expire_on_commit=False) as session:
        return {
            r.recording_id: r
            for r in session.scalars(select(Recording).where(Recording.recording_id.in_(ids)))
        }


def _joint_names(model: str, recordings: list[Recording]) -> list[str]:
    layouts = {tuple(r.joint_names) for r in recordings}
    if len(layouts) > 1:
        raise DatasetError(f"robot model {model}: recordings have {len(layouts)} different joint layouts")
    return list(layouts.pop())


class _Windows:
    """On the reader thread, plan after plan in order: each episode's window of its recording
    (a recording is opened when its first episode comes, and let go with its last)."""

    def __init__(
        self, store: TelemetryStore, feeds: CameraFeeds, recs: dict[str, Recording], velocities: bool
    ) -> None:
        self.store, self.feeds, self.recs, self.velocities = store, feeds, recs, velocities
        self.open: tuple[str, RecordingSource, dict[str, CameraFrames]] | None = None

    def load(self, plan: EpisodePlan) -> tuple[RecordingSignals, dict[str, CameraFrames]]:
        if self.open is None or self.open[0] != plan.recording_id:
            self.open = None  # the previous recording's row groups go first
            files = self.recs[plan.recording_id].files
            source = RecordingSource(self.store, files, velocities=self.velocities)
            self.open = (plan.recording_id, source, self.feeds.index(files))
        _, source, cameras = self.open
        return source.window(plan.start_ns, plan.end_ns), cameras


def _serial_episodes(
    store: TelemetryStore,
    feeds: CameraFeeds,
    recs: dict[str, Recording],
    plans: list[EpisodePlan],
    fps: int,
    velocities: bool,
) -> Iterator[tuple[EpisodeValues, dict[str, CameraFrames]]]:
    """Episode after episode, read here: windows up to `READ_AHEAD` episodes ahead on a thread of
    their own while this one resamples and writes (Parquet decoding releases the GIL)."""
    windows = _Windows(store, feeds, recs, velocities)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dataset-read") as reader:
        pending = [reader.submit(windows.load, plan) for plan in plans[:READ_AHEAD]]
        for k, plan in enumerate(plans):
            if k + READ_AHEAD < len(plans):
                pending.append(reader.submit(windows.load, plans[k + READ_AHEAD]))
            try:
                signals, cameras = pending.pop(0).result()
            except ValueError as exc:
                raise DatasetError(f"recording {plan.recording_id}: {exc}") from None
            yield episode_values(signals, plan, fps), cameras


def _sharded_episodes(
    shards: ShardReader,
    feeds: CameraFeeds,
    recs: dict[str, Recording],
    plans: list[EpisodePlan],
    fps: int,
    velocities: bool,
) -> Iterator[tuple[EpisodeValues, dict[str, CameraFrames]]]:
    """Episode after episode, computed in shards elsewhere (`dataset export --ray`); where the
    cameras' frames are is looked up here, a recording at a time."""
    files = {rid: r.files for rid, r in recs.items()}
    cameras: tuple[str, dict[str, CameraFrames]] = ("", {})
    episodes = shards.episodes(files, plans, fps, velocities=velocities)
    for plan in plans:
        try:
            values = next(episodes)
        except ValueError as exc:
            raise DatasetError(f"recording {plan.recording_id}: {exc}") from None
        if cameras[0] != plan.recording_id:
            cameras = (plan.recording_id, feeds.index(files[plan.recording_id]))
        yield values, cameras[1]


def _write_episodes(
    writer: DatasetWriter,
    store: TelemetryStore,
    feeds: CameraFeeds,
    recs: dict[str, Recording],
    plans: list[EpisodePlan],
    *,
    velocities: bool,
    on_progress: Progress | None = None,
    shards: ShardReader | None = None,
) -> dict[str, dict[str, int]]:
    """Stream the plans into the writer, in plan order; counts per recording.

    Memory holds the windows read ahead and the row groups they come from, whatever the
    recordings' length (camera frames: only where they are; their bytes are read as the episode
    is encoded). With `shards` the windows are read and resampled by tasks; the writer gets the
    same columns in the same order, so the dataset's bytes do not change.
    """
    counts: dict[str, dict[str, int]] = {}
    total = sum(frame_count(p.start_ns, p.end_ns, writer.fps) for p in plans)
    episodes = (
        _sharded_episodes(shards, feeds, recs, plans, writer.fps, velocities)
        if shards
        else _serial_episodes(store, feeds, recs, plans, writer.fps, velocities)
    )
    for plan, ((values, at), cameras) in zip(plans, episodes, strict=True):
        extra = {
            "robotwork/recording_id": plan.recording_id,
            "robotwork/robot_serial": plan.robot_serial,
            "robotwork/start_ns": plan.start_ns,
            "robotwork/end_ns": plan.end_ns,
            "robotwork/outcome": plan.outcome,
        }
        writer.add_episode(values, plan.task, extra, feeds.episode(plan.recording_id, cameras, at))
        count = counts.setdefault(plan.recording_id, {"episodes": 0, "frames": 0})
        count["episodes"] += 1
        count["frames"] += len(values["control_mode"])
        if on_progress:
            on_progress(writer.frames, total)
    return counts


def _manifest(
    name: str,
    model: str,
    filters: ExportFilters,
    options: ExportOptions,
    policy: Policy,
    recs: dict[str, Recording],
    counts: dict[str, dict[str, int]],
    feeds: CameraFeeds,
    info: dict[str, Any],
    root: Path,
) -> dict[str, Any]:
    recordings = [
        {
            "recording_id": rid,
            "sha256": rid,
            "robot_serial": recs[rid].robot_serial,
            "scenario_id": recs[rid].scenario_id,
            "source_name": recs[rid].source_name,
            "rows": dict(sorted(recs[rid].rows.items())),
            **counts[rid],
        }
        for rid in sorted(counts)
    ]
    return {
        "format": MANIFEST_FORMAT,
        "name": name,
        "robot_model": model,
        "fps": options.fps,
        "filters": filters.to_json(),
        "options": {k: v for k, v in asdict(options).items() if k != "fps"},
        "policy_version": policy.version,
        "robotwork_version": __version__,
        "lerobot_codebase_version": CODEBASE_VERSION,
        "totals": {
            "episodes": info["total_episodes"],
            "frames": info["total_frames"],
            "tasks": info["total_tasks"],
        },
        "splits": info["splits"],
        "cameras": {"exported": sorted(feeds.sizes), "left_out": feeds.left_out},
        "recordings": recordings,
        "data_files": data_files(root),
    }


def _write_dataset(
    root: Path,
    name: str,
    model: str,
    episodes: list[SelectedEpisode],
    *,
    engine: Engine,
    store: TelemetryStore,
    policy: Policy,
    filters: ExportFilters,
    options: ExportOptions,
    on_progress: Progress | None,
    shards: ShardReader | None,
) -> dict[str, Any]:
    recs = _recordings(engine, {e.recording_id for e in episodes})
    joint_names = _joint_names(model, list(recs.values()))
    if options.interventions_only:
        files = {rid: r.files for rid, r in recs.items()}
        plans = intervention_plans(
            store, files, episodes, seconds_before=options.seconds_before, val_fraction=options.val_fraction
        )
        if not plans:
            raise DatasetError(f"no takeover or correction inside the selected episodes of {model}")
    else:
        plans = task_plans(episodes, options.val_fraction)
    plans, splits = ordered(plans)
    feeds = CameraFeeds.choose(store, recs, videos=options.videos)
    with DatasetWriter(
        root,
        features(joint_names, feeds.features(options.fps), velocities=options.velocities),
        options.fps,
        robot_type=model,
        data_file_bytes=options.data_file_bytes,
    ) as writer:
        counts = _write_episodes(
            writer,
            store,
            feeds,
            recs,
            plans,
            velocities=options.velocities,
            on_progress=on_progress,
            shards=shards,
        )
        info = writer.finish(splits)
    manifest = _manifest(name, model, filters, options, policy, recs, counts, feeds, info, root)
    write_json(manifest, root / MANIFEST_PATH)
    return manifest


def export_dataset(
    engine: Engine,
    store: TelemetryStore,
    policy: Policy,
    out: Path,
    *,
    name: str | None = None,
    fps: int = 30,
    filters: ExportFilters,
    split_by_model: bool = False,
    val_fraction: float = 0.0,
    interventions_only: bool = False,
    seconds_before: float = 5.0,
    actor: str,
    data_file_bytes: int = DATA_FILE_BYTES,
    videos: bool = True,
    velocities: bool = False,
    on_progress: Progress | None = None,
    shards: ShardReader | None = None,
) -> list[ExportResult]:
    """Select, resample and write; one dataset in `out`, or one per model in `out/<model>`.

    `on_progress(frames written, frames in all)` is called after each episode, per dataset.
    `shards` reads and resamples episodes as tasks (`--ray`); the bytes written are the same."""
    options = ExportOptions(
        fps,
        split_by_model,
        val_fraction,
        interventions_only,
        seconds_before,
        data_file_bytes,
        videos,
        velocities,
    )
    check_request(out, options)
    selected = select_episodes(engine, filters, policy.zone)
    if not selected:
        raise DatasetError("no task episodes match the selection (flagged recordings are left out)")
    groups = by_model(selected, split_by_model=options.split_by_model)
    name = name or out.name
    tmp = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        manifests = []
        for model, episodes in sorted(groups.items()):
            split = options.split_by_model
            root = tmp / _slug(model) if split else tmp
            ds_name = f"{name}-{_slug(model)}" if split else name
            manifests.append(
                (
                    root.relative_to(tmp),
                    _write_dataset(
                        root,
                        ds_name,
                        model,
                        episodes,
                        engine=engine,
                        store=store,
                        policy=policy,
                        filters=filters,
                        options=options,
                        on_progress=on_progress,
                        shards=shards,
                    ),
                )
            )
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        return [_register(engine, out / rel, manifest, actor) for rel, manifest in manifests]
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)  # a dataset the registry does not know must not stay
        raise


def _register(engine: Engine, path: Path, manifest: dict[str, Any], actor: str) -> ExportResult:
    row = register(engine, manifest, path.resolve(), actor)
    totals = manifest["totals"]
    return ExportResult(
        dataset_id=row.dataset_id,
        name=manifest["name"],
        path=str(path),
        robot_model=manifest["robot_model"],
        episodes=totals["episodes"],
        frames=totals["frames"],
        tasks=totals["tasks"],
        recordings=len(manifest["recordings"]),
        splits=manifest["splits"],
        data_files=len(manifest["data_files"]),
        cameras=manifest["cameras"]["exported"],
    )
