"""Words of the facts and concepts pages, in Chinese and English (merged into `i18n`)."""

FACTS_PAIRS: dict[str, tuple[str, str]] = {
    "nav.facts": ("计划要点", "Facts"),
    "nav.concepts": ("概念", "Concepts"),
    "facts.title": ("计划要点与当前进展", "The plan's facts and where we stand"),
    "facts.lede": (
        "以下数字取自现行政策文件“{name}”（版本 {version}），并列显示截至 {as_of} 的核实进展。",
        "The numbers below come from the policy in force, “{name}” (version {version}), each beside the "
        "verified standing as of {as_of}.",
    ),
    "facts.quotas": ("推荐配额", "Quotas"),
    "facts.quota_rule": (
        "至少 {n} 个场景，覆盖至少 {d} 个领域",
        "at least {n} scenarios in at least {d} domain(s)",
    ),
    "facts.quota_met": ("达到配额", "meet the quota"),
    "facts.compliant": ("全部合规", "fully compliant"),
    "facts.deadlines": ("截止日期", "Deadlines"),
    "facts.deadline.implementation_plan": ("实施方案", "Implementation plans"),
    "facts.deadline.progress_report": ("进展报告", "Progress reports"),
    "facts.days_left": ("还剩 {n} 天", "{n} days left"),
    "facts.days_past": ("已过 {n} 天", "{n} days ago"),
    "facts.submitted": ("已提交", "submitted"),
    "facts.late": ("逾期", "late"),
    "facts.missing": ("未提交", "missing"),
    "facts.targets": ("全国目标（{date}）", "National targets (by {date})"),
    "facts.target_robots": ("常态化运行机器人", "Robots in routine operation"),
    "facts.target_high_value": ("高价值应用", "High-value applications"),
    "facts.target": ("目标", "target"),
    "facts.verified": ("核实", "verified"),
    "facts.declared": ("申报", "declared"),
    "facts.met": ("已达成", "met"),
    "facts.not_met": ("未达成", "not yet met"),
    "facts.doctrine": (
        "推广路径：验证一个、部署一批、带动一片",
        "Rollout doctrine: verify one, deploy a batch, drive a region",
    ),
    "facts.scenarios_at": ("处于该阶段的计入场景", "counted scenarios at this stage"),
    "facts.panel": ("计划要点", "The facts"),
    "facts.more": ("全部要点", "All the facts"),
    "concepts.title": ("概念", "Concepts"),
    "concepts.lede": (
        "定义由现行政策文件“{name}”（版本 {version}）生成：更换政策文件，定义与数字一起改变。",
        "Generated from the policy in force, “{name}” (version {version}): swap the policy file and the "
        "definitions change with the figures.",
    ),
}
