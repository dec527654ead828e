"""The web export's words in Chinese and English (merged into `robotwork.web.i18n`)."""

EXPORT_PAIRS: dict[str, tuple[str, str]] = {
    "export.title": ("导出数据集", "Dataset export"),
    "export.start": ("开始导出", "Start the export"),
    "export.name": ("数据集名称", "Dataset name"),
    "export.scenario": ("场景（可选）", "Scenario (optional)"),
    "export.robot": ("机器人（可选）", "Robot (optional)"),
    "export.from": ("开始日期", "From"),
    "export.to": ("结束日期", "To"),
    "export.note": (
        "按当前筛选（机型、模式、结果）在后台导出为 LeRobot v3.0 数据集；"
        "任务不是导出条件，所有任务都会导出。",
        "Exports the current selection (model, mode, outcome) as a LeRobot v3.0 dataset in the "
        "background; task is not an export filter, every task of the selection is exported.",
    ),
    "export.refused": ("无法导出", "Cannot export"),
    "export.state.queued": ("排队中", "Queued"),
    "export.state.running": ("导出中", "Exporting"),
    "export.state.done": ("已完成", "Done"),
    "export.state.failed": ("失败", "Failed"),
    "export.episodes": ("{n} 个任务片段", "{n} episodes"),
    "export.frames": ("已写入 {done} / {total} 帧", "{done} of {total} frames written"),
    "export.open": ("查看数据集", "Open dataset"),
    "export.download": ("下载（.tar.gz）", "Download (.tar.gz)"),
    "dataset.card": ("数据集卡片", "Dataset card"),
    "dataset.card_note": (
        "下载后解压，即得到一个 LeRobot 数据集根目录：",
        "Download and unpack it: the folder is a LeRobot dataset root:",
    ),
    "datasets.browse": (
        "按任务、机型、模式、结果浏览可导出的数据 ›",
        "Browse what can be exported by task, model, mode, outcome ›",
    ),
}
