"""A small world for action and network tests: units at three levels, one user per role, targets and indicators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import factory
from django.contrib.auth import get_user_model

from dugnad.accounts.models import Membership
from dugnad.accounts.roles import Role
from dugnad.actions.models import Organisation
from dugnad.actions.vocab import OrganisationKind
from dugnad.catalogue.models import Target
from tests.factories import GoalFactory, IndicatorFactory, IndicatorSpecFactory, LevelFactory, UnitFactory

PASSWORD = "pw-test-1234"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with the test password and an e-mail address."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation (an NGO by default)."""

    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisasjon {n}")
    kind = OrganisationKind.NGO


class TargetFactory(factory.django.DjangoModelFactory):
    """An SDG target of goal 3 by default."""

    class Meta:
        model = Target
        django_get_or_create = ("code",)

    code = "3.4"
    goal = factory.SubFactory(GoalFactory)
    sort_key = factory.LazyAttribute(lambda o: ".".join(p.zfill(3) for p in o.code.split(".")))


@dataclass
class World:
    """Units by code, users by name, targets by code and indicators for a test."""

    units: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    targets: dict = field(default_factory=dict)
    indicators: list = field(default_factory=list)


MUNICIPALITIES = (
    ("4601", "Bergen", "46", 291_000, 1.0), ("4602", "Kinn", "46", 17_000, 3.0),
    ("4624", "Bjørnafjorden", "46", 25_000, 2.0), ("4640", "Sogndal", "46", 12_000, 4.0),
    ("0301", "Oslo", "03", 709_000, 1.0),
)
USERS = (
    ("ks", Role.NATIONAL_COORDINATOR, "0"), ("vestland", Role.COUNTY_COORDINATOR, "46"),
    ("bergen", Role.MUNICIPAL_EDITOR, "4601"), ("bergen-leser", Role.MUNICIPAL_READER, "4601"),
    ("kinn", Role.MUNICIPAL_EDITOR, "4602"), ("bjornafjorden", Role.MUNICIPAL_EDITOR, "4624"),
    ("sogndal", Role.MUNICIPAL_EDITOR, "4640"), ("oslo", Role.MUNICIPAL_EDITOR, "0301"),
    ("admin", Role.ADMINISTRATOR, "0"), ("nobody", None, ""),
)


def world_build() -> World:
    """Country 0, counties 46 and 03, five municipalities with population and centrality, users, targets, indicators."""
    w = World()
    country = UnitFactory(code="0", name="Norge", level=LevelFactory(code="country"), valid_from=dt.date(2024, 1, 1))
    w.units["0"] = country
    for code, name in (("46", "Vestland"), ("03", "Oslo fylke")):
        w.units[code] = UnitFactory(code=code, name=name, level=LevelFactory(code="county"), parent=country)
    for code, name, county, pop, centrality in MUNICIPALITIES:
        w.units[code] = UnitFactory(code=code, name=name, level=LevelFactory(code="municipality"), parent=w.units[county],
                                    population=pop, attributes={"centrality": centrality, "area": 500})
    for username, role, unit_code in USERS:
        user = UserFactory(username=username)
        if role is not None:
            Membership.objects.create(user=user, unit=w.units[unit_code], role=role)
        w.users[username] = user
    goal3, goal4 = GoalFactory(number=3), GoalFactory(number=4, colour="#C5192D")
    goal11 = GoalFactory(number=11, colour="#FD9D24")
    for code, goal in (("3.4", goal3), ("4.2", goal4), ("11.6", goal11)):
        w.targets[code] = TargetFactory(code=code, goal=goal)
    for code, target in (("T-A", "3.4"), ("T-B", "4.2"), ("T-C", "11.6")):
        indicator = IndicatorFactory(code=code)
        indicator.goals.add(w.targets[target].goal)
        indicator.targets.add(w.targets[target])
        IndicatorSpecFactory(indicator=indicator, goal=w.targets[target].goal)
        w.indicators.append(indicator)
    return w
