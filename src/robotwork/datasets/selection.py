"""Which task episodes an export takes: the filters, checked against the registry, then applied.

Flagged recordings (an uncleared flag) are always left out: a dataset must not teach a policy
from a replay or a duplicate. Episodes are returned in a fixed order (robot model, recording
start, recording id, episode start) so that the same selection always gives the same dataset.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Select, select
from sqlalchemy.orm import Session

from robotwork.errors import RobotworkError, UnknownRecord
from robotwork.evidence.figures import flagged_recording_ids
from robotwork.registry.models import Episode, Organization, Recording, Robot, Scenario, Site

OUTCOMES = ("success", "failure", "abort")
OPERATING_MODES = ("autonomous", "teleoperated", "scripted")


class DatasetError(RobotworkError):
    """An export request that cannot be served; nothing was written."""


@dataclass(frozen=True)
class ExportFilters:
    """What to select; None means no restriction. Dates are calendar days in the program's zone."""

    scenario: str | None = None
    domain: str | None = None
    province: str | None = None
    robot: str | None = None
    model: str | None = None
    mode: str | None = None
    outcome: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def to_json(self) -> dict[str, Any]:
        """The filters as recorded in the manifest (only those given, dates as ISO strings)."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v}


@dataclass(frozen=True)
class SelectedEpisode:
    """A task episode chosen for export, with what the exporter needs of its recording."""

    recording_id: str
    robot_serial: str
    robot_model: str
    scenario_id: str | None
    start_ns: int
    end_ns: int
    task: str
    outcome: str

    @property
    def identity(self) -> str:
        """Stable across rebuilds (registry ids are not): the recording and the start time."""
        return f"{self.recording_id}:{self.start_ns}"


def check_filters(session: Session, filters: ExportFilters) -> None:
    """Refuse filters naming what the registry does not know, so a typo is not an empty dataset."""
    if filters.mode is not None and filters.mode not in OPERATING_MODES:
        raise DatasetError(f"unknown mode {filters.mode!r}; expected one of {', '.join(OPERATING_MODES)}")
    if filters.outcome is not None and filters.outcome not in OUTCOMES:
        raise DatasetError(f"unknown outcome {filters.outcome!r}; expected one of {', '.join(OUTCOMES)}")
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise DatasetError(f"--from {filters.date_from} is after --to {filters.date_to}")
    if filters.scenario and session.get(Scenario, filters.scenario) is None:
        raise UnknownRecord(f"unknown scenario {filters.scenario}")
    if filters.robot and session.get(Robot, filters.robot) is None:
        raise UnknownRecord(f"unknown robot {filters.robot}")
    if filters.model and session.scalar(select(Robot.serial).where(Robot.model == filters.model)) is None:
        raise UnknownRecord(f"unknown robot model {filters.model}")
    if (
        filters.domain
        and session.scalar(select(Scenario.scenario_id).where(Scenario.domain == filters.domain)) is None
    ):
        raise UnknownRecord(f"unknown domain {filters.domain}")
    if filters.province and not _province_known(session, filters.province):
        raise UnknownRecord(f"unknown province {filters.province}")


def _province_known(session: Session, code: str) -> bool:
    org = session.get(Organization, code)
    if org is not None:
        return True
    return session.scalar(select(Site.site_id).where(Site.province == code)) is not None


def _day_bounds_ns(day: date, zone: ZoneInfo) -> int:
    return int(datetime.combine(day, time(), tzinfo=zone).timestamp()) * 10**9


def _query(filters: ExportFilters, zone: ZoneInfo) -> "Select[Episode, str | None, str]":
    flagged = flagged_recording_ids()
    query = (
        select(Episode, Recording.scenario_id, Robot.model)
        .join(Recording, Recording.recording_id == Episode.recording_id)
        .join(Robot, Robot.serial == Recording.robot_serial)
        .where(Episode.recording_id.not_in(flagged), Episode.end_ns.is_not(None))
        .where(Episode.outcome.in_([filters.outcome] if filters.outcome else OUTCOMES))
    )
    if filters.scenario:
        query = query.where(Recording.scenario_id == filters.scenario)
    if filters.domain:
        in_domain = select(Scenario.scenario_id).where(Scenario.domain == filters.domain)
        query = query.where(Recording.scenario_id.in_(in_domain))
    if filters.province:
        query = query.where(_in_province(filters.province))
    if filters.robot:
        query = query.where(Recording.robot_serial == filters.robot)
    if filters.model:
        query = query.where(Robot.model == filters.model)
    if filters.date_from:
        query = query.where(Episode.start_ns >= _day_bounds_ns(filters.date_from, zone))
    if filters.date_to:
        query = query.where(Episode.start_ns < _day_bounds_ns(filters.date_to + timedelta(days=1), zone))
    return query.order_by(Robot.model, Recording.start_ns, Recording.recording_id, Episode.start_ns)


def _in_province(code: str) -> Any:
    """A recording is in a province through its site, else through its scenario's site."""
    sites = select(Site.site_id).where(Site.province == code)
    scenarios = select(Scenario.scenario_id).where(Scenario.site_id.in_(sites))
    return (Recording.site_id.in_(sites)) | (
        Recording.site_id.is_(None) & Recording.scenario_id.in_(scenarios)
    )


def _mostly(episode: Episode, mode: str) -> bool:
    """More than half of the episode's time in `mode` (the sum of its modes if it lasts 0 ns)."""
    seconds = episode.mode_seconds or {}
    assert episode.end_ns is not None
    duration = (episode.end_ns - episode.start_ns) / 1e9 or sum(seconds.values())
    return duration > 0 and seconds.get(mode, 0.0) / duration > 0.5


def select_episodes(engine: Engine, filters: ExportFilters, zone: ZoneInfo) -> list[SelectedEpisode]:
    """The task episodes matching `filters`, from unflagged recordings, in export order."""
    with Session(engine) as session:
        check_filters(session, filters)
        rows = session.execute(_query(filters, zone)).all()
    chosen = []
    for episode, scenario_id, model in rows:
        if filters.mode and not _mostly(episode, filters.mode):
            continue
        chosen.append(
            SelectedEpisode(
                recording_id=episode.recording_id,
                robot_serial=episode.robot_serial,
                robot_model=model,
                scenario_id=scenario_id,
                start_ns=episode.start_ns,
                end_ns=episode.end_ns or episode.start_ns,  # never None: the query asks for an end
                task=episode.task or "",
                outcome=episode.outcome,
            )
        )
    return chosen


def by_model(episodes: list[SelectedEpisode], *, split_by_model: bool) -> dict[str, list[SelectedEpisode]]:
    """Group by robot model; a mix without `split_by_model` is refused, naming the models."""
    groups: dict[str, list[SelectedEpisode]] = {}
    for episode in episodes:
        groups.setdefault(episode.robot_model, []).append(episode)
    if len(groups) > 1 and not split_by_model:
        listed = ", ".join(f"{m} ({len(e)} episodes)" for m, e in sorted(groups.items()))
        raise DatasetError(
            f"the selection mixes robot models with different joint layouts: {listed}; "
            "narrow it with --model or pass --split-by-model"
        )
    return groups


__all__ = ["DatasetError", "ExportFilters", "SelectedEpisode", "by_model", "select_episodes"]
