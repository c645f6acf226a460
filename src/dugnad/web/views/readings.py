"""Web views of the shared readings of the SDG targets: the work page (propose, comment, agree, reopen), the citable
page of each version, and the list of readings the user takes part in."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dugnad.actions.selectors import actions_visible
from dugnad.actions.vocab import Visibility
from dugnad.analytics.report import InputError
from dugnad.catalogue.titles import target_title
from dugnad.common.labels import lang_key
from dugnad.readings.citation import citation, version_path
from dugnad.readings.permissions import (
    can_agree_reading,
    can_comment_reading,
    can_propose_reading,
    can_view_reading_work,
    reading_units_of,
)
from dugnad.readings.selectors import (
    indicators_of_target,
    latest_version,
    reading_get,
    reading_version_get,
    reading_work,
    readings_of_units,
    target_by_code,
    version_was_agreed,
)
from dugnad.readings.services import reading_agree, reading_comment, reading_propose, reading_reopen
from dugnad.readings.vocab import ReadingLanguage, ReadingState
from dugnad.units.selectors import unit_current
from dugnad.web.views.action_forms import form_errors_add
from dugnad.web.views.lookup import found


class ReadingForm(forms.Form):
    """A new version of a reading: the text, its language, and the indicators and joint actions that express it."""

    text = forms.CharField(label=gettext_lazy("Hva delmålet betyr her"), widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=gettext_lazy("Skriv kort hva delmålet betyr for denne enheten, og hvordan det "
                                                  "følges opp."))
    language = forms.ChoiceField(label=gettext_lazy("Språk"), choices=ReadingLanguage.choices,
                                 initial=ReadingLanguage.NB)
    indicators = forms.MultipleChoiceField(label=gettext_lazy("Indikatorer som uttrykker delmålet"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    actions = forms.MultipleChoiceField(label=gettext_lazy("Felles tiltak som uttrykker delmålet"), required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, indicators, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator_objects = {str(i.pk): i for i in indicators}
        self.action_objects = {str(a.pk): a for a in actions}
        self.fields["indicators"].choices = [(k, f"{i.code} {i.name_nb}") for k, i in self.indicator_objects.items()]
        self.fields["actions"].choices = [(k, a.title) for k, a in self.action_objects.items()]
        if not self.indicator_objects:
            del self.fields["indicators"]
        if not self.action_objects:
            del self.fields["actions"]


class CommentForm(forms.Form):
    """A comment on the latest version."""

    text = forms.CharField(label=gettext_lazy("Kommentar"), widget=forms.Textarea(attrs={"rows": 4}))


class AgreeForm(forms.Form):
    """Agreement to the version the agreeing person read."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _target_unit(code: str, unit_code: str):
    target = found(target_by_code(code), _("Ukjent delmål"))
    unit = found(unit_current(unit_code), _("Ukjent enhet"))
    return target, unit


def _choices(user, target, reading):
    """The indicators and actions offered for a version: the target's, plus those the latest version names."""
    latest = latest_version(reading) if reading else None
    indicators = {i.pk: i for i in indicators_of_target(target)}
    actions = {a.pk: a for a in actions_visible(user, target=target.code).order_by("title")}
    if latest is not None:
        indicators.update({i.pk: i for i in latest.indicators.all()})
        actions.update({a.pk: a for a in latest.actions.all()})
    return list(indicators.values()), list(actions.values()), latest


def _given(given: dict, name: str, fresh):
    """The bound form passed in (with its errors), else a fresh one."""
    form = given.get(name)
    return form if form is not None else fresh()


def _work(request: HttpRequest, target, unit, reading, **forms_given) -> HttpResponse:
    """The work page with the given forms (bound, with errors) or fresh ones."""
    user = request.user
    indicators, actions, latest = _choices(user, target, reading)
    state = ReadingState(reading.state) if reading else None
    can_propose = can_propose_reading(user, unit)
    can_comment = reading is not None and state.is_open and can_comment_reading(user, unit)
    can_agree = can_agree_reading(user, unit)
    propose_form = forms_given.get("propose_form")
    if propose_form is None and can_propose:
        initial = {"language": lang_key(get_language())}
        if latest is not None:
            initial = {"text": latest.text, "language": latest.language,
                       "indicators": [str(i.pk) for i in latest.indicators.all()],
                       "actions": [str(a.pk) for a in latest.actions.all()]}
        propose_form = ReadingForm(initial=initial, indicators=indicators, actions=actions, prefix="ny")
    versions, comments = reading_work(reading) if reading else ([], [])
    agreed = reading.agreed_version if reading else None
    lang = lang_key(get_language())
    return render(request, "web/readings/work.html", {
        "target": target, "target_title": target_title(target.code, lang), "unit": unit, "reading": reading,
        "state": state, "latest": latest, "versions": versions, "comments": comments, "agreed": agreed,
        "agreed_citation": citation(agreed, lang) if agreed else "",
        "propose_form": propose_form if can_propose else None,
        "comment_form": _given(forms_given, "comment_form", lambda: CommentForm(prefix="kommentar")) if can_comment
        else None,
        "agree_form": _given(forms_given, "agree_form", lambda: AgreeForm(initial={"version": latest.number}, prefix="enig"))
        if can_agree and state is not None and state.is_open and latest else None,
        "can_reopen": can_agree and state == ReadingState.AGREED,
        "reopen_errors": forms_given.get("reopen_errors", []),
    }, status=forms_given.get("status", 200))


def _load(request: HttpRequest, code: str, unit_code: str):
    target, unit = _target_unit(code, unit_code)
    if not can_view_reading_work(request.user, unit):
        raise PermissionDenied(_("Du har ikke tilgang til arbeidet med lesningen for denne enheten."))
    return target, unit, reading_get(code, unit)


@login_required
def reading_work_view(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    """The work on one unit's reading of one target; a POST writes a new version (editors and the agreeing role)."""
    target, unit_obj, reading = _load(request, code, unit)
    if request.method != "POST":
        return _work(request, target, unit_obj, reading)
    if not can_propose_reading(request.user, unit_obj):
        raise PermissionDenied(_("Du kan ikke foreslå en lesning for denne enheten."))
    indicators, actions, _latest = _choices(request.user, target, reading)
    form = ReadingForm(request.POST, indicators=indicators, actions=actions, prefix="ny")
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = reading_propose(
                user=request.user, target=target, unit=unit_obj, text=data["text"], language=data["language"],
                indicators=[form.indicator_objects[k] for k in data.get("indicators", [])],
                actions=[form.action_objects[k] for k in data.get("actions", [])])
        except InputError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("Versjon %(n)s av lesningen er lagret.") % {"n": version.number})
            return redirect("reading-work", code=target.code, unit=unit_obj.code)
    return _work(request, target, unit_obj, reading, propose_form=form, status=400)


def _form_post(request: HttpRequest, code: str, unit: str, *, form_class, prefix: str, name: str, write, done: str):
    """A form posted to an existing reading: ``write(reading, cleaned_data)`` runs the service; on success a message
    and back to the work page, otherwise the work page with the form's errors (service problems not tied to a
    field of the form shown above it)."""
    target, unit_obj, reading = _load(request, code, unit)
    reading = found(reading, _("Ingen lesning ennå"))
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            write(reading, form.cleaned_data)
        except InputError as exc:
            form_errors_add(form, exc, {"version": None, "state": None})
        else:
            messages.success(request, done)
            return redirect("reading-work", code=target.code, unit=unit_obj.code)
    return _work(request, target, unit_obj, reading, status=400, **{name: form})


@login_required
@require_POST
def reading_comment_view(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    """Comment on the reading's latest version (a role on the unit or above)."""
    return _form_post(request, code, unit, form_class=CommentForm, prefix="kommentar", name="comment_form",
                      write=lambda reading, data: reading_comment(user=request.user, reading=reading, text=data["text"]),
                      done=_("Kommentaren er lagret."))


@login_required
@require_POST
def reading_agree_view(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    """Agree the version the agreeing person read (the role that speaks for the unit's level)."""
    return _form_post(request, code, unit, form_class=AgreeForm, prefix="enig", name="agree_form",
                      write=lambda reading, data: reading_agree(user=request.user, reading=reading,
                                                                version_number=data["version"]),
                      done=_("Lesningen er omforent."))


@login_required
@require_POST
def reading_reopen_view(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    """Reopen an agreed reading as a proposal."""
    target, unit_obj, reading = _load(request, code, unit)
    reading = found(reading, _("Ingen lesning ennå"))
    try:
        reading_reopen(user=request.user, reading=reading)
    except InputError as exc:
        return _work(request, target, unit_obj, reading, reopen_errors=[p.reason for p in exc.report.errors],
                     status=400)
    messages.success(request, _("Lesningen er åpnet igjen som et forslag."))
    return redirect("reading-work", code=target.code, unit=unit_obj.code)


def reading_version_view(request: HttpRequest, code: str, unit: str, number: int) -> HttpResponse:
    """One version of a reading at its stable address, with its citation: public once the version has been agreed,
    otherwise only for those who follow the work."""
    _target, unit_obj = _target_unit(code, unit)
    version = found(reading_version_get(code, unit_obj, number), _("Ukjent versjon"))
    agreed = version_was_agreed(version)
    if not agreed and not can_view_reading_work(request.user, unit_obj):
        raise Http404(_("Ukjent versjon"))
    reading, lang = version.reading, lang_key(get_language())
    latest = latest_version(reading)
    return render(request, "web/readings/version.html", {
        "version": version, "reading": reading, "unit": unit_obj, "agreed": agreed,
        "target_title": target_title(code, lang), "citation": citation(version, lang),
        "address": request.build_absolute_uri(version_path(version)),
        "actions": [a for a in version.actions.all() if a.visibility == Visibility.PUBLIC],
        "newer": latest if latest and latest.number != version.number else None,
        "can_follow": can_view_reading_work(request.user, unit_obj),
    })


@login_required
def reading_list_view(request: HttpRequest) -> HttpResponse:
    """The readings of the user's units (and a form to start one: a target code and one of the user's units)."""
    units = reading_units_of(request.user)
    error, code = "", request.GET.get("delmal", "").strip()
    if code:
        unit = next((u for u in units if u.code == request.GET.get("enhet", "")), None)
        if target_by_code(code) is None:
            error = _("Ukjent delmål: %(code)s. Skriv koden som 11.6 (målnummer, punktum, delmål).") % {"code": code}
        elif unit is None:
            error = _("Velg en av enhetene dine.")
        else:
            return redirect("reading-work", code=code, unit=unit.code)
    readings = readings_of_units(units) if units else []
    return render(request, "web/readings/list.html", {"units": units, "readings": readings, "error": error,
                                                      "code": code, "chosen": request.GET.get("enhet", "")},
                  status=400 if error else 200)
