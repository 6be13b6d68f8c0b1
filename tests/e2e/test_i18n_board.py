"""The Chinese board in headless Chromium: the document says it is Chinese, the heading is
Chinese, and it is drawn with a CJK font (full-width glyphs), not as boxes of a missing glyph."""

from __future__ import annotations

import urllib.error
import urllib.request

from tests.conftest import add_user, free_port, run_vault, wait_until, write_config
from tests.e2e.conftest import sign_in

GLYPHS = """(el) => {
  // Draw each character of the heading, and a code point no font has, with the heading's font:
  // were the CJK font missing, every one would be the same missing-glyph box.
  const style = getComputedStyle(el);
  const size = parseFloat(style.fontSize);
  const draw = (text) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = Math.ceil(size * 2);
    const ctx = canvas.getContext("2d");
    ctx.font = style.font;
    ctx.textBaseline = "top";
    ctx.fillText(text, 0, 0);
    return Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data).join(",");
  };
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = style.font;
  return {
    glyphs: Array.from(el.textContent, draw),
    missing: draw("\\u{10FFFD}"),
    width: ctx.measureText(el.textContent).width,
    size,
  };
}"""


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()
        return True
    except (urllib.error.URLError, ConnectionError):
        return False


def test_the_chinese_board_is_drawn_with_a_cjk_font(tmp_path, processes, browser):
    extra = 'site_name = "县统计局档案室"\ntimezone = "Asia/Shanghai"'
    config = write_config(tmp_path, [], extra)
    run_vault(config, "init")
    add_user(config, "guard", "security")  # Chinese, as accounts are by default
    port = free_port()
    processes.start(config, "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: _answers(base + "/signin"), timeout=20, what="the web server")
    context = browser.new_context(locale="en-US")  # the account's language wins over the browser
    page = context.new_page()
    sign_in(page, base, "guard")
    page.goto(base + "/alarms")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    heading = page.locator("header .page")
    assert heading.inner_text() == "告警看板"
    drawn = heading.evaluate(GLYPHS)
    glyphs = drawn["glyphs"]
    assert len(set(glyphs)) == 4, "the four characters are drawn alike: boxes, no CJK font"
    assert drawn["missing"] not in glyphs
    assert abs(drawn["width"] - 4 * drawn["size"]) < 0.1 * drawn["size"], drawn["width"]
    page.screenshot(path=str(tmp_path / "board-zh.png"), full_page=True)
    context.close()
