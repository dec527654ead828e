"""Words of scoped reads, the audit page and the login limit, in Chinese and English (merged
into `robotwork.web.i18n`)."""

ACCESS_PAIRS: dict[str, tuple[str, str]] = {
    "nav.audit": ("审计日志", "Audit trail"),
    "scope.hidden": (
        "另有 {n} 台机器人不在您的权限范围内，计入数字但不列出",
        "{n} more robot(s) outside your scope: counted in the figures, not listed",
    ),
    "login.limited": (
        "登录失败次数过多，请 15 分钟后再试",
        "Too many failed logins; try again in 15 minutes",
    ),
    "audit.title": ("审计日志", "Audit trail"),
    "audit.lede": (
        "每一次写入与登录：谁、何时、从哪个地址、做了什么、结果如何（含被拒绝的尝试）。",
        "Every write and every login: who, when, from which address, what, and how it ended "
        "(refused attempts included).",
    ),
    "audit.at": ("时间", "When"),
    "audit.actor": ("操作人", "Who"),
    "audit.address": ("地址", "Address"),
    "audit.action": ("操作", "What"),
    "audit.target": ("对象", "On"),
    "audit.outcome": ("结果", "Outcome"),
    "audit.detail": ("详情", "Detail"),
    "audit.filter": ("筛选", "Filter"),
    "audit.since": ("起始日期", "Since"),
    "audit.none": ("没有记录", "No events"),
}
