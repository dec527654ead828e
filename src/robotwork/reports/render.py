"""Render a progress report as a self-contained HTML page or an A4 PDF (WeasyPrint).

One HTML document serves both: the browser ignores the `@page` rules that give the PDF its
running header and "page N of M" footer, and WeasyPrint draws the inline SVG charts as vectors.
Chinese is set in Noto Sans CJK SC (Debian's fonts-noto-cjk), named by family so fontconfig finds
it and WeasyPrint embeds the subset used.
"""

import re
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from sqlalchemy import Engine

from robotwork.errors import RobotworkError
from robotwork.evidence.ladder import STAGES
from robotwork.evidence.shortfall import describe
from robotwork.locale import LANGS, has
from robotwork.policy import Policy
from robotwork.read.progress import gather_progress
from robotwork.read.progress_model import ProgressReport
from robotwork.reports import charts
from robotwork.reports.definitions import definition_groups, level_rows
from robotwork.reports.i18n import Text

FORMATS = ("html", "pdf")
MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}  # for download responses

ORG_SECTIONS = ("checklist", "scenarios", "consortia", "robots", "performance", "harvest", "flags", "next")
NATIONAL_SECTIONS = (
    "targets",
    "ranking",
    "scenarios",
    "consortia",
    "robots",
    "performance",
    "harvest",
    "flags",
)

_env = Environment(
    loader=PackageLoader("robotwork.reports", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _num(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


_DIGEST = re.compile(r"[0-9a-f]{32,}")


def _evidence(evidence: dict[str, Any]) -> str:
    """A flag's evidence in one short line: digests cut to 12 characters, numbers to 2 decimals."""
    parts = []
    for key, value in list(evidence.items())[:4]:
        if isinstance(value, float):
            value = f"{value:.2f}"
        elif isinstance(value, str) and _DIGEST.fullmatch(value):
            value = value[:12]
        parts.append(f"{key}={value}")
    return ", ".join(parts)


_env.filters.update(num=_num, pct=_pct, rate=_rate, evidence=_evidence)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_counter(t: Text) -> str:
    """The footer's CSS `content`: the sentence around counter(page) and counter(pages)."""
    pattern = t("footer.page", page="\0page\0", pages="\0pages\0")
    parts = [p for p in pattern.split("\0") if p]
    return " ".join(f"counter({p})" if p in ("page", "pages") else _css_string(p) for p in parts)


def _charts(report: ProgressReport, t: Text) -> dict[str, Markup]:
    """Every chart of the report as inline SVG, labelled in the report's language."""
    levels = list(report.autonomy_levels.items())
    bars = [(level, n) for level, n in levels] + [(t("chart.no_data"), report.no_level)]
    days = report.days
    labels = [d.day.strftime("%m-%d") for d in days]
    out = {
        "autonomy": charts.bar_chart(
            bars, width=330, colors=[charts.BLUE] * len(levels) + [charts.GREY], label=t("sec.autonomy")
        ),
        "declared": charts.hbar_pair(
            [
                (t("common.declared"), report.declared, charts.GREY),
                (t("common.verified"), report.verified, charts.GREEN),
            ],
            width=330,
            label=t("sec.robots"),
        ),
        "success": charts.line_chart(
            [
                (lab, None if d.success_rate is None else d.success_rate * 100)
                for lab, d in zip(labels, days, strict=True)
            ],
            top_value=100,
            fmt=lambda v: f"{v:.0f}",
            color=charts.GREEN,
            label=t("chart.success"),
        ),
        "interventions": charts.line_chart(
            list(zip(labels, [d.interventions_per_hour for d in days], strict=True)),
            fmt=lambda v: f"{v:.2g}",
            color=charts.RED,
            label=t("chart.interventions_daily"),
        ),
    }
    return out | _national_charts(report, t) if report.is_national else out


def _national_charts(report: ProgressReport, t: Text) -> dict[str, Markup]:
    """The distance to the two targets and their trend over the last week ends."""
    weeks = [p.as_of.strftime("%m-%d") for p in report.trend]
    n = report.national
    return {
        "trend_robots": charts.line_chart(
            list(zip(weeks, [p.robots_in_routine_operation for p in report.trend], strict=True)),
            every=1,
            label=t("chart.trend_robots"),
        ),
        "trend_high_value": charts.line_chart(
            list(zip(weeks, [p.high_value_applications for p in report.trend], strict=True)),
            every=1,
            color=charts.GREEN,
            label=t("chart.trend_high_value"),
        ),
        "bar_robots": charts.progress_bar(n["robots_in_routine_operation"], n["target_robots"], width=640),
        # the target is "more than" N: the bar is full at N + 1
        "bar_high_value": charts.progress_bar(
            n["high_value_applications"],
            n["target_high_value_applications"] + 1,
            width=640,
            color=charts.GREEN,
        ),
    }


def _title(report: ProgressReport, t: Text) -> str:
    if report.org is None:
        return t("title_national")
    return t("title_org", name=report.org.label(t.lang))


def progress_html(report: ProgressReport, lang: str) -> str:
    """The report as one self-contained HTML document in `lang` (``zh`` or ``en``)."""
    t = Text(lang)
    sections = NATIONAL_SECTIONS if report.is_national else ORG_SECTIONS
    number = {key: i for i, key in enumerate(sections, start=1)}
    summary = report.compliance_summary

    def domain(code: str) -> str:
        return report.policy.domain_name(code, lang) if code in report.policy.domains else code

    return _env.get_template("progress.html").render(
        r=report,
        t=t,
        lang=lang,
        title=_title(report, t),
        heading=lambda key: t.section(number[key], f"sec.{key}"),
        charts=_charts(report, t),
        stages=STAGES,
        domain=domain,
        domain_list=lambda codes: t.join([domain(c) for c in codes]),
        shortfall=lambda s: describe(s, t),
        roles=lambda codes: t.join([t(f"member.{c}") for c in codes]),
        rule_name=lambda rule: t(f"rule.{rule}.name") if has(f"rule.{rule}.name") else rule,
        definitions=definition_groups(report.policy, lang),
        levels=level_rows(report.policy, lang),
        page_counter=Markup(_page_counter(t)),
        running_title=Markup(_css_string(_title(report, t))),
        summary=summary,
    )


def html_to_pdf(html: str) -> bytes:
    """Lay the HTML out on A4 pages with WeasyPrint (imported here: it loads Pango, which is slow)."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def render_progress_report(
    engine: Engine, policy: Policy, *, org: str | None, as_of: date, lang: str, fmt: str
) -> bytes:
    """The progress report of `org` (a province or central SOE code; None: the nation) as of `as_of`,
    in `lang` (``zh`` | ``en``), as ``html`` (UTF-8) or ``pdf`` bytes.

    Raises `UnknownRecord` for a code that is not a province or central SOE, `RobotworkError` for
    an unknown language or format: both are one-line errors for the CLI and the pages.
    """
    if lang not in LANGS:
        raise RobotworkError(f"report language {lang!r}: use one of {', '.join(LANGS)}")
    if fmt not in FORMATS:
        raise RobotworkError(f"report format {fmt!r}: use one of {', '.join(FORMATS)}")
    html = progress_html(gather_progress(engine, policy, org=org, as_of=as_of), lang)
    return html.encode("utf-8") if fmt == "html" else html_to_pdf(html)
