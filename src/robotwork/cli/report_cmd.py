"""`robotwork report progress`: an organization's or the nation's progress report, HTML or PDF.

A thin layer over `robotwork.reports.render_progress_report`; register it with
``app.add_typer(report_cmd.app, name="report")``. The root group turns a `RobotworkError` (a
bad suffix, an unknown code) into one line on stderr and exit code 1.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from robotwork.cli.compliance_cmd import parse_as_of
from robotwork.cli.output import say
from robotwork.cli.state import State
from robotwork.errors import RobotworkError

app = typer.Typer(help="Reports generated from the registry and the evidence.", no_args_is_help=True)

NATIONAL = "national"


class Lang(StrEnum):
    """The languages a report is written in."""

    zh = "zh"
    en = "en"


def report_format(out: Path) -> str:
    """``html`` or ``pdf`` from the output file's suffix; anything else is refused before any work."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("html", "pdf"):
        given = repr(out.suffix) if out.suffix else "(no suffix)"
        raise RobotworkError(f"{out}: unknown report format {given}; use .html or .pdf")
    return fmt


@app.command("progress")
def progress_command(
    ctx: typer.Context,
    org: Annotated[str, typer.Option(help="A province or central SOE code, or 'national'.")],
    out: Annotated[Path, typer.Option(help="Output file: .html or .pdf.")],
    as_of: Annotated[
        str | None,
        typer.Option(help="Data as of this date (YYYY-MM-DD; default: today in the program's time zone)."),
    ] = None,
    lang: Annotated[Lang, typer.Option(help="Language of the report.")] = Lang.zh,
) -> None:
    """A progress report: compliance, scenarios, robots, evidence, next steps and definitions."""
    from robotwork.reports import render_progress_report  # WeasyPrint loads only when asked

    state: State = ctx.obj
    fmt = report_format(out)
    code = None if org.lower() == NATIONAL else org
    data = render_progress_report(
        state.engine, state.policy, org=code, as_of=parse_as_of(as_of, state), lang=lang.value, fmt=fmt
    )
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise RobotworkError(f"{out}: cannot write the report ({exc.strerror})") from None
    say(f"progress report of {code or NATIONAL} ({lang.value}, {fmt}, {len(data):,} bytes) written to {out}")
