"""Chinese for the words the report page (templates/report.tpl) and the report files
(`vault.web.report_view`) wrap in `_()`; `vault.web.i18n` merges it into its catalog."""

from __future__ import annotations

ZH: dict[str, str] = {
    "Download": "下载",
    "Only the first {n} rows are shown here; the CSV and PDF files have them all.": (
        "此处只显示前 {n} 行；CSV 和 PDF 文件包含全部记录。"
    ),
    "No rows.": "没有记录。",
    "page {n}": "第 {n} 页",
    # the reports' index (templates/reports.tpl)
    "Each report opens as a page; choose CSV or PDF to download it instead.": (
        "每份报表以网页打开；选择 CSV 或 PDF 则下载文件。"
    ),
    "As": "格式",
    "page": "网页",
    "Show": "查看",
    "Day": "日期",
    "Person's name": "姓名",
    "Custody history of a folder": "案卷流转记录",
    "Custody history of a person": "人员经手记录",
    "Custody events of a day": "某日流转记录",
    "Classified folders": "涉密案卷",
    "Classified folders: who has had them in hand": "涉密案卷经手人记录",
    "Classified folders and where they are": "涉密案卷现存位置",
    "Alarm and overdue statistics": "告警与逾期统计",
    "Closing time: folders not returned": "闭馆时未归还案卷",
    # the reports' column headings (vault.services.reports*, vault.services.closing)
    "time": "时间",
    "what": "事项",
    "folder": "案卷",
    "station": "站点",
    "holder or approver": "持有人或审批人",
    "state after": "之后状态",
    "witness": "确认人",
    "detail": "详情",
    "title": "题名",
    "marking": "密级标志",
    "reader": "借阅者",
    "issued at": "借出时间",
    "issued by": "经办人",
    "approved by": "审批人",
    "carried out at": "带出阅览室时间",
    "taken back at": "收回时间",
    "taken back by": "收回方式",
    "state": "状态",
    "home shelf": "存放位置",
    "last read at": "最近读取时间",
    "last station": "最近读取站点",
    "last event": "最近事件",
    "day": "日期",
    "alarm": "告警",
    "severity": "级别",
    "raised": "告警数",
    "acknowledged": "已确认",
    "still open": "未处理",
    "mean time to acknowledge": "平均确认用时",
    "longest time to acknowledge": "最长确认用时",
    "last holder": "最后持有人",
    "why": "原因",
    "acknowledged at": "确认时间",
    "acknowledged by": "确认人",
    "note": "备注",
    # what a history row records besides custody events
    "request": "借阅申请",
    "approval": "批准",
    "refusal": "不批准",
    # refusals of a report's form
    "write a folder code to make this report": "请填写案卷编号后再生成报表",
    "write a person's name to make this report": "请填写人员姓名后再生成报表",
}

# Sentences with names, dates and numbers in them: the reports' titles, lines and totals, their
# refusals, and the closing-time alarm's reason (vault.domain.closing.reason), part by part.
PATTERNS: list[tuple[str, str]] = [
    (r"Custody history of folder (?P<code>.+)", "案卷 {code} 流转记录"),
    (r"Custody history of (?P<name>.+)", "{name} 经手记录"),
    (r"Custody events of (?P<day>\d{4}-\d{2}-\d{2})", "{day} 流转记录"),
    (
        r"Alarm and overdue statistics from (?P<start>[\d-]+) to (?P<until>[\d-]+)",
        "告警与逾期统计（{start} 至 {until}）",
    ),
    (r"Folders not returned at closing time on (?P<day>[\d-]+)", "{day} 闭馆时未归还案卷"),
    (r"Produced (?P<at>[\d: -]+)", "生成时间：{at}"),
    (r"No closing check was run on (?P<day>[\d-]+)\.", "{day} 没有进行闭馆检查。"),
    (r"Closing check run at (?P<at>[\d: -]+)", "闭馆检查时间：{at}"),
    (r"Not returned: (?P<n>\d+)", "未归还：{n}"),
    (r"Acknowledged: (?P<n>\d+)", "已确认：{n}"),
    (r"Still open: (?P<n>\d+)", "未处理：{n}"),
    (r"Classified folders: (?P<n>\d+)", "涉密案卷：{n}"),
    (r"Out of the warehouse: (?P<n>\d+)", "不在库：{n}"),
    (r"Alarms raised: (?P<n>\d+)", "告警总数：{n}"),
    (r"Mean time to acknowledge: (?P<t>.+)", "平均确认用时：{t}"),
    (r"Longest time to acknowledge: (?P<t>.+)", "最长确认用时：{t}"),
    (r"Closing checks run: (?P<n>\d+)", "闭馆检查次数：{n}"),
    (r"Not returned at closing on (?P<day>[\d-]+): (?P<n>\d+)", "{day} 闭馆时未归还：{n}"),
    (r"Folders overdue now: (?P<n>\d+)", "当前逾期案卷：{n}"),
    (r"Overdue now: (?P<codes>.+)", "当前逾期：{codes}"),
    (r"no one named '(?P<name>.*)' is in the records", "记录中没有名为“{name}”的人员"),
    (
        r"'(?P<text>.*)' is not a date: write dates like 2024-05-31",
        "“{text}”不是日期：请按 2024-05-31 的格式填写",
    ),
    (
        r"the period ends \((?P<until>[\d-]+)\) before it starts \((?P<start>[\d-]+)\)",
        "统计期间的结束日期（{until}）早于开始日期（{start}）",
    ),
    (r"ask for at most (?P<n>\d+) days at a time", "每次最多统计 {n} 天"),
    # the closing-time alarm's reason, one part at a time (i18n joins the parts)
    (
        r"not back in the warehouse at closing time (?P<time>\d{2}:\d{2})",
        "闭馆时间 {time} 时仍未回库",
    ),
    (r"last held by (?P<holder>.+) \((?P<detail>[^()]+)\)", "最后持有人：{holder}（{detail}）"),
    (r"last read at (?P<station>.+) \((?P<detail>[^()]+)\)", "最后读取于 {station}（{detail}）"),
    (r"no read recorded \((?P<detail>[^()]+)\)", "无读取记录（{detail}）"),
]
