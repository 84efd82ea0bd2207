"""Keyboard and phone-first checks in a real browser: Tab stops, radio groups, menu, filters, focus ring."""

from __future__ import annotations

import pytest

from tests.test_browser import assert_clean, assert_no_axe_violation, wait_rendered

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
MAX_TABS = 200

IN_FIRST_CHART = "() => { const c = document.querySelector('#page-content .chart-block');" \
                 " return !!c && c.contains(document.activeElement); }"


def tabs_to_first_chart(page) -> int:
    """Tab presses from the top of the page until the focus enters the first chart block."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    for n in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate(IN_FIRST_CHART):
            return n
    return MAX_TABS + 1


def open_ecoles(watched, live_server, viewport: dict[str, int], path: str = "/ecoles"):
    page = watched.page
    page.set_viewport_size(viewport)
    page.goto(live_server + path)
    wait_rendered(page, open_filters=False)
    return page


# Phone: skip link, brand, menu button, the folded filters' summary, then the chart. Desktop: the header's
# links too, and the filters open: 3 level boxes, the sector group, the quartier select (34 before, both).
@pytest.mark.parametrize(("viewport", "limit"), [(PHONE, 6), (DESKTOP, 17)], ids=["phone", "desktop"])
def test_few_tab_presses_reach_the_first_chart(watched, live_server, viewport, limit, record_property):
    page = open_ecoles(watched, live_server, viewport)
    n = tabs_to_first_chart(page)
    record_property("tabs_to_first_chart", n)
    print(f"\nTab presses from the top of /ecoles to the first chart at {viewport['width']} px: {n}")
    assert n <= limit, f"{n} Tab presses to reach the first chart at {viewport['width']} px"
    assert_clean(watched)


def test_sector_radios_are_one_group_moved_with_arrows(watched, live_server):
    page = open_ecoles(watched, live_server, DESKTOP)
    radios = page.locator("#ecoles-secteur input[type=radio]")
    names = {radios.nth(i).get_attribute("name") for i in range(radios.count())}
    assert radios.count() == 3 and len(names) == 1 and None not in names and "" not in names, names
    radios.nth(0).focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => window.location.search.includes('secteur=public')")
    assert radios.nth(1).is_checked()
    assert page.evaluate("() => document.activeElement.value") == "public"
    assert_clean(watched)


def test_every_radio_group_of_the_stories_shares_a_name(watched, live_server):
    page = watched.page
    for path in ("/ecoles", "/logement", "/frequentation"):
        page.goto(live_server + path)
        wait_rendered(page)
        unnamed = page.evaluate("() => Array.from(document.querySelectorAll('#page-content input[type=radio]'))"
                                ".filter(i => !i.name).map(i => i.id)")
        assert unnamed == [], f"radios without a name on {path}: {unnamed}"


def test_quartier_is_one_labelled_select(watched, live_server):
    page = open_ecoles(watched, live_server, DESKTOP)
    select = page.get_by_label("Quartier", exact=True)
    assert select.evaluate("el => el.tagName") == "SELECT"
    assert page.locator("#page-content input[type=radio][id*=quartier]").count() == 0
    codes = select.evaluate("el => Array.from(el.options).map(o => o.value).filter(v => v)")  # no placeholder
    assert codes[0] == "tous" and len(codes) > 6
    select.select_option(codes[2])
    page.wait_for_function("(c) => window.location.search.includes('quartier=' + c)", arg=codes[2])
    assert_clean(watched)


def test_phone_header_is_one_line_with_a_menu_button(watched, live_server):
    page = open_ecoles(watched, live_server, PHONE)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 64, f"header is {header['height']} px high at 390 px"
    button = page.locator(".site-header .menu-toggle")
    assert button.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    assert not page.locator(".site-nav a[href='/logement']").is_visible()
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator(".site-nav a[href='/logement']").is_visible()
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not page.locator(".site-nav a[href='/logement']").is_visible()
    assert_no_axe_violation(page, "on /ecoles at 390 px")
    assert_clean(watched)


def test_desktop_header_shows_the_links_without_a_menu_button(watched, live_server):
    page = open_ecoles(watched, live_server, DESKTOP)
    assert not page.locator(".site-header .menu-toggle").is_visible()
    assert page.locator(".site-nav a[href='/logement']").is_visible()


def test_filters_fold_on_a_phone_and_stay_open_on_a_desktop(watched, live_server):
    page = open_ecoles(watched, live_server, PHONE)
    panel = page.locator("#page-content details.filters")
    assert panel.count() == 1
    assert panel.evaluate("el => el.open") is False
    assert not page.get_by_label("Quartier", exact=True).is_visible()
    panel.locator("summary").focus()
    page.keyboard.press("Enter")
    assert page.get_by_label("Quartier", exact=True).is_visible()
    page.set_viewport_size(DESKTOP)
    page.goto(page.url.split("?")[0])
    wait_rendered(page, open_filters=False)
    assert page.locator("#page-content details.filters").evaluate("el => el.open") is True
    assert_clean(watched)


def test_first_phone_screen_has_the_takeaway_and_key_figures(watched, live_server):
    page = open_ecoles(watched, live_server, PHONE)
    takeaway = page.locator("#page-content .takeaway").bounding_box()
    figures = page.locator("#page-content .key-figure").first.bounding_box()
    assert takeaway and takeaway["y"] + takeaway["height"] <= PHONE["height"], takeaway
    assert figures and figures["y"] < PHONE["height"], figures


# The ring's colour against the page's background: WCAG 2.x relative luminance.
CONTRAST = """(el) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const s = getComputedStyle(el);
  let bg = 'rgb(255, 255, 255)';
  for (let n = el.parentElement; n; n = n.parentElement) {  // the ring is drawn outside the control
    const c = getComputedStyle(n).backgroundColor;
    if (c && c !== 'transparent' && !c.startsWith('rgba(0, 0, 0, 0)')) { bg = c; break; }
  }
  const a = lum(rgb(s.outlineColor)), b = lum(rgb(bg));
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_ring_is_visible_on_every_kind_of_control(watched, live_server, scheme):
    page = watched.page
    page.emulate_media(color_scheme=scheme)
    open_ecoles(watched, live_server, DESKTOP)
    selectors = ["#ecoles-niveau input[type=checkbox]", "#ecoles-secteur input[type=radio]", "#ecoles-quartier",
                 "#page-content .chart-data summary", "#page-content .embed-open", "#page-content .chart-csv",
                 ".site-nav a", ".brand", "#page-content details.filters summary"]
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        for sel in selectors:
            if sel not in seen and page.evaluate(f"() => document.activeElement.matches({sel!r})"):
                ring = page.evaluate_handle("() => document.activeElement").evaluate(CONTRAST)
                assert ring["style"] != "none" and ring["width"] >= 2, (sel, ring)
                assert ring["ratio"] >= 3, (sel, ring)
                seen.append(sel)
        if len(seen) == len(selectors):
            break
    assert sorted(seen) == sorted(selectors)
