"""The requests pages' words in Chinese, and the sentences the requests, letters and the desk's
second-person confirmation say (merged into vault.web.i18n)."""

ZH: dict[str, str] = {
    # the list
    "Requests": "借阅申请",
    "Show requests": "筛选借阅申请",
    "All": "全部",
    "Waiting for my approval": "待我审批",
    "New request": "新建借阅申请",
    "Request": "借阅申请",
    "Folders": "案卷",
    "Purpose": "用途",
    "Valid dates": "有效期",
    "No request to show.": "没有可显示的借阅申请。",
    # statuses of a request and of its folders
    "waiting for approval": "待审批",
    "approved": "已批准",
    "withdrawn": "已撤回",
    "ended": "已过期",
    "closed": "已结束",
    "head of the unit": "单位主要负责人",
    # one request
    "Recorded by": "登记人",
    "Withdrawn": "撤回时间",
    "Introduction letter": "介绍信",
    "Unit": "单位",
    "Letter number": "介绍信编号",
    "Letter date": "介绍信日期",
    "Letter valid until": "介绍信有效期至",
    "Covers": "查阅范围",
    "Seal confirmed by": "公章核验人",
    "Approvals": "审批",
    "back in the warehouse": "已回库",
    "Decisions": "审批意见",
    "No leader has decided yet.": "尚无领导审批。",
    "Your decision": "您的审批",
    "Folders this decision names": "本次审批涉及的案卷",
    "Written opinion": "书面意见",
    "Approve the ticked folders": "批准所选案卷",
    "Refuse the ticked folders": "不批准所选案卷",
    "You have decided on this request.": "您已审批此借阅申请。",
    "Withdraw this request": "撤回此借阅申请",
    "Request {id} was recorded.": "借阅申请 {id} 已登记。",
    "Your decision on request {id} was recorded.": "您对借阅申请 {id} 的审批已记录。",
    "Request {id} was withdrawn.": "借阅申请 {id} 已撤回。",
    # the form
    "a member of staff": "本单位工作人员",
    "a visitor from another unit, with an introduction letter": "外单位人员（持介绍信）",
    "Reader's name": "借阅者姓名",
    "Folders and purpose": "案卷和用途",
    "Folder codes, one per line or separated by spaces": "案卷编号（每行一个，或以空格分隔）",
    "First day": "起始日期",
    "Last day": "截止日期",
    "Introduction letter (a visitor only)": "介绍信（仅外单位人员填写）",
    "Folders or subjects the letter covers, one per line": "介绍信所列案卷或事项（每行一项）",
    "I have seen the unit's official seal on the letter": "我已核验介绍信上的单位公章",
    "Record the request": "登记借阅申请",
    "Folders at confidential or above leave the warehouse only when the leaders named in the "
    "configuration have approved them; a visitor's request always needs a leader's approval.": (
        "秘密及以上密级的案卷须经配置中规定的领导批准后方可出库；外单位人员的借阅申请一律须经领导批准。"
    ),
    # the desk's second member of staff
    "This folder is issued only when a second member of staff confirms: they type their own "
    "username and password here.": (
        "此案卷须由第二名工作人员确认后方可借出：请其在此输入本人的用户名和密码。"
    ),
    "Second member of staff": "第二名工作人员",
    "Confirm and issue": "确认并借出",
    "Cancel": "取消",
    "the second member of staff must give their username and password": (
        "第二名工作人员须输入本人的用户名和密码"
    ),
    "too many wrong passwords for this account: wait and try again": (
        "此账户密码错误次数过多：请稍后再试"
    ),
    "the second member of staff's username or password is not right, or they are not an "
    "active archivist or leader: nothing was issued": (
        "第二名工作人员的用户名或密码不正确，或其不是在用的档案管理员或领导账户：案卷未借出"
    ),
    # the services' refusals
    "a request needs the reader's name": "借阅申请须填写借阅者姓名",
    "a request needs its purpose": "借阅申请须填写用途",
    "the request ends before it starts": "借阅申请的截止日期早于起始日期",
    "name at least one folder code": "请至少填写一个案卷编号",
    "the leader's decision needs a written opinion": "领导审批须填写书面意见",
    "the leader's approval needs a written opinion": "领导批准须填写书面意见",
    "tick at least one folder of the request": "请至少勾选申请中的一个案卷",
    "choose to approve or to refuse": "请选择批准或不批准",
    "a visitor's letter needs the unit's name and the letter's number": (
        "外单位人员的介绍信须填写单位名称和介绍信编号"
    ),
    "the archivist must confirm the official seal on the visitor's letter": (
        "档案管理员须核验外单位介绍信上的公章"
    ),
    "the letter must name the folders or subjects it covers": "介绍信须写明所查阅的案卷或事项",
    "the letter runs out before it was written": "介绍信的有效期早于其开具日期",
}

_DATES = {
    "the first day": "起始日期",
    "the last day": "截止日期",
    "the letter's date": "介绍信日期",
    "the letter's last day": "介绍信有效期",
}

PATTERNS: list[tuple[str, str]] = [
    (r"not registered: (?P<codes>.+)", "未登记：{codes}"),
    (r"destroyed, never issued again: (?P<codes>.+)", "已销毁，不得再借出：{codes}"),
    (r"there is no request (?P<id>\d+)", "没有编号为 {id} 的借阅申请"),
    (r"request (?P<id>\d+) was already withdrawn", "借阅申请 {id} 已撤回"),
    (
        r"request (?P<id>\d+) is withdrawn: it can no longer be decided",
        "借阅申请 {id} 已撤回，不能再审批",
    ),
    (
        r"request (?P<id>\d+) is closed: it can no longer be decided",
        "借阅申请 {id} 已结束，不能再审批",
    ),
    (
        r"request (?P<id>\d+) is ended: it can no longer be decided",
        "借阅申请 {id} 已过期，不能再审批",
    ),
    (r"(?P<who>.+?) has already decided on request (?P<id>\d+)", "{who} 已审批过借阅申请 {id}"),
    (r"request (?P<id>\d+) does not ask for (?P<codes>.+)", "借阅申请 {id} 不包括 {codes}"),
    (
        r"the archivist recording a request needs the username of an active archivist, "
        r"not '(?P<name>.*)'",
        "登记借阅申请须使用在用的档案管理员用户名，而不是“{name}”",
    ),
    (
        r"an approval needs the username of an active leader, not '(?P<name>.*)'",
        "审批须使用在用的领导用户名，而不是“{name}”",
    ),
    (r"the letter is dated (?P<day>[\d-]+), after today", "介绍信的日期是 {day}，晚于今天"),
    (r"the letter ran out on (?P<day>[\d-]+)", "介绍信已于 {day} 过期"),
    *(
        (
            rf"{english} must be a date written as 2026-04-30, not '(?P<text>.*)'",
            f"{chinese}须按 2026-04-30 的格式填写，而不是“{{text}}”",
        )
        for english, chinese in _DATES.items()
    ),
]
