"""One enum convention: labelled vocabularies live in ``<app>/vocab.py``, and no two enums share a name."""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil
from collections import defaultdict

from django.db import models

import dugnad

#: Modules allowed to keep labelled vocabularies outside ``vocab.py`` (none left).
PENDING: set[str] = set()


def _modules():
    for info in pkgutil.walk_packages(dugnad.__path__, "dugnad."):
        if ".migrations" in info.name or info.name in {"dugnad.config.wsgi", "dugnad.cli.main"}:
            continue
        yield importlib.import_module(info.name)


def _enums():
    for module in _modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, enum.Enum) and cls.__module__ == module.__name__:
                yield cls


def test_labelled_vocabularies_live_in_each_apps_vocab_module():
    misplaced = sorted(
        f"{cls.__module__}.{cls.__name__}" for cls in _enums()
        if issubclass(cls, models.Choices) and not cls.__module__.endswith(".vocab") and cls.__module__ not in PENDING
    )
    assert misplaced == []


def test_no_two_enums_share_a_name():
    places = defaultdict(set)
    for cls in _enums():
        places[cls.__name__].add(cls.__module__)
    assert {name: sorted(mods) for name, mods in places.items() if len(mods) > 1} == {}
