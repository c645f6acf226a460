"""The submission page's progress and missing list follow the saves: a small fragment the page fetches again."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.factories import round_national, submission_of, world_build

from dugnad.rounds.editing import submission_narrative_save, submission_value_save

pytestmark = pytest.mark.django_db


def test_the_progress_fragment_counts_what_is_stored_now_for_those_who_may_see_it(client):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    url = reverse("submission-progress", args=[sub.pk])
    cells = len(w.indicators) * len(sub.round.periods)
    client.force_login(w.users["bergen"])
    page = client.get(reverse("submission-detail", args=[sub.pk])).text
    assert f'data-progress-url="{url}"' in page and 'class="dg-missing"' in page
    before = client.get(url).text
    assert f"0 av {cells} celler fylt ut" in before and f"{cells} tomme celler i tallene" in before
    submission_value_save(user=w.users["bergen"], submission=sub, indicator=w.indicators[0],
                          period=sub.round.periods[-1], text="3", expected_revision=0)
    submission_narrative_save(user=w.users["bergen"], submission=sub, key="chapter:opening", text="Skrevet.", version=0)
    after = client.get(url).text
    assert f"1 av {cells} celler fylt ut" in after and f"{cells - 1} tomme celler i tallene" in after
    client.force_login(w.users["oslo"])
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
