"""What the rounds services, the grid's cell parser, reminders and the SSB refresh tell people is written in bokmål,
goes through gettext and has a nynorsk and an English translation in the catalogues."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from tests.factories import IndicatorFactory, UnitFactory, UserFactory
from tests.test_service_messages import _catalogue, _is_text

from dugnad.analytics.report import InputError
from dugnad.rounds.errors import Conflict
from dugnad.rounds.services import round_open
from dugnad.rounds.values import cell_parse

SRC = Path(__file__).resolve().parents[2] / "src" / "dugnad"
MODULES = ("rounds/editing.py", "rounds/services.py", "rounds/values.py", "rounds/reminders.py", "rounds/refresh.py",
           "rounds/errors.py", "rounds/selectors.py")
#: Calls whose first argument is a message for people (``_bad`` builds a one-problem InputError).
MESSAGE_CALLS = ("PermissionDenied", "Http404", "_bad")


def _tree(module: str):
    return ast.parse((SRC / module).read_text(encoding="utf-8"))


@pytest.mark.parametrize("module", MODULES)
def test_messages_are_not_bare_strings(module):
    """Errors, returned summaries and e-mail texts go through gettext (an f-string or a literal is a bare message)."""
    bare = []
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Call) and node.args and _is_text(node.args[0]):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            on_report = isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "report"
            if name in MESSAGE_CALLS or (on_report and name == "add"):
                bare.append(f"{module}:{node.lineno}")
        if isinstance(node, ast.Return) and isinstance(node.value, ast.JoinedStr):
            bare.append(f"{module}:{node.lineno}")
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str) \
                and " " in node.value.value:
            bare.append(f"{module}:{node.lineno}")
    assert bare == []


@pytest.mark.parametrize("module", MODULES)
def test_every_message_has_a_nynorsk_and_an_english_translation(module):
    singular, plural = set(), set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            if node.func.id == "_":
                singular.add(node.args[0].value)
            elif node.func.id == "ngettext":
                plural.add(node.args[0].value)
    assert singular
    for language in ("nn", "en"):
        catalogue = _catalogue(language)
        missing = [m for m in singular if not catalogue.get(m)] + [m for m in plural if not catalogue.get((m, 1))]
        assert sorted(missing) == [], language


@pytest.mark.django_db
def test_a_round_is_refused_and_rejected_in_the_users_language():
    nobody, admin = UserFactory(), UserFactory(is_superuser=True)
    country = UnitFactory(code="0")
    cases = (("nb", "Du kan ikke åpne runder for denne enheten.", "Rapporteringsåret må ligge mellom 2000 og 2100."),
             ("nn", "Du kan ikkje opne rundar for denne eininga.", "Rapporteringsåret må liggje mellom 2000 og 2100."),
             ("en", "You cannot open rounds for this unit.", "The reporting year must be between 2000 and 2100."))
    for language, refused, bad_year in cases:
        with translation.override(language):
            with pytest.raises(PermissionDenied, match=refused):
                round_open(user=nobody, scope_unit=country, title="R", year=2025, deadline=None, indicators=[], chapters=[])
            with pytest.raises(InputError) as caught:
                round_open(user=admin, scope_unit=country, title="R", year=1999, deadline=None, indicators=[], chapters=[])
            assert bad_year in [p.reason for p in caught.value.report.errors]


@pytest.mark.django_db
def test_a_cell_and_a_conflict_speak_english_on_an_english_page():
    indicator = IndicatorFactory(code="T-A")
    with translation.override("en"):
        with pytest.raises(InputError) as caught:
            cell_parse("tolv", indicator=indicator, period="2024")
        assert caught.value.report.errors[0].reason == "The value must be a number, for example 12.5."
        conflict = Conflict(what="T-A 2024", expected_version=1, current_version=2, current=3.0, yours=4.0, changed_by="kari")
        assert str(conflict) == ("Conflict: T-A 2024 was changed by kari (version 2, you had 1). "
                                 "Saved value: 3.0; your value: 4.0.")
    with translation.override("nn"):
        assert str(Conflict(what="x", expected_version=0, current_version=1)).startswith("Konflikt: x vart endra (versjon 1")
