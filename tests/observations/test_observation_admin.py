"""The admin shows observations and import runs read-only, with the run's report as a table."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.factories import make_registry, run_import

from dugnad.observations.models import ImportRun, Observation

pytestmark = pytest.mark.django_db


def test_observation_list_is_read_only(admin_client):
    make_registry()
    run_import([{"unit": "0301", "indicator": "A1", "period": "2023", "value": 1.5}])
    response = admin_client.get(reverse("admin:observations_observation_changelist"))
    assert response.status_code == 200
    assert b"0301" in response.content
    obs = Observation.objects.get()
    assert admin_client.get(reverse("admin:observations_observation_add")).status_code == 403
    page = admin_client.get(reverse("admin:observations_observation_change", args=[obs.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_failed_run_shows_its_report_as_a_table(admin_client):
    make_registry()
    run_import([{"unit": "<b>7777</b>", "indicator": "A1", "period": "2023", "value": 1.5}], provenance={"url": "x"})
    run = ImportRun.objects.get()
    page = admin_client.get(reverse("admin:observations_importrun_change", args=[run.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<table class="validation-report">' in html
    assert "unknown unit code" in html
    assert "&lt;b&gt;7777&lt;/b&gt;" in html and "<b>7777</b>" not in html
    assert admin_client.get(reverse("admin:observations_importrun_changelist")).status_code == 200
