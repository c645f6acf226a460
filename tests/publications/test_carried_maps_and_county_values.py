"""Maps and reviews read carried values (the one read path ``carried_values``) on the real registry:
Halden 3001 → 3101, Drammen 0602 + 0625 + 0711 (2019) → 3301, Vestfold og Telemark 38 → 40 Telemark; the county
review holds the county's own indicator values and the VSR a county × county-indicator table."""

from __future__ import annotations

import datetime as dt

import pytest

from dugnad.accounts.models import Membership
from dugnad.accounts.vocab import Role
from dugnad.observations.selectors import carried_values, latest_carried_values
from dugnad.rounds.services import round_open
from dugnad.units.selectors import unit_current
from tests.factories import FrameworkFactory, GoalFactory, IndicatorFactory, IndicatorSpecFactory, UserFactory, run_import

pytestmark = pytest.mark.django_db
ON = dt.date(2024, 1, 1)


@pytest.fixture
def registry(db):
    from dugnad.units.services import population_load_snapshot, registry_load_snapshot

    registry_load_snapshot()
    population_load_snapshot()
    demo = FrameworkFactory(code="dugnad-demo")
    completion = IndicatorFactory(framework=demo, code="D04.1", name_nb="Gjennomføring i videregående opplæring",
                                  unit_of_measure="prosent")
    IndicatorSpecFactory(indicator=completion, aggregation="mean")
    roads = IndicatorFactory(framework=FrameworkFactory(code="fylke"), code="fylkesvei-darlig-dekke",
                             name_nb="Fylkesveier med dårlig dekke", unit_of_measure="prosent")
    IndicatorSpecFactory(indicator=roads, goal=GoalFactory(number=9), applies_to="county", aggregation="mean",
                         unit_of_measure="prosent", direction="lower", upper_bound=5, lower_bound=50, green=15, red=30)
    return {"completion": completion, "roads": roads}


def _import(indicator, rows):
    result = run_import([{"unit": u, "indicator": f"{indicator.framework.code}:{indicator.code}", "period": p,
                          "value": v} for u, p, v in rows])
    assert result.ok, result.report.errors


def test_carried_values_put_halden_and_drammen_on_the_units_of_2024_with_their_origin(registry):
    _import(registry["completion"], [("0602", "2019", 70.0), ("0625", "2019", 74.0), ("0711", "2019", 78.0),
                                     ("3001", "2021", 80.0), ("3101", "2024", 82.0)])
    rows = {(r["unit"], r["period"]): r for r in carried_values(on=ON, indicators=[registry["completion"]],
                                                               units=["3301", "3101"])}
    drammen = rows[("3301", "2019")]
    assert drammen["carried_from"] == "0602+0625+0711"
    assert drammen["origin"].startswith("videreført fra 0602 Drammen")
    assert 70 < drammen["value"] < 78  # population-weighted (or equal) mean of a rate
    assert rows[("3101", "2021")]["origin"] == "videreført fra 3001 Halden"
    assert rows[("3101", "2024")]["carried_from"] == "" and rows[("3101", "2024")]["origin"] == ""
    assert all(u in {"3301", "3101"} for u, _p in rows)
    nynorsk = carried_values(on=ON, indicators=[registry["completion"]], units=["3101"], lang="nn", periods=["2021"])
    assert [r["origin"] for r in nynorsk] == ["vidareført frå 3001 Halden"]


def test_the_front_page_map_shows_a_value_stored_under_a_pre_reform_code_on_its_successor(registry):
    from dugnad.web.maps import demo_indicator_map

    _import(registry["completion"], [("0602", "2019", 70.0), ("0625", "2019", 74.0), ("0711", "2019", 78.0),
                                     ("0301", "2019", 75.0)])
    figure = demo_indicator_map(on=dt.date(2024, 6, 1))
    assert figure is not None and "2019" in figure.title
    cells = {row[0].text: row[1].text for row in figure.table.rows}
    assert "videreført fra 0602 Drammen, 0625 Nedre Eiker og 0711 Svelvik" in cells["Drammen"]
    assert "videreført" not in cells["Oslo"] and cells["Oslo"].startswith("75")
    assert len(figure.table.rows) == 357  # the municipalities of 2024 (the 2024 boundaries)
    assert "2024.topo.json" in str(figure.spec)
    shown = latest_carried_values(on=ON, indicator=registry["completion"], units=["3301"])
    assert shown["3301"]["period"] == "2019" and shown["3301"]["carried_from"] == "0602+0625+0711"


@pytest.fixture
def round_(registry):
    ks = UserFactory(username="ks")
    Membership.objects.create(user=ks, unit=unit_current("0"), role=Role.NATIONAL_COORDINATOR)
    return round_open(user=ks, scope_unit=unit_current("0"), title="Rapportering 2024", year=2024,
                      deadline=dt.date.today() + dt.timedelta(days=30),
                      indicators=[registry["completion"], registry["roads"]], chapters=["opening"], questions=[])


def test_the_county_review_shows_the_countys_own_values_carried_from_the_county_of_their_time(registry, round_):
    from dugnad.publications.builders.county import county_review_build

    _import(registry["roads"], [("38", "2022", 27.0), ("38", "2023", 25.0), ("40", "2024", 24.0)])
    document = county_review_build(unit=unit_current("40"), round_=round_, lang="nb")
    section = next(s for s in document.sections if s.key == "county_indicators")
    table = next(b for b in section.blocks if getattr(b, "kind", "") == "table")
    row = next(r for r in table.rows if r[0].startswith("Fylkesveier med dårlig dekke"))
    periods = table.header[2:-1]
    assert periods == round_.periods
    assert periods == ["2020", "2021", "2022", "2023", "2024"]
    assert row[2:-1] == ["–", "–", "27,0", "25,0", "24,0"]  # 2022–2023 carried from 38, 2024 Telemark's own
    assert row[-1] == ""  # the latest value (2024) is Telemark's own
    carried = [r for r in document.references if r.carried]
    assert not carried  # the reference is of the latest (own) value
    # the municipal demo indicator is not a county indicator: not in the table
    assert not any(r[0].startswith("Gjennomføring") for r in table.rows)

    # without its own 2023 value, the latest is carried and says so in the table and in the reference
    from dugnad.observations.models import Observation

    Observation.objects.filter(unit__code="40").delete()
    document = county_review_build(unit=unit_current("40"), round_=round_, lang="nb")
    table = next(b for s in document.sections if s.key == "county_indicators" for b in s.blocks
                 if getattr(b, "kind", "") == "table")
    row = next(r for r in table.rows if r[0].startswith("Fylkesveier"))
    assert row[-1] == "videreført fra 38 Vestfold og Telemark"
    assert any(r.carried == "videreført fra 38 Vestfold og Telemark" and r.period == "2023" and r.unit == "40"
               for r in document.references)


def test_the_vsr_has_a_county_by_county_indicator_table_naming_every_county(registry, round_):
    from dugnad.publications.builders.vsr import vsr_build

    _import(registry["roads"], [("46", "2023", 18.0), ("38", "2023", 25.0)])
    document = vsr_build(round_=round_, lang="nb")
    section = next(s for s in document.sections if s.key == "county_indicators")
    table = next(b for b in section.blocks if getattr(b, "kind", "") == "table")
    rows = {r[0]: r[1:] for r in table.rows}
    assert len(rows) == 15 and table.header[0] == "Fylke"
    assert rows["Vestland"] == ["18,0 (2023)"]
    assert rows["Telemark"] == ["25,0 (2023)"] and rows["Vestfold"] == ["25,0 (2023)"]  # a split keeps rates
    assert rows["Oslo"] == ["–"]
    text = " ".join(b.text for b in section.blocks if getattr(b, "kind", "") == "paragraph")
    assert "Fylkesveier med dårlig dekke" in text and "videreført fra 38 Vestfold og Telemark" in text
