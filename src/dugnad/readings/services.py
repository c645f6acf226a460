"""Writes of the shared readings, each checked against the user's role on the unit (see ``permissions``).

The state machine: a first proposal makes the reading «Foreslått»; the first comment moves it to «Til diskusjon»;
the agreeing role makes the latest version «Omforent»; a new proposal on an agreed reading (or «Gjenåpne») reopens
it as «Foreslått». Every edit is a new immutable version. Errors are in the active language.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.readings.models import Reading, ReadingAgreement, ReadingComment, ReadingVersion
from dugnad.readings.permissions import can_agree_reading, can_comment_reading, can_propose_reading
from dugnad.readings.vocab import ReadingLanguage, ReadingLevel, ReadingState

#: Longest text of a version or comment (characters).
MAX_TEXT = 20000


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _move(reading: Reading, state: str) -> None:
    """Move the reading to ``state`` when the state machine allows it (InputError otherwise)."""
    current = ReadingState(reading.state)
    if state not in current.next_states:
        report = ValidationReport()
        report.add(_("Kan ikke gå fra «%(from)s» til «%(to)s».") % {"from": current.label,
                                                                    "to": ReadingState(state).label},
                   column="state", value=str(state))
        raise InputError(report)
    reading.state = state


def _text_check(report: ValidationReport, text: str, column: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        report.add(missing, column=column)
    elif len(text) > MAX_TEXT:
        report.add(_("Teksten er for lang (høyst %(n)s tegn).") % {"n": MAX_TEXT}, column=column, value=str(len(text)))
    return text


@transaction.atomic
def reading_propose(*, user, target, unit, text: str, language: str = ReadingLanguage.NB, indicators: Iterable = (),
                    actions: Iterable = (), is_demo: bool = False) -> ReadingVersion:
    """Write a new version of the unit's reading of the target (the first makes the reading).

    A proposal on an agreed reading reopens it («Foreslått»); otherwise the state is kept. Editors of the unit and
    the agreeing role only.
    """
    if not can_propose_reading(user, unit):
        raise PermissionDenied(_("Du kan ikke foreslå en lesning for denne enheten."))
    report = ValidationReport()
    if target is None:
        report.add(_("Ukjent delmål."), column="target")
    level = ReadingLevel.of_unit(unit)
    if level is None:
        report.add(_("Denne enheten kan ikke ha en lesning."), column="unit", value=unit.code)
    if language not in ReadingLanguage.values:
        report.add(_("Ukjent språk."), column="language", value=str(language))
    text = _text_check(report, text, "text", _("Skriv hva delmålet betyr her."))
    if report.problems:
        raise InputError(report)
    reading, created = Reading.objects.select_for_update().get_or_create(
        target=target, unit=unit, defaults={"level": level, "is_demo": is_demo})
    if not created and reading.state == ReadingState.AGREED:
        _move(reading, ReadingState.PROPOSED)
    number = (reading.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReadingVersion.objects.create(reading=reading, number=number, text=text, language=language,
                                            author=_user(user))
    version.indicators.set(list(indicators))
    version.actions.set(list(actions))
    reading.save()
    return version


@transaction.atomic
def reading_comment(*, user, reading: Reading, text: str) -> ReadingComment:
    """Comment on the reading's latest version; the first comment moves a proposal to «Til diskusjon».

    Anyone with a role on the unit or above it; not on an agreed reading (propose a new version to reopen it).
    """
    if not can_comment_reading(user, reading.unit):
        raise PermissionDenied(_("Du kan ikke kommentere lesningen for denne enheten."))
    reading = Reading.objects.select_for_update().get(pk=reading.pk)
    report = ValidationReport()
    if reading.state == ReadingState.AGREED:
        report.add(_("Lesningen er omforent; foreslå en ny versjon for å åpne den igjen."), column="state")
    text = _text_check(report, text, "text", _("Skriv en kommentar."))
    if report.problems:
        raise InputError(report)
    latest = reading.versions.order_by("-number").first()
    comment = ReadingComment.objects.create(reading=reading, version=latest, author=_user(user), text=text)
    if reading.state == ReadingState.PROPOSED:
        _move(reading, ReadingState.UNDER_DISCUSSION)
        reading.save()
    return comment


@transaction.atomic
def reading_agree(*, user, reading: Reading, version_number: int | None = None) -> ReadingAgreement:
    """Agree the reading's latest version («Omforent»): the national coordinator for the national reading, the county
    coordinator for the county's, a municipal editor for the municipality's.

    ``version_number`` is the version the agreeing person read: when a newer one was written since, nothing is
    agreed (read the new one first).
    """
    if not can_agree_reading(user, reading.unit):
        raise PermissionDenied(_("Bare den som taler for nivået kan gjøre lesningen omforent."))
    reading = Reading.objects.select_for_update().get(pk=reading.pk)
    latest = reading.versions.order_by("-number").first()
    if version_number is not None and latest is not None and latest.number != version_number:
        report = ValidationReport()
        report.add(_("Lesningen er endret siden du åpnet den: les versjon %(n)s før du gjør den omforent.")
                   % {"n": latest.number}, column="version", value=str(version_number))
        raise InputError(report)
    _move(reading, ReadingState.AGREED)
    reading.agreed_version = latest
    reading.save()
    return ReadingAgreement.objects.create(reading=reading, version=latest, agreed_by=_user(user))


@transaction.atomic
def reading_reopen(*, user, reading: Reading) -> Reading:
    """Reopen an agreed reading as a proposal (the last agreed version stays citable and shown until a new one is
    agreed). The agreeing role only."""
    if not can_agree_reading(user, reading.unit):
        raise PermissionDenied(_("Bare den som taler for nivået kan åpne lesningen igjen."))
    reading = Reading.objects.select_for_update().get(pk=reading.pk)
    _move(reading, ReadingState.PROPOSED)
    reading.save()
    return reading
