"""Networks: create, invite and answer, workspace rules, joint actions with member partners, the shared-gap view."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dugnad.actions.models import Organisation
from dugnad.actions.services import action_part_update
from dugnad.analytics.report import InputError
from dugnad.networks.models import Invitation
from dugnad.networks.permissions import can_view_workspace, can_write_workspace
from dugnad.networks.selectors import network_shared_gaps
from dugnad.networks.services import (
    invitation_answer,
    network_action_propose,
    network_create,
    network_document_add,
    network_invite,
    network_members_add,
)
from dugnad.scores.models import IndicatorScore, ScoreRun


def vestland_network(w, members=("4601", "4602", "4624")):
    return network_create(user=w.users["vestland"], name="Bærekraft i Vestland", kind="county", lead_unit=w.units["46"],
                          members=[w.units[c] for c in members])


def score_run(w, colours: dict[tuple[str, int], str]) -> ScoreRun:
    """A finished score run with the given colour per (unit code, indicator index)."""
    run = ScoreRun.objects.create(method="sdsn", method_version="test", data_revision="x", fingerprint="f", status="done",
                                  finished_at=timezone.now())
    for (code, index), colour in colours.items():
        IndicatorScore.objects.create(run=run, unit=w.units[code], indicator=w.indicators[index], colour=colour,
                                      score={"red": 10, "orange": 35, "yellow": 60, "green": 90}[colour])
    return run


def test_a_county_coordinator_creates_a_network_for_the_own_county_only(world):
    network = vestland_network(world)
    assert list(network.coordinators.all()) == [world.users["vestland"]]
    assert sorted(m.unit.code for m in network.members.all()) == ["4601", "4602", "4624"]
    with pytest.raises(PermissionDenied):
        network_create(user=world.users["vestland"], name="Oslo-nettverket", kind="county", lead_unit=world.units["03"])
    with pytest.raises(PermissionDenied):
        network_create(user=world.users["bergen"], name="Bergens fylkesnettverk", kind="county", lead_unit=world.units["46"])


def test_a_municipality_may_start_a_thematic_network_but_a_county_network_needs_a_county(world):
    network = network_create(user=world.users["bergen"], name="Klimatilpasning", kind="thematic", lead_unit=world.units["4601"])
    assert network.kind == "thematic"
    with pytest.raises(InputError) as caught:
        network_create(user=world.users["ks"], name="Feil", kind="county", lead_unit=world.units["4601"])
    assert caught.value.report.errors[0].column == "lead_unit"
    with pytest.raises(InputError):
        network_create(user=world.users["bergen"], name="Klimatilpasning", kind="thematic", lead_unit=world.units["4601"])


def test_an_invited_municipality_joins_when_its_own_editor_accepts(world):
    network = vestland_network(world, members=("4601",))
    invitations = network_invite(user=world.users["vestland"], network=network,
                                 units=[world.units["4601"], world.units["4640"], world.units["4602"]])
    assert sorted(i.unit.code for i in invitations) == ["4602", "4640"]
    assert network_invite(user=world.users["vestland"], network=network, units=[world.units["4640"]]) == []
    sogndal = Invitation.objects.get(unit__code="4640")
    with pytest.raises(PermissionDenied):
        invitation_answer(user=world.users["bergen"], invitation=sogndal, accept=True)
    invitation_answer(user=world.users["sogndal"], invitation=sogndal, accept=True)
    invitation_answer(user=world.users["kinn"], invitation=Invitation.objects.get(unit__code="4602"), accept=False)
    assert sorted(m.unit.code for m in network.members.all()) == ["4601", "4640"]
    with pytest.raises(InputError):
        invitation_answer(user=world.users["sogndal"], invitation=sogndal, accept=False)
    with pytest.raises(PermissionDenied):
        network_invite(user=world.users["bergen"], network=network, units=[world.units["4624"]])


def test_the_workspace_is_open_to_coordinators_members_and_those_above_them(world):
    network = vestland_network(world)
    network_members_add(user=world.users["vestland"], network=network,
                        parties=[Organisation.objects.create(name="Høgskulen på Vestlandet", kind="university")])
    assert can_view_workspace(world.users["bergen"], network) and can_write_workspace(world.users["bergen"], network)
    assert can_view_workspace(world.users["bergen-leser"], network)
    assert not can_write_workspace(world.users["bergen-leser"], network)
    assert can_view_workspace(world.users["ks"], network)
    assert not can_view_workspace(world.users["oslo"], network)
    assert not can_view_workspace(world.users["sogndal"], network)
    note = network_document_add(user=world.users["kinn"], network=network, title="Referat", body="Vi møttes.")
    assert note.kind == "meeting_note"
    with pytest.raises(PermissionDenied):
        network_document_add(user=world.users["oslo"], network=network, title="Referat")
    with pytest.raises(InputError) as caught:
        network_document_add(user=world.users["vestland"], network=network, title="Plan", kind="document", url="")
    assert caught.value.report.errors[0].column == "url"


def test_a_joint_action_has_the_county_as_lead_and_three_member_municipalities_as_partners(world):
    network = vestland_network(world)
    action = network_action_propose(user=world.users["vestland"], network=network, title="Felles lekkasjesøk",
                                     partner_units=[world.units[c] for c in ("4601", "4602", "4624")])
    assert list(network.actions.all()) == [action]
    assert sorted((p.unit.code, p.role) for p in action.partners.all()) == [
        ("46", "lead"), ("4601", "partner"), ("4602", "partner"), ("4624", "partner")]
    for username, code, progress in (("bergen", "4601", 30), ("kinn", "4602", 60), ("bjornafjorden", "4624", 90)):
        action_part_update(user=world.users[username], partner=action.partners.get(unit__code=code), progress=progress)
    with pytest.raises(PermissionDenied):
        action_part_update(user=world.users["kinn"], partner=action.partners.get(unit__code="4624"), progress=0)
    action.refresh_from_db()
    assert action.progress == round((0 + 30 + 60 + 90) / 4)


def test_a_joint_action_may_only_have_member_partners_and_only_coordinators_propose(world):
    network = vestland_network(world, members=("4601",))
    with pytest.raises(InputError) as caught:
        network_action_propose(user=world.users["vestland"], network=network, title="Tiltak",
                               partner_units=[world.units["4601"], world.units["0301"]])
    assert [(p.row, p.value) for p in caught.value.report.errors] == [(2, "0301")]
    with pytest.raises(PermissionDenied):
        network_action_propose(user=world.users["bergen"], network=network, title="Tiltak", partner_units=[world.units["4601"]])


def test_the_shared_gap_view_lists_indicators_where_most_members_are_red_or_orange(world):
    network = vestland_network(world, members=("4601", "4602", "4624", "4640"))
    run = score_run(world, {
        ("4601", 0): "red", ("4602", 0): "orange", ("4624", 0): "red", ("4640", 0): "green",
        ("4601", 1): "green", ("4602", 1): "red", ("4624", 1): "green", ("4640", 1): "green",
        ("0301", 1): "red",
    })
    gaps = network_shared_gaps(network, run)
    assert [(g.indicator.code, g.gap.red, g.gap.orange, g.gap.members) for g in gaps] == [("T-A", 2, 1, 4)]
    assert set(gaps[0].unit_names) == {"Bergen", "Kinn", "Bjørnafjorden"}
    network.indicators.set([world.indicators[1]])
    assert network_shared_gaps(network, run) == []


def _audit_trail(network) -> list[tuple]:
    """The network's audit entries, oldest first: user, action and what changed."""
    from dugnad.rounds.models import AuditEntry

    entries = AuditEntry.objects.filter(object_type="network", object_key=str(network.pk)).order_by("id")
    return [(e.user.username, e.action, e.after) for e in entries]


def test_every_network_write_is_audited_with_who_and_what_changed(world):
    from dugnad.networks.services import network_coordinator_add

    w = world
    network = vestland_network(w, members=("4601",))
    network_members_add(user=w.users["vestland"], network=network, parties=[w.units["4601"], w.units["4602"]])
    network_coordinator_add(user=w.users["vestland"], network=network, coordinator=w.users["ks"])
    (invitation,) = network_invite(user=w.users["vestland"], network=network, units=[w.units["4640"]])
    invitation_answer(user=w.users["sogndal"], invitation=invitation, accept=True)
    note = network_document_add(user=w.users["kinn"], network=network, title="Referat", body="Vi møttes.")
    action = network_action_propose(user=w.users["vestland"], network=network, title="Felles lekkasjesøk",
                                    partner_units=[w.units["4601"], w.units["4640"]])
    assert _audit_trail(network) == [
        ("vestland", "network_create", {"name": "Bærekraft i Vestland", "kind": "county", "lead_unit": "46",
                                        "members": ["4601"], "indicators": []}),
        ("vestland", "network_members_add", {"members": ["4602"]}),
        ("vestland", "network_coordinator_add", {"coordinator": "ks"}),
        ("vestland", "network_invite", {"units": ["4640"], "invitations": [invitation.pk]}),
        ("sogndal", "invitation_answer", {"invitation": invitation.pk, "member": "4640", "state": "accepted"}),
        ("kinn", "network_document_add", {"document": note.pk, "kind": "meeting_note", "title": "Referat"}),
        ("vestland", "network_action_propose", {"action": action.pk, "title": "Felles lekkasjesøk",
                                                "partners": ["4601", "4640"]}),
    ]


def test_a_refused_or_unchanging_network_write_is_not_audited(world):
    from dugnad.networks.services import network_coordinator_add

    w = world
    network = vestland_network(w, members=("4601",))
    with pytest.raises(PermissionDenied):
        network_invite(user=w.users["bergen"], network=network, units=[w.units["4624"]])
    with pytest.raises(InputError):
        network_document_add(user=w.users["vestland"], network=network, title="")
    assert network_members_add(user=w.users["vestland"], network=network, parties=[w.units["4601"]])
    network_coordinator_add(user=w.users["vestland"], network=network, coordinator=w.users["vestland"])
    (invitation,) = network_invite(user=w.users["vestland"], network=network, units=[w.units["4640"]])
    assert network_invite(user=w.users["vestland"], network=network, units=[w.units["4640"], w.units["4601"]]) == []
    invitation_answer(user=w.users["sogndal"], invitation=invitation, accept=False)
    with pytest.raises(InputError):
        invitation_answer(user=w.users["sogndal"], invitation=invitation, accept=True)
    assert [action for _user, action, _after in _audit_trail(network)] == [
        "network_create", "network_invite", "invitation_answer"]
    assert _audit_trail(network)[-1][2]["state"] == "declined"
