"""The stocktake pages' words in Chinese (merged into vault.web.i18n): the pages, the
reconciliation's results and notes, the report's headings, and the refusals of
`vault.services.stocktake` and `vault.domain.stocktake`."""

# A folder's movement after the count opened, as a missing folder's note names it.
_MOVES = {
    "left warehouse": "出库",
    "returned to warehouse": "回库",
    "issued": "借出",
    "checked in": "收回",
    "left reading room": "带出阅览室",
    "back in reading room": "带回阅览室",
    "destroyed": "销毁",
}

ZH: dict[str, str] = {
    # the front page and the list
    "Stocktakes": "盘点",
    "Stocktake": "盘点",
    "Stocktake {n}": "盘点 {n}",
    "Open a stocktake": "开始盘点",
    "Scope": "范围",
    "The whole warehouse": "整个库房",
    "A room": "一个库房",
    "A range of shelves": "一段架位",
    "Every three secrets folder": "全部“三密”案卷",
    "Room or shelves": "库房或架位",
    "Open the stocktake": "开始盘点",
    "The list of folders expected is frozen when the stocktake opens: folders that move during "
    "the count do not change it. A room is a location prefix (A); shelves are a range, first "
    "and last included (A-01-01..A-03-09).": (
        "盘点开始时即冻结应在案卷清单：盘点期间案卷的移动不会改变它。库房以位置前缀表示（A）；"
        "架位为一个区间，含首尾（A-01-01..A-03-09）。"
    ),
    "Opened": "开始时间",
    "Opened by": "开始人",
    "Closed": "结束",
    "Folders expected": "应在案卷",
    "Reads": "读取次数",
    "open": "进行中",
    "No stocktake yet.": "尚无盘点。",
    # the count's page
    "Scan a shelf label or a folder label": "扫描架位标签或案卷标签",
    "Current shelf: {shelf}": "当前架位：{shelf}",
    "No shelf scanned yet: scan the shelf's label (LOC:A-03-02) first.": (
        "尚未扫描架位：请先扫描架位标签（LOC:A-03-02）。"
    ),
    "Paste many codes": "粘贴多个编号",
    "One code per line; shelf labels set the shelf for the codes after them.": (
        "每行一个编号；架位标签为其后的编号设定架位。"
    ),
    "Record these codes": "记录这些编号",
    "Latest reads": "最近读取",
    "Read by": "读取来源",
    "Shelf": "架位",
    "Read as": "识别为",
    "shelf label": "架位标签",
    "a folder": "案卷",
    "not in the register": "未登记",
    "Home shelf": "应在架位",
    "Found on": "发现于",
    "State at opening": "开始时状态",
    "Explanation": "说明",
    "Why it was not found": "未找到的原因",
    "Explain": "说明",
    "Close the stocktake": "结束盘点",
    "Every missing classified folder needs an explanation before the stocktake can close.": (
        "每一份缺失的涉密案卷都须说明原因，盘点方可结束。"
    ),
    "Result": "结果",
    "Counted by: ____________    Checked by: ____________": (
        "盘点人：____________    复核人：____________"
    ),
    "Still open: reads are being recorded.": "盘点进行中：正在记录读取。",
    "Scope: {scope}": "范围：{scope}",
    "Opened {at} by {who}": "{at} 由{who}开始",
    "Closed {at} by {who}": "{at} 由{who}结束",
    "Expected {expected}: found {found}, misplaced {misplaced}, missing {missing}, issued at the "
    "time of the count {issued}; unregistered codes {unregistered}": (
        "应在 {expected}：在架 {found}，错架 {misplaced}，缺失 {missing}，"
        "盘点时已借出 {issued}；未登记编号 {unregistered}"
    ),
    # results and notes
    "Missing": "缺失",
    "Misplaced": "错架",
    "Issued at the time of the count": "盘点时已借出",
    "Unregistered codes": "未登记编号",
    "Found": "在架",
    "missing": "缺失",
    "misplaced": "错架",
    "issued at the time of the count": "盘点时已借出",
    "unregistered": "未登记",
    "found": "在架",
    "also seen during the count": "盘点中也曾读到",
    "registered as destroyed": "登记为已销毁",
    # scopes
    "the whole warehouse": "整个库房",
    "every three secrets folder": "全部“三密”案卷",
    # refusals
    "name the room to count, e.g. A": "请写明要盘点的库房，例如 A",
    "write the shelves to count as FIRST..LAST, e.g. A-01-01..A-03-09": (
        "请以 起..止 的形式写明要盘点的架位，例如 A-01-01..A-03-09"
    ),
    "say who opens the count": "请写明开始盘点的人",
    "write why the folder was not found": "请写明未找到该案卷的原因",
}

PATTERNS: list[tuple[str, str]] = [
    (r"room (?P<room>\S+)", "{room} 库房"),
    (r"shelves (?P<low>\S+) to (?P<high>\S+)", "架位 {low} 至 {high}"),
    (r"found on (?P<shelves>.+)", "发现于 {shelves}"),
    (r"also seen on (?P<shelves>.+)", "盘点中也曾在 {shelves} 读到"),
    (r"belongs on (?P<home>\S+), outside this count", "应在 {home}，不属本次盘点"),
    *(
        (rf"{english} (?P<at>[\d: -]+) after the count opened", f"盘点开始后 {{at}} {chinese}")
        for english, chinese in _MOVES.items()
    ),
    (r"there is no stocktake (?P<n>.+)", "没有编号为 {n} 的盘点"),
    (r"no shelf of the register is in (?P<detail>.+)", "登记簿中没有属于{detail}的架位"),
    (
        r"a stocktake's scope is one of (?P<known>.+), not (?P<kind>.+)",
        "盘点范围只能是 {known} 之一，而不是 {kind}",
    ),
    (
        r"the first shelf (?P<low>\S+) comes after the last shelf (?P<high>\S+)",
        "起始架位 {low} 在结束架位 {high} 之后",
    ),
    (
        r"stocktake (?P<n>\d+) was closed on (?P<at>.+) by (?P<who>.+); "
        r"nothing more is recorded in it",
        "盘点 {n} 已于 {at} 由{who}结束；不再记录任何读取",
    ),
    (r"(?P<code>.+) is not on the list of stocktake (?P<n>\d+)", "{code} 不在盘点 {n} 的清单上"),
    (
        r"(?P<count>\d+) missing folder\(s\) must be explained before the count can close: "
        r"(?P<codes>.+)",
        "有 {count} 份缺失案卷须说明原因后方可结束盘点：{codes}",
    ),
]
