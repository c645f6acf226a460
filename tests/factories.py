"""factory_boy factories for the foundation models, shared by the whole suite."""

from __future__ import annotations

import datetime as dt

import factory

from dugnad.catalogue.models import Framework, Goal, Indicator, IndicatorSpec
from dugnad.units.models import Level, Population, Unit

LEVEL_RANKS = {"country": 0, "county": 1, "municipality": 2}


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
