"""«Last opp data»: a unit's file upload — dry run with the located report, then the import on confirmation.

The first post checks the file (nothing is written) and keeps it in a private temporary file named in the
session; the confirming post imports exactly that file (same checksum) all-or-nothing. The report of the last
check is downloadable as CSV.
"""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dugnad.analytics.formats import reader_formats
from dugnad.analytics.report import Problem, Severity
from dugnad.common.files import sha256_hex
from dugnad.imports.upload import MAX_UPLOAD_BYTES, can_upload, upload_forget, upload_import, upload_keep, upload_kept
from dugnad.rounds.selectors import submission_get
from dugnad.units.selectors import unit_current
from dugnad.web.figures import Cell, Column
from dugnad.web.params import int_param

_SESSION = "dugnad_upload"


class UploadForm(forms.Form):
    """The file to check and import."""

    file = forms.FileField(label=gettext_lazy("Fil med tall"),
                           help_text=gettext_lazy("CSV, Excel (XLSX), JSON-stat, SDMX eller Open SDG; kolonnene unit, "
                                                  "indicator, year, value og eventuelt status."))


def _context(request: HttpRequest, code: str):
    """The unit, the submission the upload came from (if any) and its round; 404/403 as the rules say."""
    unit = unit_current(code)
    if unit is None:
        raise Http404(_("Ukjent enhet"))
    if not can_upload(request.user, unit):
        raise PermissionDenied(_("Du kan ikke laste opp data for denne enheten."))
    submission = None
    source = request.GET if request.GET.get("innlevering") else request.POST
    submission_id = int_param(source, "innlevering")  # a 400 naming the field when it is not a whole number
    if submission_id is not None:
        submission = submission_get(submission_id)
        if submission is None or submission.unit_id != unit.pk:
            raise Http404(_("Innleveringen finnes ikke."))
        if not submission.is_editable:  # as in the grid: only a draft or returned submission in an open round
            raise PermissionDenied(_("Innleveringen kan ikke endres nå."))
    return unit, submission


def _here(unit, submission) -> str:
    """The upload page's address (with the submission it came from)."""
    url = reverse("unit-upload", args=[unit.code])
    return f"{url}?innlevering={submission.pk}" if submission else url


def _keep(data: bytes, name: str) -> dict:
    """Store the checked file privately; the session entry that names it."""
    return {"token": upload_keep(data), "name": name, "checksum": sha256_hex(data)}


def _kept(entry: dict | None) -> bytes | None:
    """The bytes of the kept file when they still match the entry's checksum."""
    return upload_kept(entry.get("token"), entry.get("checksum")) if entry else None


def _forget(entry: dict | None) -> None:
    """Remove the kept file of a session entry."""
    if entry:
        upload_forget(entry.get("token"))


@login_required
def unit_upload(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the form. POST with a file: dry run and report. POST ``confirm``: import the checked file.

    POST ``cancel``: forget the checked file (deleted at once) without importing.
    """
    unit, submission = _context(request, code)
    round_ = submission.round if submission else None
    entry = request.session.get(_SESSION)
    form = UploadForm()
    result = None
    if request.method == "POST" and request.POST.get("cancel"):
        _forget(entry)
        request.session.pop(_SESSION, None)
        messages.info(request, _("Importen er avbrutt; ingenting er lagret."))
        return redirect(_here(unit, submission))
    if request.method == "POST" and request.POST.get("confirm"):
        data = _kept(entry)
        if data is None or entry.get("unit") != unit.code:
            messages.error(request, _("Fila er ikke lenger tilgjengelig; last den opp på nytt."))
            return redirect(_here(unit, submission))
        result = upload_import(user=request.user, unit=unit, data=data, name=entry["name"], dry_run=False,
                               round_=round_)
        _forget(entry)
        request.session[_SESSION] = {"unit": unit.code, "name": entry["name"], "report": result.report.as_dict()}
        if result.ok:
            messages.success(request, _("%(name)s er importert: %(new)s nye, %(revised)s endrede og %(same)s uendrede "
                                        "verdier.") % {"name": entry["name"], "new": result.rows_inserted,
                                                        "revised": result.rows_revised, "same": result.rows_unchanged})
            return redirect(reverse("submission-detail", args=[submission.pk]) if submission
                            else reverse("unit-detail", args=[unit.code]))
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error("file", _("Fila er større enn %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES >> 20})
            else:
                data = upload.read()
                _forget(entry)
                result = upload_import(user=request.user, unit=unit, data=data, name=upload.name, dry_run=True,
                                       round_=round_)
                entry = {**_keep(data, upload.name), "unit": unit.code, "report": result.report.as_dict()} \
                    if result.ok else {"unit": unit.code, "name": upload.name, "report": result.report.as_dict()}
                request.session[_SESSION] = entry
    problems = result.report.problems if result is not None else []
    return render(request, "web/upload.html", {
        "unit": unit, "submission": submission, "form": form, "result": result,
        "columns": [Column(_("Plass")), Column(_("Kolonne")), Column(_("Verdi")), Column(_("Melding"))],
        "rows": [_row(p) for p in problems],
        "formats": ", ".join(reader_formats()), "here": _here(unit, submission),
        "can_confirm": bool(result is not None and result.ok and result.dry_run and
                            (result.rows_inserted or result.rows_revised)),
    })


def _row(problem: Problem) -> list[Cell]:
    """One problem as a table row: where (sheet, row or key), column, value and message."""
    where = ", ".join(part for part in (
        _("ark %(s)s") % {"s": problem.sheet} if problem.sheet else "",
        _("rad %(n)s") % {"n": problem.row} if problem.row is not None else "",
        problem.path or "") if part) or _("hele fila")
    message = problem.reason if problem.severity is Severity.ERROR else _("Advarsel: %(m)s") % {"m": problem.reason}
    return [Cell(where), Cell(problem.column or ""), Cell(problem.value or ""), Cell(message)]


@login_required
def unit_upload_report(request: HttpRequest, code: str) -> HttpResponse:
    """The report of the last checked or imported file, as CSV (row, sheet, column, value, message)."""
    unit, _submission = _context(request, code)
    entry = request.session.get(_SESSION) or {}
    if entry.get("unit") != unit.code or "report" not in entry:
        raise Http404(_("Ingen rapport å laste ned."))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["severity", "file", "sheet", "row", "column", "key", "value", "message"])
    for p in entry["report"].get("problems", []):
        writer.writerow([p.get("severity", ""), p.get("file") or "", p.get("sheet") or "", p.get("row") or "",
                         p.get("column") or "", p.get("path") or "", p.get("value") or "", p.get("reason", "")])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapport-{unit.code}.csv"'
    return response
