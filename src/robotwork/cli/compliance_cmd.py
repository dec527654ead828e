"""`robotwork compliance`: who meets the plan as of a date."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Annotated, Any

import typer

from robotwork.cli.output import (
    DEFAULT_LIMIT,
    Col,
    JsonOption,
    LimitOption,
    WideOption,
    lang,
    print_json,
    print_lines,
    print_table,
    rerun,
    t,
)
from robotwork.cli.state import State
from robotwork.errors import RobotworkError
from robotwork.policy import Policy


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


def _status(value: Any) -> str:
    """A document's status (on_time, late, missing, not_due) as the dashboard words it."""
    return t(f"status.{value}", _words(value))


def shortfalls(items: list[dict[str, Any]]) -> str:
    """Structured shortfalls (`robotwork.evidence.shortfall`) in the output's language, by the
    catalog's ``shortfall.*`` messages as the pages word them (in English, the sentences of
    ``problems`` and ``missing_for_next_stage``)."""
    from robotwork.evidence.shortfall import Shortfall, describe
    from robotwork.locale import t as catalog

    language = lang()
    return "; ".join(describe(Shortfall.load(s), lambda key, **v: catalog(key, language, **v)) for s in items)


def in_language(cols: Sequence[Col], policy: Policy, *keys: str) -> Sequence[Col]:
    """`cols` with the domains in columns `keys` named as the dashboard names them (the policy
    file's names in the output's language); in English the codes, as before."""
    language = lang()
    if language == "en":
        return cols

    def names(value: Any) -> str:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(policy.domain_name(c, language) for c in codes if c) or "-"

    return [replace(c, fmt=names) if c.key in keys else c for c in cols]


def named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` of organizations with `name` in the output's language (the registry's Chinese
    name for Chinese, as on the dashboard; `display_name`)."""
    from robotwork.locale import display_name

    language = lang()
    if language == "en":
        return rows
    return [dict(r, name=display_name(r.get("name"), r.get("name_zh"), language)) for r in rows]


# the rows are the organizations of `compliance --json`, so the table shows exactly its figures;
# `term`: the dashboard's id for the concept, the header in Chinese (`--lang zh`)
_COLUMNS = (
    Col("code", "code", term="meta.code"),
    Col("name", "name", rank=3, flex=True, term="col.organization"),
    Col("kind", "kind", wide=True, fmt=lambda v: t(f"kind.{v}", _words(v)), term="cli.col.kind"),
    Col("scenarios_counted", "scen.", rank=1, right=True, term="col.scenarios"),
    Col(
        "domains_covered",
        "domains",
        wide=True,
        fmt=lambda v: ", ".join(map(_words, v)) or "-",
        term="col.domains",
    ),
    Col(
        "quota_met",
        "quota",
        rank=1,
        fmt=lambda v: t("status.met", "met") if v else t("status.short", "short"),
        term="facts.quota_met",
    ),
    Col("implementation_plan", "plan", rank=2, fmt=_status, term="col.plan"),
    Col("progress_report", "report", rank=2, fmt=_status, term="col.report"),
    Col("declared_robots_in_operation", "declared", wide=True, right=True, term="col.declared"),
    Col("verified_robots_in_routine_operation", "verified", rank=4, right=True, term="common.verified"),
    Col(
        "compliant",
        "ok",
        fmt=lambda v: t("status.compliant", "yes") if v else t("status.non_compliant", "no"),
        term="col.status",
    ),
    Col("shortfalls", "problems", rank=2, flex=True, least=20, fmt=shortfalls, term="col.problems"),
)


def _render(ctx: typer.Context, doc: dict[str, Any], wide: bool, limit: int) -> None:
    policy = doc["policy"]
    print_table(
        named(doc["organizations"]),
        in_language(_COLUMNS, ctx.obj.policy, "domains_covered"),
        title=t(
            "cli.compliance.title",
            "Compliance as of {as_of} ({policy})",
            as_of=doc["as_of"],
            policy=f"{policy['name']} {policy['version']}",
        ),
        wide=wide,
        limit=limit,
        more=rerun(ctx, limit=0),
        empty=t("cli.compliance.empty", "no province or central SOE"),
    )
    s, n = doc["summary"], doc["national"]
    lines = [
        t(
            "cli.compliance.summary",
            "provinces compliant: {provinces_compliant} of {provinces}; "
            "central SOEs compliant: {central_soes_compliant} of {central_soes}",
            **s,
        ),
        t(
            "cli.compliance.national",
            "national: {robots} robots in routine operation verified (target {target}; declared "
            "{declared}), {high_value} high-value applications (target more than {target_high_value})",
            robots=f"{n['robots_in_routine_operation']:,}",
            target=f"{n['target_robots']:,}",
            declared=f"{n['declared_robots_in_operation']:,}",
            high_value=n["high_value_applications"],
            target_high_value=n["target_high_value_applications"],
        ),
    ]
    due = doc["next_deadline"]
    if due:
        kind = t(f"check.{due['kind']}", _words(due["kind"]))
        lines.append(
            t(
                "cli.compliance.next_deadline",
                "next deadline: {kind} due {date}, {days} day(s) left",
                kind=kind,
                date=due["date"],
                days=due["days_left"],
            )
        )
    else:
        lines.append(t("cli.compliance.all_passed", "every deadline of the plan has passed"))
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
