"""The policy as data: the plan's quotas, dates and targets and our definitions, loaded from TOML.

Nothing else in robotwork writes a quota, date or threshold in code; it is handed a `Policy`.
"""

import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from robotwork.errors import PolicyError


@dataclass(frozen=True)
class Quota:
    """What one kind of nominating organization owes: scenarios and domains."""

    min_scenarios: int
    min_domains: int


@dataclass(frozen=True)
class AutonomyRule:
    """One row of the autonomy-level table; unset thresholds do not constrain."""

    level: str
    name: str
    min_autonomous_share: float | None = None
    min_mtbi_hours: float | None = None
    scripted_at_least_teleoperated: bool = False


@dataclass(frozen=True)
class Policy:
    """Every number and date of the plan and of robotwork's definitions; `raw` keeps the file."""

    name: str
    version: str
    timezone: str
    domains: tuple[str, ...]
    quotas: dict[str, Quota]
    deadlines: dict[str, date]
    targets: dict[str, Any]
    routine_operation: dict[str, Any]
    stages: dict[str, dict[str, Any]]
    high_value: dict[str, Any]
    autonomy_levels: tuple[AutonomyRule, ...]
    motion_epsilon_rad: float
    integrity: dict[str, float]
    raw: dict[str, Any]
    source: str

    @property
    def zone(self) -> ZoneInfo:
        """The program's time zone, in which calendar days are counted."""
        return ZoneInfo(self.timezone)

    def domain_name(self, code: str, lang: str = "en") -> str:
        """The human name of a domain in `lang` (``en`` or ``zh``)."""
        return str(self.raw["domains"]["names"][code][lang])


def _get(table: dict[str, Any], dotted: str, kind: type | tuple[type, ...], source: str) -> Any:
    node: Any = table
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise PolicyError(f"{source}: missing policy value {dotted}")
        node = node[part]
    if not isinstance(node, kind) or (kind is not bool and isinstance(node, bool)):
        raise PolicyError(f"{source}: policy value {dotted} has the wrong type ({node!r})")
    return node


def _number(table: dict[str, Any], dotted: str, source: str) -> float:
    return float(_get(table, dotted, (int, float), source))


def parse_policy(raw: dict[str, Any], *, source: str) -> Policy:
    """Check a parsed TOML document and build a `Policy`; errors name the file and key."""
    timezone = _get(raw, "policy.timezone", str, source)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise PolicyError(f"{source}: unknown time zone {timezone!r}") from None
    domains = tuple(_get(raw, "domains.codes", list, source))
    for code in domains:
        _get(raw, f"domains.names.{code}.en", str, source)
        _get(raw, f"domains.names.{code}.zh", str, source)
    quotas = {
        kind: Quota(
            int(_get(raw, f"quotas.{kind}.min_scenarios", int, source)),
            int(_get(raw, f"quotas.{kind}.min_domains", int, source)),
        )
        for kind in ("province", "central_soe")
    }
    deadlines = {
        kind: _get(raw, f"deadlines.{kind}", date, source)
        for kind in ("implementation_plan", "progress_report")
    }
    targets = {
        "date": _get(raw, "targets.date", date, source),
        "robots_in_routine_operation": int(_get(raw, "targets.robots_in_routine_operation", int, source)),
        "high_value_applications_more_than": int(
            _get(raw, "targets.high_value_applications_more_than", int, source)
        ),
    }
    routine = {
        "window_days": int(_get(raw, "routine_operation.window_days", int, source)),
        "min_worked_days": int(_get(raw, "routine_operation.min_worked_days", int, source)),
        "worked_day_min_operating_hours": _number(
            raw, "routine_operation.worked_day_min_operating_hours", source
        ),
        "worked_day_min_tasks": int(_get(raw, "routine_operation.worked_day_min_tasks", int, source)),
        "operating_modes": tuple(_get(raw, "routine_operation.operating_modes", list, source)),
    }
    stages: dict[str, dict[str, Any]] = {
        "verified": {
            "min_robots": int(_get(raw, "stages.verified.min_robots", int, source)),
            "min_success_rate": _number(raw, "stages.verified.min_success_rate", source),
            "min_tasks": int(_get(raw, "stages.verified.min_tasks", int, source)),
        },
        "batch": {"min_robots": int(_get(raw, "stages.batch.min_robots", int, source))},
        "region": {
            "min_sites": int(_get(raw, "stages.region.min_sites", int, source)),
            "min_cities": int(_get(raw, "stages.region.min_cities", int, source)),
        },
    }
    high_value = {
        "min_stage": _get(raw, "high_value.min_stage", str, source),
        "min_success_rate": _number(raw, "high_value.min_success_rate", source),
    }
    levels = tuple(
        AutonomyRule(
            level=str(row["level"]),
            name=str(row.get("name", row["level"])),
            min_autonomous_share=row.get("min_autonomous_share"),
            min_mtbi_hours=row.get("min_mtbi_hours"),
            scripted_at_least_teleoperated=bool(row.get("scripted_at_least_teleoperated", False)),
        )
        for row in _get(raw, "autonomy.levels", list, source)
    )
    return Policy(
        name=_get(raw, "policy.name", str, source),
        version=_get(raw, "policy.version", str, source),
        timezone=timezone,
        domains=domains,
        quotas=quotas,
        deadlines=deadlines,
        targets=targets,
        routine_operation=routine,
        stages=stages,
        high_value=high_value,
        autonomy_levels=levels,
        motion_epsilon_rad=_number(raw, "integrity.motion_epsilon_rad", source),
        integrity={
            key: _number(raw, f"integrity.{key}", source)
            for key in ("replay_min_share", "static_min_claimed_hours", "static_max_moving_share")
        },
        raw=raw,
        source=source,
    )


def default_policy_text() -> str:
    """The TOML text of the policy shipped with robotwork."""
    return resources.files("robotwork.policy").joinpath("default.toml").read_text("utf-8")


def load_policy(path: Path | None = None) -> Policy:
    """Load the policy from `path`, or the shipped default when `path` is None."""
    if path is None:
        text, source = default_policy_text(), "default policy"
    else:
        try:
            text, source = path.read_text("utf-8"), str(path)
        except OSError as exc:
            raise PolicyError(f"{path}: cannot read policy file ({exc.strerror})") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML ({exc})") from None
    return parse_policy(raw, source=source)
