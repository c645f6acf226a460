"""The test suite's factories (factory_boy) and builders: units, catalogue, users, observations, and one small World."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import factory
import pyarrow as pa
from django.contrib.auth import get_user_model

from dugnad.accounts.models import Membership
from dugnad.accounts.vocab import Role
from dugnad.actions.models import Organisation
from dugnad.actions.vocab import OrganisationKind
from dugnad.catalogue.models import Framework, Goal, Indicator, IndicatorSpec, Target
from dugnad.observations.models import Observation
from dugnad.observations.services import observations_import
from dugnad.rounds.models import Round, Submission
from dugnad.rounds.services import round_open
from dugnad.rounds.vocab import QuestionKind
from dugnad.units.models import Level, Population, Unit

LEVEL_RANKS = {"country": 0, "county": 1, "municipality": 2}
PASSWORD = "pw-test-1234"

# --- factories ------------------------------------------------------------------------------------------------


class LevelFactory(factory.django.DjangoModelFactory):
    """A level; reuses an existing row with the same code."""

    class Meta:
        model = Level
        django_get_or_create = ("code",)

    code = "municipality"
    name_nb = factory.LazyAttribute(lambda o: {"country": "Land", "county": "Fylke"}.get(o.code, "Kommune"))
    rank = factory.LazyAttribute(lambda o: LEVEL_RANKS.get(o.code, 9))


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit valid from 2024-01-01; reuses an existing row with the same code and start."""

    class Meta:
        model = Unit
        django_get_or_create = ("code", "valid_from")
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"{9000 + n}")
    name = factory.LazyAttribute(lambda o: f"Kommune {o.code}")
    level = factory.SubFactory(LevelFactory)
    valid_from = dt.date(2024, 1, 1)

    @factory.post_generation
    def population(obj, create, extracted, **kwargs):
        """``population=N``: N residents on 1 January of the unit's first year (a ``Population`` row)."""
        if create and extracted is not None:
            Population.objects.update_or_create(code=obj.code, year=obj.valid_from.year, defaults={"value": extracted})


class GoalFactory(factory.django.DjangoModelFactory):
    """An SDG goal; reuses an existing row with the same number."""

    class Meta:
        model = Goal
        django_get_or_create = ("number",)

    number = 3
    colour = "#4C9F38"
    name_nb = factory.LazyAttribute(lambda o: f"Mål {o.number}")
    name_nn = factory.LazyAttribute(lambda o: f"Mål {o.number}")
    name_en = factory.LazyAttribute(lambda o: f"Goal {o.number}")


class FrameworkFactory(factory.django.DjangoModelFactory):
    """An indicator framework; reuses an existing row with the same code."""

    class Meta:
        model = Framework
        django_get_or_create = ("code",)

    code = "test"
    name = "Test framework"


class IndicatorFactory(factory.django.DjangoModelFactory):
    """An indicator of the test framework."""

    class Meta:
        model = Indicator
        django_get_or_create = ("framework", "code")

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"T{n:03d}")
    name_nb = factory.LazyAttribute(lambda o: f"Indikator {o.code}")


class IndicatorSpecFactory(factory.django.DjangoModelFactory):
    """Version 1 of an indicator's specification (higher is better, 0–100)."""

    class Meta:
        model = IndicatorSpec

    indicator = factory.SubFactory(IndicatorFactory)
    goal = factory.SubFactory(GoalFactory)
    upper_bound = 100.0
    lower_bound = 0.0
    green = 80.0
    red = 50.0


class TargetFactory(factory.django.DjangoModelFactory):
    """An SDG target of goal 3 by default."""

    class Meta:
        model = Target
        django_get_or_create = ("code",)

    code = "3.4"
    goal = factory.SubFactory(GoalFactory)
    sort_key = factory.LazyAttribute(lambda o: ".".join(p.zfill(3) for p in o.code.split(".")))


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


class ObservationFactory(factory.django.DjangoModelFactory):
    """A current annual observation (revision 1)."""

    class Meta:
        model = Observation

    unit = factory.SubFactory(UnitFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    period = "2024"
    value = 1.0


def observation_revise(obs: Observation, value: float | None) -> Observation:
    """Record a new revision of an observation (the old row stops being current), as an import would."""
    obs.is_current = False
    obs.save(update_fields=["is_current"])
    return ObservationFactory(unit=obs.unit, indicator=obs.indicator, period=obs.period, value=value, revision=obs.revision + 1)


# --- one small World -------------------------------------------------------------------------------------------


@dataclass
class World:
    """Units by code, users by name, targets by code and indicators for a test."""

    units: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    targets: dict = field(default_factory=dict)
    indicators: list = field(default_factory=list)


@dataclass(frozen=True)
class WorldPlan:
    """What a World holds below country 0 and counties 46 and 03: municipalities, users and indicators."""

    #: (code, name, county code, attributes)
    municipalities: tuple[tuple[str, str, str, dict], ...]
    #: (username, role or None, unit code)
    users: tuple[tuple[str, Role | None, str], ...]
    #: (code, goal number, target code or "", unit of measure)
    indicators: tuple[tuple[str, int, str, str], ...]
    #: Whether users get an e-mail address.
    emails: bool = True


def _attrs(population: int, centrality: float | None = None) -> dict:
    return {"population": population} if centrality is None else {"population": population, "centrality": centrality,
                                                                  "area": 500}


#: Joint action and networks: five municipalities with population and centrality, targets on every indicator.
JOINT_WORK = WorldPlan(
    municipalities=(
        ("4601", "Bergen", "46", _attrs(291_000, 1.0)), ("4602", "Kinn", "46", _attrs(17_000, 3.0)),
        ("4624", "Bjørnafjorden", "46", _attrs(25_000, 2.0)), ("4640", "Sogndal", "46", _attrs(12_000, 4.0)),
        ("0301", "Oslo", "03", _attrs(709_000, 1.0)),
    ),
    users=(
        ("ks", Role.NATIONAL_COORDINATOR, "0"), ("vestland", Role.COUNTY_COORDINATOR, "46"),
        ("bergen", Role.MUNICIPAL_EDITOR, "4601"), ("bergen-leser", Role.MUNICIPAL_READER, "4601"),
        ("kinn", Role.MUNICIPAL_EDITOR, "4602"), ("bjornafjorden", Role.MUNICIPAL_EDITOR, "4624"),
        ("sogndal", Role.MUNICIPAL_EDITOR, "4640"), ("oslo", Role.MUNICIPAL_EDITOR, "0301"),
        ("admin", Role.ADMINISTRATOR, "0"), ("nobody", None, ""),
    ),
    indicators=(("T-A", 3, "3.4", ""), ("T-B", 4, "4.2", ""), ("T-C", 11, "11.6", "")),
)
#: Reporting rounds and publications: three municipalities, one user per role (no e-mail), units of measure.
REPORTING = WorldPlan(
    municipalities=(("4601", "Bergen", "46", _attrs(291_000)), ("4602", "Kinn", "46", _attrs(17_000)),
                    ("0301", "Oslo", "03", _attrs(709_000))),
    users=(
        ("ks", Role.NATIONAL_COORDINATOR, "0"), ("departement", Role.MINISTRY_READER, "0"),
        ("vestland", Role.COUNTY_COORDINATOR, "46"), ("oslo-fylke", Role.COUNTY_COORDINATOR, "03"),
        ("bergen", Role.MUNICIPAL_EDITOR, "4601"), ("bergen-leser", Role.MUNICIPAL_READER, "4601"),
        ("oslo", Role.MUNICIPAL_EDITOR, "0301"), ("admin", Role.ADMINISTRATOR, "0"), ("nobody", None, ""),
    ),
    indicators=(("T-A", 3, "", "prosent"), ("T-B", 4, "", "antall"), ("T-C", 3, "", "per 1000")),
    emails=False,
)
GOAL_COLOURS = {4: "#C5192D", 11: "#FD9D24"}


def world_build(plan: WorldPlan = REPORTING) -> World:
    """Country 0, counties 46 (Vestland) and 03 (Oslo fylke), the plan's municipalities, users, targets and indicators."""
    w = World()
    country = UnitFactory(code="0", name="Norge", level=LevelFactory(code="country"))
    w.units["0"] = country
    for code, name in (("46", "Vestland"), ("03", "Oslo fylke")):
        w.units[code] = UnitFactory(code=code, name=name, level=LevelFactory(code="county"), parent=country)
    for code, name, county, attributes in plan.municipalities:
        w.units[code] = UnitFactory(code=code, name=name, level=LevelFactory(code="municipality"), parent=w.units[county],
                                    population=attributes.get("population"),
                                    attributes={k: v for k, v in attributes.items() if k != "population"})
    for username, role, unit_code in plan.users:
        user = UserFactory(username=username, **({} if plan.emails else {"email": ""}))
        if role is not None:
            Membership.objects.create(user=user, unit=w.units[unit_code], role=role)
        w.users[username] = user
    goals = {n: GoalFactory(number=n, **({"colour": GOAL_COLOURS[n]} if n in GOAL_COLOURS else {}))
             for n in dict.fromkeys(number for _, number, _, _ in plan.indicators)}
    for _, number, target, _ in plan.indicators:
        if target:
            w.targets[target] = TargetFactory(code=target, goal=goals[number])
    for code, number, target, unit in plan.indicators:
        indicator = IndicatorFactory(code=code)
        indicator.goals.add(goals[number])
        if target:
            indicator.targets.add(w.targets[target])
        IndicatorSpecFactory(indicator=indicator, goal=goals[number], **({"unit_of_measure": unit} if unit else {}))
        w.indicators.append(indicator)
    return w


# --- reporting rounds -------------------------------------------------------------------------------------------


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


# --- small trees for scores and observations --------------------------------------------------------------------


def build_tree() -> dict:
    """Country 0, counties 01 and 02, municipalities 0101 (pop 100), 0102 (300), 0201 (600), 0202 (1000).

    Indicator A (goal 3, higher is better, green 80, red 50) and B (goal 3, lower is better: UB 0,
    LB 100, green 10, red 30); values for 2024, none for 0202.
    """
    country, county, municipality = (LevelFactory(code=c) for c in ("country", "county", "municipality"))
    start = dt.date(2024, 1, 1)
    units = {"0": UnitFactory(code="0", name="Norge", level=country, valid_from=start)}
    for code, name in (("01", "Fylke A"), ("02", "Fylke B")):
        units[code] = UnitFactory(code=code, name=name, level=county, parent=units["0"], valid_from=start)
    structure = {
        "0101": (100, 10, 6, 400, "K1"), "0102": (300, 30, 5, 420, "K1"),
        "0201": (600, 60, 3, 500, "K2"), "0202": (1000, 100, 1, 520, "K1"),
    }  # fmt: skip
    for code, (population, density, centrality, income, group) in structure.items():
        attributes = {"density": density, "centrality": centrality, "income": income, "kostra_group": group}
        units[code] = UnitFactory(code=code, level=municipality, parent=units[code[:2]], valid_from=start,
                                  population=population, attributes=attributes)  # fmt: skip
    goal = GoalFactory(number=3)
    a = IndicatorFactory(code="A")
    b = IndicatorFactory(code="B")
    IndicatorSpecFactory(indicator=a, goal=goal, upper_bound=100, lower_bound=0, green=80, red=50)
    IndicatorSpecFactory(indicator=b, goal=goal, upper_bound=0, lower_bound=100, green=10, red=30, direction="lower")
    obs = {}
    for code, value_a, value_b in (("0101", 40, 5), ("0102", 60, 20), ("0201", 90, 40), ("0", 70, 25)):
        obs[code, "A"] = ObservationFactory(unit=units[code], indicator=a, value=value_a)
        obs[code, "B"] = ObservationFactory(unit=units[code], indicator=b, value=value_b)
    return {"units": units, "indicators": {"A": a, "B": b}, "observations": obs}


def make_registry() -> dict:
    """Units 0, 0301 Oslo, 3001 Halden (2020–2023), 3101 Halden (2024–), 9999 reused in 2020; and indicators.

    Indicators: ``A1`` and ``B1`` in framework ``test``, and ``3.2.1`` in both ``un`` and ``no`` (ambiguous).
    """
    country = LevelFactory(code="country")
    municipality = LevelFactory(code="municipality")
    units = {
        "0": UnitFactory(code="0", level=country, name="Norge", valid_from=dt.date(1900, 1, 1)),
        "0301": UnitFactory(code="0301", level=municipality, name="Oslo", valid_from=dt.date(1838, 1, 1)),
        "3001": UnitFactory(code="3001", level=municipality, name="Halden", valid_from=dt.date(2020, 1, 1),
                            valid_to=dt.date(2024, 1, 1)),
        "3101": UnitFactory(code="3101", level=municipality, name="Halden", valid_from=dt.date(2024, 1, 1)),
        "9999-old": UnitFactory(code="9999", level=municipality, name="Gamle", valid_from=dt.date(2000, 1, 1),
                                valid_to=dt.date(2020, 1, 1)),
        "9999-new": UnitFactory(code="9999", level=municipality, name="Nye", valid_from=dt.date(2020, 1, 1)),
    }
    test, un, no = (FrameworkFactory(code=c) for c in ("test", "un", "no"))
    indicators = {
        "A1": IndicatorFactory(framework=test, code="A1"),
        "B1": IndicatorFactory(framework=test, code="B1"),
        "un:3.2.1": IndicatorFactory(framework=un, code="3.2.1"),
        "no:3.2.1": IndicatorFactory(framework=no, code="3.2.1"),
    }
    return {"units": units, "indicators": indicators}


def tidy(rows: list[dict]) -> pa.Table:
    """A tidy table from row dictionaries; values become text when any value is text (as read from a file)."""
    if any(isinstance(r.get("value"), str) for r in rows):
        rows = [dict(r, value=None if r.get("value") is None else str(r["value"])) for r in rows]
    return pa.Table.from_pylist(rows)


def write_csv(path: Path, text: str) -> Path:
    """Write CSV text (dedented lines) to ``path`` and return it."""
    path.write_text("\n".join(line.strip() for line in text.strip().splitlines()) + "\n", encoding="utf-8")
    return path


def run_import(rows: list[dict], **options):
    """Import row dictionaries with the service as a CSV-like source."""
    options.setdefault("source", "test.csv")
    options.setdefault("kind", "csv")
    return observations_import(table=tidy(rows), **options)
