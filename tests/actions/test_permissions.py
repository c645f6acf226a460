"""Permission rules of joint actions: each partner updates only its own part; visibility follows the unit rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from dugnad.actions.models import Action, ActionPartner
from dugnad.actions.permissions import can_manage_action, can_update_part, can_view_action
from dugnad.actions.services import PartnerSpec, action_create, action_part_update, action_status_set, milestone_add
from dugnad.actions.vocab import PartnerRole, Visibility


def joint_action(w, *, visibility=Visibility.PUBLIC) -> Action:
    """Vestland leads; Bergen, Kinn and Bjørnafjorden are partners."""
    return action_create(
        user=w.users["vestland"], title="Felles klimaplan", lead_unit=w.units["46"], visibility=visibility,
        partners=[PartnerSpec(unit=w.units[c]) for c in ("4601", "4602", "4624")],
    )


def part(action, code) -> ActionPartner:
    return action.partners.get(unit__code=code)


def test_a_partner_cannot_update_another_partners_part(world):
    action = joint_action(world)
    with pytest.raises(PermissionDenied):
        action_part_update(user=world.users["bergen"], partner=part(action, "4602"), progress=50, note="Bergen skriver for Kinn")
    assert part(action, "4602").progress == 0
    assert not action.updates.filter(text="Bergen skriver for Kinn").exists()


def test_each_partner_updates_its_own_part_and_the_action_progress_is_their_mean(world):
    action = joint_action(world)
    action_part_update(user=world.users["bergen"], partner=part(action, "4601"), progress=40, note="Godt i gang")
    action_part_update(user=world.users["kinn"], partner=part(action, "4602"), progress=80)
    action.refresh_from_db()
    assert part(action, "4601").progress == 40 and part(action, "4602").progress == 80
    assert action.progress == round((0 + 40 + 80 + 0) / 4)
    assert action.updates.filter(partner=part(action, "4601"), text="Godt i gang").exists()


def test_the_county_coordinator_leads_but_cannot_update_a_municipalitys_part(world):
    action = joint_action(world)
    assert can_manage_action(world.users["vestland"], action)
    assert can_update_part(world.users["vestland"], part(action, "46"))
    assert not can_update_part(world.users["vestland"], part(action, "4601"))
    with pytest.raises(PermissionDenied):
        action_part_update(user=world.users["vestland"], partner=part(action, "4601"), progress=10)


def test_only_the_lead_changes_status_and_milestones(world):
    action = joint_action(world)
    with pytest.raises(PermissionDenied):
        action_status_set(user=world.users["bergen"], action=action, status="ongoing")
    with pytest.raises(PermissionDenied):
        milestone_add(user=world.users["kinn"], action=action, title="Oppstart", due=action.created_at.date())
    action_status_set(user=world.users["vestland"], action=action, status="ongoing", text="Vi er i gang")
    action.refresh_from_db()
    assert action.status == "ongoing"


def test_a_reader_and_an_outsider_cannot_update_any_part(world):
    action = joint_action(world)
    for username in ("bergen-leser", "oslo", "nobody", "ks"):
        assert not can_update_part(world.users[username], part(action, "4601")), username


def test_an_administrator_may_update_every_part(world):
    action = joint_action(world)
    assert all(can_update_part(world.users["admin"], p) for p in action.partners.all())


def test_a_partners_only_action_is_hidden_from_other_counties_but_seen_from_above(world):
    action = joint_action(world, visibility=Visibility.PARTNERS)
    assert can_view_action(world.users["kinn"], action)
    assert can_view_action(world.users["vestland"], action)
    assert can_view_action(world.users["ks"], action)
    assert not can_view_action(world.users["oslo"], action)
    assert not can_view_action(world.users["nobody"], action)


def test_a_public_action_is_seen_by_everyone(world):
    action = joint_action(world)
    assert can_view_action(world.users["oslo"], action)
    assert Action.objects.visible_to(None).filter(pk=action.pk).exists()


def test_a_municipal_editor_cannot_create_an_action_for_another_unit(world):
    with pytest.raises(PermissionDenied):
        action_create(user=world.users["bergen"], title="Kinns tiltak", lead_unit=world.units["4602"])
    assert not Action.objects.exists()


def test_the_lead_role_is_recorded_once(world):
    action = joint_action(world)
    roles = sorted(action.partners.values_list("role", flat=True))
    assert roles.count(PartnerRole.LEAD) == 1 and roles.count(PartnerRole.PARTNER) == 3
