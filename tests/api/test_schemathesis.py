"""Schemathesis against the live API (signed in as an administrator, an editor and anonymously): no response is a
5xx, and every status and body is one the OpenAPI schema declares."""

from __future__ import annotations

import os

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from tests.factories import PASSWORD, round_national, run_import, submission_of, world_build

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import FailureGroup, not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance  # noqa: E402

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("DUGNAD_SCHEMATHESIS_EXAMPLES", "25"))


def signed_in(base_url: str, username: str) -> dict:
    """Cookie and CSRF headers of a session signed in through the login page."""
    session = requests.Session()
    session.get(f"{base_url}/logg-inn/")
    token = session.cookies["csrftoken"]
    response = session.post(f"{base_url}/logg-inn/", data={"username": username, "password": PASSWORD,
                                                           "csrfmiddlewaretoken": token},
                            headers={"Referer": f"{base_url}/logg-inn/"}, allow_redirects=False)
    assert response.status_code == 302, response.text[:300]
    cookies = session.cookies.get_dict()
    return {"Cookie": f"sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}",
            "X-CSRFToken": cookies["csrftoken"], "Referer": f"{base_url}/"}


@pytest.mark.parametrize("username", ["admin", "bergen", None])
def test_no_api_operation_answers_with_a_server_error(live_server, username):
    w = world_build()
    round_ = round_national(w)
    submission_of(round_, "4601")
    headers = signed_in(live_server.url, username) if username else {}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json")
    failures: list[str] = []
    statuses: set[int] = set()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12

    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def call(case):
            response = case.call(base_url=live_server.url, headers=headers)
            statuses.add(response.status_code)
            try:
                case.validate_response(response, checks=checks)
            except (AssertionError, FailureGroup) as exc:  # one failure, or a group of them
                failures.append(f"{case.method} {case.formatted_path} {case.body!r} -> {response.status_code}: "
                                f"{str(exc)[:300]}")

        call()
    assert failures == []
    if username:  # signed in, the run reached the handlers, not only the auth layer
        assert any(200 <= s < 300 for s in statuses), statuses
    else:
        assert statuses <= {400, 401, 403, 404, 405, 422, 429}, statuses  # 403: CSRF check of unsigned writes


def test_no_open_data_operation_answers_with_a_server_error(live_server):
    """The anonymous open data API (/api/v1/): every answer is declared, none is a 5xx, and some are 200."""
    w = world_build()
    run_import([{"unit": "4601", "indicator": w.indicators[0].code, "year": "2024", "value": 55.5},
                {"unit": "0301", "indicator": w.indicators[1].code, "year": "2024", "value": None, "status": "missing"}])
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    failures: list[str] = []
    statuses: set[int] = set()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8  # units, goals, targets, indicators, observations, scores, requests, local-targets

    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def call(case):
            response = case.call(base_url=live_server.url)
            statuses.add(response.status_code)
            try:
                case.validate_response(response, checks=checks)
            except (AssertionError, FailureGroup) as exc:
                failures.append(f"{case.method} {case.formatted_path} {case.query!r} -> {response.status_code}: "
                                f"{str(exc)[:300]}")

        call()
    assert failures == [], "\n".join(failures)
    assert 200 in statuses, statuses
