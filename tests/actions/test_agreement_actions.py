"""Linking joint actions to agreements (issue 13): coordinators of a party unit attach and detach actions on the
agreement page; everyone else is refused by the server, and a refused request changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dugnad.actions.agreements import (
    agreement_action_link,
    agreement_action_unlink,
    agreement_create,
    can_link_actions,
)
from dugnad.actions.services import PartnerSpec, action_create
from dugnad.actions.vocab import Visibility


@pytest.fixture
def setup(world):
    w = world
    agreement = agreement_create(user=w.users["vestland"], title="Vestlandsavtalen",
                                 parties=[w.units["46"], w.units["4601"]])
    action = action_create(user=w.users["vestland"], title="Felles skolevei", lead_unit=w.units["46"],
                           partners=[PartnerSpec(unit=w.units["4601"])])
    hidden = action_create(user=w.users["oslo"], title="Oslos interne tiltak", lead_unit=w.units["0301"],
                           visibility=Visibility.PARTNERS)
    return w, agreement, action, hidden


def test_only_coordinators_of_a_party_unit_may_link(setup):
    w, agreement, _action, _hidden = setup
    assert can_link_actions(w.users["vestland"], agreement) and can_link_actions(w.users["admin"], agreement)
    for name in ("bergen", "kinn", "oslo", "ks", "nobody"):  # KS coordinates the country, which is not a party
        assert not can_link_actions(w.users[name], agreement), name


def test_the_service_links_and_unlinks_and_refuses_others(setup):
    w, agreement, action, hidden = setup
    with pytest.raises(PermissionDenied):
        agreement_action_link(user=w.users["bergen"], agreement=agreement, action=action)
    assert not agreement.actions.exists()
    with pytest.raises(PermissionDenied):  # an action the coordinator cannot see
        agreement_action_link(user=w.users["vestland"], agreement=agreement, action=hidden)
    agreement_action_link(user=w.users["vestland"], agreement=agreement, action=action)
    agreement_action_link(user=w.users["vestland"], agreement=agreement, action=action)
    assert list(agreement.actions.all()) == [action]
    with pytest.raises(PermissionDenied):
        agreement_action_unlink(user=w.users["bergen"], agreement=agreement, action=action)
    assert list(agreement.actions.all()) == [action]
    agreement_action_unlink(user=w.users["vestland"], agreement=agreement, action=action)
    assert not agreement.actions.exists()


def test_the_agreement_page_attaches_and_detaches_for_the_coordinator_only(client, setup):
    w, agreement, action, hidden = setup
    page_url = reverse("agreement-detail", args=[agreement.pk])
    link_url = reverse("agreement-action-link", args=[agreement.pk])
    unlink_url = reverse("agreement-action-unlink", args=[agreement.pk, action.pk])
    client.force_login(w.users["bergen"])
    assert "Knytt et tiltak til avtalen" not in client.get(page_url).text
    assert client.post(link_url, {"tiltak": action.pk}).status_code == 403
    assert not agreement.actions.exists()
    client.force_login(w.users["vestland"])
    page = client.get(page_url).text
    assert "Knytt et tiltak til avtalen" in page and "Felles skolevei" in page and "Oslos interne tiltak" not in page
    assert client.post(link_url, {"tiltak": hidden.pk}).status_code == 403
    assert client.post(link_url, {"tiltak": ""}).status_code == 302 and not agreement.actions.exists()
    response = client.post(link_url, {"tiltak": action.pk}, follow=True)
    assert "«Felles skolevei» er knyttet til avtalen." in response.text
    assert list(agreement.actions.all()) == [action]
    action_page = client.get(reverse("action-detail", args=[action.pk])).text
    assert "Vestlandsavtalen" in action_page
    client.force_login(w.users["bergen"])
    assert client.post(unlink_url).status_code == 403
    assert list(agreement.actions.all()) == [action]
    client.force_login(w.users["vestland"])
    assert client.post(unlink_url).status_code == 302 and not agreement.actions.exists()


def test_the_agreement_page_does_not_show_linked_actions_the_reader_may_not_see(client, setup):
    w, agreement, _action, hidden = setup
    agreement.actions.add(hidden)
    client.force_login(w.users["bergen"])
    assert "Oslos interne tiltak" not in client.get(reverse("agreement-detail", args=[agreement.pk])).text
    client.force_login(w.users["oslo"])
    assert "Oslos interne tiltak" in client.get(reverse("agreement-detail", args=[agreement.pk])).text
