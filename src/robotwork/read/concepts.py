"""The program's concepts, in Chinese and English, written from the policy in force.

Every number in a definition is read from the policy file, so swapping it (``--policy FILE``)
changes the glossary with the figures: the words cannot drift from what robotwork computes.
Each term has an anchor (``/concepts#routine_operation``) that pages link to where they use it.
"""

# ruff: noqa: E501  (the definitions are prose, kept one sentence a line)

from typing import Any

from robotwork.locale import t
from robotwork.policy import Policy
from robotwork.read.models import ReadModel

# term key -> ((zh term, zh definition), (en term, en definition)); {fields} come from `_values`.
_TERMS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "routine_operation": (
        ("常态化运行", "某日 D 处于常态化运行的机器人：在截至 D 的 {window_days} 天内，至少有 {min_worked_days} 个有效工作日。"),
        ("Routine operation", "A robot is in routine operation on day D when the {window_days} days ending on D "
         "hold at least {min_worked_days} worked days."),
    ),
    "worked_day": (
        ("有效工作日", "{timezone} 时区的一个自然日，机器人在运行模式（{modes}）下工作至少 {hours} 小时，"
         "并完成至少 {tasks} 项任务。"),
        ("Worked day", "A calendar day ({timezone}) on which the robot ran at least {hours} h in an operating "
         "mode ({modes}) and finished at least {tasks} task(s)."),
    ),
    "autonomy_level": (
        ("自主等级", "按窗口期内的运行数据评定，从上往下第一条满足的等级：{levels_zh}。"),
        ("Autonomy level", "Graded over the window from the operating data; the first level from the top "
         "that holds: {levels_en}."),
    ),
    "mtbi": (
        ("平均干预间隔", "自主运行时间除以人工干预次数（接管、纠正、协助、急停）。"),
        ("Mean time between interventions (MTBI)", "Autonomous operating time divided by the number of "
         "interventions (takeovers, corrections, assists, emergency stops)."),
    ),
    "ladder": (
        ("推广阶梯", "“验证一个、部署一批、带动一片”：验证一个 = 至少 {verified_robots} 台常态化运行的机器人、"
         "成功率不低于 {verified_rate}、至少 {verified_tasks} 项任务；部署一批 = 至少 {batch_robots} 台常态化运行；"
         "带动一片 = 在至少 {region_sites} 个场所、{region_cities} 个城市常态化运行。"),
        ("The ladder", "\"Verify one, deploy a batch, drive a region\": verified = at least {verified_robots} "
         "robot(s) in routine operation with a success rate of {verified_rate} or more over at least "
         "{verified_tasks} tasks; batch = at least {batch_robots} robots in routine operation; region = "
         "routine operation at {region_sites} or more sites in {region_cities} or more cities."),
    ),
    "high_value_application": (
        ("高价值应用", "达到“{min_stage_zh}”阶段及以上、合并成功率不低于 {hv_rate} 的场景。"),
        ("High-value application", "A scenario at the \"{min_stage_en}\" stage or above whose pooled success "
         "rate is {hv_rate} or more."),
    ),
    "quota": (
        ("推荐配额", "每个省级单位至少推荐 {prov_scenarios} 个场景、覆盖至少 {prov_domains} 个领域；每家中央企业至少 "
         "{soe_scenarios} 个场景。撤回和重复的推荐不计入。"),
        ("Quota", "Every province nominates at least {prov_scenarios} scenarios in at least {prov_domains} "
         "domains; every central SOE at least {soe_scenarios}. Withdrawn and duplicate nominations do not count."),
    ),
    "integrity": (
        ("数据完整性规则", "内容重复（同一数据以其他机器人名义上报）、回放（重复至少 {replay_share} 的运动样本）、"
         "静止不动（声称运行至少 {static_hours} 小时而运动占比不超过 {static_share}）、时间重叠。被标记的录制在清除前不计入。"),
        ("Integrity rules", "Duplicate content (the same data sent under another robot), replay (at least "
         "{replay_share} of its moving samples repeated), powered but static (claims {static_hours} h or more "
         "of operation, at most {static_share} of it moving), overlap in time. A flagged recording does not "
         "count until the flag is cleared."),
    ),
    "declared_vs_verified": (
        ("申报与核验", "申报数是各单位在填报表中报告的数字；核验数是 robotwork 依据机器人运行数据计算的数字。页面总是并列显示。"),
        ("Declared vs verified", "Declared numbers are what organizations report in their workbooks; verified "
         "numbers are what robotwork computes from the robots' operating data. Pages show them side by side."),
    ),
}  # fmt: skip

_MODES_ZH = {"autonomous": "自主", "teleoperated": "遥操作", "scripted": "脚本"}
_STAGE_ZH = {"nominated": "已推荐", "verified": "验证一个", "batch": "部署一批", "region": "带动一片"}


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _levels(policy: Policy, lang: str) -> str:
    parts = []
    for rule in policy.autonomy_levels:
        conditions = []
        if rule.min_autonomous_share is not None:
            share = _percent(rule.min_autonomous_share)
            conditions.append(f"自主时间 ≥ {share}" if lang == "zh" else f"autonomous time ≥ {share}")
        if rule.min_mtbi_hours is not None:
            conditions.append(f"MTBI ≥ {rule.min_mtbi_hours:g} h")
        if rule.scripted_at_least_teleoperated:
            conditions.append("脚本 ≥ 遥操作" if lang == "zh" else "scripted ≥ teleoperated")
        name = t(f"level.{rule.level}", lang, default=rule.name) if lang == "zh" else rule.name
        parts.append(f"{rule.level} {name}" + (f" ({', '.join(conditions)})" if conditions else ""))
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def _values(policy: Policy) -> dict[str, Any]:
    """Every number the definitions quote, from the policy in force."""
    routine, stages, integrity = policy.routine_operation, policy.stages, policy.integrity
    min_stage = str(policy.high_value["min_stage"])
    return {
        "window_days": routine["window_days"],
        "min_worked_days": routine["min_worked_days"],
        "hours": f"{routine['worked_day_min_operating_hours']:g}",
        "tasks": routine["worked_day_min_tasks"],
        "timezone": policy.timezone,
        "modes": ", ".join(routine["operating_modes"]),
        "modes_zh": "、".join(_MODES_ZH.get(m, m) for m in routine["operating_modes"]),
        "levels_zh": _levels(policy, "zh"),
        "levels_en": _levels(policy, "en"),
        "verified_robots": stages["verified"]["min_robots"],
        "verified_rate": _percent(stages["verified"]["min_success_rate"]),
        "verified_tasks": stages["verified"]["min_tasks"],
        "batch_robots": stages["batch"]["min_robots"],
        "region_sites": stages["region"]["min_sites"],
        "region_cities": stages["region"]["min_cities"],
        "min_stage_en": min_stage,
        "min_stage_zh": _STAGE_ZH.get(min_stage, min_stage),
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
    values = _values(policy)
    if lang == "zh":
        values["modes"] = values["modes_zh"]
    index = 0 if lang == "zh" else 1
    return [
        Concept(key=key, term=pair[index][0], definition=pair[index][1].format(**values))
        for key, pair in _TERMS.items()
    ]


TERMS = tuple(_TERMS)
