"""Fixtures of the action tests: the small world."""

import pytest

from tests.factories import JOINT_WORK, world_build


@pytest.fixture
def world(db):
    """The small world of units, users, targets and indicators."""
    return world_build(JOINT_WORK)
