"""Fixtures for unit registry tests: the shared Klass directory, a loopback Klass server, a loaded registry and population."""

from __future__ import annotations

import pytest

from tests.units.klassserver import KlassServer, recorded_routes


@pytest.fixture
def klass_dir(shared):
    """The directory of recorded Klass responses under ../shared/data/no/klass."""
    return shared("no/klass/kommuneendringer").parent


@pytest.fixture
def klass_server(klass_dir):
    """A running loopback Klass server with the recorded Klass 131 responses."""
    with KlassServer(recorded_routes(klass_dir)) as server:
        yield server


@pytest.fixture
def registry(db):
    """The shipped Norwegian registry loaded into the test database."""
    from dugnad.units.services import registry_load_snapshot

    return registry_load_snapshot()


@pytest.fixture
def populated(registry):
    """The shipped population snapshot loaded on top of the shipped registry."""
    from dugnad.units.services import population_load_snapshot

    return population_load_snapshot()
