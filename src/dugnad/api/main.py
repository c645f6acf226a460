"""The HTTP API: django-ninja with session auth and CSRF, permission and input errors mapped to status codes."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import django_auth

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.api import actions, levelrequests, networks, practices, rounds, submissions, targets
from dugnad.api.throttling import AnonymousLimit, UserLimit
from dugnad.env import env
from dugnad.rounds.errors import Conflict

#: Statuses any operation can answer with an ``ErrorOut`` body, declared on every operation in the OpenAPI schema.
COMMON_ERRORS = {
    400: "The request body is not valid JSON.",
    401: "Not signed in.",
    403: "Signed in, but not allowed (or the CSRF token is missing).",
    404: "No such object.",
    422: "Invalid input; `problems` lists each problem with its location.",
    429: "Too many requests; wait and try again (see DUGNAD_API_RATE).",
}


class DugnadAPI(NinjaAPI):
    """The API, with the common error statuses declared on every operation."""

    def get_openapi_schema(self, *args, **kwargs):
        """The OpenAPI schema with every status in COMMON_ERRORS declared on each operation."""
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, text in COMMON_ERRORS.items():
                    operation["responses"].setdefault(status, {"description": text, "content": error})
        return schema


api = DugnadAPI(
    title="Dugnad API",
    version="1",
    description="Rapporteringsrunder, innleveringer, verdier, tekster og egenvurdering. "
    "Innlogging med sesjon (logg inn i nettløsningen) og CSRF-token i `X-CSRFToken` for skriving.",
    auth=django_auth,
    urls_namespace="api",
    throttle=[UserLimit(env("DUGNAD_API_RATE")), AnonymousLimit(env("DUGNAD_API_RATE"))],
)
api.add_router("/rounds", rounds.router)
api.add_router("/submissions", submissions.router)
api.add_router("/actions", actions.router)
api.add_router("/networks", networks.router)
api.add_router("/practices", practices.router)
api.add_router("/targets", targets.router)
api.add_router("/requests", levelrequests.router)


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Ingen tilgang."}, status=403)


@api.exception_handler(ObjectDoesNotExist)
def _missing(request, exc):
    return api.create_response(request, {"detail": "Finnes ikke."}, status=404)


def _invalid_response(request, report: ValidationReport):
    return api.create_response(
        request, {"detail": "; ".join(p.reason for p in report.errors), "problems": report.as_dict()["problems"]},
        status=422,
    )


@api.exception_handler(InputError)
def _invalid(request, exc: InputError):
    return _invalid_response(request, exc.report)


@api.exception_handler(ValidationError)
def _unreadable(request, exc: ValidationError):
    """Request data that does not fit the schema: the same body as other invalid input (``detail`` a string)."""
    report = ValidationReport(source="request")
    for error in exc.errors:
        report.add(str(error.get("msg", "invalid")), path=".".join(str(part) for part in error.get("loc", ())))
    return _invalid_response(request, report)


@api.exception_handler(Conflict)
def _conflict(request, exc: Conflict):
    return api.create_response(request, {
        "detail": str(exc), "current": exc.current, "current_version": exc.current_version, "yours": exc.yours,
        "changed_by": exc.changed_by,
    }, status=409)
