"""The report's words in Chinese and English; figures never live here, only the sentences around them.

Officials read the Chinese report; the ministry's foreign partners the English one. Keeping both
languages in one table (key -> (en, zh)) makes a missing translation a test failure, not a blank.
The ladder explains what a scenario lacks in English sentences (`evidence.ladder`); `missing_text`
turns those sentences into Chinese by their shape and keeps the original when a shape is unknown,
so nothing the evidence says is ever dropped.
"""

import re
from collections.abc import Callable
from datetime import date, datetime

from robotwork.reports.forecast_words import FORECAST_STRINGS

LANGS = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {
    "masthead": ("Humanoid Robots in Real Work · 2026 Programme", "人形机器人进入实际工作专项行动"),
    "issuer": ("MIIT · SASAC", "工业和信息化部 · 国务院国资委"),
    "title_org": ("Progress report of {name}", "{name}工作进展报告"),
    "title_national": ("National progress report", "全国工作进展报告"),
    "meta.org": ("Organization", "填报单位"),
    "meta.code": ("Code", "单位代码"),
    "meta.policy": ("Policy in force", "适用政策"),
    "meta.as_of": ("Data as of", "数据截至"),
    "meta.as_of_value": ("{date}, end of day ({zone})", "{date} 24:00（{zone}）"),
    "meta.window": ("Evidence window", "统计窗口"),
    "meta.window_value": ("{start} to {end} ({days} days)", "{start} 至 {end}（{days} 天）"),
    "meta.generated": ("Generated", "生成时间"),
    "meta.source": ("Source", "数据来源"),
    "meta.source_value": (
        "robotwork registry and verified operating data; every figure equals robotwork metrics",
        "robotwork 登记库与经核验的运行数据；各项数字与 robotwork metrics 一致",
    ),
    "kind.province": ("Province", "省级行政区"),
    "kind.central_soe": ("Central SOE", "中央企业"),
    "kpi.scenarios": ("Scenarios counted", "计入场景"),
    "kpi.verified": ("Robots in routine operation (verified)", "常态化运行机器人（核验）"),
    "kpi.declared": ("Robots in operation (declared)", "在运行机器人（申报）"),
    "kpi.high_value": ("High-value applications", "高价值应用"),
    "kpi.hours": ("Operating hours in the window", "窗口内运行小时"),
    "kpi.required": ("at least {n} required", "应不少于 {n}"),
    "kpi.target": ("target {n}", "目标 {n}"),
    "sec.targets": ("Distance to the national targets", "距全国目标差距"),
    "sec.ranking": ("Ranking of provinces and central SOEs", "各省级行政区与中央企业排名"),
    "sec.checklist": ("Compliance checklist", "合规检查清单"),
    "sec.scenarios": ("Scenarios by domain and stage", "按领域与阶段分列的场景"),
    "sec.consortia": ("Innovation application consortia", "创新应用联合体"),
    "sec.robots": ("Robots: declared against verified", "机器人：申报与核验对照"),
    "sec.autonomy": ("Autonomy levels", "自主等级分布"),
    "sec.performance": ("Task success and interventions over the window", "窗口内任务成功率与人工干预"),
    "sec.harvest": ("Data harvested", "数据采集"),
    "sec.flags": ("Integrity flags", "数据完整性标记"),
    "sec.next": ("Next steps", "下一步工作"),
    "sec.definitions": ("Appendix: definitions and thresholds", "附录：定义与阈值"),
    "check.item": ("Item", "检查项"),
    "check.value": ("Status", "当前情况"),
    "check.requirement": ("Requirement", "要求"),
    "check.result": ("Result", "结论"),
    "check.scenarios": ("Real work scenarios counted", "计入配额的真实工作场景"),
    "check.domains": ("Domains covered", "覆盖领域"),
    "check.implementation_plan": ("Implementation plan", "实施方案"),
    "check.progress_report": ("Progress report", "进展报告"),
    "check.at_least": ("at least {n}", "不少于 {n} 个"),
    "check.due": ("due {date}", "{date} 前报送"),
    "check.compliant": ("Overall: compliant", "总体结论：合规"),
    "check.non_compliant": ("Overall: not compliant", "总体结论：不合规"),
    "check.problems": ("Problems", "存在问题"),
    "status.met": ("met", "达标"),
    "status.short": ("short", "未达标"),
    "status.on_time": ("submitted on time", "按时报送"),
    "status.late": ("submitted late", "逾期报送"),
    "status.missing": ("missing", "未报送"),
    "status.not_due": ("not yet due", "尚未到期"),
    "national.compliance": (
        "{pc} of {p} provinces and {sc} of {s} central SOEs comply.",
        "{p} 个省级行政区中 {pc} 个合规，{s} 家中央企业中 {sc} 家合规。",
    ),
    "stage.nominated": ("nominated", "已提名"),
    "stage.verified": ("verified", "验证一个"),
    "stage.batch": ("batch", "部署一批"),
    "stage.region": ("region", "带动一片"),
    "col.domain": ("Domain", "领域"),
    "col.total": ("Total", "合计"),
    "col.scenario": ("Scenario", "场景"),
    "col.title": ("Title", "名称"),
    "col.stage": ("Stage", "阶段"),
    "col.routine": ("In routine operation", "常态化运行"),
    "col.routine_of_all": ("Robots: routine / all", "机器人：常态化 / 全部"),
    "col.declared": ("Declared", "申报"),
    "col.success": ("Task success", "任务成功率"),
    "col.high_value": ("High value", "高价值"),
    "col.consortium": ("Consortium", "联合体"),
    "col.status": ("Status", "状态"),
    "col.level": ("Level", "等级"),
    "col.count": ("Robots", "机器人数"),
    "col.rank": ("Rank", "排名"),
    "col.org": ("Organization", "单位"),
    "col.compliant": ("Compliant", "合规"),
    "col.rule": ("Rule", "规则"),
    "col.robot": ("Robot", "机器人"),
    "col.recording": ("Recording", "录制文件"),
    "col.flagged_at": ("Flagged", "标记时间"),
    "col.evidence": ("Evidence", "证据"),
    "col.lacks": ("What the next stage lacks", "晋级尚缺"),
    "col.next_stage": ("Next stage", "下一阶段"),
    "col.week_end": ("Week ending", "周末日期"),
    "col.figure": ("Figure", "指标"),
    "col.value": ("Value", "数值"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "not_counted": (
        "{n} nominated scenario(s) not counted (withdrawn, duplicate or incomplete).",
        "另有 {n} 个已提名场景未计入（已撤回、重复或信息不全）。",
    ),
    "empty.scenarios": (
        "No real work scenario of this organization counts toward its quota as of this date.",
        "截至本日期，本单位没有计入配额的真实工作场景。",
    ),
    "empty.consortia": (
        "No consortium works on this organization's scenarios.",
        "本单位场景尚无创新应用联合体。",
    ),
    "empty.robots": ("No robot is deployed on these scenarios.", "上述场景尚未部署机器人。"),
    "empty.days": ("No verified operating data in the window.", "统计窗口内没有经核验的运行数据。"),
    "empty.flags": ("No integrity flag on these robots' recordings.", "上述机器人的录制数据没有完整性标记。"),
    "empty.next": ("No scenario to advance.", "暂无可晋级的场景。"),
    "empty.org": (
        "This organization has no counted scenario and no operating data: this report shows the "
        "requirements it has still to meet.",
        "本单位尚无计入的场景，也没有运行数据：本报告列出其尚需满足的要求。",
    ),
    "consortia.incomplete": ("incomplete: lacks {roles}", "不完整：缺少{roles}"),
    "consortia.complete": ("complete", "完整"),
    "consortia.summary": (
        "{n} consortia, {k} of them incomplete (listed below).",
        "共 {n} 个联合体，其中 {k} 个不完整（列于下表）。",
    ),
    "role.user": ("User", "用户单位"),
    "role.integrator": ("Integrator", "集成商"),
    "role.algorithm_team": ("Algorithm team", "算法团队"),
    "robots.gap": (
        "Declared {declared}, verified {verified}: {gap} declared robot(s) without evidence of routine "
        "operation.",
        "申报 {declared} 台，核验 {verified} 台：{gap} 台申报机器人缺少常态化运行证据。",
    ),
    "robots.no_gap": (
        "Declared {declared}, verified {verified}: every declared robot is backed by evidence.",
        "申报 {declared} 台，核验 {verified} 台：申报数均有运行证据支撑。",
    ),
    "robots.none": (
        "No robot declared in operation, none deployed, none verified in routine operation.",
        "尚无申报在运行的机器人，未部署机器人，也没有经核验的常态化运行机器人。",
    ),
    "robots.placed": (
        "{n} robot(s) deployed on the counted scenarios in the window.",
        "窗口内计入场景共部署机器人 {n} 台。",
    ),
    "autonomy.no_data": ("no operating data", "无运行数据"),
    "chart.no_data": ("no data", "无数据"),
    "colon": (": ", "："),
    "def.default_source": ("the policy shipped with robotwork", "robotwork 内置默认政策"),
    "chart.declared": ("Declared", "申报"),
    "chart.verified": ("Verified", "核验"),
    "chart.success": ("Daily task success rate (%)", "每日任务成功率（%）"),
    "chart.interventions": ("Interventions per operating hour, daily", "每运行小时人工干预次数（按日）"),
    "chart.trend_robots": ("Robots in routine operation, week by week", "常态化运行机器人（按周）"),
    "chart.trend_high_value": ("High-value applications, week by week", "高价值应用（按周）"),
    "perf.summary": (
        "Over the window: {succeeded} of {judged} tasks succeeded ({rate}); {interventions} interventions "
        "in {hours} operating hours ({per_hour} per hour).",
        "窗口内：{judged} 项任务中成功 {succeeded} 项（{rate}）；{hours} 运行小时内人工干预 "
        "{interventions} 次（每小时 {per_hour} 次）。",
    ),
    "harvest.hours": ("Operating hours in the window", "窗口内运行小时"),
    "harvest.episodes": ("Task episodes in the window", "窗口内任务片段"),
    "harvest.recordings": ("Recordings stored", "已入库录制文件"),
    "harvest.flagged": ("of which flagged (not counted)", "其中被标记（不计入）"),
    "harvest.datasets": ("Training datasets exported", "已导出训练数据集"),
    "flags.open": ("open", "待复核"),
    "flags.cleared": ("cleared", "已解除"),
    "flags.more": ("{n} more flag(s) not listed.", "另有 {n} 条标记未列出。"),
    "rule.duplicate_content": ("duplicate content", "内容重复"),
    "rule.replay": ("replay", "回放"),
    "rule.static": ("static (powered but not moving)", "静止（通电未运动）"),
    "rule.overlap": ("overlap in time", "时间重叠"),
    "next.top": ("top of the ladder", "已达最高阶段"),
    "next.high_value_yes": ("High-value application.", "已成为高价值应用。"),
    "targets.robots": ("Robots in routine operation", "常态化运行机器人"),
    "targets.high_value": ("High-value applications", "高价值应用"),
    "targets.line": (
        "{value} of {target} by {date}: {gap} to go ({share} reached).",
        "{value} / {target}（{date} 前）：尚差 {gap}（已完成 {share}）。",
    ),
    "targets.line_more": (
        "{value}, target more than {target} by {date}: {gap} to go.",
        "{value}，目标为 {date} 前超过 {target}：尚差 {gap}。",
    ),
    "targets.met": ("{value}: target met.", "{value}：目标已达成。"),
    "ranking.provinces": ("Provinces", "省级行政区"),
    "ranking.soes": ("Central SOEs", "中央企业"),
    "ranking.order": (
        "Ranked by verified robots in routine operation, then high-value applications.",
        "按核验的常态化运行机器人数排序，其次按高价值应用数。",
    ),
    "ranking.rest": (
        "{n} other(s) with no counted scenario are not ranked.",
        "另有 {n} 家尚无计入场景，未参与排名。",
    ),
    "def.level_name": ("Name", "名称"),
    "def.autonomous_share": ("Autonomous share of operating time", "自主运行时间占比"),
    "def.mtbi": ("Mean time between interventions", "平均干预间隔"),
    "def.scripted": ("Other rule", "其他条件"),
    "def.first_match": (
        "The first row from the top that matches a robot's window gives its level.",
        "自上而下第一条满足的规则即为该机器人在窗口内的自主等级。",
    ),
    "footer.page": ("Page {page} of {pages}", "第 {page} 页 / 共 {pages} 页"),
    "def.intro": (
        "Every figure of this report follows from the policy file in force, version {version} "
        "({source}). Changing a number below changes the figures, not the code.",
        "本报告的全部数字依据现行政策文件（版本 {version}，{source}）计算；"
        "调整下列参数即改变数字，无需修改程序。",
    ),
}
STRINGS.update(FORECAST_STRINGS)

NUMERALS_ZH = "一二三四五六七八九十"

LEVEL_NAMES_ZH = {"L0": "远程遥控", "L1": "脚本执行", "L2": "监督自主", "L3": "有条件自主", "L4": "高度自主"}


class Text:
    """The words of one language: `t("key", name=...)` formats the sentence with the figures."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGS:
            raise ValueError(f"unknown report language {lang!r}")
        self.lang = lang
        self._index = 0 if lang == "en" else 1

    def __call__(self, key: str, **values: object) -> str:
        return STRINGS[key][self._index].format(**values)

    def section(self, number: int, key: str) -> str:
        """A numbered heading: 一、… in Chinese official style, 1. … in English."""
        if self.lang == "zh":
            return f"{NUMERALS_ZH[number - 1]}、{self(key)}"
        return f"{number}. {self(key)}"

    def date(self, day: date) -> str:
        """A date in running text (tables keep ISO dates, which both readers sort by eye)."""
        if self.lang == "zh":
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day.day} {day.strftime('%B')} {day.year}"

    def stamp(self, moment: datetime) -> str:
        """A generation time to the minute, in the program's time zone."""
        return f"{self.date(moment.date())} {moment:%H:%M}"

    def join(self, items: list[str]) -> str:
        """A list in running text."""
        return ("、" if self.lang == "zh" else ", ").join(items)


_MISSING_ZH: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            r"(\d+) more robot\(s\) in routine operation with a task success rate of at least (\d+%) "
            r"over at least (\d+) tasks \((.*)\)$"
        ),
        lambda m: (
            f"还需 {m[1]} 台常态化运行机器人在至少 {m[3]} 项任务中成功率不低于 {m[2]}（{_best_zh(m[4])}）"
        ),
    ),
    (
        re.compile(r"(\d+) more robot\(s\) in routine operation \((\d+) of (\d+)\)$"),
        lambda m: f"还需 {m[1]} 台常态化运行机器人（现有 {m[2]} 台，需 {m[3]} 台）",
    ),
    (
        re.compile(r"robots in routine operation at (\d+) more site\(s\) \((\d+) of (\d+)\)$"),
        lambda m: f"常态化运行机器人还需覆盖 {m[1]} 个站点（现有 {m[2]} 个，需 {m[3]} 个）",
    ),
    (
        re.compile(r"robots in routine operation in (\d+) more city\(ies\) \((\d+) of (\d+)\)$"),
        lambda m: f"常态化运行机器人还需覆盖 {m[1]} 个城市（现有 {m[2]} 个，需 {m[3]} 个）",
    ),
]

_BEST = re.compile(r"best: (\S+), (?:no|(\d+%) of) (\d+) tasks$")


def _best_zh(text: str) -> str:
    if text == "none in routine operation":
        return "目前没有常态化运行的机器人"
    m = _BEST.match(text)
    if m is None:
        return text
    if m[2] is None:
        return f"表现最好的 {m[1]}：{m[3]} 项任务，尚无成功率"
    return f"表现最好的 {m[1]}：{m[3]} 项任务，成功率 {m[2]}"


def missing_text(sentence: str, lang: str) -> str:
    """One `missing_for_next_stage` sentence in `lang`; an unknown shape stays as the ladder wrote it."""
    if lang == "en":
        return sentence
    for pattern, build in _MISSING_ZH:
        m = pattern.match(sentence)
        if m:
            return build(m)
    return sentence
