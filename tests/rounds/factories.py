"""Factories and a small world (country, two counties, three municipalities, one user per role) for rounds tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import factory
from django.contrib.auth import get_user_model
from tests.factories import GoalFactory, IndicatorFactory, IndicatorSpecFactory, LevelFactory, UnitFactory

from dugnad.accounts.models import Membership
from dugnad.accounts.roles import Role
from dugnad.rounds.models import QuestionKind, Round, Submission
from dugnad.rounds.services import round_open

PASSWORD = "pw-test-1234"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with the test password."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


@dataclass
class World:
    """Units, users by role name and indicators for a rounds test."""

    units: dict[str, object] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    indicators: list = field(default_factory=list)


ROLE_USERS: tuple[tuple[str, Role | None, str], ...] = (
    ("ks", Role.NATIONAL_COORDINATOR, "0"),
    ("departement", Role.MINISTRY_READER, "0"),
    ("vestland", Role.COUNTY_COORDINATOR, "46"),
    ("oslo-fylke", Role.COUNTY_COORDINATOR, "03"),
    ("bergen", Role.MUNICIPAL_EDITOR, "4601"),
    ("bergen-leser", Role.MUNICIPAL_READER, "4601"),
    ("oslo", Role.MUNICIPAL_EDITOR, "0301"),
    ("admin", Role.ADMINISTRATOR, "0"),
    ("nobody", None, ""),
)


def world_build() -> World:
    """Build the test world: units 0, 46, 03, 4601 Bergen, 4602 Kinn, 0301 Oslo; users; three indicators."""
    w = World()
    country = UnitFactory(code="0", name="Norge", level=LevelFactory(code="country"))
    w.units["0"] = country
    for code, name in (("46", "Vestland"), ("03", "Oslo fylke")):
        w.units[code] = UnitFactory(code=code, name=name, level=LevelFactory(code="county"), parent=country)
    for code, name, county, pop in (("4601", "Bergen", "46", 291_000), ("4602", "Kinn", "46", 17_000),
                                    ("0301", "Oslo", "03", 709_000)):
        w.units[code] = UnitFactory(code=code, name=name, level=LevelFactory(code="municipality"),
                                    parent=w.units[county], population=pop)
    for username, role, unit_code in ROLE_USERS:
        user = UserFactory(username=username)
        if role is not None:
            Membership.objects.create(user=user, unit=w.units[unit_code], role=role)
        w.users[username] = user
    goal3, goal4 = GoalFactory(number=3), GoalFactory(number=4, colour="#C5192D")
    for code, unit, goal in (("T-A", "prosent", goal3), ("T-B", "antall", goal4), ("T-C", "per 1000", goal3)):
        indicator = IndicatorFactory(code=code)
        indicator.goals.add(goal)
        IndicatorSpecFactory(indicator=indicator, goal=goal, unit_of_measure=unit)
        w.indicators.append(indicator)
    return w


QUESTIONS = [
    {"text": "Er bærekraftsmålene en del av kommuneplanens samfunnsdel?", "kind": QuestionKind.YES_NO},
    {"text": "Hvor godt er målene forankret i budsjettet?", "kind": QuestionKind.SCALE, "scale_min": 1, "scale_max": 5},
    {"text": "Hvem leder arbeidet?", "kind": QuestionKind.CHOICE, "choices": ["Rådmann", "Ordfører", "Annen"]},
    {"text": "Beskriv samarbeidet med fylket.", "kind": QuestionKind.TEXT},
]


def round_national(w: World, **overrides) -> Round:
    """A national round opened by KS over the test world's indicators, with all chapters and four questions."""
    args = {"user": w.users["ks"], "scope_unit": w.units["0"], "title": "Rapportering 2025", "year": 2025,
            "deadline": dt.date.today() + dt.timedelta(days=30), "indicators": w.indicators,
            "chapters": ["opening", "policy", "leave_no_one_behind", "goal_progress", "means", "next_steps"],
            "questions": QUESTIONS}
    args.update(overrides)
    return round_open(**args)


def submission_of(round_: Round, unit_code: str) -> Submission:
    """The round's submission of the unit with this code."""
    return Submission.objects.select_related("round", "unit").get(round=round_, unit__code=unit_code)
