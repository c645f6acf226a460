"""Whole public pages kept for anonymous visitors (``dugnad.web.public_cache``): served without a render, never to a
signed-in visitor, with each visitor's own CSRF token, and renewed when the data, a reading or a target changes."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from tests.factories import UserFactory
from tests.web.test_portal_pages import scored  # noqa: F401  (fixture)

from dugnad.portal.snapshot import forget_snapshot
from dugnad.portal.tokens import LIVE
from dugnad.targets.models import LocalTarget
from dugnad.web.public_cache import CSRF_PLACEHOLDER, warm_pages

pytestmark = pytest.mark.django_db


def _kept_keys() -> list[str]:
    return [key for key in cache._cache if "public-page:" in key]  # the test settings' LocMemCache


def _without_token(response) -> str:
    """The page with its CSRF token (masked anew for every response) left out."""
    return re.sub(r'[A-Za-z0-9]{64}', "TOKEN", response.content.decode())


def test_a_second_anonymous_view_is_answered_from_the_cache_without_queries(client, scored,  # noqa: F811
                                                                               django_assert_num_queries):
    first = client.get("/enheter/4601/")
    assert first.status_code == 200 and len(_kept_keys()) == 1
    with django_assert_num_queries(0):
        second = client.get("/enheter/4601/")
    assert second.status_code == 200 and _without_token(second) == _without_token(first)
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == first["X-Frame-Options"] == "DENY"
    assert int(second["Content-Length"]) == len(second.content)


def test_each_visitor_gets_a_csrf_token_that_works_for_the_language_form(scored):  # noqa: F811
    Client().get("/mal/3/")  # someone else's visit keeps the page
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/mal/3/")
    assert CSRF_PLACEHOLDER not in page.content and "csrftoken" in page.cookies
    html = page.content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    switched = visitor.post("/i18n/setlang/", {"language": "en", "next": "/mal/3/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    assert "lang=\"en\"" in visitor.get("/mal/3/").content.decode()


def test_languages_are_kept_apart(client, scored):  # noqa: F811
    nb = client.get("/enheter/4601/", headers={"accept-language": "nb"}).content.decode()
    en = Client().get("/enheter/4601/", headers={"accept-language": "en"}).content.decode()
    assert 'lang="nb"' in nb and 'lang="en"' in en and len(_kept_keys()) == 2


def test_signed_in_visitors_and_htmx_requests_are_never_answered_from_the_cache(client, scored):  # noqa: F811
    Client().get("/enheter/4601/")
    user = UserFactory(username="kari")
    client.force_login(user)
    signed_in = client.get("/enheter/4601/").content.decode()
    assert "Logg ut" in signed_in and "kari" in signed_in
    assert len(_kept_keys()) == 1  # the signed-in page was not kept either
    Client().get("/enheter/4601/", headers={"hx-request": "true"})
    assert len(_kept_keys()) == 1


def test_a_saved_local_target_shows_at_once_on_the_kept_unit_page(client, scored):  # noqa: F811
    assert "Avstand til egne mål" not in client.get("/enheter/4601/").content.decode()
    before = LIVE.current()
    LocalTarget.objects.create(unit=scored.units["4601"], indicator=scored.indicators[0], value=12.0, year=2030)
    assert LIVE.current() != before and cache.get(LIVE.key) is not None
    assert "Avstand til egne mål" in client.get("/enheter/4601/").content.decode()


def test_new_data_give_a_new_page(client, scored):  # noqa: F811
    from dugnad.observations.models import Observation
    from dugnad.scores.models import IndicatorScore

    assert "987,5" not in client.get("/enheter/4601/").content.decode()
    IndicatorScore.objects.filter(unit=scored.units["4601"]).update(value=987.5)
    Observation.objects.create(unit=scored.units["4601"], indicator=scored.indicators[0], period="2026", value=987.5,
                               status="ok")  # a new row moves the data revision on
    forget_snapshot()  # instead of waiting the few seconds a process trusts its last look at the revision
    assert "987,5" in client.get("/enheter/4601/").content.decode()


def test_warming_renders_every_public_page_once(scored):  # noqa: F811
    first = warm_pages(host="testserver", languages=("nb", "en"))
    assert first.failed == [] and first.rendered > 10 and first.already == 0
    assert len(_kept_keys()) == first.rendered
    again = warm_pages(host="testserver", languages=("nb", "en"))
    assert again.rendered == 0 and again.already == first.rendered


def test_an_edited_action_title_or_network_name_shows_on_the_kept_unit_page(client, scored):  # noqa: F811
    """An edit of an existing action or network moves the data revision on (``portal.tokens.EDITS``), so the snapshot,
    the page's cached fragments and the kept page are all renewed. No service edits a title (the admin does: a model
    save); ``action_status_set`` is the service path."""
    from dugnad.actions.services import action_create, action_status_set
    from dugnad.networks.models import Network, NetworkMember
    from dugnad.portal.snapshot import current_revision

    bergen = scored.users["bergen"]
    action = action_create(user=bergen, title="Felles løft", lead_unit=scored.units["4601"])
    network = Network.objects.create(name="Vestlandsnettverket")
    NetworkMember.objects.create(network=network, unit=scored.units["4601"])
    forget_snapshot()
    html = client.get("/enheter/4601/").content.decode()
    assert "Felles løft" in html and "Vestlandsnettverket" in html

    action.title = "Felles løft for folkehelsa"
    action.save()
    network.name = "Nettverk for berekraft"
    network.save()
    forget_snapshot()
    html = client.get("/enheter/4601/").content.decode()
    assert "Felles løft for folkehelsa" in html and "Nettverk for berekraft" in html
    assert "Vestlandsnettverket" not in html

    before = current_revision()
    action_status_set(user=bergen, action=action, status="ongoing")
    forget_snapshot()
    assert current_revision() != before


def test_the_revision_stays_while_a_publication_is_built_and_moves_when_it_is_finished_or_deleted(scored):  # noqa: F811
    from dugnad.portal.snapshot import data_revision
    from dugnad.publications.models import Publication
    from dugnad.rounds.models import Round

    round_ = Round.objects.create(title="R", year=2025, deadline="2025-12-31", scope_unit=scored.units["0"])
    publication = Publication.objects.create(kind="vlr", round=round_, unit=scored.units["4601"], state="running")
    before = data_revision()
    publication.progress = "Diagrammer"
    publication.save()
    assert data_revision() == before
    publication.state = "done"
    publication.save()
    done = data_revision()
    assert done != before
    publication.delete()
    assert data_revision() != done
    cache.clear()  # the token lost with the cache: a new revision, never an old one
    assert data_revision() not in {before, done}
