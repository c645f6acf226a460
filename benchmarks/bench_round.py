"""Shared setup of the reporting-round benchmarks (rounds_load.py, faults.py), in the database Django is set up for:
a country, one county, N municipalities with one municipal editor each, five indicators and an open national round."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass


@dataclass
class BenchRound:
    """What the benchmarks drive: the round, its country, indicators and (editor, municipality) pairs."""

    round: object
    country: object
    indicators: list
    editors: list[tuple[object, object]]


def round_build(editors: int) -> BenchRound:
    """Create the units, users, indicators and the round (call after django.setup() and migrate)."""
    from django.contrib.auth import get_user_model

    from dugnad.accounts.models import Membership
    from dugnad.accounts.vocab import Role
    from dugnad.catalogue.models import Framework, Indicator
    from dugnad.rounds.services import round_open
    from dugnad.units.models import Level, Unit

    start = dt.date(2024, 1, 1)
    levels = {code: Level.objects.get_or_create(code=code, defaults={"name_nb": code, "rank": rank})[0]
              for code, rank in (("country", 0), ("county", 1), ("municipality", 2))}
    country = Unit.objects.create(code="0", name="Norge", level=levels["country"], valid_from=start)
    county = Unit.objects.create(code="99", name="Benkefylke", level=levels["county"], parent=country, valid_from=start)
    framework = Framework.objects.create(code="bench", name="Benchmark")
    indicators = [Indicator.objects.create(framework=framework, code=f"B{i}", name_nb=f"Indikator {i}") for i in range(5)]
    users = get_user_model()
    ks = users.objects.create_user("ks-bench", password=secrets.token_hex(16))
    Membership.objects.create(user=ks, unit=country, role=Role.NATIONAL_COORDINATOR)
    pairs = []
    for n in range(editors):
        unit = Unit.objects.create(code=f"99{n:02d}", name=f"Kommune {n}", level=levels["municipality"], parent=county,
                                   valid_from=start)
        user = users.objects.create_user(f"editor{n}", password=secrets.token_hex(16))
        Membership.objects.create(user=user, unit=unit, role=Role.MUNICIPAL_EDITOR)
        pairs.append((user, unit))
    round_ = round_open(user=ks, scope_unit=country, title="Benchmark", year=2025, deadline=dt.date(2031, 1, 1),
                        indicators=indicators, chapters=["opening"])
    return BenchRound(round_, country, indicators, pairs)


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def sign_in_backend(src=None) -> str:
    """The backend a sign-in records in the session on a source tree: the first password backend (a ``ModelBackend``)
    of this process's settings, or, for another checkout's ``src/`` (``src``), its own ``UserBackend`` where it has
    one (``dugnad.accounts.backends``, since issue 17's save work), else Django's ``ModelBackend``."""
    if src is not None:
        from pathlib import Path

        has_own = (Path(src) / "dugnad" / "accounts" / "backends.py").exists()
        return "dugnad.accounts.backends.UserBackend" if has_own else MODEL_BACKEND
    from django.conf import settings
    from django.contrib.auth.backends import ModelBackend
    from django.utils.module_loading import import_string

    return next(path for path in settings.AUTHENTICATION_BACKENDS if issubclass(import_string(path), ModelBackend))


def session_for(user, backend: str | None = None) -> str:
    """The key of a new signed-in session of the user (sent as the ``sessionid`` cookie), recorded with ``backend``
    (default: ``sign_in_backend()``), as a sign-in through that backend records it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend or sign_in_backend()
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
