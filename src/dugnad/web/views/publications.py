"""Web views of publications: «Lag rapport» (a background task), progress of the versions and downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from dugnad.accounts.permissions import units_visible_to
from dugnad.analytics.report import InputError
from dugnad.publications.models import Publication
from dugnad.publications.selectors import publication_file, publication_get, publication_versions
from dugnad.publications.services import can_publish, publication_request
from dugnad.publications.vocab import LANGUAGES, DocumentKind, PublicationFormat, PublicationState
from dugnad.rounds.models import Round
from dugnad.rounds.selectors import round_get
from dugnad.units.models import Unit
from dugnad.web.views.lookup import found


def _target(request: HttpRequest, round_: Round, kind: str, code: str) -> Unit | None:
    """The document's unit (None for the VSR) after checking that the user may see it."""
    visible = units_visible_to(request.user)
    if kind == DocumentKind.VSR:
        if not visible.filter(pk=round_.scope_unit_id).exists():
            raise PermissionDenied(_("Du kan ikke se den nasjonale rapporten for denne runden."))
        return None
    unit = visible.filter(code=code).select_related("level").order_by("-valid_from").first()
    if unit is None:
        raise PermissionDenied(_("Du kan ikke se rapporter for denne enheten."))
    return unit


def _kind(value: str) -> str:
    if value not in DocumentKind.values:
        raise Http404(_("Ukjent dokumenttype."))
    return value


@login_required
def publication_page(request: HttpRequest, round_id: int) -> HttpResponse:
    """A document's kept versions with the «Lag rapport» form (``?type=vlr&enhet=4601``)."""
    round_ = found(round_get(round_id), _("Runden finnes ikke."))
    kind = _kind(request.GET.get("type", DocumentKind.VLR))
    code = request.GET.get("enhet", "")
    unit = _target(request, round_, kind, code)
    return _page(request, round_, kind, unit, code)


def _page(request: HttpRequest, round_: Round, kind: str, unit: Unit | None, code: str, *, errors: list[str] = (),
          chosen: dict | None = None, status: int = 200) -> HttpResponse:
    """The page of a document's versions and its form (with the form's errors, in the user's language)."""
    versions = publication_versions(kind=kind, round_=round_, unit=unit)
    chosen = chosen or {}
    # ``report_languages``, not ``languages``: base.html's language switcher uses that name for its own list.
    return render(request, "web/publications/page.html", {
        "round": round_, "kind": kind, "kind_label": DocumentKind(kind).label, "unit": unit, "code": code,
        "versions": versions, "report_languages": LANGUAGES, "formats": PublicationFormat.choices,
        "chosen_lang": chosen.get("lang") or get_language() or "nb", "chosen_format": chosen.get("format", ""),
        "form_errors": list(errors),
        "busy": any(v.state in (PublicationState.QUEUED, PublicationState.RUNNING) for v in versions),
        "can_publish": can_publish(request.user, round_=round_, unit=unit),
    }, status=status)


def _form_errors(lang: str, fmt: str) -> list[str]:
    """What is wrong with the form's choices, said to a person (in the user's language)."""
    errors = []
    if lang not in LANGUAGES:
        errors.append(_("Velg språket rapporten skal skrives på: bokmål, nynorsk eller engelsk."))
    if fmt not in PublicationFormat.values:
        errors.append(_("Velg formatet rapporten skal lages i: PDF eller HTML."))
    return errors


@login_required
@require_POST
def publication_create(request: HttpRequest, round_id: int) -> HttpResponse:
    """Start a background task making a new version; back to the page, which shows its progress."""
    round_ = found(round_get(round_id), _("Runden finnes ikke."))
    kind = _kind(request.POST.get("type", ""))
    code = request.POST.get("enhet", "")
    unit = _target(request, round_, kind, code)
    lang, fmt = request.POST.get("lang", ""), request.POST.get("format", "")
    chosen = {"lang": lang, "format": fmt}
    errors = _form_errors(lang, fmt)
    if not errors:
        try:
            publication_request(user=request.user, kind=kind, round_=round_, unit=unit, lang=lang, fmt=fmt)
        except InputError as exc:
            errors = [_capitalised(p.reason) for p in exc.report.problems]
    if errors:
        return _page(request, round_, kind, unit, code, errors=errors, chosen=chosen, status=422)
    return redirect(f"{reverse('publication-page', args=[round_.pk])}?type={kind}&enhet={code}")


def _capitalised(text: str) -> str:
    text = str(text).strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def _visible_publication(request: HttpRequest, pk: int) -> Publication:
    pub = found(publication_get(pk), _("Rapporten finnes ikke."))
    _target(request, pub.round, pub.kind, pub.unit.code if pub.unit else "")
    return pub


@login_required
def publication_status(request: HttpRequest, pk: int) -> HttpResponse:
    """One version's row (polled by htmx while it is queued or running)."""
    pub = _visible_publication(request, pk)
    return render(request, "web/publications/_version.html", {"v": pub})


@require_safe
def publication_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file of a finished version. Finished versions are published (listed on the public portal), so anyone may
    download them; a version still queued or running is only for signed-in users who may see its unit."""
    pub = found(publication_get(pk), _("Rapporten finnes ikke."))
    if pub.state != PublicationState.DONE:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        _target(request, pub.round, pub.kind, pub.unit.code if pub.unit else "")
    path = publication_file(pub)
    if path is None:
        raise Http404(_("Filen finnes ikke (ennå)."))
    return FileResponse(path.open("rb"), as_attachment=pub.format == PublicationFormat.PDF, filename=pub.filename,
                        content_type=PublicationFormat(pub.format).content_type)
