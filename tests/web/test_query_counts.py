"""The pages read in a bounded number of SQL queries, whatever the number of indicators (counts, not timings)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import PASSWORD, IndicatorFactory, IndicatorSpecFactory, ObservationFactory
from tests.publications.conftest import published_world

from dugnad.rounds.models import Submission
from dugnad.scores.services import score_run_create

pytestmark = pytest.mark.django_db

#: The unit dashboard reads in at most this many queries (issue 17; it took 262 on the demo data when it rolled up per
#: indicator, 25 before the unit, the two years' populations and the registry's version were read at once).
DASHBOARD_MAX = 20
#: Every main page a signed-in user opens.
PAGE_MAX = 30


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_the_unit_dashboard_reads_in_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    published = published_world()
    client.login(username="bergen", password=PASSWORD)
    with django_assert_max_num_queries(DASHBOARD_MAX):
        html = client.get("/enheter/4601/dashbord/").content.decode()
    assert "T-A" in html and "Lignende kommuner" in html
    before = _queries(client, "/enheter/4601/dashbord/")
    goal = published.world.indicators[0].goals.first()
    for n in range(6):  # six more scored indicators must not cost one more query
        indicator = IndicatorFactory(code=f"T-X{n}")
        indicator.goals.add(goal)
        IndicatorSpecFactory(indicator=indicator, goal=goal)
        for code, unit in published.world.units.items():
            ObservationFactory(unit=unit, indicator=indicator, period="2025", value=10.0 * n + len(code))
    score_run_create(year=2025)
    html = client.get("/enheter/4601/dashbord/").content.decode()
    assert "T-X5" in html
    assert _queries(client, "/enheter/4601/dashbord/") == before


@pytest.mark.parametrize("username", ["bergen", "ks"])
def test_every_main_page_reads_in_a_bounded_number_of_queries(client, username):
    published = published_world()
    round_id = published.round.pk
    submission = Submission.objects.get(round=published.round, unit__code="4601")
    client.login(username=username, password=PASSWORD)
    pages = ["/", "/enheter/4601/", "/enheter/4601/dashbord/", "/runder/", f"/runder/{round_id}/",
             f"/innleveringer/{submission.pk}/", "/tiltak/", "/tiltak/katalog/", "/avtaler/", "/nettverk/", "/eksempler/",
             "/enheter/4601/tiltak/", "/enheter/4601/forslag/", "/mitt-arbeid/"]
    if username == "ks":
        pages += [f"/runder/{round_id}/rapporter/?type=vsr", "/enheter/46/dashbord/", "/enheter/0/",
                  f"/runder/{round_id}/paminnelser/", "/enheter/46/"]
    counts = {url: _queries(client, url) for url in pages}
    assert {url: n for url, n in counts.items() if n > PAGE_MAX} == {}
