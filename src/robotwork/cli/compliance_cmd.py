"""`robotwork compliance`: who meets the plan as of a date."""

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from robotwork.cli.output import print_json, stdout
from robotwork.cli.state import State
from robotwork.compliance import ComplianceReport, compute_compliance
from robotwork.errors import RobotworkError

_STATUS_STYLE = {"on_time": "green", "late": "yellow", "missing": "red", "not_due": "dim"}


def parse_as_of(text: str | None, state: State) -> date:
    """The as-of date from the command line, or today in the program's time zone."""
    if text is None:
        return state.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RobotworkError(f"--as-of {text!r}: not a date (YYYY-MM-DD)") from None


def _render(report: ComplianceReport) -> None:
    table = Table(title=f"Compliance as of {report.as_of} ({report.policy_name} {report.policy_version})")
    for col in (
        "code",
        "name",
        "kind",
        "scenarios",
        "domains",
        "quota",
        "plan",
        "report",
        "robots declared / verified",
        "compliant",
        "problems",
    ):
        table.add_column(col)
    for o in report.organizations:
        table.add_row(
            o.code,
            o.name,
            o.kind,
            str(o.scenarios_counted),
            ", ".join(o.domains_covered) or "-",
            "[green]met[/]" if o.quota_met else "[red]short[/]",
            f"[{_STATUS_STYLE[o.implementation_plan]}]{o.implementation_plan}[/]",
            f"[{_STATUS_STYLE[o.progress_report]}]{o.progress_report}[/]",
            f"{o.declared_robots_in_operation} / {o.verified_robots_in_routine_operation}",
            "[green]yes[/]" if o.compliant else "[bold red]no[/]",
            "; ".join(o.problems),
        )
    stdout.print(table)
    s = report.summary()
    stdout.print(
        f"provinces compliant: {s['provinces_compliant']} of {s['provinces']}; "
        f"central SOEs compliant: {s['central_soes_compliant']} of {s['central_soes']}"
    )
    n = report.national
    stdout.print(
        f"national: {n['robots_in_routine_operation']:,} robots in routine operation verified "
        f"(target {n['target_robots']:,}; declared {n['declared_robots_in_operation']:,}), "
        f"{n['high_value_applications']} high-value applications (target more than "
        f"{n['target_high_value_applications']})"
    )
    if report.next_deadline:
        kind, due = report.next_deadline
        stdout.print(
            f"next deadline: {kind.replace('_', ' ')} due {due}, "
            f"[bold]{(due - report.as_of).days} day(s) left[/]"
        )
    else:
        stdout.print("every deadline of the plan has passed")


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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Quota, domains, plan and report status of every province and central SOE."""
    state: State = ctx.obj
    report = compute_compliance(state.engine, state.policy, parse_as_of(as_of, state), org)
    if as_json:
        print_json(report.to_json())
    else:
        _render(report)
