"""The reports' forecast words, English first then Chinese (merged into `reports.i18n.STRINGS`)."""

FORECAST_STRINGS: dict[str, tuple[str, str]] = {
    "forecast.heading": ("Forecast to {date}", "到 {date} 的预测"),
    "forecast.measure.robots_in_routine_operation": ("Robots in routine operation", "常态化运行机器人"),
    "forecast.measure.high_value_applications": ("High-value applications", "高价值应用"),
    "forecast.col.now": ("Now", "当前"),
    "forecast.col.projected": ("Projected", "预测值"),
    "forecast.col.interval": ("90% prediction interval", "90% 预测区间"),
    "forecast.col.target": ("Target", "目标"),
    "forecast.col.outlook": ("Outlook", "判断"),
    "forecast.on_track": ("on track", "有望达成"),
    "forecast.possible": ("possible", "可能达成"),
    "forecast.short": ("likely short", "预计未达成"),
    "forecast.met": ("met", "已达成"),
    "forecast.missed_by": ("missed by {n}", "未达成，差 {n}"),
    "forecast.model": (
        "A least-squares straight line through the figures at the last {weeks} week ends, extended to "
        "the target date, with a 90% prediction interval (Student's t, n-2 degrees of freedom, "
        "clipped at 0). An organization's robot target is what it declared in operation.",
        "对最近 {weeks} 个周末数值做最小二乘直线拟合并外推至目标日，"
        "给出 90% 预测区间（t 分布，n−2 自由度，下限不低于 0）。"
        "组织的机器人目标为其申报的运行数量。",
    ),
    "forecast.after": (
        "The target date has passed: the verified figure on {date}, met or missed.",
        "目标日已过：按 {date} 的核验数值判定达成与否。",
    ),
}
