"""The lens pages' words in Chinese and English (merged into `robotwork.web.i18n`)."""

LENS_PAIRS: dict[str, tuple[str, str]] = {
    "lens.switch": ("视角", "Lens"),
    "lens.national": ("全国", "National"),
    "lens.org": ("本单位", "My organization"),
    "lens.consortium": ("本联合体", "My consortium"),
    "lens.harvest": ("数据收获", "Harvest"),
    "consortium.members": ("成员", "Members"),
    "consortium.next_rung": ("晋级还差什么", "What would move each scenario up a rung"),
    "consortium.top_rung": ("已在最高阶段", "on the top rung"),
    "consortium.uploads": ("最近上传的录制", "Latest uploads"),
    "consortium.start": ("开始时间", "Start"),
    "consortium.messages": ("消息数", "Messages"),
    "consortium.flags": ("本联合体数据上的核查标记", "Flags raised on its data"),
    "consortium.cleared": ("已解除", "cleared"),
    "harvest.title": ("数据收获：已采集的任务片段", "The harvest: task episodes recorded"),
    "harvest.lede": (
        "按任务、机型、控制模式和结果统计的任务片段与时长（仅含您可查看的机器人；有未解除核查标记的录制不计，与导出一致）。",
        "Task episodes and hours by task, robot model, control mode and outcome (robots in your scope "
        "only; recordings with an open integrity flag left out, as an export leaves them out).",
    ),
    "harvest.by.task": ("任务", "Task"),
    "harvest.by.model": ("机型", "Robot model"),
    "harvest.by.mode": ("控制模式", "Control mode"),
    "harvest.by.outcome": ("结果", "Outcome"),
    "harvest.any": ("全部", "Any"),
    "harvest.apply": ("筛选", "Filter"),
    "harvest.episodes": ("任务片段", "Episodes"),
    "harvest.hours": ("时长（小时）", "Hours"),
    "harvest.interventions": ("各机型的人工干预", "Interventions by robot model"),
    "harvest.interventions_n": ("干预次数", "Interventions"),
    "harvest.export": ("可导出的数据", "What can be exported"),
    "harvest.export_note": (
        "这些片段可导出为 LeRobot v3.0 数据集（按机型、模式、结果筛选）：",
        "These episodes export as a LeRobot v3.0 dataset (selected by model, mode and outcome):",
    ),
}
