"""Lists people work with: robots, scenarios, recordings and datasets, with their filters, search,
sort and paging, each as one read model for the page, its JSON twin and the API.

A count on a page links here with the filters that reproduce it, e.g. the national "robots in
routine operation" links to the robot list with ``routine=1``, an organization's to the same with
``org``: the list filters the very rows the count was summed from. Every list takes the same four
parameters (`ListQuery`): ``q`` (words that must all appear in one of the list's searchable
columns, any case), ``sort`` (a column, ``-column`` for descending), ``page`` (from 1) and
``per_page``. The rows are cut to the reader's scope before they are searched, so search and paging
never reveal a row out of scope; ``matched`` counts the rows after the search, ``total`` before it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from pydantic import ConfigDict
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.access import ReadScope
from robotwork.errors import RobotworkError
from robotwork.evidence.metrics import Evidence, gather, robot_level, scenario_level
from robotwork.policy import Policy
from robotwork.read.dataset import Dataset, datasets
from robotwork.read.models import ReadModel
from robotwork.read.recording import Recording, list_recordings
from robotwork.registry.models import Deployment

MAX_PER_PAGE = 500
ROBOT_SEARCH = ("robot_serial", "model", "scenario_id", "site_id")
ROBOT_SORT = (
    "robot_serial",
    "model",
    "scenario_id",
    "worked_days",
    "operating_hours",
    "autonomy_level",
    "success_rate",
    "interventions_per_hour",
)
SCENARIO_SEARCH = ("scenario_id", "title", "nominated_by", "domain")
SCENARIO_SORT = (
    "scenario_id",
    "nominated_by",
    "domain",
    "stage",
    "robots",
    "robots_in_routine_operation",
    "declared_robots_in_operation",
    "success_rate",
)
RECORDING_SEARCH = ("recording_id", "robot_serial", "scenario_id", "site_id", "source_name")
RECORDING_SORT = ("start", "robot_serial", "scenario_id", "messages", "size_bytes")
DATASET_SEARCH = ("dataset_id", "name", "robot_model", "scenarios")
DATASET_SORT = ("name", "robot_model", "episodes", "frames", "created_at")


class BadListQuery(RobotworkError):
    """A list asked to sort by a column it cannot be sorted by."""


@dataclass(frozen=True)
class ListQuery:
    """What a reader asked of a list: search words, sort column, page and page size."""

    q: str | None = None
    sort: str | None = None
    page: int = 1
    per_page: int = 50


class ListState(ReadModel):
    """The list parameters an answer was made with, and what the reader may ask next."""

    q: str | None
    sort: str | None
    page: int
    pages: int
    per_page: int
    sortable: list[str]


class Paged(TypedDict):
    """One page of a list: its rows, how many there were before and after the search."""

    rows: list[Any]
    total: int
    matched: int
    list: ListState


def _value(row: Any, key: str) -> Any:
    return row.get(key)  # dicts and read models alike


def _sort_key(value: Any) -> tuple[int, Any]:
    """None last, numbers as numbers, everything else as its text (so mixed columns still sort)."""
    if value is None:
        return (2, "")
    if isinstance(value, bool | int | float):
        return (0, float(value))
    return (1, str(value).lower())


def list_page(
    rows: Sequence[Any], query: ListQuery, *, search: tuple[str, ...], sortable: tuple[str, ...]
) -> Paged:
    """One page of `rows` matching the search, sorted; `BadListQuery` for a column not sortable."""
    column = (query.sort or "").lstrip("-")
    if column and column not in sortable:
        why = f"sort {query.sort!r}: not one of {', '.join(sortable)}"
        raise BadListQuery(why, message_id="error.bad_sort", sort=query.sort)
    matched = list(rows)
    if query.q:
        words = query.q.lower().split()
        matched = [
            r for r in rows if all(any(w in str(_value(r, k) or "").lower() for k in search) for w in words)
        ]
    if column:
        matched = sorted(matched, key=lambda r: _sort_key(_value(r, column)), reverse=query.sort != column)
        if query.sort != column:  # descending: keep None last too
            matched = [r for r in matched if _value(r, column) is not None] + [
                r for r in matched if _value(r, column) is None
            ]
    pages = max(1, -(-len(matched) // query.per_page))
    start = (query.page - 1) * query.per_page
    state = ListState(
        q=query.q,
        sort=query.sort,
        page=query.page,
        pages=pages,
        per_page=query.per_page,
        sortable=list(sortable),
    )
    return Paged(
        rows=matched[start : start + query.per_page], total=len(rows), matched=len(matched), list=state
    )


class RobotRow(ReadModel):
    """One robot's figures over the window (the ``--json`` contract of ``metrics --by robot``)."""

    model_config = ConfigDict(extra="allow")  # a figure the metrics add is served, not dropped

    robot_serial: str
    model: str
    scenario_id: str | None
    site_id: str | None
    operating_hours: float
    autonomous_hours: float
    teleoperated_hours: float
    scripted_hours: float
    idle_hours: float
    interventions: int
    assists: int
    interventions_per_hour: float | None
    mtbi_hours: float | None
    tasks_succeeded: int
    tasks_failed: int
    tasks_aborted: int
    tasks_incomplete: int
    success_rate: float | None
    worked_days: int
    in_routine_operation: bool
    autonomy_level: str | None
    flagged: bool


class ScenarioRow(ReadModel):
    """One scenario's figures and standing on the ladder (``metrics --by scenario``); `counted`
    says whether it counts toward its nominator's quota."""

    model_config = ConfigDict(extra="allow")  # a figure the metrics add is served, not dropped

    scenario_id: str
    title: str
    nominated_by: str
    domain: str
    status: str
    stage: str
    robots: int
    robots_in_routine_operation: int
    sites_in_routine_operation: int
    cities: list[str]
    success_rate: float | None
    high_value: bool
    missing_for_next_stage: list[str]
    shortfalls: list[dict[str, Any]]
    declared_robots_in_operation: int | None
    counted: bool


class Filters(ReadModel):
    """What a list was filtered by (None: not filtered), iterable as (name, value) pairs."""

    def items(self) -> list[tuple[str, Any]]:
        """The filters as (name, value) pairs, in their order (the pages link and show them)."""
        return list(self.model_dump().items())


class RobotFilters(Filters):
    """What the robot list was filtered by (None: not filtered)."""

    org: str | None = None
    scenario: str | None = None
    routine: bool | None = None
    level: str | None = None
    flagged: bool | None = None


class RobotList(ReadModel):
    """Robot rows (the robot-level metrics) in the reader's scope; `rows_hidden` counts those the
    filters kept but the scope leaves out, so a public count and its list still add up."""

    as_of: str
    filters: RobotFilters
    rows: list[RobotRow]
    rows_hidden: int
    total: int
    matched: int
    list: ListState


class ScenarioFilters(Filters):
    """What the scenario list was filtered by (None: not filtered)."""

    org: str | None = None
    domain: str | None = None
    stage: str | None = None
    high_value: bool | None = None
    counted: bool | None = None
    site: str | None = None


class ScenarioList(ReadModel):
    """Scenario rows (the scenario-level metrics, `counted` toward a quota or not);
    `declared_total` sums the declared robots in operation of every filtered row."""

    as_of: str
    filters: ScenarioFilters
    rows: list[ScenarioRow]
    declared_total: int
    total: int
    matched: int
    list: ListState


class RecordingFilters(Filters):
    """What the recordings list was filtered by."""

    robot: str | None = None
    scenario: str | None = None


class RecordingPage(ReadModel):
    """Recordings of the robots in the reader's scope, newest first unless sorted."""

    filters: RecordingFilters
    rows: list[Recording]
    total: int
    matched: int
    list: ListState


class DatasetPage(ReadModel):
    """Exports the reader may see, newest first unless sorted (`datasets` is `rows`, for the page)."""

    rows: list[Dataset]
    datasets: list[Dataset]
    total: int
    matched: int
    list: ListState


def _counted_ids(ev: Evidence, org: str | None) -> set[str]:
    """Scenarios that count toward a quota (of one nominator, or of all), as the org figures use."""
    return {s.scenario_id for o in ev.orgs if org in (None, o.code) for s in ev.counted(o)}


def robot_rows(engine: Engine, policy: Policy, as_of: date, filters: RobotFilters) -> list[dict[str, Any]]:
    """Robot rows filtered (every robot, before the reader's scope); `org` keeps robots on the
    organization's counted scenarios."""
    ev = gather(engine, policy, as_of)
    keep = _counted_ids(ev, filters.org) if filters.org else None
    return [
        r
        for r in robot_level(ev)
        if (keep is None or r["scenario_id"] in keep)
        and filters.scenario in (None, r["scenario_id"])
        and filters.routine in (None, r["in_routine_operation"])
        and filters.level in (None, r["autonomy_level"])
        and filters.flagged in (None, r["flagged"])
    ]


def robots(
    engine: Engine, policy: Policy, as_of: date, scope: ReadScope, filters: RobotFilters, query: ListQuery
) -> RobotList:
    """The robots a count was made of, those in the scope, searched, sorted and paged."""
    rows = robot_rows(engine, policy, as_of, filters)
    visible = [RobotRow.model_validate(r) for r in scope.robot_rows(rows)]
    shown = list_page(visible, query, search=ROBOT_SEARCH, sortable=ROBOT_SORT)
    return RobotList(as_of=as_of.isoformat(), filters=filters, rows_hidden=len(rows) - len(visible), **shown)


def scenario_rows(
    engine: Engine, policy: Policy, as_of: date, filters: ScenarioFilters
) -> list[dict[str, Any]]:
    """Scenario rows filtered; `counted` keeps those that count toward a quota (the national and
    organization figures are summed over those), `site` those nominated or deployed at a site."""
    ev = gather(engine, policy, as_of)
    quota = _counted_ids(ev, None)
    at_site: set[str] | None = None
    if filters.site:
        with Session(engine) as session:
            deployed = session.scalars(
                select(Deployment.scenario_id).where(Deployment.site_id == filters.site)
            )
            at_site = set(deployed) | {s.scenario_id for s in ev.scenarios if s.site_id == filters.site}
    return [
        dict(r, counted=r["scenario_id"] in quota)
        for r in scenario_level(ev)
        if filters.org in (None, r["nominated_by"])
        and filters.domain in (None, r["domain"])
        and filters.stage in (None, r["stage"])
        and filters.high_value in (None, r["high_value"])
        and filters.counted in (None, r["scenario_id"] in quota)
        and (at_site is None or r["scenario_id"] in at_site)
    ]


def scenarios(
    engine: Engine, policy: Policy, as_of: date, filters: ScenarioFilters, query: ListQuery
) -> ScenarioList:
    """The scenarios a count was made of (figures: everyone's), searched, sorted and paged."""
    rows = [ScenarioRow.model_validate(r) for r in scenario_rows(engine, policy, as_of, filters)]
    declared = sum(r.declared_robots_in_operation or 0 for r in rows)
    shown = list_page(rows, query, search=SCENARIO_SEARCH, sortable=SCENARIO_SORT)
    return ScenarioList(as_of=as_of.isoformat(), filters=filters, declared_total=declared, **shown)


def recordings(
    engine: Engine, policy: Policy, scope: ReadScope, filters: RecordingFilters, query: ListQuery
) -> RecordingPage:
    """Recordings of the robots in the scope (of a robot, of a scenario), searched, sorted, paged."""
    rows = list_recordings(engine, policy, scope, robot=filters.robot, scenario=filters.scenario)
    shown = list_page(rows, query, search=RECORDING_SEARCH, sortable=RECORDING_SORT)
    return RecordingPage(filters=filters, **shown)


def dataset_list(engine: Engine, scope: ReadScope, query: ListQuery) -> DatasetPage:
    """Exports the reader may see, searched, sorted and paged."""
    shown = list_page(datasets(engine, scope).rows, query, search=DATASET_SEARCH, sortable=DATASET_SORT)
    return DatasetPage(datasets=shown["rows"], **shown)
