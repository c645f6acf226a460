"""Fixtures of the shared-readings tests: the small world of units, users, targets and indicators."""

import pytest

from dugnad.accounts.models import Membership
from dugnad.accounts.vocab import Role
from tests.factories import JOINT_WORK, UserFactory, world_build


@pytest.fixture
def world(db):
    """The joint-work world, with a county editor and a county reader of Vestland added."""
    w = world_build(JOINT_WORK)
    for username, role in (("vestland-redaktor", Role.COUNTY_EDITOR), ("vestland-leser", Role.COUNTY_READER)):
        w.users[username] = UserFactory(username=username)
        Membership.objects.create(user=w.users[username], unit=w.units["46"], role=role)
    return w
