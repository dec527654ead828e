"""The definitions appendix, written from the policy file in force so a reader can check any figure.

Every threshold below is read from `Policy` at render time: a ministry that changes the policy
file gets an appendix that says what the new figures mean, with the version that produced them.
"""

from dataclasses import dataclass

from robotwork.policy import Policy
from robotwork.reports.i18n import LEVEL_NAMES_ZH

MODE_ZH = {"autonomous": "自主", "teleoperated": "遥操作", "scripted": "脚本"}


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


def _pick(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _plan(policy: Policy, lang: str) -> DefinitionGroup:
    q, d, t = policy.quotas, policy.deadlines, policy.targets
    domains = ("、" if lang == "zh" else ", ").join(policy.domain_name(c, lang) for c in policy.domains)
    p, s = q["province"], q["central_soe"]
    rows = [
        (_pick(lang, "Domains", "领域"), domains),
        (
            _pick(lang, "Province quota", "省级配额"),
            _pick(
                lang,
                f"at least {p.min_scenarios} real work scenarios covering at least {p.min_domains} domains",
                f"不少于 {p.min_scenarios} 个真实工作场景，覆盖不少于 {p.min_domains} 个领域",
            ),
        ),
        (
            _pick(lang, "Central SOE quota", "中央企业配额"),
            _pick(
                lang,
                f"at least {s.min_scenarios} real work scenarios covering at least {s.min_domains} domain(s)",
                f"不少于 {s.min_scenarios} 个真实工作场景，覆盖不少于 {s.min_domains} 个领域",
            ),
        ),
        (_pick(lang, "Implementation plan due", "实施方案报送截止"), d["implementation_plan"].isoformat()),
        (_pick(lang, "Progress report due", "进展报告报送截止"), d["progress_report"].isoformat()),
        (
            _pick(lang, "National targets", "全国目标"),
            _pick(
                lang,
                f"by {t['date'].isoformat()}: {t['robots_in_routine_operation']:,} robots in routine "
                f"operation and more than {t['high_value_applications_more_than']} high-value applications",
                f"{t['date'].isoformat()} 前：常态化运行机器人 {t['robots_in_routine_operation']:,} 台，"
                f"高价值应用超过 {t['high_value_applications_more_than']} 个",
            ),
        ),
        (
            _pick(lang, "Counted scenario", "计入配额的场景"),
            _pick(
                lang,
                "nominated on or before the as-of date, not withdrawn, with a domain, a user, a site with a "
                "city (in the province, for a province) and a task; the same user, site and title count once",
                "截至统计日已提名、未撤回，具备领域、用户单位、所在城市明确的站点（省级须位于本省）及至少一项任务；"
                "同一用户、站点与名称只计一次",
            ),
        ),
    ]
    return DefinitionGroup(
        _pick(lang, "The plan: quotas, deadlines, targets", "行动方案：配额、期限、目标"), rows
    )


def _routine(policy: Policy, lang: str) -> DefinitionGroup:
    r = policy.routine_operation
    modes = ("、" if lang == "zh" else ", ").join(
        MODE_ZH.get(m, m) if lang == "zh" else m for m in r["operating_modes"]
    )
    rows = [
        (_pick(lang, "Time zone", "时区"), policy.timezone),
        (
            _pick(lang, "Window", "统计窗口"),
            _pick(
                lang,
                f"the {r['window_days']} calendar days ending on the as-of date",
                f"截至统计日（含）的 {r['window_days']} 个自然日",
            ),
        ),
        (
            _pick(lang, "Worked day", "有效工作日"),
            _pick(
                lang,
                f"at least {r['worked_day_min_operating_hours']:g} h of operating time ({modes}) in moving "
                f"minutes and at least {r['worked_day_min_tasks']} task started",
                f"运动状态下运行时间（{modes}）不少于 {r['worked_day_min_operating_hours']:g} 小时，"
                f"且至少开始 {r['worked_day_min_tasks']} 项任务",
            ),
        ),
        (
            _pick(lang, "Routine operation", "常态化运行"),
            _pick(
                lang,
                f"at least {r['min_worked_days']} worked days in the window, from operating data only",
                f"窗口内有效工作日不少于 {r['min_worked_days']} 天，仅依据运行数据认定",
            ),
        ),
        (
            _pick(lang, "Task success rate", "任务成功率"),
            _pick(lang, "succeeded / (succeeded + failed + aborted)", "成功数 /（成功 + 失败 + 中止）"),
        ),
        (
            _pick(lang, "Interventions per hour", "每小时人工干预"),
            _pick(
                lang,
                "(takeover + correction + emergency stop) / operating hours; assists are counted apart",
                "（接管 + 纠正 + 急停）次数 / 运行小时；辅助单独统计",
            ),
        ),
    ]
    return DefinitionGroup(_pick(lang, "Routine operation and performance", "常态化运行与作业表现"), rows)


def _ladder(policy: Policy, lang: str) -> DefinitionGroup:
    v, b, g, h = policy.stages["verified"], policy.stages["batch"], policy.stages["region"], policy.high_value
    stage_zh = {"nominated": "已提名", "verified": "验证一个", "batch": "部署一批", "region": "带动一片"}
    rows = [
        (
            _pick(lang, "Verified (verify one)", "验证一个"),
            _pick(
                lang,
                f"at least {v['min_robots']} robot(s) in routine operation with a task success rate of at "
                f"least {_pct(v['min_success_rate'])} over at least {v['min_tasks']} tasks in the window",
                f"至少 {v['min_robots']} 台常态化运行机器人在窗口内完成不少于 {v['min_tasks']} 项任务"
                f"且成功率不低于 {_pct(v['min_success_rate'])}",
            ),
        ),
        (
            _pick(lang, "Batch (deploy a batch)", "部署一批"),
            _pick(
                lang,
                f"at least {b['min_robots']} robots in routine operation",
                f"常态化运行机器人不少于 {b['min_robots']} 台",
            ),
        ),
        (
            _pick(lang, "Region (drive a region)", "带动一片"),
            _pick(
                lang,
                f"robots in routine operation at {g['min_sites']} or more sites "
                f"in {g['min_cities']} or more cities",
                f"常态化运行机器人分布于不少于 {g['min_sites']} 个站点、{g['min_cities']} 个城市",
            ),
        ),
        (
            _pick(lang, "Ladder", "阶梯规则"),
            _pick(
                lang,
                "a scenario stands on the highest rung whose rule holds with every rung below it",
                "场景所处阶段为其满足且下层各阶段均满足的最高阶段",
            ),
        ),
        (
            _pick(lang, "High-value application", "高价值应用"),
            _pick(
                lang,
                f"a scenario at stage {h['min_stage']} or above whose robots in routine operation together "
                f"succeed in at least {_pct(h['min_success_rate'])} of their tasks",
                f"处于“{stage_zh.get(h['min_stage'], h['min_stage'])}”及以上阶段，"
                f"且其常态化运行机器人合计任务成功率不低于 {_pct(h['min_success_rate'])}的场景",
            ),
        ),
    ]
    return DefinitionGroup(_pick(lang, "Stages and high value", "推广阶段与高价值应用"), rows)


def _integrity(policy: Policy, lang: str) -> DefinitionGroup:
    i = policy.integrity
    rows = [
        (
            _pick(lang, "Moving minute", "运动分钟"),
            _pick(
                lang,
                f"a minute in which some joint's position spans more than {policy.motion_epsilon_rad:g} rad",
                f"某一关节位置变化幅度超过 {policy.motion_epsilon_rad:g} 弧度的分钟",
            ),
        ),
        (
            _pick(lang, "Replay", "回放"),
            _pick(
                lang,
                f"at least {_pct(i['replay_min_share'])} of a recording's joint fingerprints occur in one "
                "earlier recording",
                f"录制文件中不少于 {_pct(i['replay_min_share'])} 的关节指纹出现在同一早先录制文件中",
            ),
        ),
        (
            _pick(lang, "Static", "静止"),
            _pick(
                lang,
                f"claims at least {i['static_min_claimed_hours']:g} h of operating modes, of which at most "
                f"{_pct(i['static_max_moving_share'])} is moving",
                f"声称运行不少于 {i['static_min_claimed_hours']:g} 小时，"
                f"其中运动时间不超过 {_pct(i['static_max_moving_share'])}",
            ),
        ),
        (
            _pick(lang, "Duplicate, overlap", "重复、重叠"),
            _pick(
                lang,
                "the same joint positions as an earlier recording; an earlier recording of the same robot "
                "overlaps in time",
                "关节位置与早先录制文件相同；同一机器人的早先录制文件在时间上重叠",
            ),
        ),
        (
            _pick(lang, "Flagged recordings", "被标记的录制文件"),
            _pick(
                lang,
                "kept, and left out of every figure until a reviewer clears them",
                "予以保留，在复核解除前不计入任何数字",
            ),
        ),
    ]
    return DefinitionGroup(_pick(lang, "Integrity", "数据完整性"), rows)


def definition_groups(policy: Policy, lang: str) -> list[DefinitionGroup]:
    """The appendix's groups in reading order."""
    return [_plan(policy, lang), _routine(policy, lang), _ladder(policy, lang), _integrity(policy, lang)]


def level_rows(policy: Policy, lang: str) -> list[LevelRow]:
    """The autonomy-level table of the policy, first matching row from the top wins."""
    rows = []
    for rule in policy.autonomy_levels:
        name = LEVEL_NAMES_ZH.get(rule.level, rule.name) if lang == "zh" else rule.name
        share = "—" if rule.min_autonomous_share is None else f"≥ {_pct(rule.min_autonomous_share)}"
        mtbi = "—" if rule.min_mtbi_hours is None else f"≥ {rule.min_mtbi_hours:g} h"
        scripted = (
            _pick(lang, "scripted ≥ teleoperated", "脚本 ≥ 遥操作")
            if rule.scripted_at_least_teleoperated
            else "—"
        )
        rows.append(LevelRow(rule.level, name, share, mtbi, scripted))
    return rows
