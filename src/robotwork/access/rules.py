"""The role matrix: for every write and every read, how far each role reaches.

This table is the rule set. The checks in `writes` and `reads` ask it first (`reach`): `all`
needs no further check, `none` is refused, `own` is decided by the ownership rules next to it.
`docs/web.md` carries the same table, rendered by `matrix_markdown` (a test fails when they
differ), so the documentation cannot drift from what is enforced.
"""

from dataclasses import dataclass
from enum import StrEnum

from robotwork.accounts import Principal
from robotwork.registry.template import SHEETS

ROLES = ("ministry", "province", "central_soe", "consortium", "algorithm_team", "device")
OFFICER_ROLES = ("province", "central_soe")


class Reach(StrEnum):
    """How much of the program a role may touch with one action."""

    ALL = "all"
    OWN = "own"
    NONE = "none"


@dataclass(frozen=True)
class Rule:
    """One action, where it is done, what `own` means for it, and each role's reach."""

    action: str
    where: str
    own: str
    reach: dict[str, Reach]


_ALL, _OWN, _NO = Reach.ALL, Reach.OWN, Reach.NONE
_OFFICERS_OWN = {
    "ministry": _ALL,
    "province": _OWN,
    "central_soe": _OWN,
    "consortium": _NO,
    "algorithm_team": _NO,
    "device": _NO,
}
_SHEET_OWN = {
    "organizations": "not a ministry, province or central SOE; new, or every scenario that reaches "
    "it (as user, site user, consortium member, robot maker or owner) is the officer's",
    "sites": "new, or every scenario at it (nominated or deployed) is the officer's; for a province "
    "officer the site is in the province",
    "scenarios": "nominated by the officer's organization (before and after), at a site of its own",
    "consortia": "new, or all its scenarios are the officer's; every scenario it lists is the officer's",
    "consortium_members": "of a consortium of the officer's (any organization may be a member)",
    "robots": "new, or deployed only on the officer's scenarios",
    "deployments": "on the officer's scenario, at a site of its own, of a robot of its own or new",
    "submissions": "of the officer's organization",
}
_OWNERLESS = "A record no scenario reaches belongs to the organization of the user who created it."

WRITES: tuple[Rule, ...] = (
    *(
        Rule(
            f"import.{sheet.name}",
            f"workbook sheet `{sheet.name}` (import: API, upload page)",
            _SHEET_OWN[sheet.name],
            _OFFICERS_OWN,
        )
        for sheet in SHEETS
    ),
    Rule(
        "submission",
        "`POST /api/v1/organizations/{code}/submissions`",
        "`code` is the officer's organization",
        _OFFICERS_OWN,
    ),
    Rule(
        "recording.upload",
        "`POST /api/v1/recordings`, upload page",
        "the robot (named by the file and by the form) is deployed on one of the consortium's "
        "scenarios; for a device token, it is the token's robot",
        {
            "ministry": _ALL,
            "province": _NO,
            "central_soe": _NO,
            "consortium": _OWN,
            "algorithm_team": _NO,
            "device": _OWN,
        },
    ),
    Rule(
        "flag.clear",
        "`POST /api/v1/flags/{id}/clear`, integrity page",
        "",
        {
            "ministry": _ALL,
            "province": _NO,
            "central_soe": _NO,
            "consortium": _NO,
            "algorithm_team": _NO,
            "device": _NO,
        },
    ),
)

_ROBOTS_OWN = {
    "ministry": _ALL,
    "province": _OWN,
    "central_soe": _OWN,
    "consortium": _OWN,
    "algorithm_team": _OWN,
    "device": _NO,
}
READS: tuple[Rule, ...] = (
    Rule(
        "figures",
        "national page, organization and scenario pages and figures, compliance, metrics by "
        "national, province and scenario, progress reports, scenario lists, the registry's "
        "organizations, sites, scenarios, consortia and submissions, the graph's organizations, "
        "scenarios and consortia",
        "",
        {
            "ministry": _ALL,
            "province": _ALL,
            "central_soe": _ALL,
            "consortium": _ALL,
            "algorithm_team": _ALL,
            "device": _NO,
        },
    ),
    Rule(
        "robots",
        "robot pages and timelines, robot lists and metrics by robot, the registry's robots and "
        "deployments, robots on scenario pages and in the graph",
        "robots in scope",
        _ROBOTS_OWN,
    ),
    Rule(
        "recordings",
        "`/api/v1/recordings` list and detail, recordings on robot pages",
        "recordings of robots in scope",
        {
            "ministry": _ALL,
            "province": _OWN,
            "central_soe": _OWN,
            "consortium": _OWN,
            "algorithm_team": _OWN,
            "device": _OWN,
        },
    ),
    Rule("flags", "`/api/v1/flags`, integrity page", "flags on recordings of robots in scope", _ROBOTS_OWN),
    Rule(
        "datasets",
        "`/api/v1/datasets`, dataset pages, datasets in the graph",
        "datasets made only of recordings of robots in scope",
        _ROBOTS_OWN,
    ),
    Rule(
        "audit",
        "`/api/v1/audit`, audit page (`robotwork audit` on the server)",
        "",
        {
            "ministry": _ALL,
            "province": _NO,
            "central_soe": _NO,
            "consortium": _NO,
            "algorithm_team": _NO,
            "device": _NO,
        },
    ),
)

# What "robots in scope" means for each role that reads with `own`.
ROBOTS_IN_SCOPE = {
    "province": "robots ever deployed on a scenario the officer's organization nominated",
    "central_soe": "robots ever deployed on a scenario the officer's organization nominated",
    "consortium": "robots ever deployed on one of the consortium's scenarios",
    "algorithm_team": "robots ever deployed on a scenario of a consortium its organization is a member of",
    "device": "the token's own robot",
}

_RULES = {r.action: r for r in (*WRITES, *READS)}


def role_of(principal: Principal) -> str:
    """The matrix column of a principal: its role, or `device` for a device token."""
    return "device" if principal.kind == "device" else str(principal.role)


def reach(principal: Principal, action: str) -> Reach:
    """How far `principal` reaches with `action` (an unknown role reaches nothing)."""
    return _RULES[action].reach.get(role_of(principal), Reach.NONE)


def _table(rules: tuple[Rule, ...], title: str) -> list[str]:
    lines = [f"| {title} | where | {' | '.join(f'`{r}`' for r in ROLES)} | `own` means |"]
    lines.append("| " + " | ".join(["---"] * (len(ROLES) + 3)) + " |")
    for rule in rules:
        cells = " | ".join(rule.reach[r].value for r in ROLES)
        lines.append(f"| `{rule.action}` | {rule.where} | {cells} | {rule.own} |")
    return lines


def matrix_markdown() -> str:
    """The role matrix as the Markdown tables of docs/web.md."""
    lines = ["Writes:", "", *_table(WRITES, "write"), "", _OWNERLESS, "", "Reads:", ""]
    lines += [*_table(READS, "read"), ""]
    lines += [f"- robots in scope of `{role}`: {text}" for role, text in ROBOTS_IN_SCOPE.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(matrix_markdown(), end="")
