"""The program's concepts, in Chinese and English, written from the policy in force.

Every number in a definition is read from the policy file, so swapping it (``--policy FILE``)
changes the glossary with the figures: the words cannot drift from what robotwork computes.
Each term has an anchor (``/concepts#routine_operation``) that pages link to where they use it.
The words are messages of the translation catalog (``concept.<key>.term``, ``.definition``), so a
concept's name and its modes, stages and levels read as on every other page and in the reports.
"""

from typing import Any

from robotwork.locale import t
from robotwork.policy import Policy
from robotwork.read.models import ReadModel

# The glossary's terms in page order; each is ``concept.<key>.term`` and ``concept.<key>.definition``
# in the catalog, whose {fields} `_values` fills from the policy.
TERMS = (
    "routine_operation",
    "worked_day",
    "autonomy_level",
    "mtbi",
    "ladder",
    "high_value_application",
    "quota",
    "integrity",
    "declared_vs_verified",
)


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _levels(policy: Policy, lang: str) -> str:
    """The autonomy levels from the top, each with the conditions the policy sets for it; English
    names a level by the policy's own name, Chinese by the catalog's."""
    parts = []
    for rule in policy.autonomy_levels:
        conditions = []
        if rule.min_autonomous_share is not None:
            conditions.append(
                t("concept.level.autonomous_share", lang, share=_percent(rule.min_autonomous_share))
            )
        if rule.min_mtbi_hours is not None:
            conditions.append(f"MTBI ≥ {rule.min_mtbi_hours:g} h")
        if rule.scripted_at_least_teleoperated:
            conditions.append(t("def.scripted_rule", lang))
        name = t(f"level.{rule.level}", lang, default=rule.name) if lang == "zh" else rule.name
        parts.append(f"{rule.level} {name}" + (f" ({', '.join(conditions)})" if conditions else ""))
    return t("concept.level.separator", lang).join(parts)


def _values(policy: Policy, lang: str) -> dict[str, Any]:
    """Every number and name the definitions quote, from the policy in force, in `lang`. English
    quotes a stage by its code, as the policy file spells it."""
    routine, stages, integrity = policy.routine_operation, policy.stages, policy.integrity
    min_stage = str(policy.high_value["min_stage"])
    return {
        "window_days": routine["window_days"],
        "min_worked_days": routine["min_worked_days"],
        "hours": f"{routine['worked_day_min_operating_hours']:g}",
        "tasks": routine["worked_day_min_tasks"],
        "timezone": policy.timezone,
        "modes": t("concept.list.separator", lang).join(
            t(f"mode.{m}", lang, default=m) for m in routine["operating_modes"]
        ),
        "levels": _levels(policy, lang),
        "verified_robots": stages["verified"]["min_robots"],
        "verified_rate": _percent(stages["verified"]["min_success_rate"]),
        "verified_tasks": stages["verified"]["min_tasks"],
        "batch_robots": stages["batch"]["min_robots"],
        "region_sites": stages["region"]["min_sites"],
        "region_cities": stages["region"]["min_cities"],
        "min_stage": t(f"stage.{min_stage}", lang, default=min_stage) if lang == "zh" else min_stage,
        "hv_rate": _percent(policy.high_value["min_success_rate"]),
        "prov_scenarios": policy.quotas["province"].min_scenarios,
        "prov_domains": policy.quotas["province"].min_domains,
        "soe_scenarios": policy.quotas["central_soe"].min_scenarios,
        "replay_share": _percent(integrity["replay_min_share"]),
        "static_hours": f"{integrity['static_min_claimed_hours']:g}",
        "static_share": _percent(integrity["static_max_moving_share"]),
    }


class Concept(ReadModel):
    """One glossary entry: its anchor key (``/concepts#key``), its name and its definition."""

    key: str
    term: str
    definition: str


def concepts(policy: Policy, lang: str) -> list[Concept]:
    """The glossary in `lang` (zh or en): each term's anchor key, name and definition."""
    values = _values(policy, lang)
    return [
        Concept(
            key=key,
            term=t(f"concept.{key}.term", lang),
            definition=t(f"concept.{key}.definition", lang, **values),
        )
        for key in TERMS
    ]
