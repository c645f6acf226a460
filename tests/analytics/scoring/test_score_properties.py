"""Properties of the SDSN scoring rules, checked with hypothesis on generated inputs."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from score_files import arrow_inputs

from dugnad.analytics.scoring import Colour, score

COLOUR_RANK = {c.value: c.rank for c in Colour}
finite = st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False)


@st.composite
def specs(draw):
    """An indicator spec with random direction and thresholds between the bounds."""
    low, high = sorted(draw(st.lists(finite, min_size=2, max_size=2, unique=True)))
    if high - low < 1e-3:
        high = low + 1
    red, green = sorted(draw(st.lists(st.floats(min_value=low, max_value=high), min_size=2, max_size=2)))
    if draw(st.booleans()):  # lower is better: mirror everything
        return ["x", 3, "", low, high, red, green, "yes", "", 2015, 2020]
    return ["x", 3, "", high, low, green, red, "yes", "", 2015, 2020]


def _units(n):
    return [[f"u{i}", "", "g", "", "", ""] for i in range(n)]


def _run(indicators, units, obs):
    return score(arrow_inputs(indicators, units, obs))


SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(spec=specs(), values=st.lists(finite, min_size=1, max_size=5), raise_by=st.floats(min_value=0, max_value=500))
def test_raising_a_value_in_the_good_direction_never_lowers_its_score_or_colour(spec, values, raise_by):
    good = 1 if spec[3] > spec[4] else -1
    obs = [[f"u{i}", "x", 2020, v] for i, v in enumerate(values)]
    better = [[*obs[0][:3], obs[0][3] + good * raise_by], *obs[1:]]
    before = {r["unit"]: r for r in _run([spec], _units(len(values)), obs).indicator_scores.to_pylist()}["u0"]
    after = {r["unit"]: r for r in _run([spec], _units(len(values)), better).indicator_scores.to_pylist()}["u0"]
    assert after["score"] >= before["score"]
    assert COLOUR_RANK[after["colour"]] >= COLOUR_RANK[before["colour"]]


@SETTINGS
@given(spec_list=st.lists(specs(), min_size=1, max_size=3), data=st.data())
def test_every_score_lies_between_0_and_100(spec_list, data):
    indicators = [[f"x{i}", 1 + i % 2, *s[2:]] for i, s in enumerate(spec_list)]
    obs = [[f"u{u}", ind[0], year, data.draw(finite)] for u in range(3) for ind in indicators for year in (2015, 2020)]
    result = _run(indicators, _units(3), obs)
    for table in (result.indicator_scores, result.goal_scores, result.index):
        for value in table.column("score").to_pylist():
            assert value is None or 0.0 <= value <= 100.0


@SETTINGS
@given(spec_list=st.lists(specs(), min_size=2, max_size=3), data=st.data())
def test_permuting_input_rows_changes_nothing(spec_list, data):
    indicators = [[f"x{i}", 1 + i % 2, *s[2:]] for i, s in enumerate(spec_list)]
    obs = [[f"u{u}", ind[0], year, data.draw(finite)] for u in range(4) for ind in indicators for year in (2015, 2019, 2020)]
    units = _units(4)
    first = _run(indicators, units, obs)
    shuffled = _run(data.draw(st.permutations(indicators)), data.draw(st.permutations(units)), data.draw(st.permutations(obs)))
    for name in ("indicator_scores", "goal_scores", "index", "group_goal_scores"):
        a, b = getattr(first, name).to_pylist(), getattr(shuffled, name).to_pylist()
        assert len(a) == len(b)
        for ra, rb in zip(a, b, strict=True):
            for key, va in ra.items():
                vb = rb[key]
                if isinstance(va, float) and isinstance(vb, float):
                    assert math.isclose(va, vb, rel_tol=0, abs_tol=1e-9), (name, key)
                else:
                    assert va == vb, (name, key)
