"""A visitor without an account walks the public portal by clicking links, in nb, nn and en.

From the front page through more than 20 public pages with maps and charts: on each, every figure is drawn and
nothing scrolls sideways at 1366 and 390 px, and axe-core finds nothing serious or critical. The language comes
from the browser's Accept-Language alone (no cookie), as a first-time visitor's would. axe-core runs once per
address: not again on a page the walk has audited already (it returns to the front page twice), nor on the
anonymous pages ``test_accessibility_<lang>.py`` audits in the same language (``accessibility.pages``).
"""

from __future__ import annotations

import re

import pytest
from tests.browser.accessibility import Checker, demo_world, pages

pytestmark = [pytest.mark.browser, pytest.mark.slow(seconds=150), pytest.mark.django_db(transaction=True)]

LOCALES = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}
#: What the visitor does, step by step: click a link (a CSS selector), or search, or choose a goal for the map.
WALK = [
    ("search", "Bergen"),
    ("click", "main a[href='/enheter/4601/']"),
    ("click", "main .dg-breadcrumbs a[href='/enheter/46/']"),
    ("click", "main a[href='/mal/3/']"),
    ("click", "main a[href='/delmal/3.4/']"),
    ("click", "main a[href^='/indikatorer/']"),
    ("click", "main a[href='?niva=fylke']"),
    ("click", "main #ranking-caption ~ tbody a[href^='/enheter/']"),
    ("click", "main a[href^='/sammenlign/']"),
    ("click", "header a[href='/mal/']"),
    ("click", "main a[href='/mal/13/']"),
    ("click", "main a[href='/mal/14/']"),
    ("click", "main a[href='/delmal/14.1/']"),
    ("click", "main a[href='/delmal/14.2/']"),
    ("click", "header a[href='/enheter/']"),
    ("click", "main a[href='/enheter/0301/']"),
    ("click", "main .dg-breadcrumbs a[href='/enheter/03/']"),
    ("click", "header a.dg-brand"),
    ("map", "13"),
    ("click", "main a[href='/indikatorer/']"),
    ("click", "main a[href^='/indikatorer/dugnad-demo/D07']"),
    ("click", "main dl a[href^='/mal/']"),
    ("click", "main .dg-breadcrumbs a[href='/']"),
    ("click", "main a[href='/sammenlign/']"),
    ("compare", "4601, 0301, 46"),
]


def walk(page, checker: Checker, lang: str) -> list[str]:
    """Do the walk; return the paths seen (each page is checked at both widths)."""
    seen = []

    def arrived(label: str) -> None:
        page.wait_for_load_state("load")
        path = page.url.removeprefix(checker.base)
        assert page.locator("html").get_attribute("lang") == lang, f"{path} is not in {lang}"
        seen.append(path)
        checker.check(page, f"{lang} {label} {path}")
        checker.audited.add(path)

    page.goto(checker.base + "/")
    arrived("front page")
    for action, arg in WALK:
        page.set_viewport_size({"width": 1366, "height": 900})
        if action == "click":
            link = page.locator(f"{arg} >> visible=true").first
            link.scroll_into_view_if_needed()
            with page.expect_navigation():
                link.click()
        elif action == "search":
            page.fill("#unit-search", arg)
            with page.expect_navigation():
                page.locator("form[role=search] button[type=submit]").click()
        elif action == "map":
            page.select_option("#map-goal", arg)
            with page.expect_navigation():
                page.locator("#map-goal").evaluate("select => select.form.requestSubmit()")
        elif action == "compare":
            page.fill("#compare-units", arg)
            page.check("main input[name=indikatorer] >> nth=0")
            with page.expect_navigation():
                page.locator("main .dg-compare-form button[type=submit]").click()
        arrived(f"{action} {arg}")
    return seen


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_a_visitor_walks_the_portal_by_links(live_server, browser, axe_audit, lang):
    ids = demo_world()
    checker = Checker(axe_audit, live_server.url, audited=set(pages(ids)[""]))
    context = browser.new_context(locale=LOCALES[lang])  # Accept-Language only: no language cookie
    page = context.new_page()
    seen = walk(page, checker, lang)
    context.close()
    assert len(set(seen)) >= 20, seen
    assert re.search(r"^/sammenlign/\?enheter=4601", seen[-1]), "the compare page's URL keeps the choice"
    figures = [p for p in seen if p.startswith(("/enheter/", "/mal/", "/indikatorer/", "/?mal", "/sammenlign/?"))]
    assert len(figures) >= 15
    assert checker.overflow == [], "\n".join(checker.overflow)
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)
