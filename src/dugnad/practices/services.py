"""Writes of the good-practice library: add and delete cases, kept indexed for search."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from dugnad.accounts.permissions import is_administrator
from dugnad.actions.permissions import can_act_for
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.practices.models import CaseEvidence, PracticeCase
from dugnad.practices.search import backend, case_keywords


def _validate(report: ValidationReport, *, title: str, summary: str, contact_email: str, tags) -> None:
    if not (title or "").strip():
        report.add(_("Tittel mangler."), column="title")
    if not (summary or "").strip():
        report.add(_("Beskriv hva som ble gjort."), column="summary")
    if contact_email and "@" not in contact_email:
        report.add(_("Ugyldig e-postadresse."), column="contact_email", value=contact_email)
    if not isinstance(tags, list | tuple) or not all(isinstance(t, str) for t in tags):
        report.add(_("Stikkord må være en liste med tekster."), column="tags")


def case_index(cases: Iterable[PracticeCase]) -> int:
    """Refresh the stored keywords and the search index of cases; returns how many."""
    cases = list(cases)
    changed = []
    for case in cases:
        keywords = case_keywords(case)
        if keywords != case.keywords:
            case.keywords = keywords
            changed.append(case)
    PracticeCase.objects.bulk_update(changed, ["keywords"], batch_size=1000)
    backend().index(cases)
    return len(cases)


@transaction.atomic
def case_create(
    *, user, title: str, summary: str, results: str = "", unit=None, organisation=None, action=None,
    year: int | None = None, contact_name: str = "", contact_email: str = "", targets: Iterable = (),
    tags: Iterable[str] = (), evidence: Iterable[dict] = (), is_demo: bool = False,
) -> PracticeCase:
    """Add a case to the library (someone acting for its unit, or an administrator) and index it."""
    if not (is_administrator(user) or (unit is not None and can_act_for(user, unit))):
        raise PermissionDenied(_("Du kan bare dele eksempler fra din egen enhet."))
    tags, evidence = list(tags), list(evidence)
    report = ValidationReport(source="eksempel")
    _validate(report, title=title, summary=summary, contact_email=contact_email, tags=tags)
    for row, e in enumerate(evidence, start=1):
        for key in ("indicator", "before_period", "before_value", "after_period", "after_value"):
            if e.get(key) in (None, ""):
                report.add(_("Mangler i indikatorbevis."), row=row, column=key)
    if not report.ok:
        raise InputError(report)
    case = PracticeCase.objects.create(title=title.strip(), summary=summary, results=results, unit=unit,
                                       organisation=organisation, action=action, year=year, contact_name=contact_name,
                                       contact_email=contact_email, tags=tags, created_by=user, is_demo=is_demo)
    case.targets.set(list(targets))
    CaseEvidence.objects.bulk_create([CaseEvidence(case=case, **e) for e in evidence])
    case_index([case])
    return case


@transaction.atomic
def case_delete(*, user, case: PracticeCase) -> None:
    """Remove a case from the library and the index."""
    if not (is_administrator(user) or (case.unit_id and can_act_for(user, case.unit))):
        raise PermissionDenied(_("Du kan ikke slette dette eksempelet."))
    pk = case.pk
    case.delete()
    backend().remove([pk])


@transaction.atomic
def library_reindex() -> int:
    """Rebuild the search index of every case."""
    return case_index(PracticeCase.objects.select_related("unit").prefetch_related("targets"))
