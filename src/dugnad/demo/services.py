"""Loading the demo: demo indicator set with specs, generated values, users with one role each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyarrow as pa
from django.contrib.auth import get_user_model
from django.db import transaction

from dugnad.accounts.models import Membership
from dugnad.accounts.roles import Role
from dugnad.actions.demo import demo_actions_ensure
from dugnad.analytics.types import DEMO_LABEL_NB
from dugnad.catalogue.models import Framework, Goal, Indicator, Target
from dugnad.catalogue.services.specs import indicator_spec_save
from dugnad.demo.generator import DemoIndicator, generate_rows, known_sizes, load_definitions, municipality_profile
from dugnad.imports.services import observations_import
from dugnad.networks.demo import demo_networks_ensure
from dugnad.rounds.demo import demo_round_ensure
from dugnad.scores.services import score_run_create
from dugnad.units.models import Unit

GENERATOR_VERSION = "demo-generator-1"


@dataclass(frozen=True)
class DemoLogin:
    """A demo user's credentials and role, printed by ``dugnad demo``."""

    username: str
    password: str
    role: Role
    unit_code: str
    unit_name: str

    @property
    def role_label(self) -> str:
        """The role's Norwegian label."""
        return str(self.role.label)


@dataclass
class DemoResult:
    """What ``demo_load`` did."""

    indicators: int = 0
    rows: int = 0
    inserted: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the CLI."""
        return (
            f"{DEMO_LABEL_NB}: {self.indicators} indikatorer, {self.rows} verdier generert, "
            f"{self.inserted} nye lagret, {len(self.logins)} demobrukere."
        ) + "".join(f"\n{line}" for line in self.extras)


DEMO_USERS: tuple[tuple[str, Role, str], ...] = (
    ("ks", Role.NATIONAL_COORDINATOR, "0"),
    ("departement", Role.MINISTRY_READER, "0"),
    ("vestland", Role.COUNTY_COORDINATOR, "46"),
    ("bergen", Role.MUNICIPAL_EDITOR, "4601"),
    ("bergen-leser", Role.MUNICIPAL_READER, "4601"),
    ("admin", Role.ADMINISTRATOR, "0"),
)


@transaction.atomic
def demo_catalogue_ensure(indicators: list[DemoIndicator], framework_data: dict) -> Framework:
    """Create (or keep) the demo framework, its indicators with goal/target links and their specifications."""
    framework, _ = Framework.objects.get_or_create(
        code=framework_data["code"],
        defaults={k: framework_data.get(k, "") for k in ("name", "publisher", "description")},
    )
    goals = {g.number: g for g in Goal.objects.all()}
    targets = {t.code: t for t in Target.objects.all()}
    for ind in indicators:
        indicator, created = Indicator.objects.get_or_create(
            framework=framework,
            code=ind.code,
            defaults={"name_nb": ind.name_nb, "name_en": ind.name_en, "unit_of_measure": ind.unit, "source": "Dugnad demo"},
        )
        if created:
            if ind.goal in goals:
                indicator.goals.add(goals[ind.goal])
            if ind.target in targets:
                indicator.targets.add(targets[ind.target])
        indicator_spec_save(
            indicator=indicator,
            label=ind.name_nb,
            unit_of_measure=ind.unit,
            direction=ind.direction,
            goal=goals.get(ind.goal),
            upper_bound=ind.upper,
            lower_bound=ind.lower,
            green=ind.green,
            red=ind.red,
            trend_from=2019,
            trend_to=2024,
            source=f"{DEMO_LABEL_NB} ({GENERATOR_VERSION})",
        )
    return framework


def demo_units_profile(*, on: dt.date) -> list:
    """Generated population and centrality for the municipalities valid on a date, stored on the units."""
    municipalities = Unit.objects.at_level("municipality").valid_on(on).select_related("parent")
    profiles = []
    changed = []
    sizes = known_sizes()
    for unit in municipalities:
        profile = municipality_profile(unit.code, unit.parent.code if unit.parent else unit.code[:2], sizes)
        profiles.append(profile)
        attrs = {"population": profile.population, "centrality": profile.centrality, "demo": True}
        if any(unit.attributes.get(k) != v for k, v in attrs.items()):
            unit.attributes = {**unit.attributes, **attrs}
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["attributes"], batch_size=500)
    return profiles


def demo_users_ensure() -> list[DemoLogin]:
    """Create the demo users (one per role) with memberships; passwords are printed, for demo use only."""
    user_model = get_user_model()
    logins = []
    for username, role, unit_code in DEMO_USERS:
        unit = Unit.objects.current().filter(code=unit_code).first()
        if unit is None:
            continue
        password = f"demo-{username}"
        user, created = user_model.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.is_staff = user.is_superuser = role is Role.ADMINISTRATOR
            user.save()
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        logins.append(DemoLogin(username, password, role, unit.code, unit.name))
    return logins


def demo_load(*, on: dt.date | None = None) -> DemoResult:
    """Load the whole demo: catalogue entries, unit profiles, generated observations and users (idempotent)."""
    framework_data, indicators = load_definitions()
    demo_catalogue_ensure(indicators, framework_data)
    profiles = demo_units_profile(on=on or dt.date.today())
    rows = generate_rows(indicators, profiles)
    table = pa.table(
        {
            "unit": [r[0] for r in rows],
            "indicator": [f"{framework_data['code']}:{r[1]}" for r in rows],
            "period": [r[2] for r in rows],
            "value": pa.array([r[3] for r in rows], type=pa.float64()),
            "status": ["ok" if r[3] is not None else "missing" for r in rows],
        }
    )
    result = observations_import(
        table=table, source=f"Dugnad {GENERATOR_VERSION}", kind="demo", is_demo=True,
        provenance={"generator": GENERATOR_VERSION, "label": DEMO_LABEL_NB},
    )
    logins = demo_users_ensure()
    extras = [
        f"Poengberegning: {score_run_create().summary()}",
        f"Tiltak: {demo_actions_ensure()}",
        f"Nettverk: {demo_networks_ensure()}",
        f"Rapporteringsrunde: {demo_round_ensure()}",
    ]
    return DemoResult(
        indicators=len(indicators), rows=len(rows), inserted=result.rows_inserted, logins=logins, extras=extras
    )
