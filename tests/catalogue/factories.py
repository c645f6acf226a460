"""Factories for catalogue rows used by the catalogue tests."""

from __future__ import annotations

import factory

from dugnad.catalogue.models import Framework, Goal, Indicator


class GoalFactory(factory.django.DjangoModelFactory):
    """A goal (use numbers 1–17)."""

    class Meta:
        model = Goal
        django_get_or_create = ("number",)

    number = 3
    colour = "#4C9F38"
    name_nb = "God helse og livskvalitet"
    name_nn = "God helse og livskvalitet"
    name_en = "Good Health and Well-being"


class FrameworkFactory(factory.django.DjangoModelFactory):
    """A small test framework."""

    class Meta:
        model = Framework
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-framework-{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").title())
    publisher = "Dugnad test"


class IndicatorFactory(factory.django.DjangoModelFactory):
    """An indicator of a test framework."""

    class Meta:
        model = Indicator

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"ind-{n}")
    name_nb = factory.Sequence(lambda n: f"Testindikator {n}")
