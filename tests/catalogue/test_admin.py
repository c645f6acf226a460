"""The catalogue admin: every model has a working list page; editing a spec makes a new version."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dugnad.catalogue.models import IndicatorSpec
from dugnad.catalogue.selectors import un_indicator
from dugnad.catalogue.services import catalogue_load_snapshot, indicator_spec_save

pytestmark = pytest.mark.django_db

MODELS = ("goal", "target", "framework", "indicator", "concordance", "indicatorspec")


def test_every_catalogue_model_has_an_admin_list(admin_client):
    catalogue_load_snapshot()
    indicator_spec_save(indicator=un_indicator("3.2.1"), goal=3, upper_bound=2.0, lower_bound=25.0)
    for model in MODELS:
        response = admin_client.get(reverse(f"admin:catalogue_{model}_changelist"))
        assert response.status_code == 200, model
    indicator = un_indicator("3.2.1")
    assert admin_client.get(reverse("admin:catalogue_indicator_change", args=[indicator.pk])).status_code == 200


def test_editing_a_spec_in_the_admin_makes_a_new_version(admin_client):
    catalogue_load_snapshot()
    indicator = un_indicator("3.2.1")
    spec = indicator_spec_save(indicator=indicator, goal=3, upper_bound=2.0, lower_bound=25.0).spec
    url = reverse("admin:catalogue_indicatorspec_change", args=[spec.pk])
    data = {
        "indicator": indicator.pk, "label": "U5MR", "unit_of_measure": "", "direction": "lower", "goal": 3,
        "upper_bound": "2.0", "lower_bound": "25.0", "green": "", "red": "", "target_2030": "", "trend_from": "",
        "trend_to": "", "in_index": "on", "applies_to": "", "aggregation": "mean", "source": "", "dimensions": "[]",
        "valid_from": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    versions = list(IndicatorSpec.objects.filter(indicator=indicator).order_by("version").values_list("version", "label"))
    assert versions == [(1, ""), (2, "U5MR")]
