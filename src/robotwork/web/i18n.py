"""The dashboard's words in Chinese and English.

Each key is written once with both languages side by side, so a string cannot be added in one
language and forgotten in the other; `STRINGS` is the dict per language built from them. Texts
may hold `str.format` fields (``{n}``, ``{min_success_rate:.0%}``) that the caller fills.
"""

from typing import Any

from robotwork.web.access_words import ACCESS_PAIRS
from robotwork.web.export_words import EXPORT_PAIRS
from robotwork.web.facts_words import FACTS_PAIRS
from robotwork.web.forecast_words import FORECAST_PAIRS
from robotwork.web.lens_words import LENS_PAIRS
from robotwork.web.list_words import LIST_PAIRS
from robotwork.web.live_words import LIVE_PAIRS

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

_PAIRS: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "app.title": (
        "人形机器人真实场景应用 · 证据监测平台",
        "Humanoid Robots in Real Work · Evidence Dashboard",
    ),
    "app.subtitle": ("工业和信息化部 · 国务院国资委 2026 年专项行动", "MIIT · SASAC program 2026"),
    "lang.zh": ("中文", "中文"),
    "lang.en": ("English", "English"),
    "nav.national": ("全国总览", "National"),
    "nav.scenarios": ("场景", "Scenarios"),
    "nav.robots": ("机器人", "Robots"),
    "nav.graph": ("关联图谱", "How this connects"),
    "nav.integrity": ("数据核查", "Integrity review"),
    "nav.upload": ("数据上报", "Uploads"),
    "nav.logout": ("退出登录", "Log out"),
    "nav.language": ("语言", "Language"),
    "role.ministry": ("部委", "Ministry"),
    "role.province": ("省级专员", "Province officer"),
    "role.central_soe": ("央企专员", "Central SOE officer"),
    "role.consortium": ("联合体成员", "Consortium member"),
    "kind.province": ("省级行政区", "Province"),
    "kind.central_soe": ("中央企业", "Central SOE"),
    "common.as_of": ("数据截至", "As of"),
    "common.days": ("天", "days"),
    "common.declared": ("申报", "Declared"),
    "common.verified": ("核验", "Verified"),
    "common.yes": ("是", "Yes"),
    "common.no": ("否", "No"),
    "common.none": ("暂无", "None"),
    "footer.policy": (
        "口径依据政策文件《{name}》{version} 版",
        "Definitions: policy file “{name}”, version {version}",
    ),
    "footer.evidence": ("每个数字均可点击追溯至其证据", "Every figure links to the evidence behind it"),
    "report.download": ("下载进展报告", "Download the progress report"),
    # national
    "national.title": ("全国总览", "National overview"),
    "national.lede": (
        "目标（{date} 前）：{robots} 台人形机器人常态化运行，高价值应用超过 {apps} 个。"
        "以下数字由机器人真实运行数据核验得出，申报数仅作对照。",
        "Targets by {date}: {robots} humanoid robots in routine operation and more than {apps} high-value "
        "applications. The figures below are verified from the robots' operating data; declared numbers are "
        "shown beside them.",
    ),
    "national.targets": ("全国目标", "National targets"),
    "national.routine": ("常态化运行机器人（核验）", "Robots in routine operation (verified)"),
    "national.of_target": ("完成目标的 {pct}%", "{pct}% of the target"),
    "national.by": ("目标日期 {date}", "target date {date}"),
    "national.high_value": ("高价值应用", "High-value applications"),
    "national.high_value_rule": (
        "“{stage}”及以上、常态化运行机器人任务成功率 ≥ {rate}%",
        "at stage “{stage}” or above, tasks of robots in routine operation ≥ {rate}% successful",
    ),
    "national.declared_vs_verified": ("申报与核验", "Declared vs verified"),
    "national.gap": (
        "申报比核验多 {gap} 台；核验数仅为申报数的 {pct}%",
        "{gap} more declared than verified; verified is {pct}% of declared",
    ),
    "national.deadline": ("距进展报告截止", "Until progress reports are due"),
    "national.passed": ("已过 {days} 天", "passed {days} days ago"),
    "national.due": ("截止日期 {date}", "due {date}"),
    "national.provinces_compliant": ("省级达标 {ok}/{total}", "provinces compliant {ok}/{total}"),
    "national.soes_compliant": ("央企达标 {ok}/{total}", "central SOEs compliant {ok}/{total}"),
    "national.evidence_base": ("证据基础", "Evidence base"),
    "national.window_hours": ("窗口期运行时长", "Operating hours in the window"),
    "national.recordings": ("已存录制", "Recordings stored"),
    "national.flagged": ("被标记录制（不计入）", "Flagged recordings (not counted)"),
    "national.window_note": (
        "窗口期为截至当日的 {days} 天；常态化运行 = 窗口期内至少 {worked} 个工作日",
        "window: the {days} days up to the as-of date; routine operation = at least {worked} worked days "
        "in it",
    ),
    "national.autonomy": ("自主等级分布（L0–L4）", "Autonomy levels (L0–L4)"),
    "national.autonomy_note": (
        "按窗口期内各控制模式运行时长占比判定；点击柱形查看对应机器人",
        "From each robot's shares of operating time by control mode in the window; click a bar for its "
        "robots",
    ),
    "national.payoff": ("数据是否见效", "Is the data paying off?"),
    "national.payoff_note": (
        "每周每运行小时的人工干预次数（越低越好），对照累计采集的真实运行时长；仅计未被标记的录制",
        "Interventions per operating hour each week (lower is better) against the cumulative operating hours "
        "harvested; unflagged recordings only",
    ),
    "national.provinces": ("省级行政区", "Provinces"),
    "national.soes": ("中央企业", "Central SOEs"),
    # columns
    "col.organization": ("单位", "Organization"),
    "col.status": ("状态", "Status"),
    "col.scenarios": ("计入场景", "Counted scenarios"),
    "col.domains": ("覆盖领域", "Domains"),
    "col.plan": ("实施方案", "Implementation plan"),
    "col.report": ("进展报告", "Progress report"),
    "col.problems": ("差距", "Shortfalls"),
    "col.domain": ("领域", "Domain"),
    "col.stage": ("阶段", "Stage"),
    "col.scenario": ("场景", "Scenario"),
    "col.robots": ("机器人", "Robots"),
    "col.success_rate": ("任务成功率", "Success rate"),
    "col.high_value": ("高价值应用", "High-value"),
    "col.counted": ("计入配额", "Counts to quota"),
    "col.counted_note": (
        "不计入：已撤回、重复推荐、场所不在本省、缺少任务或晚于截至日期",
        "not counted: withdrawn, a duplicate, a site outside the province, no task, or nominated later",
    ),
    "col.nominated_by": ("推荐单位", "Nominated by"),
    "col.user_org": ("用户单位", "User organization"),
    "col.nominated_on": ("推荐日期", "Nominated on"),
    "col.tasks": ("任务", "Tasks"),
    "col.planned": ("计划台数", "Planned robots"),
    "col.sites_routine": ("有常态化运行机器人的场所", "Sites with robots in routine operation"),
    "col.cities": ("城市", "Cities"),
    "col.site": ("场所", "Site"),
    "col.city": ("城市", "City"),
    "col.robot": ("机器人", "Robot"),
    "col.model": ("型号", "Model"),
    "col.worked_days": ("工作日", "Worked days"),
    "col.routine": ("常态化运行", "Routine operation"),
    "col.operating_hours": ("运行时长 (h)", "Operating hours"),
    "col.level": ("自主等级", "Autonomy"),
    "col.interventions_per_hour": ("每小时干预", "Interventions / h"),
    "col.flagged": ("标记", "Flagged"),
    "col.from": ("开始", "From"),
    "col.to": ("结束", "To"),
    "col.file": ("文件", "File"),
    "col.messages": ("消息数", "Messages"),
    "col.size": ("大小", "Size"),
    "col.flags": ("标记", "Flags"),
    "col.rule": ("规则", "Rule"),
    "col.cleared_by": ("解除人", "Cleared by"),
    "col.reason": ("理由", "Reason"),
    # statuses, stages, levels
    "status.on_time": ("按时提交", "On time"),
    "status.late": ("逾期提交", "Late"),
    "status.missing": ("未提交", "Missing"),
    "status.not_due": ("未到期", "Not yet due"),
    "status.compliant": ("达标", "Compliant"),
    "status.non_compliant": ("未达标", "Non-compliant"),
    "status.nominated": ("在册", "Active"),
    "status.withdrawn": ("已撤回", "Withdrawn"),
    "short.scenarios": ("场景 {have}/{want}", "scenarios {have}/{want}"),
    "short.domains": ("领域 {have}/{want}", "domains {have}/{want}"),
    "short.implementation_plan.missing": ("实施方案未交", "plan missing"),
    "short.implementation_plan.late": ("实施方案逾期", "plan late"),
    "short.progress_report.missing": ("进展报告未交", "report missing"),
    "short.progress_report.late": ("进展报告逾期", "report late"),
    "level.L0": ("远程遥控", "remote-piloted"),
    "level.L1": ("脚本执行", "scripted"),
    "level.L2": ("监督自主", "supervised autonomy"),
    "level.L3": ("有条件自主", "conditional autonomy"),
    "level.L4": ("高度自主", "high autonomy"),
    "stage.nominated": ("已推荐", "Nominated"),
    "stage.verified": ("验证一个", "Verified"),
    "stage.batch": ("部署一批", "Batch"),
    "stage.region": ("带动一片", "Region"),
    "ladder.nominated": ("列入推荐清单", "On the list"),
    "ladder.verified": ("验证一个", "Verify one"),
    "ladder.batch": ("部署一批", "Deploy a batch"),
    "ladder.region": ("带动一片", "Drive a region"),
    "rule.nominated": ("已推荐，尚无运行证据", "nominated, no evidence yet"),
    "rule.verified": (
        "至少 {min_robots} 台机器人常态化运行，"
        "其任务成功率 ≥ {min_success_rate:.0%}（至少 {min_tasks} 个任务）",
        "at least {min_robots} robot(s) in routine operation with a task success rate of at least "
        "{min_success_rate:.0%} over at least {min_tasks} tasks",
    ),
    "rule.batch": (
        "至少 {min_robots} 台机器人常态化运行",
        "at least {min_robots} robots in routine operation",
    ),
    "rule.region": (
        "常态化运行机器人分布于至少 {min_sites} 个场所、{min_cities} 个城市",
        "robots in routine operation at {min_sites} or more sites in {min_cities} or more cities",
    ),
    # integrity rules
    "rule.duplicate_content.name": ("内容重复", "Duplicate content"),
    "rule.duplicate_content.why": (
        "关节位置数据与更早的一条录制完全相同（无论在哪台机器人名下）",
        "Its joint positions are identical to an earlier recording's (under any robot)",
    ),
    "rule.replay.name": ("疑似回放", "Replay"),
    "rule.replay.why": (
        "大部分关节运动指纹出现在更早的一条录制中：旧数据被再次提交",
        "Most of its joint-motion fingerprints occur in one earlier recording: old data sent again",
    ),
    "rule.static.name": ("静止不动", "Static"),
    "rule.static.why": (
        "声称处于运行模式，但关节几乎没有运动",
        "It claims operating time but its joints barely moved",
    ),
    "rule.overlap.name": ("时间重叠", "Overlap"),
    "rule.overlap.why": (
        "同一台机器人有更早的录制与其时间重叠",
        "An earlier recording of the same robot overlaps it in time",
    ),
    "evidence.same_content_as": ("内容相同于", "Same content as"),
    "evidence.other_robot": ("另一台机器人", "Other robot"),
    "evidence.this_robot": ("本机器人", "This robot"),
    "evidence.content_digest": ("内容摘要", "Content digest"),
    "evidence.replays": ("回放自", "Replays"),
    "evidence.share": ("重合比例", "Share"),
    "evidence.shifted_by_seconds": ("时间平移（秒）", "Shifted by (s)"),
    "evidence.whole": ("整段回放", "Whole recording"),
    "evidence.shared_fingerprints": ("共同指纹", "Shared fingerprints"),
    "evidence.fingerprints": ("指纹总数", "Fingerprints"),
    "evidence.threshold": ("阈值", "Threshold"),
    "evidence.claimed_operating_hours": ("声称运行时长 (h)", "Claimed operating hours"),
    "evidence.moving_operating_hours": ("实际运动时长 (h)", "Moving operating hours"),
    "evidence.moving_share": ("运动占比", "Moving share"),
    "evidence.overlaps": ("重叠录制", "Overlaps"),
    "evidence.from_ns": ("重叠开始 (ns)", "Overlap from (ns)"),
    "evidence.to_ns": ("重叠结束 (ns)", "Overlap to (ns)"),
    "evidence.two_sites": ("两个场所", "Two sites"),
    # organization
    "org.checklist": ("达标清单", "Compliance checklist"),
    "org.by_domain_stage": ("计入配额的场景：按领域与阶段", "Counted scenarios by domain and stage"),
    "org.scenarios": ("推荐场景", "Nominated scenarios"),
    "org.consortia": ("创新应用联合体", "Innovation consortia"),
    "org.incomplete": ("不完整，缺少", "Incomplete, lacks"),
    "org.works_on": ("承担场景", "Works on"),
    "check.scenarios": ("计入配额的推荐场景", "Scenarios counted toward the quota"),
    "check.domains": ("覆盖领域", "Domains covered"),
    "check.implementation_plan": ("实施方案", "Implementation plan"),
    "check.progress_report": ("进展报告", "Progress report"),
    "check.at_least": ("至少 {n}", "at least {n}"),
    "check.due": ("截止 {date}", "due {date}"),
    "check.submitted": ("提交于 {dates}", "submitted {dates}"),
    "member.user": ("用户单位", "User"),
    "member.integrator": ("集成商", "Integrator"),
    "member.algorithm_team": ("算法团队", "Algorithm team"),
    # scenario
    "scenario.ladder": ("验证一个、部署一批、带动一片", "Verify one, deploy a batch, drive a region"),
    "scenario.ladder_note": (
        "每一级须同时满足其下各级；依据截至日期窗口期内的运行数据",
        "Each rung requires every rung below it; from operating data in the window up to the as-of date",
    ),
    "scenario.met": ("已达成", "Met"),
    "scenario.missing": ("下一步尚缺：", "Missing for this step:"),
    "scenario.ahead": ("待下一级达成", "After the step below"),
    "scenario.nomination": ("推荐信息", "Nomination"),
    "scenario.evidence": ("运行证据", "Evidence"),
    "scenario.robots": ("本场景机器人", "Robots of this scenario"),
    "scenario.sites": ("场所", "Sites"),
    "scenario.nominated_site": ("推荐场所", "nominated site"),
    # robot
    "robot.maker": ("制造商", "Manufacturer"),
    "robot.owner": ("所有方", "Owner"),
    "robot.built": ("出厂于", "built"),
    "robot.worked_days": (
        "{window} 天窗口期内工作 {n} 天（需 {need} 天）",
        "{n} worked days in {window} ({need} needed)",
    ),
    "robot.modes": ("自主 {a} · 遥控 {t} · 脚本 {s} h", "autonomous {a} · teleoperated {t} · scripted {s} h"),
    "robot.tasks": (
        "成功 {ok} · 失败 {failed} · 中止 {aborted}",
        "{ok} succeeded · {failed} failed · {aborted} aborted",
    ),
    "robot.interventions": ("干预 {n} 次 · 平均无干预自主时长 {mtbi} h", "{n} interventions · MTBI {mtbi} h"),
    "robot.flags": ("{n} 条完整性标记", "{n} integrity flag(s)"),
    "robot.timeline": ("每日运行时间线", "Daily timeline"),
    "robot.timeline_note": (
        "每日按控制模式的运行时长、任务与干预（最近 {days} 天）；被标记录制的时长单列，不计入任何数字",
        "Hours by control mode, tasks and interventions per day (last {days} days); hours of flagged "
        "recordings are shown apart and count toward no figure",
    ),
    "robot.no_data": ("暂无运行数据", "No operating data"),
    "robot.deployments": ("部署记录", "Deployments"),
    "robot.flags_title": ("完整性标记", "Integrity flags"),
    "robot.recordings": ("录制", "Recordings"),
    # charts
    "chart.robots": ("机器人", "Robots"),
    "chart.interventions_per_hour": ("每运行小时干预次数", "Interventions per operating hour"),
    "chart.cumulative_hours": ("累计运行时长 (h)", "Cumulative operating hours"),
    "chart.weekly_hours": ("当周运行时长 (h)", "Operating hours that week"),
    "chart.autonomous_hours": ("自主", "Autonomous"),
    "chart.teleoperated_hours": ("遥控", "Teleoperated"),
    "chart.scripted_hours": ("脚本", "Scripted"),
    "chart.idle_hours": ("空闲", "Idle"),
    "chart.flagged_operating_hours": ("被标记（不计入）", "Flagged (not counted)"),
    "chart.tasks_succeeded": ("任务成功", "Tasks succeeded"),
    "chart.tasks_failed": ("任务失败", "Tasks failed"),
    "chart.tasks_aborted": ("任务中止", "Tasks aborted"),
    "chart.interventions": ("干预", "Interventions"),
    "chart.hours": ("时长 (h)", "Hours"),
    "chart.count": ("次数", "Count"),
    # graph
    "graph.title": ("关联图谱", "How this connects"),
    "graph.lede": (
        "推荐单位、创新应用联合体、场景、场所与机器人之间的关系；点击节点打开其页面",
        "Nominators, consortia, scenarios, sites and robots, and how they connect; tap a node to open its "
        "page",
    ),
    "graph.choose": ("选择单位", "Organization"),
    "graph.overview": ("概览（前几个省份）", "Overview (first provinces)"),
    "graph.show": ("显示", "Show"),
    "graph.full": (
        "{org} 的全部场景、联合体、场所与机器人",
        "All scenarios, consortia, sites and robots of {org}",
    ),
    "graph.overview_note": (
        "概览：{orgs} 的推荐场景与联合体；选择一个单位可查看其场所与机器人",
        "Overview: the scenarios and consortia of {orgs}; choose an organization to see its sites and robots",
    ),
    "graph.as_list": ("以列表查看（{n} 个节点）", "As a list ({n} nodes)"),
    "graph.organization": ("推荐单位", "Nominator"),
    "graph.consortium": ("联合体", "Consortium"),
    "graph.scenario": ("场景", "Scenario"),
    "graph.site": ("场所", "Site"),
    "graph.robot": ("机器人", "Robot"),
    "graph.dataset": ("训练数据集", "Dataset"),
    # datasets
    "nav.datasets": ("训练数据集", "Datasets"),
    "datasets.title": ("训练数据集", "Training datasets"),
    "datasets.lede": (
        "由真实运行数据导出的 LeRobot v3.0 数据集；被标记的录制一律不导出，每个数据集附带来源清单",
        "LeRobot v3.0 datasets exported from the real operating data; flagged recordings are never "
        "exported, and every dataset carries its provenance manifest",
    ),
    "datasets.none": (
        "尚未导出数据集：robotwork dataset export --out DIR",
        "No dataset exported yet: robotwork dataset export --out DIR",
    ),
    "datasets.name": ("名称", "Name"),
    "datasets.model": ("机型", "Robot model"),
    "datasets.episodes": ("片段", "Episodes"),
    "datasets.frames": ("帧", "Frames"),
    "datasets.recordings": ("录制", "Recordings"),
    "datasets.scenarios": ("场景", "Scenarios"),
    "datasets.cameras": ("相机视频", "Camera videos"),
    "datasets.filters": ("筛选条件", "Filters"),
    "datasets.created": ("导出时间", "Exported"),
    "dataset.facts": ("概况", "Facts"),
    "dataset.fps": ("帧率", "Frames per second"),
    "dataset.tasks": ("任务", "Tasks"),
    "dataset.splits": ("划分", "Splits"),
    "dataset.path": ("位置", "Folder"),
    "dataset.by": ("导出人", "Exported by"),
    "dataset.versions": ("版本", "Versions"),
    "dataset.left_out": ("未导出的相机（并非每条录制都有）", "Cameras left out (not in every recording)"),
    "dataset.load": ("用 LeRobot 读取", "Load it with LeRobot"),
    "dataset.sources": ("来源录制", "Source recordings"),
    "dataset.sources_note": (
        "录制编号即上传文件的 SHA-256，任何人都可核对每一帧的来源。",
        "A recording's id is the SHA-256 of the uploaded file: anyone can check where every frame came from.",
    ),
    "dataset.recording": ("录制（SHA-256）", "Recording (SHA-256)"),
    "dataset.robot": ("机器人", "Robot"),
    "dataset.source": ("文件", "File"),
    "dataset.files": ("数据与视频文件", "Data and video files"),
    "dataset.bytes": ("字节", "Bytes"),
    # integrity
    "integrity.title": ("数据完整性核查", "Integrity review"),
    "integrity.lede": (
        "被标记的录制仍然保存，但在核查人员解除标记前不计入任何数字",
        "A flagged recording stays stored but counts toward no figure until a reviewer clears it",
    ),
    "integrity.just_cleared": (
        "标记 #{id} 已解除，相关录制重新计入",
        "Flag #{id} cleared; its recording counts again",
    ),
    "integrity.read_only": ("只读：仅部委用户可解除标记", "Read-only: only ministry users clear flags"),
    "integrity.only_ministry": (
        "仅部委用户可解除完整性标记",
        "Only the ministry may clear an integrity flag",
    ),
    "integrity.open_title": ("待核查标记", "Open flags"),
    "integrity.flagged_at": ("标记于 {when}", "flagged {when}"),
    "integrity.evidence": ("证据", "Evidence"),
    "integrity.reason": ("解除理由", "Reason for clearing"),
    "integrity.reason_hint": ("例如：已现场核实为两次真实作业", "e.g. checked on site: two real runs"),
    "integrity.clear": ("解除标记", "Clear flag"),
    "integrity.none_open": ("暂无待核查标记", "No open flags"),
    "integrity.cleared_title": ("已解除的标记", "Cleared flags"),
    "integrity.cleared_by": ("已由 {who} 于 {when} 解除", "cleared by {who} on {when}"),
    "integrity.open": ("待核查", "open"),
    # lists and filters
    "list.robots": ("机器人清单", "Robots"),
    "list.scenarios": ("场景清单", "Scenarios"),
    "list.declared_total": ("申报运行机器人合计 {n} 台", "Declared robots in operation: {n}"),
    "filter.org": ("单位", "Organization"),
    "filter.scenario": ("场景", "Scenario"),
    "filter.routine": ("常态化运行", "Routine operation"),
    "filter.level": ("自主等级", "Autonomy level"),
    "filter.flagged": ("被标记", "Flagged"),
    "filter.domain": ("领域", "Domain"),
    "filter.stage": ("阶段", "Stage"),
    "filter.high_value": ("高价值应用", "High-value"),
    "filter.counted": ("计入配额", "Counts to quota"),
    "filter.site": ("场所", "Site"),
    "filter.none": ("全部（无筛选）", "All (no filter)"),
    # login and errors
    "login.title": ("登录", "Log in"),
    "login.note": (
        "请使用部委、省级、央企或联合体账户登录",
        "Log in with your ministry, province, central SOE or consortium account",
    ),
    "login.username": ("用户名", "User name"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Log in"),
    "login.failed": ("用户名或密码错误", "Wrong user name or password"),
    "error.404": ("未找到", "Not found"),
    "error.403": ("无权操作", "Not allowed"),
    "error.back": ("返回全国总览", "Back to the national overview"),
    "error.405": ("不支持此操作", "Not supported here"),
    "error.bad_request": ("参数有误", "A parameter is wrong"),
    "error.server": ("服务器出错", "The server failed"),
    # uploads
    "upload.title": ("数据上报", "Uploads"),
    "upload.lede": (
        "与命令行相同的检查：全部通过才写入，逐行指出问题所在的工作表、行与列",
        "The same checks as the command line: all or nothing, every bad row named by sheet, row and column",
    ),
    "upload.workbook": ("推荐清单工作簿", "Nomination workbook"),
    "upload.workbook_note": (
        "省级与央企专员上报本单位的推荐场景、场所与提交材料（.xlsx 或 .json）",
        "Province and central SOE officers: your organization's nominations, sites and submissions "
        "(.xlsx or .json)",
    ),
    "upload.workbook_who": (
        "仅省级或央企专员可上报工作簿",
        "Only province and central SOE officers upload workbooks",
    ),
    "upload.file": ("文件", "File"),
    "upload.import": ("检查并导入", "Check and import"),
    "upload.recording": ("运行录制", "Recording"),
    "upload.recording_note": (
        "联合体成员上报部署在本联合体场景中的机器人的运行录制（.mcap）",
        "Consortium members: recordings (.mcap) of robots deployed at your consortium's scenarios",
    ),
    "upload.recording_who": ("仅联合体成员可上报录制", "Only consortium members upload recordings"),
    "upload.ingest": ("上传并入库", "Upload and ingest"),
    "upload.foreign": (
        "{file}：有 {n} 行涉及 {org} 以外的单位，整份拒收，未写入任何内容",
        "{file}: {n} row(s) touch another organization than {org}; refused whole, nothing written",
    ),
    "upload.rejected": ("{file}：{n} 行有误，未写入任何内容", "{file}: {n} bad row(s); nothing written"),
    "upload.imported": ("{file}：已导入", "{file}: imported"),
    "upload.sheet": ("工作表", "Sheet"),
    "upload.row": ("行", "Row"),
    "upload.column": ("列", "Column"),
    "upload.message": ("问题", "Problem"),
    "upload.created": ("新增", "Created"),
    "upload.updated": ("更新", "Updated"),
    "upload.unchanged": ("未变", "Unchanged"),
    "upload.not_your_robot": (
        "{file}：机器人 {serial} 未部署在本联合体的场景中，拒收",
        "{file}: robot {serial} is not deployed at your consortium's scenarios; refused",
    ),
    "upload.status.ingested": ("{file}：已入库", "{file}: ingested"),
    "upload.status.duplicate": ("{file}：相同录制已存在", "{file}: already stored (duplicate)"),
    "upload.status.received": ("{file}：已接收，正在处理", "{file}: received, being processed"),
    "upload.messages": ("{n} 条消息", "{n} messages"),
}

_PAIRS.update(LIVE_PAIRS)
_PAIRS.update(ACCESS_PAIRS)
_PAIRS.update(LENS_PAIRS)
_PAIRS.update(FORECAST_PAIRS)
_PAIRS.update(LIST_PAIRS)
_PAIRS.update(FACTS_PAIRS)
_PAIRS.update(EXPORT_PAIRS)

STRINGS: dict[str, dict[str, str]] = {
    lang: {key: pair[i] for key, pair in _PAIRS.items()} for i, lang in enumerate(LANGS)
}


def t(key: str, lang: str, default: str | None = None, **values: Any) -> str:
    """The text of `key` in `lang` (unknown languages read Chinese), with `values` filled in;
    an unknown key shows `default`, else the key itself, so a gap is visible but not fatal."""
    text = STRINGS.get(lang, STRINGS[DEFAULT_LANG]).get(key)
    if text is None:
        return default if default is not None else key
    return text.format(**values) if values else text
