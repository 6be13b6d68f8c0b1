"""The pages' languages: every wrapped text has a Chinese entry, the rules' and the desk's
sentences are translated by pattern, and the language is chosen as the issue says."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from vault.domain import rules
from vault.domain.access import Role
from vault.domain.model import (
    AlarmRule,
    ApprovalView,
    Classification,
    EventKind,
    FolderState,
    FolderView,
    Read,
    Severity,
    StationKind,
)
from vault.web import i18n
from vault.web.i18n import choose, translate

WEB = Path(i18n.__file__).parent
WRAPPED = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
TITLES = re.compile(r"""rebase\(\s*'base',\s*title=(?:'([^']*)'|"([^"]*)")""")


def texts_of_the_pages() -> set[str]:
    """Every `_("…")` in the templates and the web modules (data- attributes for scripts are
    written the same way), every page title, and the front page's list of pages."""
    found: set[str] = set()
    files = [*WEB.glob("templates/*.tpl"), *WEB.glob("*.py")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern in (WRAPPED, TITLES):
            found |= {a or b for a, b in pattern.findall(text)}
    from vault.web.app import PAGES

    found |= {label for _, _, label in PAGES}
    return {t for t in found if t}


def test_the_chinese_catalog_has_every_text_the_pages_wrap():
    texts = texts_of_the_pages()
    assert {"Sign in", "Sign out", "Alarm board"} <= texts  # the scan finds them at all
    missing = sorted(
        t for t in texts if t not in i18n.ZH and translate(t, "zh") == i18n.TERMS.get(t, t)
    )
    assert not missing, f"no Chinese for: {missing}"


@pytest.mark.parametrize(
    "words",
    [AlarmRule, EventKind, FolderState, StationKind, Classification, Severity, Role],
    ids=lambda e: e.__name__,
)
def test_every_fixed_word_the_services_return_has_both_languages(words):
    for word in words:
        chinese = translate(word.value, "zh")
        assert re.search(r"[\u4e00-\u9fff]", chinese), (word, chinese)
        assert "_" not in translate(word.value, "en"), word


def test_station_statuses_and_markings():
    for status in ("connected", "disconnected", "offline", "unknown"):
        assert re.search(r"[\u4e00-\u9fff]", translate(status, "zh")), status
    assert translate("top_secret", "zh") == "绝密"
    assert translate("机密★ 30年", "zh") == "机密★ 30年"  # the bureau's marking, as it writes it


def sentences_from_the_rules() -> list[str]:
    """The reasons and refusals `rules.decide` builds, from real decisions."""
    at = datetime(2024, 5, 1, 9, 0)
    folder = FolderView("WC-TJ-1", Classification.SECRET, FolderState.SHELVED, label_generation=2)
    issued = FolderView("WC-TJ-1", Classification.SECRET, FolderState.ISSUED, "张华", 1)
    in_room = FolderView("WC-TJ-1", Classification.SECRET, FolderState.IN_READING_ROOM)
    approval = ApprovalView(1, "张华")
    cases = [
        (Read("X1", StationKind.READING_EXIT, "WC-TJ-1", at), issued, None),
        (Read("X1", StationKind.READING_EXIT, "WC-TJ-1", at), in_room, None),
        (Read("D1", StationKind.WAREHOUSE_DOOR, "WC-TJ-1+2", at), folder, None),
        (Read("D1", StationKind.WAREHOUSE_DOOR, "WC-TJ-1", at), folder, None),  # voided G1
        (Read("D1", StationKind.WAREHOUSE_DOOR, "WC-TJ-1+9", at), folder, None),  # never printed
        (Read("D1", StationKind.WAREHOUSE_DOOR, "WC-TJ-1+!", at), folder, None),  # unreadable
        (Read("K1", StationKind.READING_DESK, "WC-TJ-1", at), folder, None),  # voided at desk
        (Read("K1", StationKind.READING_DESK, "WC-TJ-1+2", at, reader="李四"), folder, approval),
        (Read("K1", StationKind.READING_DESK, "WC-TJ-1+2", at, reader="李四"), folder, None),
        (Read("K1", StationKind.READING_DESK, "WC-TJ-1", at, reader="李四"), issued, None),
    ]
    found = []
    for read, view, covering in cases:
        decision = rules.decide(read, view, covering)
        found += [a.reason for a in decision.alarms]
        found += [decision.refusal] if decision.refusal else []
    assert len(found) >= 10
    return found


SERVICE_SENTENCES = [
    "issued to 张华",  # vault/services/desk.py
    "taken back at the desk",
    "not in the register",
    "void label: a reprint replaced this label",
    "'K1' is not a reading-room desk station",
    "no reader named '王五' has asked for folders",
    "issued to 张华; offered at K1 to 李四; the request approves 张华 only",
    # vault/services/stations.py, with the bridge's station health details
    "station D1 is offline: silent for 12 s (heartbeat expected every 5 s); "
    "folders passing it are not seen",
    "station D1 is offline: port unavailable for 10 s: not opened yet; "
    "folders passing it are not seen",
    "station D1 answered again",
    "answering again",
]


@pytest.mark.parametrize("sentence", sentences_from_the_rules() + SERVICE_SENTENCES)
def test_the_domain_sentences_are_translated_with_their_names_kept(sentence):
    chinese = translate(sentence, "zh")
    assert re.search(r"[a-z]{3,}", chinese) is None, chinese  # no English word left
    for name in re.findall(r"张华|李四|王五|WC-TJ-1|\b[XDK]1\b", sentence):
        assert name in chinese, (name, chinese)
    assert translate(sentence, "en") == sentence


def test_pattern_translations_read_as_chinese():
    reason = "read at the reading-room exit X1, last issued to 张华; folders are never taken out"
    assert translate(reason, "zh") == "在阅览室出口 X1 读到，最后借给张华；案卷一律不得带出"
    refusal = "issued to 张华, not 李四: take it back from 张华"
    assert translate(refusal, "zh") == "已借给张华，不是李四：请从张华处收回"
    voided = "label generation 1 was voided when generation 2 was printed"
    assert translate(f"void label: {voided}", "zh") == "作废标签：第 1 版标签已在打印第 2 版时作废"


def test_text_nobody_translated_is_shown_as_it_is():
    for text in ("县统计局1998年工资统计表", "hello; world", "issued to", ""):
        assert translate(text, "zh") == text
    assert translate("checked_in", "en") == "checked in"


def test_the_page_translator_fills_in_values_after_translating():
    _ = i18n.gettext("zh")
    assert _("Signed in as {name}", name="王保安") == "当前用户：王保安"
    assert i18n.gettext("en")("Signed in as {name}", name="Wang") == "Signed in as Wang"
    assert _("Sign out") == "退出登录"


@pytest.mark.parametrize(
    "header, expected",
    [
        ("", "zh"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("EN-gb", "en"),
        ("fr-FR, en;q=0.5, zh;q=0.4", "en"),
        ("en;q=0.2, zh-TW;q=0.8", "zh"),
        ("en;q=0, fr", "zh"),  # q=0: not wanted at all
        ("fr, de", "zh"),
        ("*", "zh"),
        ("en;q=oops, zh;q=0.1", "zh"),  # a broken weight is no preference
        ("zh-Hans-CN;q=0.5, en-US;q=0.6", "en"),
    ],
)
def test_accept_language(header, expected):
    assert choose(None, None, header) == expected


def test_the_account_setting_beats_lang_which_beats_the_browser():
    assert choose("en", "zh", "zh-CN") == "en"
    assert choose("zh", "en", "en-US") == "zh"
    assert choose(None, "en", "zh-CN") == "en"
    assert choose(None, "fr", "en-US") == "en"  # a language Vault does not have is ignored
    assert choose(None, None, None) == "zh"
