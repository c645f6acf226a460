"""Every web page, anonymous and as each demo role, at 1366 and 390 px wide (one language and half per test module).

The languages run in six modules, the anonymous visitor's pages in ``test_accessibility_nb/nn/en.py`` and the demo
roles' in ``test_accessibility_nb/nn/en_signed_in.py``, so the two test workers share them. On each
page axe-core finds no serious or critical violation (maps and charts drawn first) and the page does not scroll
sideways (wide tables scroll inside their own region). The demo is loaded as ``dugnad demo`` loads it.
A guard checks that every page the web app routes is visited (the signed-in half counts the pages the anonymous
half lands on, followed with Django's test client), so a new page cannot slip past. In the PostgreSQL pass the pages
are opened, drawn and measured the same way, but axe-core runs in the SQLite pass only (``AUDITED_DATABASES`` in
``conftest.py``: the audit reads the same markup from both).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.urls import resolve
from tests.demo_database import demo_database

from dugnad.demo.accounts import demo_password
from dugnad.web import urls as web_urls

WIDTHS = (1366, 390)
#: Routes that are not pages: form posts (they redirect or render a page listed here), files and htmx fragments.
NOT_PAGES = {
    "logout", "round-export", "round-close", "round-reopen", "submission-value", "submission-narrative",
    "submission-answer",
    "submission-submit", "submission-return", "submission-approve", "submission-refresh", "publication-create",
    "publication-status", "publication-download", "template-copy", "action-status", "action-part-update",
    "milestone-new", "milestone-done", "commitment-status", "action-partners-add", "network-note", "network-invite",
    "county-mobilisation-invite",  # the funnel page's one-click invitation (a form post)
    "invitation-reply",
    "unit-actions",  # the unit page's actions fragment (shown, and audited, on the unit page)
    "unit-upload-report",  # a CSV file
    "submission-progress",  # the submission page's live progress (JSON, drawn on the submission page)
    "agreement-action-link", "agreement-action-unlink",  # form posts from the agreement page
    "reading-comment", "reading-agree", "reading-reopen",  # form posts from a reading's work page
    "request-status",  # the answer form's post (renders the request page, listed here)
    # the portal pages' data files (CSV, XLSX, JSON-stat): tests/web/test_portal_open_data.py
    "portal-home-data", "unit-data", "portal-goal-data", "portal-target-data", "portal-indicator-data",
    "portal-compare-data",
}
FIGURES_DRAWN = """() => document.querySelectorAll("figure > script[type='application/json']").length
                      === document.querySelectorAll('.chart-interactive').length"""


def demo_world() -> dict:
    """Load the demo (once per test process, a copy after: ``tests/demo_database.py``) and find the ids the page
    list needs."""
    from dugnad.actions.models import Action, Agreement
    from dugnad.networks.models import Network
    from dugnad.practices.models import PracticeCase
    from dugnad.requests.models import LevelRequest
    from dugnad.rounds.models import Round, Snapshot, Submission

    demo_database()
    round_ = Round.objects.get()
    snapshot = Snapshot.objects.filter(submission__unit__code__startswith="46").first()
    return {
        "round": round_.pk,
        "bergen": Submission.objects.get(round=round_, unit__code="4601").pk,
        "submitted": Submission.objects.filter(round=round_, state="submitted", unit__code__startswith="46").first().pk,
        "snapshot": snapshot.pk, "snapshot_submission": snapshot.submission_id,
        "network": Network.objects.get(lead_unit__code="46").pk,
        "action": Action.objects.get(title="Trygg skolevei i Vestland").pk,
        "case": PracticeCase.objects.order_by("pk").first().pk,
        "agreement": Agreement.objects.order_by("pk").first().pk,
        "request": LevelRequest.objects.filter(to_level="fylke", status="submitted").order_by("pk").first().pk,
    }


def pages(ids: dict) -> dict[str, list[str]]:
    """The pages each visitor sees: anonymous ones, then what each demo role sees differently.

    A page that looks the same to two roles (the front page but for the user name, a dashboard for the editor and
    the reader) is audited once, to keep the run short.
    """
    r, n = ids["round"], ids["network"]
    return {
        "": ["/", "/?mal=13", "/enheter/", "/enheter/?q=berg", "/mal/", "/mal/3/", "/delmal/3.4/", "/delmal/17.19/",
             "/indikatorer/", "/indikatorer/dugnad-demo/D01.1/", "/indikatorer/dugnad-demo/D01.1/?niva=fylke",
             "/sammenlign/", "/sammenlign/?enheter=4601,46,0301,0&indikatorer=dugnad-demo~D01.1,dugnad-demo~D04.1",
             "/logg-inn/", "/enheter/0/", "/enheter/46/", "/enheter/4601/", "/enheter/4601/forslag/", "/tiltak/",
             "/tiltak/katalog/", "/avtaler/", f"/tiltak/{ids['action']}/", "/eksempler/", "/eksempler/?q=skole",
             f"/eksempler/{ids['case']}/", f"/avtaler/{ids['agreement']}/",
             "/enheter/46/mal-2030/", "/delmal/11.6/", "/delmal/11.6/lesning/0/v1/",
             # the charts and maps alone, for other sites to frame
             "/embed/kart/indeks/", "/embed/kart/mal/3/", "/embed/kart/enhet/4601/",
             "/embed/kart/dugnad-demo/D01.1/kommuner/", "/embed/graf/4601/dugnad-demo/D01.1/",
             "/embed/fordeling/dugnad-demo/D01.1/", "/embed/sammenlign/dugnad-demo/D01.1/?enheter=4601,46"],
        "ks": ["/", "/mitt-arbeid/", "/runder/", "/runder/ny/", f"/runder/{r}/",
               f"/runder/{r}/paminnelser/", f"/runder/{r}/rapporter/?type=vsr", "/nettverk/",
               "/nettverk/nytt/", "/tiltak/nytt/"],
        "departement": [f"/runder/{r}/?fylke=46"],
        "vestland": ["/mitt-arbeid/",
                     f"/innleveringer/{ids['submitted']}/", f"/innleveringer/{ids['snapshot_submission']}/bilder/"
                     f"{ids['snapshot']}/", f"/nettverk/{n}/", f"/nettverk/{n}/gap/", f"/nettverk/{n}/tiltak/nytt/",
                     f"/tiltak/{ids['action']}/", f"/runder/{r}/rapporter/?type=vlr&enhet=4601", "/avtaler/ny/",
                     "/fylker/46/mobilisering/", "/henvendelser/", f"/henvendelser/{ids['request']}/",
                     "/enheter/46/mal-2030/", "/lesninger/", "/delmal/11.2/lesning/46/", "/delmal/6.4/lesning/46/"],
        "bergen": ["/mitt-arbeid/",
                   "/runder/", f"/innleveringer/{ids['bergen']}/", f"/tiltak/{ids['action']}/", "/enheter/4601/forslag/",
                   f"/enheter/4601/last-opp/?innlevering={ids['bergen']}", "/henvendelser/ny/", "/enheter/4601/mal-2030/",
                   "/delmal/11.2/lesning/4601/"],
        "bergen-leser": [f"/innleveringer/{ids['bergen']}/", "/enheter/4601/dashbord/"],
        "admin": ["/avtaler/", "/tiltak/katalog/", f"/avtaler/{ids['agreement']}/endre/"],
    }


class Checker:
    """Visits pages at both widths, audits them with axe and measures sideways scroll.

    ``audited`` holds addresses (path and query) whose audit another test (or an earlier step) already makes in the
    same language for the same visitor: on those it waits for the figures and measures the width but does not run
    axe-core again (the page is the same server-rendered document).
    """

    def __init__(self, audit, base: str, audited: set[str] = frozenset()):
        self.audit, self.base = audit, base
        self.audited: set[str] = set(audited)
        self.visited: set[str] = set()
        self.overflow: list[str] = []

    def check(self, page, label: str) -> None:
        """Audit the page as it is at each width (the figures drawn first)."""
        address = page.url.removeprefix(self.base)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_function(FIGURES_DRAWN, timeout=30_000)
            scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll[0] > scroll[1]:
                self.overflow.append(f"{label} at {width} px: {scroll[0]} px wide")
            if address not in self.audited:
                self.audit.check(page)
        self.visited.add(resolve(urlsplit(page.url).path).url_name)

    def visit(self, page, path: str, who: str) -> None:
        response = page.goto(self.base + path)
        assert response.status < 400, f"{who or 'anonymous'} cannot open {path}: {response.status}"
        self.check(page, f"{who or 'anonymous'} {path}")


def new_page(browser, base: str, lang: str, username: str = ""):
    """A fresh browser context in the language (cookie and Accept-Language), signed in when a user is given."""
    context = browser.new_context(locale={"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}[lang])
    context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
    page = context.new_page()
    if username:
        page.goto(f"{base}/logg-inn/")
        page.fill("#id_username", username)
        page.fill("#id_password", demo_password(username))
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r".*/$"))
    return page


def state_error_page(page, checker: Checker, submission: int) -> None:
    """A review button pressed on an outdated page gives the state-change error page."""
    page.goto(f"{checker.base}/innleveringer/{submission}/")
    page.eval_on_selector_all("input[name=version]", "inputs => inputs.forEach(i => { i.value = '999'; })")
    page.click("form[action$='/godkjenn/'] button")
    page.wait_for_selector("main .ds-alert")
    checker.check(page, "vestland state error")


#: The two halves of each language's audit, one test module each, so that the two test workers share them:
#: the anonymous visitor's pages, and what each demo role sees.
ANONYMOUS, SIGNED_IN = ("",), ("ks", "departement", "vestland", "bergen", "bergen-leser", "admin")


def landing_names(paths: list[str]) -> set[str]:
    """The route names of the pages an anonymous visitor lands on from the paths (after any redirect)."""
    from django.test import Client

    client = Client()
    return {resolve(client.get(path, follow=True).request["PATH_INFO"]).url_name for path in paths}


def audit_pages(live_server, browser, axe_audit, lang: str, visitors: tuple[str, ...]) -> tuple[Checker, dict]:
    """Visit the visitors' pages in one language; fail on axe findings or sideways scroll. The checker and the ids."""
    ids = demo_world()
    checker = Checker(axe_audit, live_server.url)
    for username, paths in pages(ids).items():
        if username not in visitors:
            continue
        page = new_page(browser, live_server.url, lang, username)
        for path in paths:
            checker.visit(page, path, username)
        if username == "vestland":
            state_error_page(page, checker, ids["submitted"])
        page.context.close()
    assert checker.overflow == [], "\n".join(checker.overflow)
    assert axe_audit.problems == [], "\n".join(axe_audit.problems)
    return checker, ids


def audit_anonymous_pages(live_server, browser, axe_audit, lang: str) -> None:
    """The anonymous visitor's pages."""
    audit_pages(live_server, browser, axe_audit, lang, ANONYMOUS)


def audit_signed_in_pages(live_server, browser, axe_audit, lang: str) -> None:
    """What each demo role sees; with the pages the anonymous half lands on, every page the web app routes."""
    checker, ids = audit_pages(live_server, browser, axe_audit, lang, SIGNED_IN)
    routed = {p.name for p in web_urls.urlpatterns} - NOT_PAGES
    assert routed - checker.visited - landing_names(pages(ids)[""]) == set(), "pages this test does not visit yet"
