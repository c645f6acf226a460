"""Web views: the front page and a page per unit (the full UI comes with the rounds work)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from dugnad.observations.selectors import unit_indicator_table
from dugnad.rounds.selectors import rounds_of_county
from dugnad.units.selectors import current_units_by_level, unit_current


def home(request: HttpRequest) -> HttpResponse:
    """Front page: the current counties and municipalities, linked to their pages."""
    return render(request, "web/home.html", {"levels": current_units_by_level()})


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One unit's page: its stored indicators, latest value per indicator."""
    unit = unit_current(code)
    if unit is None:
        raise Http404("Ukjent enhet")
    rows = unit_indicator_table(unit, lang=(get_language() or "nb")[:2])
    county_rounds = rounds_of_county(unit, user=request.user) if unit.level.code == "county" else []
    return render(request, "web/unit_detail.html", {"unit": unit, "rows": rows, "county_rounds": county_rounds})
