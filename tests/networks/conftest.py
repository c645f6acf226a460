"""Fixtures of the network tests: the small world, and the demo case library on units made for it."""

from __future__ import annotations

import pytest

from dugnad.demo.practices import demo_cases_ensure, demo_cases_load
from dugnad.practices.models import PracticeCase
from tests.factories import JOINT_WORK, GoalFactory, LevelFactory, TargetFactory, UnitFactory, world_build


@pytest.fixture
def world(db):
    """The small world of units, users, targets and indicators."""
    return world_build(JOINT_WORK)


def _library_units(world) -> None:
    """Units for every place in the demo cases (counties from the code's first two digits), with populations."""
    for item in demo_cases_load():
        code = item["unit"]
        if code in world.units:
            continue
        county_code = code[:2]
        if county_code not in world.units:
            world.units[county_code] = UnitFactory(code=county_code, name=f"Fylke {county_code}",
                                                   level=LevelFactory(code="county"), parent=world.units["0"])
        if code != county_code:
            world.units[code] = UnitFactory(code=code, name=f"Kommune {code}", level=LevelFactory(code="municipality"),
                                            parent=world.units[county_code], population=10_000)
    for item in demo_cases_load():
        for target in item["targets"]:
            goal = int(target.split(".")[0])
            TargetFactory(code=target, goal=GoalFactory(number=goal))


@pytest.fixture
def library(world) -> dict[str, int]:
    """The demo case library loaded through the services; case ids by the YAML key."""
    _library_units(world)
    assert demo_cases_ensure(user=world.users["admin"]) == len(demo_cases_load())
    ids = dict(PracticeCase.objects.values_list("title", "pk"))
    return {item["key"]: ids[item["title"]] for item in demo_cases_load()}
