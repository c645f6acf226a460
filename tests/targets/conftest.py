"""Fixtures of the target tests: the joint-work world (Vestland with four municipalities of known population)."""

from __future__ import annotations

import pytest

from tests.factories import JOINT_WORK, world_build


@pytest.fixture
def world(db):
    """Country 0, counties 46 and 03; 4601 Bergen 291 000, 4602 Kinn 17 000, 4624 25 000, 4640 12 000 residents."""
    return world_build(JOINT_WORK)
