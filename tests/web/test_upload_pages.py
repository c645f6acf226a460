"""«Last opp data»: who may upload, the located dry-run report, bounds, confirmation and the CSV report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import round_national, submission_of, world_build

from dugnad.observations.models import ImportRun, Observation

pytestmark = pytest.mark.django_db
URL = "/enheter/4601/last-opp/"
GOOD = "unit,indicator,year,value\n4601,T-A,2024,12.5\n4601,T-B,2024,300\n"


def upload(client, text: str, name: str = "tall.csv", url: str = URL):
    return client.post(url, {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")})


@pytest.fixture
def w():
    return world_build()


@pytest.mark.parametrize(("user", "status"), [("bergen", 200), ("vestland", 200), ("ks", 200), ("bergen-leser", 403),
                                              ("oslo", 403), ("oslo-fylke", 403)])
def test_editors_of_the_unit_and_coordinators_above_it_may_upload(client, w, user, status):
    client.force_login(w.users[user])
    assert client.get(URL).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, w):
    assert client.get(URL).status_code == 302


def test_a_file_with_an_unknown_indicator_shows_the_located_problem_and_changes_nothing(client, w):
    client.force_login(w.users["bergen"])
    response = upload(client, "unit,indicator,year,value\n4601,T-A,2024,12.5\n4601,NOPE,2024,3\n")
    page = response.content.decode()
    assert response.status_code == 200
    assert "unknown indicator code" in page and "rad 3" in page and "NOPE" in page
    assert "Importer tallene" not in page
    assert (Observation.objects.count(), ImportRun.objects.count()) == (0, 0)
    report = client.get("/enheter/4601/last-opp/rapport.csv").content.decode()
    assert ",3,indicator,,NOPE,unknown indicator code" in report


def test_a_good_file_is_checked_then_imported_on_confirmation(client, w):
    client.force_login(w.users["bergen"])
    page = upload(client, GOOD).content.decode()
    assert "2 nye" in page and "Importer tallene" in page
    assert Observation.objects.count() == 0
    response = client.post(URL, {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == "/enheter/4601/"
    assert set(Observation.objects.values_list("indicator__code", "period", "value")) == {
        ("T-A", "2024", 12.5), ("T-B", "2024", 300.0)}
    run = ImportRun.objects.get()
    assert (run.kind, run.user, run.source) == ("upload", w.users["bergen"], "tall.csv")
    again = client.post(URL, {"confirm": "1"})
    assert again.status_code == 302 and Observation.objects.count() == 2  # the kept file is used once


@pytest.mark.parametrize(("row", "message"), [
    ("0301,T-B,2024,1", "the row is for another unit"),
    ("4601,T-A,2024,140", "En prosentandel må ligge mellom 0 og 100."),
])
def test_the_grids_bounds_apply_row_by_row(client, w, row, message):
    client.force_login(w.users["vestland"])
    page = upload(client, f"unit,indicator,year,value\n4601,T-B,2024,2\n{row}\n").content.decode()
    assert message in page and "rad 3" in page
    assert "Importer tallene" not in page


def test_from_a_submission_only_the_rounds_years_are_taken(client, w):
    submission = submission_of(round_national(w), "4601")
    client.force_login(w.users["bergen"])
    url = f"{URL}?innlevering={submission.pk}"
    assert "Last opp data" in client.get(f"/innleveringer/{submission.pk}/").content.decode()
    page = upload(client, "unit,indicator,year,value\n4601,T-B,2030,2\n", url=url).content.decode()
    assert "Året er ikke med i runden." in page


def test_a_submitted_submission_takes_no_upload_as_the_grid_takes_no_value(client, w):
    submission = submission_of(round_national(w), "4601")
    submission.state = "submitted"
    submission.save(update_fields=["state"])
    client.force_login(w.users["bergen"])
    assert client.get(f"{URL}?innlevering={submission.pk}").status_code == 403
