"""Requests across levels: who sends and answers, the status flow, counts per level and target, and the CLI."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from typer.testing import CliRunner

from dugnad.analytics.report import InputError
from dugnad.cli.main import app
from dugnad.requests.models import LevelRequest
from dugnad.requests.selectors import (
    request_counts_by_goal,
    request_counts_by_level,
    request_counts_by_target,
    requests_list,
)
from dugnad.requests.services import request_answer, request_send, request_status_set
from dugnad.requests.vocab import RequestLevel, RequestStatus

runner = CliRunner()


def _to_state(world, **kw):
    args = {"user": world.users["bergen"], "from_unit": world.units["4601"], "to_level": RequestLevel.STATE,
            "title": "Vi trenger statlige midler til overvann", "to_body": "Kommunal- og distriktsdepartementet",
            "targets": [world.targets["11.6"]], "indicators": [world.indicators[2]]}
    args.update(kw)
    return request_send(**args)


def test_an_editor_sends_a_request_routed_to_the_state_and_to_its_county(world):
    state = _to_state(world)
    county = _to_state(world, to_level=RequestLevel.COUNTY, title="Fylket bør samordne kollektivtilbudet")
    assert state.to_unit == world.units["0"] and state.status == RequestStatus.SUBMITTED
    assert county.to_unit == world.units["46"]
    assert list(state.targets.values_list("code", flat=True)) == ["11.6"]


def test_a_reader_and_another_municipality_may_not_send(world):
    with pytest.raises(PermissionDenied):
        _to_state(world, user=world.users["bergen-leser"])
    with pytest.raises(PermissionDenied):
        _to_state(world, user=world.users["kinn"])
    assert LevelRequest.objects.count() == 0


def test_a_county_coordinator_answers_requests_to_its_county_not_to_the_state(world):
    county = _to_state(world, to_level=RequestLevel.COUNTY)
    state = _to_state(world)
    request_answer(user=world.users["vestland"], request=county, answer="Vi tar det opp i regionalt planforum.")
    county.refresh_from_db()
    assert county.status == RequestStatus.ANSWERED and county.answered_by == world.users["vestland"]
    assert county.answered_at is not None
    with pytest.raises(PermissionDenied):
        request_answer(user=world.users["vestland"], request=state, answer="Nei")
    with pytest.raises(PermissionDenied):
        request_answer(user=world.users["bergen-leser"], request=county, answer="Nei")


def test_the_national_coordinator_answers_requests_to_the_state(world):
    state = _to_state(world)
    request_status_set(user=world.users["ks"], request=state, status=RequestStatus.RECEIVED)
    request_answer(user=world.users["ks"], request=state, answer="Saken er sendt departementet.")
    request_status_set(user=world.users["ks"], request=state, status=RequestStatus.FOLLOWED_UP)
    state.refresh_from_db()
    assert state.status == RequestStatus.FOLLOWED_UP and state.answered_by == world.users["ks"]


def test_the_status_flow_refuses_jumps_back_and_an_answer_without_text(world):
    request = _to_state(world)
    with pytest.raises(InputError):
        request_status_set(user=world.users["ks"], request=request, status=RequestStatus.FOLLOWED_UP)
    with pytest.raises(InputError):
        request_status_set(user=world.users["ks"], request=request, status=RequestStatus.DECLINED, answer=" ")
    request_status_set(user=world.users["ks"], request=request, status=RequestStatus.DECLINED, answer="Utenfor mandatet.")
    with pytest.raises(InputError):
        request_status_set(user=world.users["ks"], request=request, status=RequestStatus.ANSWERED, answer="Likevel")
    assert LevelRequest.objects.get().status == RequestStatus.DECLINED


def test_counts_per_level_target_and_goal(world):
    _to_state(world, targets=[world.targets["11.6"], world.targets["3.4"]])
    _to_state(world, user=world.users["kinn"], from_unit=world.units["4602"], targets=[world.targets["11.6"]])
    _to_state(world, to_level=RequestLevel.COUNTY, targets=[world.targets["4.2"]])
    assert request_counts_by_level() == {"stat": 2, "fylke": 1}
    assert request_counts_by_target() == {"11.6": 2, "3.4": 1, "4.2": 1}
    assert request_counts_by_goal(requests_list(to_level=RequestLevel.STATE)) == {3: 1, 11: 2}
    assert [r.title for r in requests_list(target_code="4.2")] == ["Vi trenger statlige midler til overvann"]


def test_visibility_keeps_oslo_out_of_vestland_requests(world):
    _to_state(world, to_level=RequestLevel.COUNTY)
    assert requests_list(user=world.users["vestland"]).count() == 1
    assert requests_list(user=world.users["oslo"]).count() == 0


def test_cli_lists_requests_as_csv_with_the_contract_columns(world):
    request = _to_state(world, targets=[world.targets["11.6"], world.targets["3.4"]])
    _to_state(world, to_level=RequestLevel.COUNTY, targets=[])
    result = runner.invoke(app, ["requests", "list", "--to-level", "stat", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["id", "from_unit", "to_level", "targets", "status"]
    assert rows == [{"id": str(request.pk), "from_unit": "4601 Bergen", "to_level": "stat", "targets": "3.4 11.6",
                     "status": "submitted"}]
    bad = runner.invoke(app, ["requests", "list", "--to-level", "region", "--format", "csv"])
    assert bad.exit_code == 1
