"""Fixtures of the requests-across-levels tests: the small world (named so it never shadows the HTTP library)."""

import pytest

from tests.factories import JOINT_WORK, world_build


@pytest.fixture
def world(db):
    """The small world of units, users, targets and indicators."""
    return world_build(JOINT_WORK)
