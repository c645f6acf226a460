"""The county mobilisation funnel: how far each municipality of a county has come, since when, and what next.

Read-only over existing data. It lives in ``publications`` because that is the lowest layer (see ``.importlinter``)
that can see rounds, networks, practices, actions and the published VLRs. Stages, in order:

invited → in a network → submitted → VLR published → partner in a joint action → target set (a local target of
its own, ``dugnad.targets``).

Each entry also says when the municipality was last invited to a network (a pending invitation) and which of the
county's networks a one-click invitation would invite it to (``networks.services.county_invite``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dugnad.publications.models import Publication
from dugnad.publications.vocab import DocumentKind, PublicationState
from dugnad.rounds.models import Submission
from dugnad.rounds.vocab import RoundState, SubmissionState
from dugnad.units.models import Unit
from dugnad.units.selectors import units_current

#: The stages in order; "none" is the start (not reached any).
STAGES = ("none", "invited", "in_network", "submitted", "vlr_published", "action_partner", "target_set")
STAGE_LABELS = {
    "none": gettext_lazy("Ikke startet"),
    "invited": gettext_lazy("Invitert"),
    "in_network": gettext_lazy("I et nettverk"),
    "submitted": gettext_lazy("Levert"),
    "vlr_published": gettext_lazy("VLR publisert"),
    "action_partner": gettext_lazy("Partner i felles tiltak"),
    "target_set": gettext_lazy("Mål satt"),
}
#: Days without a stage change after which a municipality counts as stalled.
STALLED_DAYS = 60
FUNNEL_COLUMNS = ("unit", "name", "stage", "since", "stalled", "days", "next_steps", "invited_on")


@dataclass
class FunnelEntry:
    """One municipality in the funnel: its furthest stage, the date it was reached, and suggested next steps."""

    unit: Unit
    stage: str = "none"
    since: dt.date | None = None
    reached: dict[str, dt.date] = field(default_factory=dict)
    days: int | None = None
    stalled: bool = False
    next_steps: list[str] = field(default_factory=list)
    #: The day of the newest pending network invitation, and the network.
    invited_on: dt.date | None = None
    invited_to: str = ""
    #: The county's network a one-click invitation would invite to (none: every one is joined or pending).
    invite_to: str = ""

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS[self.stage])


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _earliest(into: dict[int, dict[str, dt.date]], stage: str, pairs: Iterable[tuple[int, object]]) -> None:
    for unit_id, when in pairs:
        day = _day(when)
        if day is None:
            continue
        dates = into.setdefault(unit_id, {})
        if stage not in dates or day < dates[stage]:
            dates[stage] = day


def _reached(ids: list[int]) -> dict[int, dict[str, dt.date]]:
    """Per unit id: the first date each stage was reached."""
    out: dict[int, dict[str, dt.date]] = {}
    # taking part in a round counts as invited, from the day the round was opened
    _earliest(out, "invited", Submission.objects.filter(unit_id__in=ids).values_list("unit_id", "round__created_at"))
    _earliest(out, "submitted", Submission.objects.filter(unit_id__in=ids, submitted_at__isnull=False)
              .values_list("unit_id", "submitted_at"))
    _earliest(out, "vlr_published", Publication.objects.filter(
        unit_id__in=ids, kind=DocumentKind.VLR, state=PublicationState.DONE).values_list("unit_id", "finished_at"))
    if apps.is_installed("dugnad.networks"):
        from dugnad.networks.models import Invitation, NetworkMember

        _earliest(out, "invited", Invitation.objects.filter(unit_id__in=ids).values_list("unit_id", "created_at"))
        _earliest(out, "in_network", NetworkMember.objects.filter(unit_id__in=ids).values_list("unit_id", "joined_on"))
        if apps.is_installed("dugnad.actions"):
            from dugnad.actions.models import ActionPartner

            _earliest(out, "action_partner", ActionPartner.objects.filter(
                unit_id__in=ids, action__networks__isnull=False).values_list("unit_id", "action__created_at"))
    if apps.is_installed("dugnad.targets"):
        from dugnad.targets.selectors import targets_first_set

        _earliest(out, "target_set", targets_first_set(ids).items())
    return out


def _suggestions(county: Unit, entries: list[FunnelEntry]) -> None:
    """Next steps in words for each stalled municipality: a reminder, an invitation, a peer's good practice."""
    stalled = [e for e in entries if e.stalled]
    if not stalled:
        return
    ids = [e.unit.pk for e in stalled]
    drafts: dict[int, str] = {}
    for unit_id, title in (Submission.objects.filter(
            unit_id__in=ids, round__state=RoundState.OPEN, state__in=(SubmissionState.DRAFT, SubmissionState.RETURNED))
            .order_by("round__deadline").values_list("unit_id", "round__title")):
        drafts.setdefault(unit_id, title)
    networks, members, pending, cases = [], set(), {}, []
    if apps.is_installed("dugnad.networks"):
        from dugnad.networks.models import Invitation, Network, NetworkMember
        from dugnad.networks.vocab import InvitationState

        networks = list(Network.objects.filter(lead_unit=county).order_by("name"))
        members = set(NetworkMember.objects.filter(network__in=networks, unit_id__in=ids)
                      .values_list("network_id", "unit_id"))
        for unit_id, name in (Invitation.objects.filter(unit_id__in=ids, state=InvitationState.PENDING)
                              .order_by("created_at").values_list("unit_id", "network__name")):
            pending.setdefault(unit_id, name)
    if apps.is_installed("dugnad.practices"):
        from dugnad.practices.models import PracticeCase

        cases = list(PracticeCase.objects.filter(unit__parent=county).select_related("unit")
                     .order_by("-created_at", "pk")[:50])
    for e in stalled:
        if e.unit.pk in drafts:
            e.next_steps.append(_("Send en påminnelse: utkastet i «%(round)s» er ikke levert.") % {
                "round": drafts[e.unit.pk]})
        if e.unit.pk in pending:
            e.next_steps.append(_("Følg opp invitasjonen til «%(network)s».") % {"network": pending[e.unit.pk]})
        else:
            free = next((n for n in networks if (n.pk, e.unit.pk) not in members), None)
            if free is not None:
                e.next_steps.append(_("Inviter kommunen til «%(network)s».") % {"network": free.name})
        case = next((c for c in cases if c.unit_id != e.unit.pk), None)
        if case is not None:
            e.next_steps.append(_("Lær av %(peer)s: «%(case)s».") % {"peer": case.unit.name, "case": case.title})


def county_funnel(county: Unit, *, stalled_days: int = STALLED_DAYS, today: dt.date | None = None) -> list[FunnelEntry]:
    """Every current municipality of the county, by code: furthest stage, since when, stalled or not, next steps.

    Stalled: not at the last stage and no stage reached for ``stalled_days`` days (or none reached at all).
    """
    today = today or timezone.localdate()
    municipalities = list(units_current(parents=[county], levels=["municipality"]))
    reached = _reached([m.pk for m in municipalities])
    entries = []
    for m in municipalities:
        dates = reached.get(m.pk, {})
        e = FunnelEntry(unit=m, reached=dates)
        for stage in reversed(STAGES[1:]):
            if stage in dates:
                e.stage, e.since = stage, dates[stage]
                break
        e.days = (today - e.since).days if e.since else None
        e.stalled = e.stage != STAGES[-1] and (e.days is None or e.days >= stalled_days)
        entries.append(e)
    _invitations(county, entries)
    _suggestions(county, entries)
    return entries


def _invitations(county: Unit, entries: list[FunnelEntry]) -> None:
    """Each entry's pending invitation (day and network) and the network a one-click invitation would invite to."""
    if not apps.is_installed("dugnad.networks"):
        return
    from dugnad.networks.selectors import county_networks_open_to, invitations_pending_since

    ids = [e.unit.pk for e in entries]
    pending, open_to = invitations_pending_since(ids), county_networks_open_to(county, ids)
    for e in entries:
        if e.unit.pk in pending:
            e.invited_on, e.invited_to = _day(pending[e.unit.pk].created_at), pending[e.unit.pk].network.name
        e.invite_to = open_to[e.unit.pk].name if open_to.get(e.unit.pk) else ""


def funnel_counts(entries: list[FunnelEntry]) -> dict[str, int]:
    """How many municipalities are at each stage, in stage order."""
    counts = dict.fromkeys(STAGES, 0)
    for e in entries:
        counts[e.stage] += 1
    return counts


def funnel_row(e: FunnelEntry) -> list:
    """The entry as a row of ``FUNNEL_COLUMNS``."""
    return [e.unit.code, e.unit.name, e.stage, e.since.isoformat() if e.since else "",
            "yes" if e.stalled else "no", "" if e.days is None else e.days, " ".join(e.next_steps),
            e.invited_on.isoformat() if e.invited_on else ""]
