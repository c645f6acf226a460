"""The HTTP API: django-ninja with session auth and CSRF, permission and input errors mapped to status codes."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from ninja import NinjaAPI
from ninja.security import django_auth

from dugnad.analytics.report import InputError
from dugnad.api import actions, networks, practices, rounds, submissions
from dugnad.rounds.errors import Conflict

api = NinjaAPI(
    title="Dugnad API",
    version="1",
    description="Rapporteringsrunder, innleveringer, verdier, tekster og egenvurdering. "
    "Innlogging med sesjon (logg inn i nettløsningen) og CSRF-token i `X-CSRFToken` for skriving.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/rounds", rounds.router)
api.add_router("/submissions", submissions.router)
api.add_router("/actions", actions.router)
api.add_router("/networks", networks.router)
api.add_router("/practices", practices.router)


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Ingen tilgang."}, status=403)


@api.exception_handler(ObjectDoesNotExist)
def _missing(request, exc):
    return api.create_response(request, {"detail": "Finnes ikke."}, status=404)


@api.exception_handler(InputError)
def _invalid(request, exc: InputError):
    report = exc.report.as_dict()
    return api.create_response(
        request, {"detail": "; ".join(p.reason for p in exc.report.errors), "problems": report["problems"]}, status=422
    )


@api.exception_handler(Conflict)
def _conflict(request, exc: Conflict):
    return api.create_response(request, {
        "detail": str(exc), "current": exc.current, "current_version": exc.current_version, "yours": exc.yours,
        "changed_by": exc.changed_by,
    }, status=409)
