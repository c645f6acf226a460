"""The joint actions shown in documents: a unit's actions, as a list under a goal."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _

from dugnad.publications.document import BulletList, Paragraph
from dugnad.units.models import Unit


def unit_actions(unit: Unit) -> list | None:
    """The unit's joint actions (lead, partner or funder), or None when the actions app is not installed."""
    if not apps.is_installed("dugnad.actions"):
        return None
    from dugnad.actions.selectors import actions_of_unit

    return actions_of_unit(unit)


def actions_block(actions: list | None, *, goal: int | None = None) -> BulletList | Paragraph:
    """The actions (towards targets of the goal, when given) as a list, or a note when there are none."""
    if actions is None:
        return Paragraph(text=_("Tiltaksmodulen er ikke tatt i bruk."))
    from dugnad.actions.vocab import ActionStatus, PartnerRole

    items = []
    for item in actions:
        a = item.action
        if goal is not None and goal not in {t.goal_id for t in a.targets.all()}:
            continue
        progress = f", {a.progress} %" if getattr(a, "progress", None) is not None else ""
        labels = {"action": _("Tiltak"), "role": _("rolle"), "status": _("status")}
        role = str(PartnerRole(item.role).label).lower() if item.role in PartnerRole.values else item.role
        status = str(ActionStatus(a.status).label).lower() if a.status in ActionStatus.values else a.status
        partners = ", ".join(p.party_name for p in a.partners.all() if p.pk != item.part.pk)
        with_ = f"; {_('med')} {partners}" if partners else ""
        items.append(f"{labels['action']}: {a.title} ({labels['role']}: {role}; {labels['status']}: {status}{progress}"
                     f"{with_})")
    return BulletList(items=items) if items else Paragraph(text=_("Ingen registrerte tiltak."))
