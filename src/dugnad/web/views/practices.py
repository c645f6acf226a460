"""Web views of the good-practice library (search with facets, one case) and peer suggestions for a unit."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dugnad.catalogue.selectors import indicator_get
from dugnad.networks.peers import WEAK_COLOURS, peer_suggestions
from dugnad.practices.selectors import case_get, cases_recent, practices_search
from dugnad.scores.selectors import unit_indicator_scores
from dugnad.units.selectors import unit_current
from dugnad.web.params import int_param
from dugnad.web.views.action_forms import SearchForm
from dugnad.web.views.lookup import found


def practice_search(request: HttpRequest) -> HttpResponse:
    """Search the library in Norwegian; facets by goal, county and size link to filtered searches."""
    form = SearchForm(request.GET or None)
    result, facet_links = None, {}
    if form.is_valid():
        data = form.cleaned_data
        query = data["q"] or ""
        if query.strip():
            result = practices_search(query, goal=data["goal"], county=data["county"], size=data["size"])
            base = {k: v for k, v in {"q": query, "goal": data["goal"] or "", "county": data["county"],
                                      "size": data["size"]}.items() if v}
            for facet, rows in result.facets.items():
                facet_links[facet] = [(label, n, "?" + urlencode({**base, facet: code}), str(base.get(facet, "")) == code)
                                      for code, label, n in rows]
    recent = cases_recent() if result is None else []
    return render(request, "web/practices/search.html", {"form": form, "result": result, "facet_links": facet_links,
                                                         "recent": recent})


def practice_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """One good-practice case with its indicator evidence."""
    case = found(case_get(case_id), _("Eksempelet finnes ikke."))
    return render(request, "web/practices/detail.html", {"case": case})


def peer_suggestions_view(request: HttpRequest, code: str) -> HttpResponse:
    """For a unit: its red and orange indicators to choose from, and suggestions from similar units doing well."""
    unit = found(unit_current(code), _("Ukjent enhet"))
    weak = [s for s in unit_indicator_scores(unit) if s.colour in WEAK_COLOURS]
    indicator_id = int_param(request.GET, "indikator", minimum=1)
    suggestions = None
    if indicator_id is not None:
        indicator = found(indicator_get(indicator_id), _("Ukjent indikator"))
        suggestions = peer_suggestions(unit, indicator, user=request.user)
    return render(request, "web/practices/peers.html", {"unit": unit, "weak": weak, "suggestions": suggestions,
                                                        "indicator_id": indicator_id})
