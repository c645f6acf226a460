"""The portal's charts and maps alone, for other sites to frame (``/embed/…``).

Each page holds one figure built exactly as on its portal page (the same snapshot and the same Vega-Lite spec),
with its title, alt text, table alternative, source and a link back to the full page, without the site's header
and footer. Only these pages may be framed by other sites: they send no ``X-Frame-Options`` and a
``frame-ancestors`` of ``settings.EMBED_FRAME_ANCESTORS`` (``DUGNAD_EMBED_ANCESTORS``, ``*`` by default); every
other page keeps ``X-Frame-Options: DENY`` and ``frame-ancestors 'none'``.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from dugnad.portal.selectors import (
    MAX_COMPARE_UNITS,
    default_comparison,
    indicator_years,
    parse_codes,
    portal_snapshot,
    unit_profile,
)
from dugnad.web import portal_figures as figures
from dugnad.web.public_address import public_url
from dugnad.web.views.portal import _lang, year_param


def frameable(view):
    """The view's answers may be framed by the sites of ``EMBED_FRAME_ANCESTORS`` (GET and HEAD only)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # what django-csp's ``csp_replace`` decorator sets; the list is read per request (tests override settings)
        response._csp_replace = {"frame-ancestors": list(settings.EMBED_FRAME_ANCESTORS)}
        return response

    return require_safe(xframe_options_exempt(wrapped))


def _render(request: HttpRequest, figure, page_url: str, page_title: str) -> HttpResponse:
    if figure is None:
        raise Http404(_("Ingen figur her"))
    snap = portal_snapshot()
    return render(request, "web/portal/embed.html", {
        "figure": figure, "page_url": public_url(page_url, request), "page_title": page_title,
        "revision": snap.revision, "lang": _lang()})


def _indicator(snap, framework: str, code: str):
    ind = snap.indicators.get(f"{framework}/{code}")
    if ind is None:
        raise Http404(_("Ukjent indikator"))
    return ind


@frameable
def index_map(request: HttpRequest) -> HttpResponse:
    """The front page's map: the municipalities by their index score."""
    snap, lang = portal_snapshot(), _lang()
    return _render(request, figures.goal_map(snap, None, lang, dom_id="embed-map"), reverse("home"), _("Forside"))


@frameable
def goal_map(request: HttpRequest, number: int) -> HttpResponse:
    """A goal's status map of the municipalities."""
    snap, lang = portal_snapshot(), _lang()
    if number not in snap.goals:
        raise Http404(_("Ukjent mål"))
    return _render(request, figures.goal_map(snap, number, lang, dom_id="embed-map"),
                   reverse("portal-goal", args=[number]), snap.goals[number].name(lang))


@frameable
def indicator_map(request: HttpRequest, framework: str, code: str, level: str) -> HttpResponse:
    """An indicator's map of the municipalities (``kommuner``) or counties (``fylker``), ``?ar=YYYY`` for a year."""
    if level not in ("kommuner", "fylker"):
        raise Http404(_("Ukjent nivå"))
    snap, lang = portal_snapshot(), _lang()
    ind = _indicator(snap, framework, code)
    year = year_param(request, indicator_years(snap, ind.key))
    figure = figures.indicator_map(snap, ind, lang, level="county" if level == "fylker" else "municipality",
                                   dom_id="embed-map", year=year)
    page = reverse("portal-indicator", args=[framework, code]) + (f"?ar={year}" if year else "")
    return _render(request, figure, page, ind.name(lang))


@frameable
def distribution(request: HttpRequest, framework: str, code: str) -> HttpResponse:
    """The spread of the municipalities' values on an indicator."""
    snap, lang = portal_snapshot(), _lang()
    ind = _indicator(snap, framework, code)
    year = year_param(request, indicator_years(snap, ind.key))
    figure = figures.distribution_figure(snap, ind, lang, dom_id="embed-chart", year=year)
    return _render(request, figure, reverse("portal-indicator", args=[framework, code]), ind.name(lang))


@frameable
def chart(request: HttpRequest, unit: str, framework: str, code: str) -> HttpResponse:
    """A unit's series on an indicator beside its county and the country (the chart of its unit page)."""
    snap, lang = portal_snapshot(), _lang()
    ind = _indicator(snap, framework, code)
    profile = unit_profile(snap, unit)
    if profile is None:
        raise Http404(_("Ukjent enhet"))
    line = next((line for b in profile.goals for line in b.lines if line.indicator.key == ind.key), None)
    figure = figures.line_figure(line, profile.unit, snap, lang, "embed-chart") if line else None
    page = (reverse("portal-indicator", args=[framework, code]) if profile.unit.level == "country"
            else reverse("unit-detail", args=[unit]))
    return _render(request, figure, page, profile.unit.name(lang))


@frameable
def locator(request: HttpRequest, unit: str) -> HttpResponse:
    """Where a unit lies."""
    snap, lang = portal_snapshot(), _lang()
    info = snap.units.get(unit)
    if info is None:
        raise Http404(_("Ukjent enhet"))
    return _render(request, figures.locator_figure(snap, info, lang), reverse("unit-detail", args=[unit]), info.name(lang))


@frameable
def compare(request: HttpRequest, framework: str, code: str) -> HttpResponse:
    """Bars of the chosen units (``?enheter=4601,46``; without: the compare page's example) on an indicator."""
    snap, lang = portal_snapshot(), _lang()
    ind = _indicator(snap, framework, code)
    if "enheter" in request.GET:
        units, _unknown = parse_codes(" ".join(request.GET.getlist("enheter")), snap.units, MAX_COMPARE_UNITS)
        page = reverse("portal-compare") + f"?enheter={','.join(units)}&indikatorer={framework}~{code}"
    else:  # the compare page's example (the country and the largest municipalities)
        units, page = default_comparison(snap)[0], reverse("portal-compare")
    figure = figures.compare_figure(snap, ind, [snap.units[c] for c in units], lang, "embed-chart")
    return _render(request, figure, page, _("Sammenlign"))
