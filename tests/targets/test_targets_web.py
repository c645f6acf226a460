"""The target page's form: who may set which unit's target, a new version on each save, errors in the user's language."""

from __future__ import annotations

import re

import pytest

from dugnad.targets.models import LocalTarget

pytestmark = pytest.mark.django_db


def _post(client, world, user, code, **data):
    if user:
        client.force_login(world.users[user])
    form = {"indicator": str(world.indicators[0].pk), "value": "70", "year": "2030", "source": "plan",
            "rationale": "", "reference": ""} | data
    return client.post(f"/enheter/{code}/mal-2030/", form)


@pytest.mark.parametrize(("user", "code", "allowed"), [
    ("bergen", "4601", True),  # a municipal editor, its own municipality
    ("vestland", "46", True),  # the county coordinator, the county's own territory target
    ("ks", "0", True),  # the national coordinator, Norway
    ("admin", "4602", True),
    ("kinn", "4601", False),  # another municipality's editor
    ("bergen-leser", "4601", False),  # a reader
    ("vestland", "4601", False),  # a municipality's target is its own commitment
    ("ks", "46", False),
    ("bergen", "46", False),
])
def test_only_people_acting_for_the_unit_may_set_its_target(client, world, user, code, allowed):
    answer = _post(client, world, user, code)
    stored = LocalTarget.objects.filter(unit__code=code).count()
    if allowed:
        assert answer.status_code == 302 and stored == 1
    else:
        assert answer.status_code == 403 and stored == 0


def test_an_anonymous_post_goes_to_the_login_form_and_writes_nothing(client, world):
    answer = _post(client, world, None, "4601")
    assert answer.status_code == 302 and "/logg-inn/" in answer["Location"]
    assert not LocalTarget.objects.exists()


def test_saving_again_publishes_a_new_version_and_the_page_shows_the_history(client, world):
    _post(client, world, "bergen", "4601", value="70")
    _post(client, world, "bergen", "4601", value="72,5", reference="Sak 12/26")
    versions = list(LocalTarget.objects.filter(unit__code="4601").order_by("version"))
    assert [(v.version, v.value, v.superseded_at is None) for v in versions] == [(1, 70, False), (2, 72.5, True)]
    page = client.get("/enheter/4601/mal-2030/").content.decode()
    assert "Sak 12/26" in page and "erstattet" in page and 'id="mal-skjema"' in page


def test_the_page_offers_no_form_to_visitors_who_may_not_set_the_target(client, world):
    assert 'id="mal-skjema"' not in client.get("/enheter/4601/mal-2030/").content.decode()
    client.force_login(world.users["kinn"])
    assert 'id="mal-skjema"' not in client.get("/enheter/4601/mal-2030/").content.decode()


@pytest.mark.parametrize(("language", "message"), [
    ("nb", "Målverdien må være et tall."), ("nn", "Målverdien må vere eit tal."),
    ("en", "The target value must be a number."),
])
def test_a_bad_value_is_refused_on_its_field_in_the_users_language(client, world, language, message):
    client.cookies["django_language"] = language
    answer = _post(client, world, "bergen", "4601", value="mye")
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not LocalTarget.objects.exists()


def test_a_year_out_of_range_is_refused_on_the_year(client, world):
    page = _post(client, world, "bergen", "4601", year="1999").content.decode()
    assert 'id="id_year-error"' in page and not LocalTarget.objects.exists()


def test_the_dashboard_and_the_public_unit_page_show_distance_to_the_units_own_target(client, world):
    from dugnad.portal.snapshot import forget_snapshot
    from dugnad.scores.models import IndicatorScore, ScoreRun
    from dugnad.targets.vocab import CommitmentSource

    rate, count, _lower = world.indicators
    run = ScoreRun.objects.create(method="sdsn", method_version="1", year=2025, data_revision="x", fingerprint="y",
                                  status="done")
    IndicatorScore.objects.create(run=run, unit=world.units["4601"], indicator=rate, goal=3, year=2025, value=71.5,
                                  score=50.0, colour="orange", trend="on_track")
    _post(client, world, "bergen", "4601", value="80")
    LocalTarget.objects.create(unit=world.units["4601"], indicator=count, value=12, source=CommitmentSource.DEMO,
                               is_demo=True)
    forget_snapshot()
    dashboard = client.get("/enheter/4601/dashbord/").content.decode()
    assert "Avstand til egne mål for 2030" in dashboard
    section = dashboard[dashboard.index("Avstand til egne mål for 2030"):]
    row = re.search(r"<tr><th scope=\"row\">T-A.*?</tr>", section, re.S).group(0)
    assert "71,5" in row and "(2025)" in row and ">8,5" in row  # 80 − 71.5 still to go
    assert re.search(r"T-B[^<]*<span class=\"tag\">Demodata", section)
    client.logout()
    public = client.get("/enheter/4601/").content.decode()
    assert "Avstand til egne mål for 2030" in public and ">8,5" in public
    assert "Avstand til egne mål for 2030" not in client.get("/enheter/4602/").content.decode()


@pytest.mark.parametrize(("lang", "name"), [("nb", "Andel røykere"), ("nn", "Del røykjarar"), ("en", "Share of smokers")])
def test_the_target_page_names_indicators_in_the_page_language(client, world, lang, name):
    indicator = world.indicators[0]
    indicator.name_nb, indicator.name_nn, indicator.name_en = "Andel røykere", "Del røykjarar", "Share of smokers"
    indicator.save()
    assert _post(client, world, "bergen", "4601").status_code == 302
    client.cookies["django_language"] = lang
    page = client.get("/enheter/4601/mal-2030/").content.decode()
    assert f"{indicator.code} {name} – 2030" in page
