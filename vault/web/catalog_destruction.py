"""The words of retention, holds, destruction and the register of data released outside, in
Chinese: the pages, the certificate and the sentences the services refuse with (merged into
vault.web.i18n). A hold is 冻结, a destruction batch 销毁批次, appraisal 鉴定."""

ZH: dict[str, str] = {
    # the front page
    "Retention and destruction": "保管期限与销毁",
    "Data released to outside units": "对外提供数据登记",
    # the appraisal list
    "Folders due for appraisal": "到期待鉴定案卷",
    "{n} folders are due for appraisal.": "共有 {n} 卷案卷已到鉴定期。",
    "A folder held, or asked for by an open request, cannot be destroyed until that ends. "
    "A destruction needs the approval of {n} members of the archives leading group.": (
        "被冻结或有未结借阅申请的案卷，在冻结解除或申请结束前不得销毁。"
        "销毁须经档案工作领导小组 {n} 名成员批准。"
    ),
    "Choose": "选择",
    "Retention": "保管期限",
    "Due for appraisal": "鉴定日期",
    "Held": "冻结情况",
    "Destruction batch": "销毁批次",
    "No folder is due for appraisal.": "没有到鉴定期的案卷。",
    "New destruction batch of the folders chosen": "用所选案卷新建销毁批次",
    "Every folder due for appraisal that nothing holds": "所有已到鉴定期且未被冻结的案卷",
    "Retention periods nobody can read": "无法识别的保管期限",
    "These folders have no appraisal date until their retention period is corrected.": (
        "这些案卷的保管期限无法识别，更正之前没有鉴定日期。"
    ),
    # holds
    "Holds": "冻结",
    "Hold": "冻结编号",
    "Hold a folder": "冻结案卷",
    "A held folder cannot be destroyed until the hold is lifted. "
    "A request still open for a folder holds it too.": (
        "被冻结的案卷在解除冻结前不得销毁。有未结借阅申请的案卷同样视为冻结。"
    ),
    "Placed by": "冻结人",
    "Lift": "解除冻结",
    "Why it is lifted": "解除原因",
    "No folder is held.": "没有被冻结的案卷。",
    "Folder code": "案卷编号",
    "Reason": "原因",
    "Place the hold": "冻结",
    # destruction batches
    "Destruction batches": "销毁批次",
    "Batch": "批次",
    "Made": "建立时间",
    "Made by": "建立人",
    "Destruction site": "销毁地点",
    "Status": "状态",
    "Destroyed on": "销毁日期",
    "No destruction batches yet.": "尚无销毁批次。",
    "New destruction batch": "新建销毁批次",
    "retention period expired": "保管期限已满",
    "Supervisors (one per line)": "监销人（每行一人）",
    "Folder codes": "案卷编号",
    "Make the batch": "建立批次",
    "Destruction batch {n}": "销毁批次 {n}",
    "Supervisors": "监销人",
    "Confirmed by": "确认人",
    "Destruction certificate": "销毁证明",
    "Decisions of the archives leading group": "档案工作领导小组的审批意见",
    "Leader": "领导",
    "Decision": "决定",
    "Opinion": "意见",
    "No decisions yet.": "尚无审批意见。",
    "Take out": "移出",
    "Year": "年度",
    "Stops the destruction": "阻止销毁的原因",
    "Add folders (codes)": "加入案卷（编号）",
    "Save the batch": "保存批次",
    "Once a member of the leading group has decided, the batch can no longer be changed.": (
        "领导小组成员作出决定后，批次不得再更改。"
    ),
    "Your decision": "您的决定",
    "Approve the destruction": "同意销毁",
    "Refuse": "不同意",
    "Confirm the destruction": "确认已销毁",
    "After the pulping, with the supervisors: every folder must still be on its shelf and "
    "not held.": "在监销人监督下化浆销毁后确认：每卷案卷都必须仍在架上且未被冻结。",
    # where a batch stands
    "draft": "草稿",
    "approved": "已批准",
    "refused": "已拒绝",
    "issued to a reader": "已借给读者",
    "in the reading room": "在阅览室",
    "outside the warehouse": "在库房外",
    # the register of data released outside
    "Unit": "单位",
    "Letter": "来函",
    "Letter number": "来函编号",
    "Letter dated": "来函日期",
    "Purpose": "用途",
    "What was provided": "提供内容",
    "Approved by": "批准领导",
    "Approving leader": "批准领导",
    "Seal confirmed by": "公章核验人",
    "Provided on": "提供日期",
    "Recorded": "登记时间",
    "Nothing registered.": "暂无登记。",
    "Register data provided to an outside unit": "登记对外提供的数据",
    "I have seen the unit's official seal on the letter": "我已核验来函上的单位公章",
    "Add to the register": "登记",
    # refusals of the services
    "nobody is named in the archives leading group: name its members in the configuration, "
    "[approvals] leading_group": (
        "档案工作领导小组没有成员：请在配置文件 [approvals] 的 leading_group 中列出其成员"
    ),
    "a hold needs a reason (an investigation, a pending request, …)": (
        "冻结须说明原因（调查、待办申请等）"
    ),
    "a hold needs the name of who places it": "冻结须写明冻结人",
    "lifting a hold needs a note saying why": "解除冻结须说明原因",
    "name at least one supervisor of the destruction": "请至少写明一名监销人",
    "a destruction batch needs its reason (e.g. retention period expired)": (
        "销毁批次须写明原因（如：保管期限已满）"
    ),
    "a destruction batch needs the site where the folders are pulped": "销毁批次须写明销毁地点",
    "a destruction batch needs at least one folder": "销毁批次至少须有一卷案卷",
    "a decision on a destruction needs a written opinion": "对销毁的决定须写明意见",
    "choose whether to approve or refuse the destruction": "请选择同意或不同意销毁",
    "the confirmation needs the name of who confirms it": "确认销毁须写明确认人",
    "only a batch confirmed destroyed has a destruction certificate": (
        "只有已确认销毁的批次才有销毁证明"
    ),
    "this batch was already confirmed destroyed": "此批次已确认销毁",
    "this batch was refused: it is never destroyed": "此批次已被拒绝：不得销毁",
    "confirm that the letter carries the unit's official seal": "请确认来函盖有该单位公章",
    "the register needs the unit the data is provided to": "登记须写明接收数据的单位",
    "the register needs the number of the unit's letter": "登记须写明来函编号",
    "the register needs the purpose the unit gives": "登记须写明用途",
    "the register needs what was provided": "登记须写明提供内容",
    "the register needs the name of who records the release": "登记须写明登记人",
}

PATTERNS: list[tuple[str, str]] = [
    # vault/domain/destruction.py
    (r"(?P<code>\S+) is held: (?P<reasons>.+)", "{code} 已被冻结：{reasons}"),
    (
        r"(?P<code>\S+) is asked for by open request (?P<numbers>[\d, ]+)",
        "{code} 有未结的借阅申请 {numbers}",
    ),
    (r"(?P<code>\S+) was already destroyed", "{code} 已经销毁"),
    (
        r"(?P<code>\S+) has no appraisal date: it is kept permanently",
        "{code} 没有鉴定日期：永久保存",
    ),
    (
        r"(?P<code>\S+) is not due for appraisal until (?P<day>[\d-]+)",
        "{code} 要到 {day} 才到鉴定期",
    ),
    (r"(?P<code>\S+) is not on its shelf: it is (?P<problem>.+)", "{code} 不在架上：{problem}"),
    (
        r"(?P<who>.+) is not a member of the archives leading group",
        "{who} 不是档案工作领导小组成员",
    ),
    (r"(?P<who>.+) has already decided on this batch", "{who} 已对此批次作出决定"),
    (
        r"awaiting approvals \((?P<have>\d+) of (?P<need>\d+)\)",
        "待批准（已 {have} 人，须 {need} 人）",
    ),
    (
        r"this batch needs (?P<need>\d+) approvals by the archives leading group "
        r"\((?P<have>\d+) recorded\)",
        "此批次须经档案工作领导小组 {need} 人批准（已有 {have} 人）",
    ),
    (r"the destruction date (?P<day>[\d-]+) is in the future", "销毁日期 {day} 晚于今天"),
    (
        r"the destruction date (?P<day>[\d-]+) is before the approval on (?P<approved>[\d-]+)",
        "销毁日期 {day} 早于批准日期 {approved}",
    ),
    # vault/services/destruction.py, holds.py, releases.py and the pages' forms
    (r"and (?P<n>\d+) more", "另有 {n} 项"),
    (r"no folder '(?P<code>.*)' is registered", "没有登记编号为“{code}”的案卷"),
    (
        r"(?P<code>\S+) is already in destruction batch (?P<n>\d+)",
        "{code} 已在销毁批次 {n} 中",
    ),
    (r"there is no destruction batch (?P<n>\d+)", "没有编号为 {n} 的销毁批次"),
    (
        r"destruction batch (?P<n>\d+) has decisions of the leading group: "
        r"it can no longer be changed",
        "销毁批次 {n} 已有领导小组的决定：不得再更改",
    ),
    (r"destruction batch (?P<n>\d+) is refused: it is closed", "销毁批次 {n} 已被拒绝：已结束"),
    (r"destruction batch (?P<n>\d+) is destroyed: it is closed", "销毁批次 {n} 已销毁：已结束"),
    (
        r"destruction batch (?P<n>\d+) has not been confirmed destroyed",
        "销毁批次 {n} 尚未确认销毁",
    ),
    (r"there is no hold (?P<n>\d+)", "没有编号为 {n} 的冻结"),
    (r"hold (?P<n>\d+) was already lifted by (?P<who>.+)", "冻结 {n} 已由{who}解除"),
    (r"the date provided (?P<day>[\d-]+) is in the future", "提供日期 {day} 晚于今天"),
    (
        r"the letter is dated (?P<day>[\d-]+), after the data was provided",
        "来函日期 {day} 晚于数据提供日期",
    ),
    (
        r"'(?P<name>.*)' is not a leader's account: name the leader who approved",
        "“{name}”不是领导账户：请选择批准的领导",
    ),
    (
        r"the destruction date '(?P<text>.*)' is not a date \(YYYY-MM-DD\)",
        "销毁日期“{text}”不是日期（年-月-日）",
    ),
    (
        r"the letter's date '(?P<text>.*)' is not a date \(YYYY-MM-DD\)",
        "来函日期“{text}”不是日期（年-月-日）",
    ),
    (
        r"the date provided '(?P<text>.*)' is not a date \(YYYY-MM-DD\)",
        "提供日期“{text}”不是日期（年-月-日）",
    ),
    # the certificate (vault/services/destruction_records.py) and the reports' lines
    (r"Destruction certificate no\. (?P<n>\d+)", "销毁证明 第 {n} 号"),
    (r"Destruction site: (?P<site>.*)", "销毁地点：{site}"),
    (r"Destroyed on: (?P<day>[\d-]+)", "销毁日期：{day}"),
    (r"Reason: (?P<reason>.*)", "销毁原因：{reason}"),
    (r"Supervisors: (?P<names>.*)", "监销人：{names}"),
    (
        r"Approved by (?P<who>.+?) at (?P<at>[\d-]+ [\d:]+): (?P<opinion>.*)",
        "{who} 于 {at} 批准：{opinion}",
    ),
    (r"Confirmed by (?P<who>.+?) at (?P<at>[\d-]+ [\d:]+)", "{who} 于 {at} 确认销毁"),
    (r"Note: (?P<note>.*)", "备注：{note}"),
    (r"Folders destroyed: (?P<n>\d+)", "销毁案卷：{n} 卷"),
    (r"Supervisor (?P<who>.+), signature: (?P<line>_+)", "监销人 {who}，签字：{line}"),
    (r"Due on or before (?P<day>[\d-]+)", "鉴定日期在 {day} 或之前"),
    (r"Units matching: (?P<unit>.*)", "单位名称含：{unit}"),
]
