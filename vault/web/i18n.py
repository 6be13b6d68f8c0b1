"""The pages' two languages: Simplified Chinese and English, chosen per person.

Templates write English and wrap it: `{{_("Sign in")}}`. The English text is the key of the
Chinese catalog, so a template reads naturally and a missing entry shows English, never a blank
(a unit test lists every `_("…")` in the templates and fails if the Chinese catalog lacks one).
Besides the pages' own words, `translate` knows the fixed words the services hand to pages
(alarm rules, event kinds, folder states, station kinds and statuses, classifications, roles)
and, by pattern, the sentences the rules and the desk build with names in them. Anything else
(a folder title, a name, a message nobody wrote a pattern for) is shown as it is.

Which language: the signed-in person's own setting; before sign-in, `?lang=`, then the
browser's Accept-Language, then Chinese. Nothing here reads a request: the web layer
(`vault.web.render`) passes the values in.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from vault.web import (
    catalog_destruction,
    catalog_reports,
    catalog_requests,
    catalog_rules,
    catalog_stocktake,
)

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
HTML_LANG = {"zh": "zh-CN", "en": "en"}

# Identifiers the services return, as the English a person reads. Identifiers of different
# kinds never collide except where the word means the same ("issued" the event and the state).
TERMS: dict[str, str] = {
    # folder states
    "shelved": "shelved",
    "in_reading_room": "in the reading room",
    "issued": "issued",
    "outside": "outside",
    # custody event kinds
    "left_warehouse": "left warehouse",
    "returned_to_warehouse": "returned to warehouse",
    "checked_in": "checked in",
    "left_reading_room": "left reading room",
    "back_in_reading_room": "back in reading room",
    "seen": "seen",
    "unknown_code": "unknown code",
    "void_label": "void label",
    "refused": "refused",
    "selected_for_tag": "selected for tag",
    "tag_recorded": "tag recorded",
    # station kinds
    "warehouse_door": "warehouse door",
    "reading_desk": "reading-room desk",
    "reading_exit": "reading-room exit",
    "handheld": "handheld",
    "label_bench": "label bench",
    "portal_reader": "portal reader",
    # station statuses
    "connected": "connected",
    "disconnected": "disconnected",
    "offline": "offline",
    "unknown": "unknown",
    # classifications (the markings 秘密★ … are never translated: the bureau writes them so)
    "public": "public",
    "internal": "internal",
    "confidential": "confidential",
    "secret": "secret",
    "top_secret": "top secret",
    # severities
    "warning": "warning",
    "critical": "critical",
    # roles
    "archivist": "archivist",
    "security": "security",
    "leader": "leader",
    "administrator": "administrator",
    "kiosk": "guard-room screen",
}

ZH: dict[str, str] = {
    # base, sign-in, front page, errors, the guard-room screen's link
    "Vault": "档案流转监控",
    "Sign in": "登录",
    "Sign out": "退出登录",
    "Sign in to Vault": "登录档案流转监控系统",
    "Username": "用户名",
    "Password": "密码",
    "Language": "语言",
    "Signed in as {name}": "当前用户：{name}",
    "There are no pages for the role {role} yet.": "角色“{role}”暂无可用页面。",
    "Back to the alarm board": "返回告警看板",
    "Back to Vault's front page": "返回首页",
    "Guard-room screen": "值班室大屏",
    "Sign in this screen": "登录本屏幕",
    "This screen will show the alarm board as {account} for 30 days. "
    "It can only watch the board and acknowledge alarms.": (
        "本屏幕将以“{account}”身份显示告警看板，有效期 30 天。它只能查看看板和确认告警。"
    ),
    "Show the alarm board on this screen": "在本屏幕显示告警看板",
    "403 Forbidden": "403 禁止访问",
    "404 Not Found": "404 页面不存在",
    "405 Method Not Allowed": "405 不允许的请求方法",
    "500 Internal Server Error": "500 服务器内部错误",
    # the alarm board, the desk and the alarm history (their text and their scripts' words)
    "Open alarms": "未处理告警",
    "No open alarms.": "没有未处理的告警。",
    "Live": "实时",
    "Live updates start when scripts run; without them this page refreshes every 5 seconds.": (
        "脚本运行后页面实时更新；未运行脚本时每 5 秒自动刷新一次。"
    ),
    "Connection to Vault lost; reconnecting…": "与系统的连接已断开，正在重新连接…",
    "Alarm tone armed": "告警提示音已开启",
    "Arm the alarm tone for this shift": "本班次开启告警提示音",
    "Silence the tone": "关闭提示音",
    "Time": "时间",
    "Alarm": "告警",
    "Folder": "案卷",
    "Title": "题名",
    "Classification": "密级",
    "Severity": "级别",
    "Station": "站点",
    "Stations": "站点",
    "Last holder": "最后借阅者",
    "Why": "原因",
    "Acknowledge": "确认",
    "Acknowledged": "确认时间",
    "By": "确认人",
    "Note": "备注",
    "Your name": "您的姓名",
    "What was done": "处理情况",
    "frames": "帧数",
    "reads": "读取数",
    "rejected": "拒收帧",
    "backlog": "积压",
    "last read": "最近读取",
    "Search": "搜索",
    "folder code, title, note or who": "案卷编号、题名、备注或人员",
    "any": "全部",
    "From": "起",
    "To": "止",
    "Export CSV": "导出 CSV",
    "Older alarms": "更早的告警",
    "No acknowledged alarms match.": "没有符合条件的已确认告警。",
    "Desk": "借阅台",
    "Desk stations": "借阅台站点",
    "Reader": "借阅者",
    "Serving reader": "当前借阅者",
    "any reader (the approved one)": "任一借阅者（按审批）",
    "Scan": "扫描",
    "Scan a folder's label to issue it to the reader, and again to take it back. "
    "A reader's card carries READER: and the name (READER:张华); scanning it serves that "
    "reader.": (
        "扫描案卷标签即借给当前借阅者，再扫描一次即收回。借阅证上印有 READER: 和姓名"
        "（READER:张华），扫描借阅证即切换为为该借阅者服务。"
    ),
    "Accepted": "已受理",
    "Refused": "已拒绝",
    "serial scanner": "串口扫描枪",
    "holder": "借阅者",
    "Vault did not answer: scan again": "系统没有响应：请重新扫描",
    "The desk needs scripts to answer scans.": "借阅台页面需要运行脚本才能响应扫描。",
    "The serial scanner's scans appear here when scripts run.": (
        "脚本运行后，串口扫描枪的扫描结果显示在这里。"
    ),
    "You are watching this desk; only archivists scan.": (
        "您正在查看此借阅台；只有档案管理员可以扫描。"
    ),
    "No reading-room desk station is configured: add a station of kind reading_desk.": (
        "尚未配置阅览室借阅台站点：请添加一个 kind 为 reading_desk 的站点。"
    ),
    "…": "…",
    # the register: the search, a folder's page, the folders out and overdue
    "Register": "案卷登记簿",
    "Outside the warehouse now": "当前出库案卷",
    "Overdue": "逾期未还",
    "Code begins with": "编号开头",
    "Title contains": "题名包含",
    "Location": "存放位置",
    "State": "状态",
    "No folders found on this page yet.": "本页暂未找到案卷。",
    "No folders match.": "没有符合条件的案卷。",
    "The search stopped early to stay fast: continue searching": (
        "为保证速度，搜索已提前暂停：继续搜索"
    ),
    "Next page": "下一页",
    "Code": "编号",
    "Holder": "借阅者",
    "Last read": "最近读取",
    "Event": "事件",
    "Request valid until": "申请有效期至",
    "no approved request": "没有已批准的借阅申请",
    "the request has ended": "借阅申请已到期",
    "Folders out of the warehouse on no approved request, or on one that ended before today.": (
        "不在库房、且没有已批准的借阅申请或申请已在今天之前到期的案卷。"
    ),
    "None.": "无。",
    "Where it is now": "当前位置",
    "Shelf location": "库位",
    "Approved request": "已批准的借阅申请",
    "Label history": "标签记录",
    "Generation": "版次",
    "Barcode": "条码",
    "Printed": "打印时间",
    "Valid": "是否有效",
    "valid": "有效",
    "void": "作废",
    "No label has been printed for this folder.": "此案卷尚未打印标签。",
    "Custody timeline": "流转记录",
    "{count} events": "共 {count} 条",
    "Person": "人员",
    "State after": "之后状态",
    "Read": "读取内容",
    "Nothing has been read of this folder yet.": "此案卷尚无读取记录。",
    "Older events": "更早的记录",
    "That page of the timeline is not this folder's.": "该页流转记录不属于此案卷。",
    "No folder with the code {code} is in the register.": "登记簿中没有编号为 {code} 的案卷。",
    # pages of the front page's list
    "Alarm board": "告警看板",
    "Alarm history": "告警历史",
    "Custody history": "流转记录",
    # alarm rules
    "left the reading room": "带出阅览室",
    "removed without approval": "未经审批出库",
    "void label read": "读到作废标签",
    "station offline": "站点离线",
    "issue to the wrong reader": "借给非审批借阅者",
    # folder states
    "shelved": "在库",
    "in the reading room": "在阅览室",
    "issued": "已借出",
    "outside": "已带出",
    # custody event kinds
    "left warehouse": "出库",
    "returned to warehouse": "回库",
    "checked in": "已收回",
    "left reading room": "带出阅览室",
    "back in reading room": "带回阅览室",
    "seen": "盘点读到",
    "unknown code": "未登记编码",
    "void label": "作废标签",
    "refused": "已拒绝",
    "selected for tag": "待录入标签",
    "tag recorded": "已录入标签",
    # station kinds and statuses
    "warehouse door": "库房门",
    "reading-room desk": "阅览室借阅台",
    "reading-room exit": "阅览室出口",
    "handheld": "手持终端",
    "label bench": "标签工作台",
    "portal reader": "门禁读写器",
    "connected": "已连接",
    "disconnected": "已断开",
    "offline": "离线",
    "unknown": "未知",
    # classifications, severities, roles
    "public": "公开",
    "internal": "内部",
    "confidential": "秘密",
    "secret": "机密",
    "top secret": "绝密",
    "warning": "一般",
    "critical": "严重",
    "archivist": "档案管理员",
    "security": "保卫人员",
    "leader": "领导",
    "administrator": "系统管理员",
    "guard-room screen": "值班室大屏",
    # fixed sentences from the services
    "no approved request covers this folder today": "今天没有已批准的借阅申请涵盖此案卷",
    "not in the register": "未登记",
    "taken back at the desk": "已在借阅台收回",
    "nothing was scanned": "没有扫描到内容",
    "answering again": "已恢复应答",
    "bridge stopped": "采集程序已停止",
    "not opened yet": "尚未打开",
    "write a note saying what was done before acknowledging the alarm": (
        "确认告警前请填写备注，说明处理情况"
    ),
    "write your name: the guard-room screen is shared": "请填写您的姓名：值班室大屏是共用的",
    "a reprint replaced this label": "该标签已被重新打印的标签取代",
    "this sign-in link was used already": "此登录链接已被使用",
    "this sign-in link is not valid: it was used already or is more than 10 minutes old. "
    "Ask an administrator for a new one.": (
        "此登录链接无效：它已被使用，或已超过 10 分钟。请向系统管理员索取新的链接。"
    ),
    "This sign-in link is not valid: it was used already or is more than 10 minutes old. "
    "Ask an administrator for a new one (`vault user kiosk-link`).": (
        "此登录链接无效：它已被使用，或已超过 10 分钟。"
        "请向系统管理员索取新的链接（`vault user kiosk-link`）。"
    ),
    # the administration pages (vault/web/admin.py) and the accounts' messages they show
    "Administration": "系统管理",
    "Users": "用户",
    "Site": "本单位",
    "Site name": "单位名称",
    "GS1 company prefix": "GS1 厂商识别代码",
    "not set": "未设置",
    "Time zone": "时区",
    "this computer's": "本机时区",
    "Database": "数据库",
    "Opening time": "开馆时间",
    "Closing time": "闭馆时间",
    "The alarm for folders still outside the warehouse at closing time is not built yet; "
    "it will use the closing time above.": (
        "闭馆时案卷仍未回库的告警尚未实现；实现后将使用上面的闭馆时间。"
    ),
    "Connection to Vault lost; retrying…": "与系统的连接已断开，正在重试…",
    "Live: the figures refresh every {seconds} seconds.": "实时：数据每 {seconds} 秒刷新一次。",
    "Health as the bridge last reported it; this page refreshes itself.": (
        "以下为采集程序最近一次上报的状态；本页会自动刷新。"
    ),
    "Kind": "类型",
    "Port": "端口",
    "Baud": "波特率",
    "Protocol": "协议",
    "Options": "选项",
    "Heartbeat": "心跳",
    "Repeat window": "重复读取窗口",
    "Status": "状态",
    "Detail": "详情",
    "lost": "丢失帧",
    "Reported at": "上报时间",
    "off": "关闭",
    "No stations are configured.": "尚未配置任何站点。",
    "Portals": "门禁通道",
    "Portal": "门禁通道",
    "Inside reader": "内侧读写器",
    "Outside reader": "外侧读写器",
    "Window": "判定窗口",
    "Label stocks": "标签纸规格",
    "Name": "名称",
    "Source": "来源",
    "Page": "纸张",
    "Labels across × down": "每页标签（横 × 纵）",
    "Label size": "标签尺寸",
    "In use": "使用中",
    "in use": "使用中",
    "published": "标准规格",
    "configured": "自定义规格",
    "Configuration file": "配置文件",
    "Stations, portals, label stocks, the opening hours and the site's name and GS1 prefix "
    "are set in this file. Vault reads it when it starts: restart `vault serve` and "
    "`vault bridge` after changing it.": (
        "站点、门禁通道、标签纸规格、开闭馆时间以及单位名称和 GS1 厂商识别代码都在此文件中设置。"
        "系统在启动时读取该文件：修改后请重启 `vault serve` 和 `vault bridge`。"
    ),
    "Role": "角色",
    "Account": "账户状态",
    "Last sign-in": "最近登录",
    "Actions": "操作",
    "active": "启用",
    "disabled": "已停用",
    "signs in by link": "通过链接登录",
    "Make a sign-in link": "生成登录链接",
    "Set a new password": "设置新密码",
    "New password": "新密码",
    "Again": "再次输入",
    "Set password": "设置密码",
    "Disable and sign out": "停用并注销登录",
    "Add a user": "添加用户",
    "Initial password": "初始密码",
    "Add": "添加",
    "Passwords have at least 10 characters. A guard-room screen needs no password: add it "
    "with the role guard-room screen, then make its sign-in link.": (
        "密码至少 10 个字符。值班室大屏不需要密码：以“值班室大屏”角色添加，然后生成登录链接。"
    ),
    "Sign-in link for the screen {user}": "屏幕 {user} 的登录链接",
    "Open this link on the guard-room screen within 10 minutes; it works once. "
    "It is shown only now.": (
        "请在 10 分钟内在值班室大屏上打开此链接；链接只能使用一次，且仅在此显示一次。"
    ),
    "{user} was added.": "已添加 {user}。",
    "The password of {user} was changed; their sessions have ended.": (
        "{user} 的密码已更改；其所有登录会话已结束。"
    ),
    "{user} is disabled; their sessions have ended.": "{user} 已停用；其所有登录会话已结束。",
    "the two passwords differ; nothing was changed": "两次输入的密码不一致；未做任何更改",
    "the password is too short: use at least 10 characters": "密码太短：请至少使用 10 个字符",
    "the password must not be the username": "密码不能与用户名相同",
    "you cannot disable your own account: another administrator can": (
        "不能停用自己的账户：请由其他系统管理员操作"
    ),
}

# Sentences built with names in them: (English pattern, Chinese template). Groups named
# `problem` or `detail` are sentences themselves and are translated in turn.
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), t)
    for p, t in [
        # vault/domain/rules.py
        (
            r"void label read at (?P<station>.+?): (?P<problem>.+); "
            r"the current label is the only valid one",
            "在 {station} 读到作废标签：{problem}；只有当前标签有效",
        ),
        (r"void label: (?P<problem>.+)", "作废标签：{problem}"),
        (r"the label generation in '(?P<code>.*)' cannot be read", "无法识别“{code}”中的标签版次"),
        (
            r"label generation (?P<old>\d+) was voided when generation (?P<new>\d+) was printed",
            "第 {old} 版标签已在打印第 {new} 版时作废",
        ),
        (
            r"label generation (?P<old>\d+) was never recorded as printed \(current (?P<new>\d+)\)",
            "第 {old} 版标签没有打印记录（当前为第 {new} 版）",
        ),
        (
            r"read at the reading-room exit (?P<station>.+?), last issued to (?P<holder>.+); "
            r"folders are never taken out",
            "在阅览室出口 {station} 读到，最后借给{holder}；案卷一律不得带出",
        ),
        (
            r"read at the reading-room exit (?P<station>.+?); folders are never taken out",
            "在阅览室出口 {station} 读到；案卷一律不得带出",
        ),
        (
            r"issued to (?P<holder>.+?), not (?P<reader>.+?): take it back from (?P=holder)",
            "已借给{holder}，不是{reader}：请从{holder}处收回",
        ),
        (
            r"offered at (?P<station>.+?) to (?P<reader>.+?); "
            r"the request approves (?P<approved>.+) only",
            "在 {station} 拟借给{reader}；申请只批准借给{approved}",
        ),
        (
            r"approved for (?P<approved>[^;]+?), not (?P<reader>[^;]+)",
            "批准借给{approved}，不是{reader}",
        ),
        (
            r"read at (?P<station>.+?) on its way out of the warehouse with no approved request",
            "在 {station} 读到出库，但没有已批准的借阅申请",
        ),
        # vault/services/desk.py
        (r"issued to (?P<holder>[^;]+)", "已借给{holder}"),
        (
            r"'(?P<station>.+)' is not a reading-room desk station",
            "“{station}”不是阅览室借阅台站点",
        ),
        (
            r"no reader named '(?P<name>.+)' has asked for folders",
            "没有名为“{name}”的借阅者提出过借阅申请",
        ),
        # vault/services/stations.py and the bridge's station health
        (
            r"station (?P<station>.+?) is offline: (?P<detail>.+); folders passing it are not seen",
            "站点 {station} 离线：{detail}；经过该站点的案卷无法被记录",
        ),
        (r"station (?P<station>.+) answered again", "站点 {station} 已恢复应答"),
        (
            r"port unavailable for (?P<seconds>\d+) s: (?P<detail>.+)",
            "端口已 {seconds} 秒不可用：{detail}",
        ),
        (
            r"silent for (?P<seconds>\d+) s \(heartbeat expected every (?P<beat>[\d.e+-]+) s\)",
            "已 {seconds} 秒无信号（应每 {beat} 秒一次心跳）",
        ),
        # vault/services/alarms.py and the web pages
        (r"there is no alarm (?P<id>\d+)", "没有编号为 {id} 的告警"),
        (r"alarm (?P<id>\d+) was already acknowledged", "告警 {id} 已经确认过了"),
        (
            r"This page is not open to your role \((?P<role>.+)\)\.",
            "您的角色（{role}）无权打开此页面。",
        ),
        (r"Not found: '(?P<path>.*)'", "页面不存在：{path}"),
        (
            r"Too many failed sign-ins for this account or from this computer: "
            r"wait (?P<seconds>\d+) seconds and try again\.",
            "此账户或此计算机登录失败次数过多：请等待 {seconds} 秒后再试。",
        ),
        # vault/services/accounts.py and sessions.py, shown on the users page
        (r"there is already a user named '(?P<name>.*)'", "已有名为“{name}”的用户"),
        (r"there is no user named '(?P<name>.*)'", "没有名为“{name}”的用户"),
        (
            r"'(?P<name>.*)' cannot be a username: use 1 to 40 lower-case letters, digits, "
            r"'\.', '_' or '-', starting with a letter or digit",
            "“{name}”不能作为用户名：请使用 1 至 40 个小写字母、数字、“.”、“_”或“-”，"
            "并以字母或数字开头",
        ),
        (
            r"'(?P<name>.*)' is a guard-room screen: it signs in by link, not password",
            "“{name}”是值班室大屏：它通过链接登录，不使用密码",
        ),
        (
            r"there is no guard-room screen account '(?P<name>.*)': "
            r"create one with `vault user kiosk (?P=name)`",
            "没有名为“{name}”的值班室大屏账户",
        ),
        (r"the screen account '(?P<name>.*)' is disabled", "大屏账户“{name}”已停用"),
    ]
]
NESTED = ("problem", "detail")

# Each area of the pages keeps its own words in a catalog module of its own (`catalog_*.py`:
# `ZH`, and `PATTERNS` as (regular expression, template) pairs), merged here.
for _area in (
    catalog_rules,
    catalog_reports,
    catalog_requests,
    catalog_stocktake,
    catalog_destruction,
):
    ZH.update(_area.ZH)
    TERMS.update(getattr(_area, "TERMS", {}))
    PATTERNS.extend((re.compile(rx), template) for rx, template in getattr(_area, "PATTERNS", ()))


def translate(text: str, lang: str) -> str:
    """`text` in `lang`: a catalog entry, a known identifier, a known sentence, or as is."""
    english = TERMS.get(text, text)
    if lang != "zh":
        return english
    found = ZH.get(english)
    if found is not None:
        return found
    return _sentence(english)


def _sentence(text: str) -> str:
    """A sentence in Chinese: a catalog entry, a pattern, or sentences joined by "; " (the desk
    joins its answer and the alarms' reasons); as is when any part is unknown."""
    found = ZH.get(text) or _pattern(text)
    if found is not None:
        return found
    parts = text.split("; ")
    for cut in range(1, len(parts)):  # the first part that is a known sentence, then the rest
        head = "; ".join(parts[:cut])
        first = ZH.get(head) or _pattern(head)
        if first is not None:
            rest = _sentence("; ".join(parts[cut:]))
            if rest != "; ".join(parts[cut:]):
                return f"{first}；{rest}"
    return text


def _pattern(text: str) -> str | None:
    for pattern, template in PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            values = {
                k: _sentence(v) if k in NESTED else translate_name(v, k)
                for k, v in match.groupdict().items()
            }
            return template.format(**values)
    return None


def translate_name(value: str, group: str) -> str:
    """Names inside sentences stay as written (a role is the exception: it is a fixed word)."""
    return ZH.get(TERMS.get(value, value), value) if group == "role" else value


def gettext(lang: str) -> Callable[..., str]:
    """The `_` of a page: `_("Signed in as {name}", name=…)` translates, then fills in."""

    def _(text: object, **values: object) -> str:
        translated = translate(str(text), lang)
        return translated.format(**values) if values else translated

    return _


def choose(user_language: str | None, asked: str | None, accept_language: str | None) -> str:
    """The page's language: the person's setting; before sign-in, `?lang=`, then the browser's
    preference, then Chinese."""
    if user_language in LANGUAGES:
        return user_language
    if asked in LANGUAGES:
        return asked
    for tag in accepted(accept_language or ""):
        if tag == "*":
            return DEFAULT
        base = tag.split("-")[0]
        if base in LANGUAGES:
            return base
    return DEFAULT


def accepted(header: str) -> list[str]:
    """The language tags of an Accept-Language header, most wanted first (q=0: not wanted)."""
    ranked = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        tag = tag.strip().lower()
        quality = 1.0
        found = re.search(r"q\s*=\s*([^;\s]*)", params)
        if found:
            try:
                quality = float(found.group(1))
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]
