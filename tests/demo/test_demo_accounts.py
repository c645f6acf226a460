"""Demo users have e-mail addresses in a reserved domain, so demo reminders show up in the console backend."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from tests.factories import world_build

from dugnad.demo.accounts import DEMO_USERS, demo_users_ensure

pytestmark = pytest.mark.django_db


def test_every_demo_user_gets_an_address_in_the_reserved_domain_also_when_made_before():
    world_build()
    get_user_model().objects.filter(username="bergen").update(email="")
    logins = demo_users_ensure()
    assert logins
    users = get_user_model().objects.filter(username__in=[u for u, _role, _unit in DEMO_USERS])
    assert {u.username: u.email for u in users} == {u.username: f"{u.username}@demo.dugnad.example" for u in users}
