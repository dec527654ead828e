"""`robotwork compliance`: who meets the plan as of a date."""

from datetime import date
from typing import Annotated, Any

import typer

from robotwork.cli.output import (
    DEFAULT_LIMIT,
    Col,
    JsonOption,
    LimitOption,
    WideOption,
    print_json,
    print_lines,
    print_table,
    rerun,
)
from robotwork.cli.state import State
from robotwork.errors import RobotworkError


def parse_as_of(text: str | None, state: State) -> date:
    """The as-of date from the command line, or today in the program's time zone."""
    if text is None:
        return state.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RobotworkError(f"--as-of {text!r}: not a date (YYYY-MM-DD)") from None


def _words(value: Any) -> str:
    return str(value).replace("_", " ")


# the rows are the organizations of `compliance --json`, so the table shows exactly its figures
_COLUMNS = (
    Col("code", "code"),
    Col("name", "name", rank=3, flex=True),
    Col("kind", "kind", wide=True, fmt=_words),
    Col("scenarios_counted", "scen.", rank=1, right=True),
    Col("domains_covered", "domains", wide=True, fmt=lambda v: ", ".join(map(_words, v)) or "-"),
    Col("quota_met", "quota", rank=1, fmt=lambda v: "met" if v else "short"),
    Col("implementation_plan", "plan", rank=2, fmt=_words),
    Col("progress_report", "report", rank=2, fmt=_words),
    Col("declared_robots_in_operation", "declared", wide=True, right=True),
    Col("verified_robots_in_routine_operation", "verified", rank=4, right=True),
    Col("compliant", "ok"),
    Col("problems", "problems", rank=2, flex=True, least=20),
)


def _render(ctx: typer.Context, doc: dict[str, Any], wide: bool, limit: int) -> None:
    policy = doc["policy"]
    print_table(
        doc["organizations"],
        _COLUMNS,
        title=f"Compliance as of {doc['as_of']} ({policy['name']} {policy['version']})",
        wide=wide,
        limit=limit,
        more=rerun(ctx, limit=0),
        empty="no province or central SOE",
    )
    s, n = doc["summary"], doc["national"]
    lines = [
        f"provinces compliant: {s['provinces_compliant']} of {s['provinces']}; "
        f"central SOEs compliant: {s['central_soes_compliant']} of {s['central_soes']}",
        f"national: {n['robots_in_routine_operation']:,} robots in routine operation verified "
        f"(target {n['target_robots']:,}; declared {n['declared_robots_in_operation']:,}), "
        f"{n['high_value_applications']} high-value applications (target more than "
        f"{n['target_high_value_applications']})",
    ]
    due = doc["next_deadline"]
    if due:
        lines.append(
            f"next deadline: {_words(due['kind'])} due {due['date']}, {due['days_left']} day(s) left"
        )
    else:
        lines.append("every deadline of the plan has passed")
    print_lines(*lines)


def compliance_command(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option(
            help="Count only what was nominated or submitted "
            "on or before this date (YYYY-MM-DD; default: today in the program's time zone)."
        ),
    ] = None,
    org: Annotated[str | None, typer.Option(help="One province or central SOE code.")] = None,
    as_json: JsonOption = False,
    wide: WideOption = False,
    limit: LimitOption = DEFAULT_LIMIT,
) -> None:
    """Quota, domains, plan and report status of every province and central SOE."""
    from robotwork.read.compliance import compliance

    state: State = ctx.obj
    doc = compliance(state.engine, state.policy, parse_as_of(as_of, state), org).to_json()
    if as_json:
        print_json(doc)
    else:
        _render(ctx, doc, wide, limit)
