"""The demo provider of requests across levels: labelled, routed and idempotent."""

from __future__ import annotations

from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.requests import demo_requests_ensure
from dugnad.requests.models import LevelRequest
from dugnad.requests.selectors import request_counts_by_level


def test_demo_requests_are_labelled_routed_and_made_once(world):
    demo_requests_ensure()
    made = LevelRequest.objects.count()
    assert made == 9  # Vestland municipalities of the small world (4627 is not in it)
    assert all(r.is_demo and DEMO_LABEL_NB in r.text for r in LevelRequest.objects.all())
    assert request_counts_by_level() == {"stat": 5, "fylke": 4}
    assert {r.to_unit.code for r in LevelRequest.objects.filter(to_level="fylke")} == {"46"}
    followed = LevelRequest.objects.get(title="Felles kompetanse på klimagassregnskap")
    assert followed.status == "followed_up" and followed.answered_by.username == "vestland"
    demo_requests_ensure()
    assert LevelRequest.objects.count() == made
