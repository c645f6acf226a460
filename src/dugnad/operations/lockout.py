"""Sign-in throttling with django-axes: the client's address, and the 429 answer to a locked-out sign-in (audited)."""

from __future__ import annotations

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dugnad.env import env_int
from dugnad.rounds.audit import audit_record

LOCKED_OUT_STATUS = 429
#: The longest user name counted (Django's own limit); longer ones are cut so axes' records always fit the column.
USERNAME_LENGTH = 150


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before the password check; sign-ins without a request (scripts, the test client's
    ``login``) come from no client address and are left to the password check alone."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        """Refuse a locked-out user name or address; otherwise let the next backend check the password."""
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the entry DUGNAD_PROXY_COUNT proxies back in X-Forwarded-For."""
    proxies = env_int("DUGNAD_PROXY_COUNT")
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies > 0 and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The user name tried, cut to USERNAME_LENGTH characters (a 5,000-character one must not fail the sign-in)."""
    source = credentials or getattr(request, "data", request.POST)
    return str(source.get("username") or "")[:USERNAME_LENGTH]


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """429 with a message saying how long to wait; the refused sign-in is written to the audit log."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    username = get_client_username(request, credentials) or ""
    audit_record(user=None, action="login_locked_out", object_type="login", object_key=username or client_address(request),
                 after={"username": username, "address": client_address(request), "wait_seconds": seconds})
    response = render(request, "operations/locked_out.html", {"minutes": max(1, math.ceil(seconds / 60))},
                      status=LOCKED_OUT_STATUS)
    response["Retry-After"] = str(seconds)
    return response
