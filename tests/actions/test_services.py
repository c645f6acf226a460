"""Action services: validation is all-or-nothing, progress, templates, milestones with reminders, agreements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from dugnad.actions.agreements import CommitmentSpec, agreement_create, commitment_status_set
from dugnad.actions.models import Action, ActionPartner, ActionTemplate, Milestone
from dugnad.actions.reminders import milestone_reminders_send
from dugnad.actions.services import (
    PartnerSpec,
    action_create,
    action_from_template,
    action_link_add,
    action_part_update,
    action_partners_add,
    milestone_add,
    milestone_complete,
)
from dugnad.actions.vocab import ActionStatus, PartnerRole
from dugnad.analytics.report import InputError
from tests.factories import OrganisationFactory


def test_an_action_with_partners_at_every_level_and_an_organisation(world):
    ngo = OrganisationFactory(name="Naturvernforbundet i Hordaland")
    action = action_create(
        user=world.users["vestland"], title="Trygg skolevei", lead_unit=world.units["46"], lead_budget_share=50,
        targets=[world.targets["11.6"]], indicators=[(world.indicators[2], "down")],
        partners=[PartnerSpec(unit=world.units["0"], role=PartnerRole.FUNDER, budget_share=30),
                  PartnerSpec(unit=world.units["4601"], budget_share=20), PartnerSpec(organisation=ngo)],
        start=dt.date(2026, 1, 1), end=dt.date(2027, 12, 31),
    )
    parts = {p.party_code: (p.role, p.budget_share) for p in action.partners.all()}
    assert parts == {"46": ("lead", Decimal("50.00")), "0": ("funder", Decimal("30.00")), "4601": ("partner", Decimal("20.00")),
                     f"org:{ngo.pk}": ("partner", None)}
    assert action.indicator_links.get().direction == "down"
    assert list(action.targets.values_list("code", flat=True)) == ["11.6"]
    assert action.updates.count() == 1


def test_invalid_input_names_every_field_and_writes_nothing(world):
    with pytest.raises(InputError) as caught:
        action_create(
            user=world.users["vestland"], title=" ", lead_unit=world.units["46"], lead_budget_share=80,
            start=dt.date(2027, 1, 1), end=dt.date(2026, 1, 1), status="maybe",
            partners=[PartnerSpec(unit=world.units["4601"], budget_share=30), PartnerSpec(unit=world.units["4601"]),
                      PartnerSpec(unit=world.units["4602"], budget_share=120)],
        )
    columns = {p.column for p in caught.value.report.errors}
    assert {"title", "status", "end", "partner", "budget_share"} <= columns
    assert any(p.row == 3 and p.column == "partner" for p in caught.value.report.errors)
    assert not Action.objects.exists() and not ActionPartner.objects.exists()


def test_an_indicator_given_twice_is_named_not_a_server_error(world):
    with pytest.raises(InputError) as caught:
        action_create(user=world.users["vestland"], title="Trygg skolevei", lead_unit=world.units["46"],
                      indicators=[(world.indicators[2], "down"), (world.indicators[2], "up")])
    assert [(p.row, p.column, p.reason) for p in caught.value.report.errors] == [
        (2, "indicator", "Indikatoren står to ganger.")]
    assert not Action.objects.exists()


def test_adding_partners_is_checked_against_existing_budget_shares(world):
    action = action_create(user=world.users["vestland"], title="Tiltak", lead_unit=world.units["46"], lead_budget_share=70)
    with pytest.raises(InputError) as caught:
        action_partners_add(user=world.users["vestland"], action=action,
                            partners=[PartnerSpec(unit=world.units["4601"], budget_share=40)])
    assert "110 %" in caught.value.report.errors[0].reason
    assert action.partners.count() == 1
    added = action_partners_add(user=world.users["vestland"], action=action,
                                partners=[PartnerSpec(unit=world.units["4601"], budget_share=30)])
    assert [p.unit.code for p in added] == ["4601"]
    with pytest.raises(PermissionDenied):
        action_partners_add(user=world.users["bergen"], action=action, partners=[PartnerSpec(unit=world.units["4602"])])


def test_progress_is_weighted_by_budget_share_when_every_part_has_one(world):
    action = action_create(user=world.users["vestland"], title="Tiltak", lead_unit=world.units["46"], lead_budget_share=75,
                           partners=[PartnerSpec(unit=world.units["4601"], budget_share=25)])
    action_part_update(user=world.users["bergen"], partner=action.partners.get(unit__code="4601"), progress=100)
    action.refresh_from_db()
    assert action.progress == 25


def test_progress_out_of_range_is_refused(world):
    action = action_create(user=world.users["bergen"], title="Tiltak", lead_unit=world.units["4601"])
    with pytest.raises(InputError) as caught:
        action_part_update(user=world.users["bergen"], partner=action.partners.get(), progress=140)
    assert caught.value.report.errors[0].column == "progress"


def test_copy_a_catalogue_template_into_my_plan(world):
    template = ActionTemplate.objects.create(target=world.targets["3.4"], title="Frisklivssentral",
                                             description="Etabler en frisklivssentral.")
    template.indicators.add(world.indicators[0])
    action = action_from_template(user=world.users["bergen"], template=template, unit=world.units["4601"])
    assert action.template == template and action.status == ActionStatus.IDEA
    assert action.lead.unit.code == "4601"
    assert [(link.indicator.code, link.direction) for link in action.indicator_links.all()] == [("T-A", "up")]
    with pytest.raises(PermissionDenied):
        action_from_template(user=world.users["bergen"], template=template, unit=world.units["4602"])


def test_milestone_reminders_go_to_the_owning_partners_editors_once_a_week(world):
    action = action_create(user=world.users["vestland"], title="Felles innkjøp", lead_unit=world.units["46"],
                           partners=[PartnerSpec(unit=world.units["4602"])])
    kinn = action.partners.get(unit__code="4602")
    today = dt.date(2026, 3, 1)
    owned = milestone_add(user=world.users["vestland"], action=action, title="Kravspesifikasjon", due=dt.date(2026, 3, 10),
                          partner=kinn)
    milestone_add(user=world.users["vestland"], action=action, title="Kontrakt", due=dt.date(2026, 3, 12))
    milestone_add(user=world.users["vestland"], action=action, title="Evaluering", due=dt.date(2026, 9, 1))
    dry = milestone_reminders_send(today=today, dry_run=True)
    assert len(dry) == 2 and mail.outbox == []
    sent = milestone_reminders_send(today=today)
    assert {(r.title, r.recipients) for r in sent} == {("Kravspesifikasjon", ("kinn@example.test",)),
                                                       ("Kontrakt", ("vestland@example.test",))}
    assert len(mail.outbox) == 2 and "Kravspesifikasjon" in mail.outbox[0].subject + mail.outbox[1].subject
    assert milestone_reminders_send(today=today + dt.timedelta(days=3)) == []
    milestone_complete(user=world.users["kinn"], milestone=owned, on=today)
    assert [r.title for r in milestone_reminders_send(today=today + dt.timedelta(days=7))] == ["Kontrakt"]
    assert Milestone.objects.get(pk=owned.pk).done_on == today


def test_links_are_added_by_parties_only_and_checked(world):
    action = action_create(user=world.users["vestland"], title="Tiltak", lead_unit=world.units["46"],
                           partners=[PartnerSpec(unit=world.units["4601"])])
    link = action_link_add(user=world.users["bergen"], action=action, title="Plan", url="https://example.test/plan.pdf",
                           kind="document")
    assert link.kind == "document"
    with pytest.raises(InputError):
        action_link_add(user=world.users["bergen"], action=action, title="Plan", url="ftp://x")
    with pytest.raises(PermissionDenied):
        action_link_add(user=world.users["oslo"], action=action, title="Plan", url="https://example.test")


def test_an_agreement_with_commitments_followed_up_by_each_party(world):
    ks = OrganisationFactory(name="KS", kind="ks")
    agreement = agreement_create(
        user=world.users["vestland"], title="Partnerskap for bærekraft", parties=[world.units["46"], world.units["4601"], ks],
        commitments=[CommitmentSpec(0, "Fylket leder nettverket"), CommitmentSpec(1, "Bergen deler data"),
                     CommitmentSpec(2, "KS gir veiledning")],
    )
    bergen_commitment = agreement.commitments.get(party__unit__code="4601")
    commitment_status_set(user=world.users["bergen"], commitment=bergen_commitment, status="on_track")
    with pytest.raises(PermissionDenied):
        commitment_status_set(user=world.users["bergen"], commitment=agreement.commitments.get(party__unit__code="46"),
                              status="fulfilled")
    ks_commitment = agreement.commitments.get(party__organisation=ks)
    commitment_status_set(user=world.users["vestland"], commitment=ks_commitment, status="delayed")
    assert sorted(agreement.commitments.values_list("status", flat=True)) == ["delayed", "not_started", "on_track"]
    with pytest.raises(InputError) as caught:
        agreement_create(user=world.users["vestland"], title="", parties=[world.units["46"]],
                         commitments=[CommitmentSpec(5, "x")])
    assert {p.column for p in caught.value.report.errors} == {"title", "parties", "party"}


def test_updating_an_agreement_moves_commitments_removes_parties_and_is_all_or_nothing(world):
    from dugnad.actions.agreements import agreement_update

    w = world
    agreement = agreement_create(user=w.users["vestland"], title="Avtale", parties=[w.units["46"], w.units["4601"]],
                                 commitments=[CommitmentSpec(0, "Lede"), CommitmentSpec(1, "Dele data", due=dt.date(2026, 5, 1))])
    lead, data = agreement.commitments.get(text="Lede"), agreement.commitments.get(text="Dele data")
    # Bergen leaves; its commitment moves to Kinn, which joins
    agreement_update(user=w.users["vestland"], agreement=agreement, title="Avtale 2", status="on_track",
                     parties=[w.units["46"], w.units["4602"]],
                     commitments=[CommitmentSpec(0, "Lede", pk=lead.pk), CommitmentSpec(1, "Dele data", pk=data.pk,
                                                                                     status="delayed")])
    data.refresh_from_db()
    assert sorted(p.unit.code for p in agreement.parties.all()) == ["46", "4602"]
    assert (data.party.unit.code, data.status, agreement.status) == ("4602", "delayed", "on_track")
    # a commitment of another agreement cannot be smuggled in, and nothing changes
    other = agreement_create(user=w.users["vestland"], title="Annen", parties=[w.units["46"], w.units["4624"]],
                             commitments=[CommitmentSpec(1, "X")])
    with pytest.raises(InputError) as caught:
        agreement_update(user=w.users["vestland"], agreement=agreement, title="Endret", parties=[w.units["46"], w.units["4602"]],
                         commitments=[CommitmentSpec(0, "Y", pk=other.commitments.get().pk)])
    assert caught.value.report.errors[0].column == "commitment"
    agreement.refresh_from_db()
    assert agreement.title == "Avtale 2" and agreement.commitments.count() == 2
    # a user who would no longer represent any party is refused
    with pytest.raises(PermissionDenied):
        agreement_update(user=w.users["vestland"], agreement=agreement, title="Uten fylket",
                         parties=[w.units["4601"], w.units["4602"]])
    with pytest.raises(PermissionDenied):
        agreement_update(user=w.users["bergen"], agreement=agreement, title="Bergen", parties=[w.units["4601"], w.units["46"]])
