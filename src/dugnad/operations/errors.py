"""Error pages (400, 403, 404, 500, CSRF) in the site's layout and the visitor's language; JSON under /api/."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from dugnad.web.params import InvalidParameter

logger = logging.getLogger(__name__)
TEMPLATE = "operations/error.html"


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    """The error page: JSON ``{"detail": [...]}`` for the API, else HTML in the site's layout."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message or title, "problems": []}, status=status)
    context = {"status": status, "title": title, "message": message}
    try:
        body = loader.render_to_string(TEMPLATE, context, request)
    except Exception:  # the layout needs the database (e.g. the demo banner); show the page without it
        logger.exception("error page rendered without the request context")
        try:
            body = loader.render_to_string(TEMPLATE, context)
        except Exception:
            logger.exception("error page could not be rendered")
            body = f"<!doctype html><title>{status}</title><h1>{status}</h1>"
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: a parameter we could read is named with the reason; other bad requests get a general message."""
    message = str(exception) if isinstance(exception, InvalidParameter) else ""
    return _page(request, 400, _("Ugyldig forespørsel"), message or _("Forespørselen kunne ikke leses."))


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 with the reason the permission check gave."""
    return _page(request, 403, _("Ingen tilgang"), str(exception) or _("Du har ikke tilgang til denne siden."))


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 in the site's layout (never the list of URL patterns)."""
    return _page(request, 404, _("Siden finnes ikke"), _("Vi fant ikke det du lette etter. Sjekk adressen."))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """500: an apology; the traceback is in the log, never on the page."""
    return _page(request, 500, _("Noe gikk galt"),
                 _("Det oppstod en feil hos oss. Feilen er logget; prøv igjen om litt."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form without a valid CSRF token (an old tab, or cookies turned off)."""
    logger.warning("CSRF check failed: %s", reason)
    return _page(request, 403, _("Skjemaet er utløpt"),
                 _("Last siden på nytt og send skjemaet igjen. Informasjonskapsler må være slått på."))
