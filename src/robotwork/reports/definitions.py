"""The definitions appendix, written from the policy file in force so a reader can check any figure.

Every threshold below is read from `Policy` at render time: a ministry that changes the policy
file gets an appendix that says what the new figures mean, with the version that produced them.
The sentences around the thresholds are the catalog's ``def.*`` messages (`robotwork.locale`).
"""

from dataclasses import dataclass
from typing import Any

from robotwork.locale import t
from robotwork.policy import Policy


@dataclass(frozen=True)
class DefinitionGroup:
    """A heading of the appendix and its (term, definition) rows."""

    title: str
    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class LevelRow:
    """One row of the autonomy-level table, thresholds formatted (— where the row sets none)."""

    level: str
    name: str
    autonomous_share: str
    mtbi_hours: str
    scripted_rule: str


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _row(lang: str, term: str, definition: str, **values: Any) -> tuple[str, str]:
    """A (term, definition) row from two catalog keys, the definition filled with `values`."""
    return t(term, lang), t(definition, lang, **values)


def _join(items: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def _plan(policy: Policy, lang: str) -> DefinitionGroup:
    q, d, tg = policy.quotas, policy.deadlines, policy.targets
    domains = _join([policy.domain_name(c, lang) for c in policy.domains], lang)
    p, s = q["province"], q["central_soe"]
    rows = [
        (t("def.plan.domains", lang), domains),
        _row(
            lang,
            "def.plan.province_quota",
            "def.plan.province_quota_value",
            scenarios=p.min_scenarios,
            domains=p.min_domains,
        ),
        _row(
            lang,
            "def.plan.soe_quota",
            "def.plan.soe_quota_value",
            scenarios=s.min_scenarios,
            domains=s.min_domains,
        ),
        (t("def.plan.plan_due", lang), d["implementation_plan"].isoformat()),
        (t("def.plan.report_due", lang), d["progress_report"].isoformat()),
        _row(
            lang,
            "def.plan.targets",
            "def.plan.targets_value",
            date=tg["date"].isoformat(),
            robots=tg["robots_in_routine_operation"],
            apps=tg["high_value_applications_more_than"],
        ),
        _row(lang, "def.plan.counted", "def.plan.counted_value"),
    ]
    return DefinitionGroup(t("def.plan.title", lang), rows)


def _routine(policy: Policy, lang: str) -> DefinitionGroup:
    r = policy.routine_operation
    modes = _join([t(f"mode.{m}", lang, default=m) for m in r["operating_modes"]], lang)
    rows = [
        (t("def.routine.timezone", lang), policy.timezone),
        _row(lang, "def.routine.window", "def.routine.window_value", days=r["window_days"]),
        _row(
            lang,
            "def.routine.worked_day",
            "def.routine.worked_day_value",
            hours=r["worked_day_min_operating_hours"],
            modes=modes,
            tasks=r["worked_day_min_tasks"],
        ),
        _row(lang, "def.routine.routine", "def.routine.routine_value", days=r["min_worked_days"]),
        _row(lang, "def.routine.success", "def.routine.success_value"),
        _row(lang, "def.routine.interventions", "def.routine.interventions_value"),
    ]
    return DefinitionGroup(t("def.routine.title", lang), rows)


def _ladder(policy: Policy, lang: str) -> DefinitionGroup:
    v, b, g, h = policy.stages["verified"], policy.stages["batch"], policy.stages["region"], policy.high_value
    rows = [
        _row(
            lang,
            "def.ladder.verified",
            "def.ladder.verified_value",
            robots=v["min_robots"],
            rate=_pct(v["min_success_rate"]),
            tasks=v["min_tasks"],
        ),
        _row(lang, "def.ladder.batch", "def.ladder.batch_value", robots=b["min_robots"]),
        _row(
            lang, "def.ladder.region", "def.ladder.region_value", sites=g["min_sites"], cities=g["min_cities"]
        ),
        _row(lang, "def.ladder.ladder", "def.ladder.ladder_value"),
        _row(
            lang,
            "def.ladder.high_value",
            "def.ladder.high_value_value",
            stage=t(f"stage.{h['min_stage']}", lang, default=h["min_stage"]),
            rate=_pct(h["min_success_rate"]),
        ),
    ]
    return DefinitionGroup(t("def.ladder.title", lang), rows)


def _integrity(policy: Policy, lang: str) -> DefinitionGroup:
    i = policy.integrity
    rows = [
        _row(lang, "def.integrity.moving", "def.integrity.moving_value", rad=policy.motion_epsilon_rad),
        _row(lang, "rule.replay.name", "def.integrity.replay_value", share=_pct(i["replay_min_share"])),
        _row(
            lang,
            "rule.static.name",
            "def.integrity.static_value",
            hours=i["static_min_claimed_hours"],
            share=_pct(i["static_max_moving_share"]),
        ),
        _row(lang, "def.integrity.duplicate_overlap", "def.integrity.duplicate_overlap_value"),
        _row(lang, "def.integrity.flagged", "def.integrity.flagged_value"),
    ]
    return DefinitionGroup(t("def.integrity.title", lang), rows)


def definition_groups(policy: Policy, lang: str) -> list[DefinitionGroup]:
    """The appendix's groups in reading order."""
    return [_plan(policy, lang), _routine(policy, lang), _ladder(policy, lang), _integrity(policy, lang)]


def level_rows(policy: Policy, lang: str) -> list[LevelRow]:
    """The autonomy-level table of the policy, first matching row from the top wins. The level's
    name is the policy's own in English and the catalog's ``level.*`` in Chinese (a level the
    catalog does not know keeps the policy's name)."""
    rows = []
    for rule in policy.autonomy_levels:
        name = t(f"level.{rule.level}", lang, default=rule.name) if lang == "zh" else rule.name
        share = "—" if rule.min_autonomous_share is None else f"≥ {_pct(rule.min_autonomous_share)}"
        mtbi = "—" if rule.min_mtbi_hours is None else f"≥ {rule.min_mtbi_hours:g} h"
        scripted = t("def.scripted_rule", lang) if rule.scripted_at_least_teleoperated else "—"
        rows.append(LevelRow(rule.level, name, share, mtbi, scripted))
    return rows
