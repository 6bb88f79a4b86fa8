"""Keyboard focus in a real browser: Tab through the sidebar and into a page, and every control that
takes focus shows a solid outline of 3 px at 3:1 or more against the page (ui/setup.py FOCUS_CSS),
unlike the current page's highlight in the menu. Each page's browser tab has its own title."""
import io

import pytest
from PIL import Image

from monitor.chart_style import contrast
from tests.browser.conftest import wait_idle

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return null;
  // A text box or drop-down is outlined whole: its box, not its clipped <input>, carries the outline.
  const e = (focused.tagName === 'INPUT' && focused.parentElement.getAttribute('role') === 'group'
             ? focused.parentElement : focused.closest('[data-baseweb="input"],[data-baseweb="textarea"]')) || focused;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  return {tag: focused.tagName, text: (e.innerText || e.getAttribute('aria-label') || '').slice(0, 40),
          sidebar: !!e.closest('[data-testid="stSidebar"]'), current: e.getAttribute('aria-current'),
          style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor,
          shadow: s.boxShadow, visible: r.width > 0 && r.height > 0};
}"""


def test_tab_shows_a_visible_focus_outline_on_every_control(server, page, artifacts):
    page.goto(f"{server.url}/action_plan?programme=east-west-sussex")
    wait_idle(page, '[data-testid="stPlotlyChart"]', timeout=90_000)
    assert page.title().startswith("Action plan")
    seen, in_sidebar, in_page, shot = [], 0, 0, False
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for n in range(40):
        page.keyboard.press("Tab")
        page.wait_for_timeout(60)
        focused = page.evaluate(FOCUSED)
        if not focused or not focused["visible"]:
            continue
        seen.append(focused)
        assert focused["style"] == "solid" and focused["width"] >= 3, focused
        assert contrast(focused["colour"], "#ffffff") >= 3 and contrast(focused["colour"], "#f0f2f6") >= 3, focused
        in_sidebar += focused["sidebar"]
        in_page += not focused["sidebar"]
        if focused["sidebar"] and focused["current"] == "page":
            page.screenshot(path=str(artifacts / "focus-sidebar-current-page.png"))
        if not focused["sidebar"] and focused["tag"] == "INPUT" and not shot:
            shot = True
            page.screenshot(path=str(artifacts / "focus-page-control.png"))
            # Drawn, not only styled: just outside the drop-down's left edge is the outline's near-black.
            box = page.evaluate("""() => { const r = document.activeElement.parentElement
                                           .getBoundingClientRect(); return {x: r.x, y: r.y, height: r.height}; }""")
            edge = Image.open(io.BytesIO(page.screenshot(clip={"x": box["x"] - 5, "y": box["y"] + box["height"] / 2,
                                                               "width": 4, "height": 1}))).convert("RGB")
            assert max(edge.getpixel((1, 0))) < 60, edge.getpixel((1, 0))
    assert in_sidebar >= 5 and in_page >= 3 and shot, seen
    # The current page's menu entry is marked by its background, not by an outline, when not focused.
    current = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]').first
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    assert current.evaluate("e => getComputedStyle(e).outlineStyle") in ("none", "")
