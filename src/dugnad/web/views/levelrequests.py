"""Web pages of requests across levels: the requests sent by and addressed to my units, a form to send one, and a
page to answer and change its status (all writes through ``dugnad.requests.services``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dugnad.analytics.report import InputError
from dugnad.requests.permissions import can_answer_request, units_answered_by, units_sending_for
from dugnad.requests.selectors import request_get, requests_list
from dugnad.requests.services import request_send, request_status_set
from dugnad.requests.vocab import RequestLevel, RequestStatus
from dugnad.units.selectors import units_current
from dugnad.web.views.action_forms import form_errors_add
from dugnad.web.views.lookup import found
from dugnad.web.views.request_forms import RequestForm, RequestStatusForm

#: The button of each next status on the answer page.
STATUS_BUTTONS = {
    RequestStatus.RECEIVED: gettext_lazy("Marker som mottatt"),
    RequestStatus.ANSWERED: gettext_lazy("Send svar"),
    RequestStatus.DECLINED: gettext_lazy("Avvis"),
    RequestStatus.FOLLOWED_UP: gettext_lazy("Marker som fulgt opp"),
}


def _status_choice(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in RequestStatus.values else ""


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The requests sent by the units the user edits, and those addressed to the units whose requests the user answers."""
    status = _status_choice(request)
    senders, answered = list(units_sending_for(request.user)), units_answered_by(request.user)
    return render(request, "web/requests/list.html", {
        "sent": requests_list(from_units=senders, status=status)[:200],
        "received": requests_list(to_units=answered, status=status)[:200],
        "can_send": bool(senders), "status": status, "statuses": RequestStatus.choices,
    })


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Send a request from one of the user's units to another level (403 for users who edit no unit)."""
    senders = list(units_sending_for(request.user))
    if not senders:
        raise PermissionDenied(_("Du kan ikke sende henvendelser: du er ikke redaktør for noen enhet."))
    form = RequestForm(request.POST or None, senders=senders)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                sent = request_send(user=request.user, from_unit=data["sender"], to_level=data["to_level"],
                                    to_unit=data["receiver"], to_body=data["to_body"], title=data["title"],
                                    text=data["text"], targets=data["target_list"], indicators=data["indicator_list"])
            except InputError as exc:
                form_errors_add(form, exc, {"to_level": "to_level", "title": "title"})
            else:
                messages.success(request, _("Henvendelsen er sendt til %(unit)s.") % {"unit": sent.to_unit.name})
                return redirect("request-detail", request_id=sent.pk)
        status = 422
    return render(request, "web/requests/new.html", {
        "form": form, "municipalities": units_current(levels=("municipality",)),
    }, status=status)


@login_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """One request with its answer; the receiving level's coordinators get the answer form and status buttons."""
    item = found(request_get(request_id, user=request.user), _("Henvendelsen finnes ikke."))
    can_answer = can_answer_request(request.user, item)
    buttons = [(s, STATUS_BUTTONS[RequestStatus(s)]) for s in RequestStatus(item.status).next_statuses] if can_answer else []
    form = RequestStatusForm(initial={"answer": item.answer}) if buttons else None
    return render(request, "web/requests/detail.html", {
        "item": item, "form": form, "buttons": buttons, "status": RequestStatus(item.status),
        "level": RequestLevel(item.to_level),
    })


@login_required
@require_POST
def request_status(request: HttpRequest, request_id: int) -> HttpResponse:
    """Move a request along with the button pressed (and the answer); errors come back on the request's page."""
    item = found(request_get(request_id, user=request.user), _("Henvendelsen finnes ikke."))
    if not can_answer_request(request.user, item):
        raise PermissionDenied(_("Du kan ikke svare på denne henvendelsen."))
    form = RequestStatusForm(request.POST)
    form.is_valid()
    wanted = request.POST.get("status", "")
    try:
        request_status_set(user=request.user, request=item, status=wanted, answer=form.cleaned_data.get("answer"))
    except InputError as exc:
        form_errors_add(form, exc)
        buttons = [(s, STATUS_BUTTONS[RequestStatus(s)]) for s in RequestStatus(item.status).next_statuses]
        item = request_get(request_id, user=request.user)
        return render(request, "web/requests/detail.html", {
            "item": item, "form": form, "buttons": buttons, "status": RequestStatus(item.status),
            "level": RequestLevel(item.to_level)}, status=422)
    messages.success(request, _("Henvendelsen har nå status «%(status)s».") % {"status": RequestStatus(wanted).label})
    return redirect("request-detail", request_id=item.pk)
