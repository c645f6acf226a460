"""Fixtures shared by the whole suite: paths to ../shared data (skip or fail when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property and fuzz tests must not fail because a shared 2-core machine is busy: no per-example deadline.
settings.register_profile("dugnad", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dugnad")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DUGNAD_SHARED_DIR", ROOT.parent / "shared"))


def shared_path(relative: str) -> Path:
    """Path of a file under ../shared/data; skips the test when absent (fails with DUGNAD_REQUIRE_SHARED=1)."""
    path = SHARED / "data" / relative
    if not path.exists():
        message = f"shared data not found: {path}"
        if os.environ.get("DUGNAD_REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def shared():
    """The ``shared_path`` function as a fixture."""
    return shared_path


#: Expected seconds of a test without a ``slow(seconds=…)`` estimate: marked ``slow``, or not.
SLOW_SECONDS, QUICK_SECONDS = 20.0, 0.5


def expected_seconds(item) -> float:
    """About how long a test takes on the CI machine: ``slow(seconds=N)`` says N, plain ``slow`` 20 s, others 0.5 s."""
    marker = item.get_closest_marker("slow")
    if marker is None:
        return QUICK_SECONDS
    return float(marker.kwargs.get("seconds", SLOW_SECONDS))


def pytest_collection_modifyitems(config, items):
    """Mark tests that use no database fixture with ``nodb`` so the PostgreSQL pass can skip them; order the modules
    longest first.

    xdist (``--dist loadfile --no-loadscope-reorder``) hands whole modules to the two workers in this order, so the
    long browser modules start first and the many short ones fill in at the end: both workers finish at about the
    same time. Tests keep their order within a module.
    """
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        uses_db = bool(fixtures & {"db", "transactional_db", "django_db_setup", "client", "admin_client",
                                   "live_server", "django_user_model"}) or item.get_closest_marker("django_db")
        if not uses_db:
            item.add_marker(pytest.mark.nodb)
    cost: dict[str, float] = {}
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        cost[module] = cost.get(module, 0.0) + expected_seconds(item)
    items.sort(key=lambda item: -cost[item.nodeid.split("::", 1)[0]])  # stable: collection order otherwise
    _second_worker_starts_without_the_demo(items)


#: Modules whose functions load the demo (``demo_database()``): a test module that imports one needs the demo.
DEMO_MODULES = {"tests.demo_database", "tests.browser.accessibility"}


def _second_worker_starts_without_the_demo(items) -> None:
    """Move the two longest modules that use a database but need no demo to the 2nd and 4th place.

    xdist gives the first worker the 1st and 3rd module and the second worker the 2nd and 4th. The longest modules
    need the demo, which one worker loads and the other copies (``tests/demo_database.py``): the second worker starts
    with modules that need none instead of waiting for the load.
    """
    def module_of(item) -> str:
        return item.nodeid.split("::", 1)[0]

    def needs_demo(item) -> bool:
        names = vars(getattr(item, "module", None) or object())
        return any(getattr(value, "__module__", "") in DEMO_MODULES for value in list(names.values()))

    modules = list(dict.fromkeys(module_of(item) for item in items))
    demo = {module_of(item) for item in items if needs_demo(item)}
    # With a database: those run in the PostgreSQL pass too (``-m "not nodb"`` deselects after this hook).
    database = {module_of(item) for item in items if not item.get_closest_marker("nodb")}
    if not modules or modules[0] not in demo:
        return
    others = [module for module in modules if module in database and module not in demo]
    for place, module in zip((1, 3), others[:2], strict=False):
        modules.remove(module)
        modules.insert(place, module)
    rank = {module: place for place, module in enumerate(modules)}
    items.sort(key=lambda item: rank[module_of(item)])


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts in bokmål: a request in nn or en leaves that language active in the thread afterwards."""
    from django.utils import translation

    translation.activate("nb")
    yield
    translation.activate("nb")


@pytest.fixture(autouse=True)
def _fresh_portal_snapshot():
    """Each test starts without the portal's kept snapshot, cached pages and request counts (data differ between
    tests, revisions may not)."""
    from django.core.cache import caches

    from dugnad.portal.snapshot import forget_snapshot

    forget_snapshot()
    for cache in caches.all():
        cache.clear()
    yield


def _uses_database(request) -> bool:
    """Whether the test asks for a database (a fixture or the ``django_db`` marker), as pytest-django decides."""
    names = set(request.fixturenames)
    return bool(names & {"db", "transactional_db", "live_server"}) or request.node.get_closest_marker("django_db")


#: Tables that hold rows but belong to no model, so the flush after a transactional test leaves them as they are: the
#: search side tables, per database vendor. tests/test_isolation.py checks that these are all such tables.
SIDE_TABLES = {"sqlite": ("practices_case_fts",), "postgresql": ("practices_case_tsv",)}


@pytest.fixture(autouse=True)
def _no_leftovers(request):
    """Each test starts without what an earlier test on this worker left where the database flush does not reach:
    the generated files (publications) in the data directory, and the rows of the ``SIDE_TABLES``. A test in a
    transaction sees them emptied (and restored when its transaction is rolled back); a transactional test empties
    them for good."""
    import shutil

    from dugnad.env import data_dir
    from dugnad.operations.backup import FILE_DIRS

    for name in FILE_DIRS:
        shutil.rmtree(data_dir() / name, ignore_errors=True)
    if _uses_database(request):
        request.getfixturevalue("db")  # set up now (pytest-django still chooses transactional or not)
        from django.db import connection

        with connection.cursor() as cursor:
            for table in SIDE_TABLES.get(connection.vendor, ()):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    yield
    from tests.demo_database import demo_database_emptied

    demo_database_emptied()  # the demo's rows gone before the flush (tests/demo_database.py)


@pytest.fixture(autouse=True, scope="session")
def cli_in_english():
    """CLI invocations speak English in tests (``LANG=en_US.UTF-8``), so their assertions read as written.

    Session-wide, so that module fixtures copying the environment for a ``dugnad`` subprocess get it too. Tests of
    the CLI's language set ``LANG`` themselves (``tests/test_cli_language.py``, the ``cli_in_bokmal`` fixture).
    """
    with pytest.MonkeyPatch.context() as patch:
        for name in ("LC_ALL", "LC_MESSAGES"):
            patch.delenv(name, raising=False)
        patch.setenv("LANG", "en_US.UTF-8")
        yield


@pytest.fixture
def cli_in_bokmal(monkeypatch):
    """CLI invocations speak bokmål (the default outside tests), for tests that assert bokmål messages."""
    monkeypatch.setenv("LANG", "nb_NO.UTF-8")


@pytest.fixture(autouse=True, scope="session")
def _sessions_named_after_their_test():
    """On PostgreSQL every Django connection names its session (``application_name``, 63 bytes) after the thread and
    the test that opened it, so a session still open when the test database is dropped (``_sessions_on``) says
    where it came from: ``<thread> <test file>::<test>``."""
    import threading

    from django.db.backends.signals import connection_created

    def name(sender, connection, **kwargs):
        if connection.vendor != "postgresql":
            return
        thread = threading.current_thread()
        who = "main" if thread is threading.main_thread() else thread.name.split(" ")[0]
        test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0].removeprefix("tests/")
        connection.connection.execute("SELECT set_config('application_name', %s, false)", [f"{who} {test}"[:63]])

    connection_created.connect(name, weak=False, dispatch_uid="tests-session-names")
    yield
    connection_created.disconnect(dispatch_uid="tests-session-names")


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_use_migrations, django_db_keepdb,
                    django_db_createdb, django_db_modify_db_settings):
    """pytest-django's, with the test database migrated once per run and copied for the other xdist workers
    (``tests/database_template.py``)."""
    from django.test.utils import teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from tests.database_template import setup_databases

    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False, aliases=aliases,
                                 serialized_aliases=serialized_aliases, keepdb=keepdb)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            names = [connection.settings_dict["NAME"] for connection, *_ in config]
            try:
                teardown_databases(config, verbosity=request.config.option.verbose)
            except Exception as exc:  # as pytest-django's own fixture: a warning, not an error of the last test
                request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}; "
                                                       f"sessions still open: {_sessions_on(config, names)}"))


def _sessions_on(config, names: list[str]) -> list[tuple]:
    """Who still uses the test databases (PostgreSQL): application (the thread and test that opened it:
    ``_sessions_named_after_their_test``), state, start and last statement of each session."""
    found = []
    for (connection, *_), name in zip(config, names, strict=True):
        if connection.vendor != "postgresql":
            continue
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute("SELECT application_name, state, backend_start::text, left(query, 300) FROM pg_stat_activity "
                           "WHERE datname = %s AND pid <> pg_backend_pid()", [name])
            found += cursor.fetchall()
    return found


def pytest_sessionfinish(session):
    """The xdist controller removes the run's test database templates when the workers have ended."""
    if hasattr(session.config, "workerinput") or not os.environ.get("DUGNAD_DATA_DIR"):
        return
    from pytest_django.plugin import blocking_manager_key

    from tests.database_template import drop_templates

    with session.config.stash[blocking_manager_key].unblock():
        drop_templates(Path(os.environ["DUGNAD_DATA_DIR"]))
