"""The national nomination template (registry.md): sheets, columns, keys, value kinds.

This is the one place that knows the template's shape; readers, checks and the importer all
walk these definitions, so a new column is added here and nowhere else.
"""

from dataclasses import dataclass

from robotwork.registry import models

ORG_KINDS = ("ministry", "province", "central_soe", "user", "integrator", "algorithm_team", "manufacturer")
NOMINATOR_KINDS = ("province", "central_soe")
MEMBER_ROLES = ("user", "integrator", "algorithm_team")
SCENARIO_STATUSES = ("nominated", "withdrawn")
SUBMISSION_KINDS = ("implementation_plan", "progress_report")
DOMAIN = "<policy domains>"  # marker: the allowed values come from the policy in force


@dataclass(frozen=True)
class Column:
    """One column of a sheet: how its cells parse and what they must refer to."""

    name: str
    kind: str = "text"  # text | date | int | list
    required: bool = False
    choices: tuple[str, ...] | str | None = None
    default: object = None


@dataclass(frozen=True)
class Sheet:
    """One sheet of the template and the table it fills."""

    name: str
    model: type[models.Base]
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        """The template's column names, in order."""
        return tuple(c.name for c in self.columns)


def _req(name: str, kind: str = "text", choices: tuple[str, ...] | str | None = None) -> Column:
    return Column(name, kind, required=True, choices=choices)


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "organizations",
        models.Organization,
        ("code",),
        (
            _req("code"),
            _req("name"),
            Column("name_zh"),
            _req("kind", choices=ORG_KINDS),
            Column("province"),
        ),
    ),
    Sheet(
        "sites",
        models.Site,
        ("site_id",),
        (
            _req("site_id"),
            _req("name"),
            _req("province"),
            _req("city"),
            _req("user_org"),
        ),
    ),
    Sheet(
        "scenarios",
        models.Scenario,
        ("scenario_id",),
        (
            _req("scenario_id"),
            _req("title"),
            _req("domain", choices=DOMAIN),
            _req("nominated_by"),
            _req("site_id"),
            _req("user_org"),
            _req("tasks", "list"),
            _req("nominated_on", "date"),
            Column("planned_robots", "int"),
            Column("declared_robots_in_operation", "int"),
            Column("status", choices=SCENARIO_STATUSES, default="nominated"),
        ),
    ),
    Sheet(
        "consortia",
        models.Consortium,
        ("consortium_id",),
        (
            _req("consortium_id"),
            _req("name"),
            Column("scenario_ids", "list", default=[]),
        ),
    ),
    Sheet(
        "consortium_members",
        models.ConsortiumMember,
        ("consortium_id", "org_code", "role"),
        (
            _req("consortium_id"),
            _req("org_code"),
            _req("role", choices=MEMBER_ROLES),
        ),
    ),
    Sheet(
        "robots",
        models.Robot,
        ("serial",),
        (
            _req("serial"),
            _req("model"),
            _req("manufacturer"),
            Column("built_on", "date"),
            Column("owner_org"),
        ),
    ),
    Sheet(
        "deployments",
        models.Deployment,
        ("robot_serial", "scenario_id", "start_date"),
        (
            _req("robot_serial"),
            _req("scenario_id"),
            _req("site_id"),
            _req("start_date", "date"),
            Column("end_date", "date"),
        ),
    ),
    Sheet(
        "submissions",
        models.Submission,
        ("org_code", "kind", "submitted_on"),
        (
            _req("org_code"),
            _req("kind", choices=SUBMISSION_KINDS),
            _req("submitted_on", "date"),
            Column("document"),
        ),
    ),
)

SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}
