"""The archive rules' words in Chinese: the states, events and alarms the rules of approvals,
closing time and destruction add, and the sentences they say (merged into vault.web.i18n)."""

TERMS: dict[str, str] = {
    "destroyed": "destroyed",
    "destroyed_read": "destroyed folder read",
}

ZH: dict[str, str] = {
    # the front page's entries for the rules' pages
    "Requests": "借阅申请",
    "Stocktakes": "盘点",
    "Retention and destruction": "保管期限与销毁",
    "Data released to outside units": "对外提供数据登记",
    "Reports": "报表",
    "destroyed": "已销毁",
    "destroyed folder read": "读到已销毁案卷",
    "not returned at closing time": "闭馆时未归还",
    "returned without check-in at the desk": "未经阅览台归还即入库",
    "a second member of staff must confirm this issue": "须由第二名工作人员确认方可借出",
    "the second member of staff must be someone other than the archivist": (
        "第二名确认人员不得是经办档案员本人"
    ),
    "destroyed: a destroyed folder is never issued again": "已销毁：已销毁的案卷不得再借出",
    # the alarm history's search, which looks back a bounded stretch per page
    "This page looked back to alarm {n}; the older ones are searched on the next page.": (
        "本页只查到第 {n} 号报警；更早的报警在下一页继续查找。"
    ),
}

PATTERNS: list[tuple[str, str]] = [
    (
        r"read at (?P<station>.+?): this folder was destroyed; its label should not exist",
        "在 {station} 读到：此案卷已销毁，其标签不应存在",
    ),
    (
        r"read at (?P<station>.+?) going into the warehouse while issued to (?P<holder>.+?); "
        r"it was never taken back at the desk",
        "在 {station} 读到入库，但仍借给{holder}；未在阅览台收回",
    ),
    (
        r"read at (?P<station>.+?) on its way out of the warehouse; "
        r"request (?P<request>\d+): (?P<problem>.+)",
        "在 {station} 读到出库；借阅申请 {request}：{problem}",
    ),
    (r"request (?P<request>\d+): (?P<problem>.+)", "借阅申请 {request}：{problem}"),
    (r"refused by (?P<who>.+)", "已被{who}拒绝"),
    (
        r"needs approval by a leader \((?P<have>\d+) of (?P<need>\d+) approvals recorded "
        r"for this folder\)",
        "须经领导批准（此案卷已有 {have} 人批准，须 {need} 人）",
    ),
    (
        r"needs approval by the head of the unit \((?P<have>\d+) of (?P<need>\d+) approvals "
        r"recorded for this folder\)",
        "须经单位主要负责人批准（此案卷已有 {have} 人批准，须 {need} 人）",
    ),
    (
        r"letter (?P<number>.+?) of (?P<unit>.+?) ran out on (?P<day>[\d-]+)",
        "{unit}介绍信 {number} 已于 {day} 过期",
    ),
    (
        r"letter (?P<number>.+?) of (?P<unit>.+?) is dated (?P<day>[\d-]+), after today",
        "{unit}介绍信 {number} 的日期是 {day}，晚于今天",
    ),
    (
        r"letter (?P<number>.+?) of (?P<unit>.+?) does not cover (?P<code>.+)",
        "{unit}介绍信 {number} 未包括 {code}",
    ),
]
