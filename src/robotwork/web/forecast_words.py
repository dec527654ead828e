"""The forecast panel's words in Chinese and English (merged into `robotwork.web.i18n`)."""

FORECAST_PAIRS: dict[str, tuple[str, str]] = {
    "forecast.title": ("到 {date} 的预测", "Forecast to {date}"),
    "forecast.now": ("当前", "Now"),
    "forecast.projected": ("预测值", "Projected"),
    "forecast.interval": ("90% 预测区间", "90% prediction interval"),
    "forecast.per_week": ("每周变化", "Per week"),
    "forecast.target": ("目标", "Target"),
    "forecast.verdict": ("判断", "Outlook"),
    "forecast.measure.robots_in_routine_operation": ("常态化运行机器人", "Robots in routine operation"),
    "forecast.measure.high_value_applications": ("高价值应用", "High-value applications"),
    "forecast.verdict.on_track": ("有望达成", "on track"),
    "forecast.verdict.possible": ("可能达成", "possible"),
    "forecast.verdict.short": ("预计未达成", "likely short"),
    "forecast.met": ("已达成", "met"),
    "forecast.missed_by": ("未达成，差 {n}", "missed by {n}"),
    "forecast.model": (
        "模型：对最近 {weeks} 个周末数值做最小二乘直线拟合并外推至目标日；"
        "区间为 {pct}% 预测区间（t 分布，n−2 自由度，下限不低于 0）。"
        "组织的机器人目标为其申报的运行数量；高价值应用无分省目标。",
        "Model: a least-squares straight line through the figures at the last {weeks} week ends, "
        "extended to the target date; the range is a {pct}% prediction interval (Student's t, n−2 "
        "degrees of freedom, clipped at 0). An organization's robot target is what it declared in "
        "operation; the plan sets no per-organization high-value target.",
    ),
    "forecast.after": (
        "目标日 {date} 已过：按当日核验数值判定达成与否。",
        "The target date {date} has passed: the verified figure on that day, met or missed.",
    ),
}
