"""The demo generator is deterministic, plausible and leaves gaps."""

from __future__ import annotations

from dugnad.demo.generator import generate_rows, load_definitions, municipality_profile


def _municipalities():
    return [municipality_profile(f"46{n:02d}", "46", 800 + 1_500 * n) for n in range(1, 31)]


def test_definitions_cover_all_17_goals_with_about_40_indicators():
    framework, indicators = load_definitions()
    assert framework["code"] == "dugnad-demo"
    assert {i.goal for i in indicators} == set(range(1, 18))
    assert 38 <= len(indicators) <= 45
    assert len({i.code for i in indicators}) == len(indicators)


def test_same_inputs_give_the_same_rows():
    _, indicators = load_definitions()
    assert generate_rows(indicators[:5], _municipalities()) == generate_rows(indicators[:5], _municipalities())


def test_rows_cover_municipalities_county_and_country_with_gaps():
    _, indicators = load_definitions()
    rows = generate_rows(indicators, _municipalities())
    units = {r[0] for r in rows}
    assert {"0", "46", "4601", "4630"} <= units
    values = [r[3] for r in rows]
    missing = sum(v is None for v in values)
    assert 0 < missing < len(values) * 0.2


def test_percentages_stay_within_0_and_100():
    _, indicators = load_definitions()
    percent_codes = {i.code for i in indicators if "prosent" in i.unit}
    rows = generate_rows(indicators, _municipalities())
    assert all(0 <= r[3] <= 100 for r in rows if r[1] in percent_codes and r[3] is not None)


def test_county_value_is_population_weighted_mean_of_its_municipalities():
    _, indicators = load_definitions()
    munis = _municipalities()
    rows = generate_rows(indicators[:1], munis)
    pop = {m.code: m.population for m in munis}
    year_rows = [(u, v) for u, i, y, v in rows if y == "2020" and v is not None]
    muni_pairs = [(v, pop[u]) for u, v in year_rows if u in pop]
    expected = round(sum(v * w for v, w in muni_pairs) / sum(w for _, w in muni_pairs), 3)
    assert dict(year_rows)["46"] == expected


def test_the_profile_keeps_the_real_population_and_larger_municipalities_are_more_central():
    oslo, gulen = municipality_profile("0301", "03", 717_710), municipality_profile("4635", "46", 2_234)
    assert (oslo.population, gulen.population) == (717_710, 2_234)
    assert oslo.centrality <= 2 < gulen.centrality
