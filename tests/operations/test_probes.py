"""The probes that held keep holding: CSRF, stored XSS, unsafe links, search injection, path traversal, open redirects.

(Cross-unit reads and writes are in tests/api/test_permission_matrix.py; simultaneous saves in
tests/rounds/test_concurrency.py.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from dugnad.actions.services import action_create
from dugnad.publications.models import Publication
from dugnad.rounds.models import Narrative
from dugnad.rounds.rendering import narrative_html
from tests.demo_database import demo_database
from tests.factories import PASSWORD, round_national, submission_of, world_build

XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>',
       "<a href='javascript:alert(1)'>x</a>", "</textarea><script>alert(2)</script>"]
UNSAFE_LINKS = ["//evil.example", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)", "JavaScript:alert(1)",
                "java\tscript:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                "vbscript:msgbox(1)"]
SAFE_LINKS = ["https://www.ssb.no/", "http://example.no/a?b=c", "mailto:post@kommune.no", "/enheter/4601/", "#mal-3"]
SEARCH = ['"', "'", "*", "NEAR(a b)", "a OR", "AND", "-", "()", "skole'); DROP TABLE networks_practicecase; --",
          "\\", "%", "_", "^", "{}", "col:term", "x" * 2000, "ø" * 300, "& | ! :*", "<->", "\x00"]
REDIRECTS = ["//evil.example/", "https://evil.example/", "/\\evil.example", "http:evil.example", "javascript:alert(1)",
             " //evil.example"]


@pytest.mark.parametrize("url", UNSAFE_LINKS)
def test_unsafe_link_targets_are_dropped(url):
    assert 'href="#"' in narrative_html(f"[lenke]({url})") or "<a" not in narrative_html(f"[lenke]({url})")


@pytest.mark.parametrize("url", SAFE_LINKS)
def test_safe_link_targets_are_kept(url):
    assert f'href="{url.replace("&", "&amp;")}"' in narrative_html(f"[lenke]({url})")


def test_markdown_is_escaped_once_and_raw_html_stays_text():
    assert narrative_html("`a < b && c`") == "<p><code>a &lt; b &amp;&amp; c</code></p>"
    assert narrative_html("**fet** <b>x</b>") == "<p><strong>fet</strong> &lt;b&gt;x&lt;/b&gt;</p>"


@pytest.mark.django_db
def test_writes_without_a_csrf_token_are_refused_and_change_nothing():
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.users["bergen"])
    writes = [
        (reverse("submission-value", args=[sub.pk]), {"indicator": w.indicators[0].pk, "period": "2025", "value": "1"}),
        (reverse("submission-narrative", args=[sub.pk]), {"key": "chapter:opening", "text": "x", "version": "0"}),
        (reverse("submission-submit", args=[sub.pk]), {"version": str(sub.version), "confirm_incomplete": "on"}),
        (reverse("action-new"), {"title": "x"}),
        (reverse("logout"), {}),
    ]
    for url, data in writes:
        response = client.post(url, data)
        assert response.status_code == 403 and "Skjemaet er utløpt" in response.content.decode(), url
    api = client.put(f"/api/submissions/{sub.pk}/narratives/chapter:opening", {"text": "x", "version": 0},
                     content_type="application/json")
    assert api.status_code == 403
    sub.refresh_from_db()
    assert sub.state == "draft" and not Narrative.objects.exists()
    assert client.get(reverse("round-list")).status_code == 200  # still signed in


@pytest.mark.django_db
def test_stored_markup_is_shown_as_text_everywhere_it_appears(client):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    client.force_login(w.users["bergen"])
    for payload in XSS:
        narrative = Narrative.objects.filter(submission=sub, key="chapter:opening").first()
        client.post(reverse("submission-narrative", args=[sub.pk]),
                    {"key": "chapter:opening", "text": payload, "version": narrative.version if narrative else 0})
        action = action_create(user=w.users["bergen"], title=payload, description=payload, lead_unit=w.units["4601"],
                               status="planned", start=dt.date(2025, 1, 1), end=None, targets=[], partners=[])
        for url in (reverse("submission-detail", args=[sub.pk]), reverse("action-detail", args=[action.pk]),
                    reverse("action-list")):
            page = client.get(url).content.decode()
            assert payload not in page, (payload, url)


@pytest.mark.django_db(transaction=True)  # the demo is copied in whole (tests/demo_database.py)
def test_search_strings_with_query_syntax_never_fail(client):
    demo_database()
    client.force_login(get_user_model().objects.get(username="bergen"))
    assert "treff" in client.get(reverse("practice-search"), {"q": "skole"}).content.decode().lower()
    for query in SEARCH:
        web = client.get(reverse("practice-search"), {"q": query})
        api = client.get("/api/practices/search", {"q": query})
        expected = 400 if "\x00" in query else 200  # NUL is refused before the search (RejectNulMiddleware)
        assert web.status_code == expected and api.status_code in (expected, 422), (query, web.status_code, api.status_code)
    assert client.get(reverse("practice-search"), {"q": "skole"}).status_code == 200  # the table is still there


@pytest.mark.django_db
def test_paths_outside_the_data_directory_are_never_served(client):
    w = world_build()
    round_ = round_national(w)
    client.force_login(w.users["admin"])
    for path in ("../../../../etc/passwd", "/etc/passwd", "publications/../../secret_key"):
        pub = Publication.objects.create(kind="vlr", round=round_, unit=w.units["4601"], state="done", file_path=path,
                                         version=Publication.objects.count() + 1)
        assert client.get(reverse("publication-download", args=[pub.pk])).status_code == 404, path
    for url in ("/static/../../config/settings.py", "/static/%2e%2e/%2e%2e/config/settings.py",
                "/enheter/..%2F..%2Fetc%2Fpasswd/"):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
@pytest.mark.parametrize("target", REDIRECTS)
def test_redirects_never_leave_the_site(client, target):
    world_build()
    signed_in = client.post(f"{reverse('login')}?next={target}", {"username": "bergen", "password": PASSWORD,
                                                                   "next": target})
    language = client.post(reverse("set_language"), {"language": "en", "next": target})
    signed_out = client.post(reverse("logout"), {"next": target})
    for response in (signed_in, language, signed_out):
        assert response.status_code == 302 and response["Location"].startswith("/")
        assert not response["Location"].startswith(("//", "/\\")), response["Location"]
