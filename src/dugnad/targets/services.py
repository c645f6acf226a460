"""Writes of local targets: setting a target supersedes the version in force."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dugnad.targets.models import LocalTarget
from dugnad.targets.permissions import can_set_target
from dugnad.targets.vocab import DEFAULT_TARGET_YEAR, CommitmentSource


@transaction.atomic
def target_set(
    *, user, unit, indicator, value: float, year: int = DEFAULT_TARGET_YEAR, rationale: str = "",
    source: CommitmentSource | str = CommitmentSource.PLAN, reference: str = "", is_demo: bool = False,
) -> LocalTarget:
    """Set the unit's target for the indicator and year; the previous version (if any) is superseded, kept as history.

    Raises PermissionDenied unless the user holds an editing role on the unit, ValidationError on a bad value or
    year (keyed by the field: ``value``, ``year``).
    """
    if not can_set_target(user, unit):
        raise PermissionDenied(_("Du kan bare sette mål for en enhet der du er redaktør eller koordinator."))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({"value": _("Målverdien må være et tall.")}) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError({"value": _("Målverdien må være et tall.")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Målåret må være mellom 2000 og 2100.")})
    history = LocalTarget.objects.select_for_update().filter(unit=unit, indicator=indicator, year=year)
    last = history.order_by("-version").first()
    history.in_force().update(superseded_at=timezone.now())
    return LocalTarget.objects.create(
        unit=unit, indicator=indicator, value=number, year=year, rationale=rationale, source=CommitmentSource(source),
        reference=reference, version=(last.version + 1) if last else 1, created_by=user if getattr(user, "pk", None) else None,
        is_demo=is_demo,
    )
