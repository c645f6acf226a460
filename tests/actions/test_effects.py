"""Effect follow-up of an action: the selector gathers partners' and similar units' series; CLI, page and documents."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from typer.testing import CliRunner

from dugnad.actions.effects import NO_INDICATORS, NO_START, action_effects
from dugnad.actions.selectors import actions_followed_up
from dugnad.actions.services import PartnerSpec, action_create
from dugnad.actions.vocab import EffectCaveat, EffectOutcome, EffectReading
from dugnad.analytics.effects import Caveat, Outcome, Reading
from dugnad.cli.main import app
from tests.factories import ObservationFactory

runner = CliRunner()

#: T-A per unit and year; start 2020: partners 4601 +4, 4602 +2 (mean +3); others 4624 +1, 4640 0, 0301 +2 (mean +1).
VALUES = {
    "4601": {"2018": 10, "2019": 10, "2021": 14}, "4602": {"2018": 20, "2021": 22},
    "4624": {"2018": 5, "2021": 6}, "4640": {"2018": 8, "2021": 8}, "0301": {"2018": 1, "2021": 3},
    "46": {"2018": 50, "2021": 55},
}


@pytest.fixture
def action(world):
    indicator = world.indicators[0]
    for code, series in VALUES.items():
        for period, value in series.items():
            ObservationFactory(unit=world.units[code], indicator=indicator, period=period, value=value)
    return action_create(user=world.users["vestland"], title="Felles løft", lead_unit=world.units["46"],
                         start=dt.date(2020, 1, 1), indicators=[(indicator, "up")],
                         partners=[PartnerSpec(unit=world.units["4601"]), PartnerSpec(unit=world.units["4602"])])


def test_partner_municipalities_are_set_beside_similar_municipalities_that_are_not_partners(action):
    effects = action_effects(action)
    assert effects.reason == ""
    rows = {r.level: r for r in effects.rows}
    assert set(rows) == {"municipality", "county"}
    e = rows["municipality"].comparison
    assert sorted(u.unit for u in e.units if u.group.value == "partners") == ["4601", "4602"]
    assert sorted(u.unit for u in e.units if u.group.value == "comparison") == ["0301", "4624", "4640"]
    assert e.partners.change == pytest.approx(3) and e.comparison.change == pytest.approx(1)
    assert e.did == pytest.approx(2)
    assert e.outcome is Outcome.BETTER  # the spec says higher is better
    assert e.reading is Reading.TOO_FEW and Caveat.FEW_UNITS in e.caveats  # two partners
    assert rows["municipality"].names["4624"] == "Bjørnafjorden"


def test_a_county_partner_without_similar_counties_has_no_comparison(action):
    county = next(r for r in action_effects(action).rows if r.level == "county").comparison
    assert county.partners.change == pytest.approx(5)
    assert county.did is None and county.reading is Reading.NO_COMPARISON


def test_fewer_similar_units_per_partner_gives_a_smaller_comparison_group(action):
    e = next(r for r in action_effects(action, k=1).rows if r.level == "municipality").comparison
    assert 1 <= e.comparison.units <= 2


def test_an_action_without_start_or_indicators_says_why(world):
    no_start = action_create(user=world.users["bergen"], title="Uten start", lead_unit=world.units["4601"],
                             indicators=[(world.indicators[0], "up")])
    assert action_effects(no_start).reason == NO_START
    bare = action_create(user=world.users["bergen"], title="Uten indikator", lead_unit=world.units["4601"],
                         start=dt.date(2020, 1, 1))
    assert action_effects(bare).reason == NO_INDICATORS
    assert actions_followed_up() == []


def test_the_vocabularies_label_every_value_of_the_analytics_core():
    assert set(EffectReading.values) == {r.value for r in Reading}
    assert set(EffectOutcome.values) == {o.value for o in Outcome}
    assert set(EffectCaveat.values) == {c.value for c in Caveat}


def test_cli_prints_one_row_per_indicator_and_level(action):
    result = runner.invoke(app, ["actions", "effect", str(action.pk), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {r["level"]: r for r in csv.DictReader(io.StringIO(result.output))}
    muni = rows["municipality"]
    assert (muni["indicator"], muni["partners"], muni["comparison_units"]) == ("T-A", "2", "3")
    assert float(muni["did"]) == pytest.approx(2) and muni["reading"] == "too_few" and muni["outcome"] == "better"
    assert "not_causal" in muni["caveats"].split("|")


def test_cli_prints_each_unit_with_units(action):
    result = runner.invoke(app, ["actions", "effect", str(action.pk), "--units", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {r["unit"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert (rows["4601"]["group"], float(rows["4601"]["before"]), float(rows["4601"]["change"])) == ("partners", 10, 4)
    assert rows["4601"]["periods_before"] == "2018 2019"


def test_cli_names_an_unknown_action_and_one_without_start(world):
    result = runner.invoke(app, ["actions", "effect", "999", "--format", "csv"])
    assert result.exit_code == 1 and "999" in result.output
    no_start = action_create(user=world.users["bergen"], title="Uten start", lead_unit=world.units["4601"],
                             indicators=[(world.indicators[0], "up")])
    result = runner.invoke(app, ["actions", "effect", str(no_start.pk)])
    assert result.exit_code == 1 and "it has no start date" in result.output  # tests run the CLI in English


def test_the_action_page_shows_the_comparison_with_chart_table_and_caveats(client, action):
    page = client.get(f"/tiltak/{action.pk}/").content.decode()
    assert "Effektoppfølging" in page
    assert "For få enheter til å si noe" in page
    assert "Sammenligningen viser ikke at tiltaket virker" in page
    assert 'id="effect-1-chart"' in page and "effect-1-summary" in page
    assert "Bjørnafjorden (4624)" in page


def test_the_action_page_says_why_there_is_no_comparison(client, world):
    bare = action_create(user=world.users["bergen"], title="Uten start", lead_unit=world.units["4601"])
    page = client.get(f"/tiltak/{bare.pk}/").content.decode()
    assert "Tiltaket har ingen startdato" in page


def test_documents_get_a_short_table_of_the_comparison(action, world):
    from dugnad.publications.builders.effects import effects_section
    from dugnad.publications.document import Table

    section = effects_section(key="effects", title="Effekt", lang="nb", include_demo=False, units=[world.units["4601"]])
    table = next(b for b in section.blocks if isinstance(b, Table))
    muni = next(r for r in table.rows if r[2] == "kommuner")
    assert muni[:4] == ["Felles løft", "Indikator T-A (T-A)", "kommuner", "2020-01-01"]
    assert (muni[4], muni[5], muni[6]) == ("2: +3,0", "3: +1,0", "+2,0")
    assert muni[8] == "For få enheter til å si noe"
    across = effects_section(key="effects", title="Effekt", lang="en", include_demo=False, across_levels=True)
    assert any(isinstance(b, Table) for b in across.blocks)
    elsewhere = effects_section(key="effects", title="Effekt", lang="nb", include_demo=False, units=[world.units["0301"]])
    assert not any(isinstance(b, Table) for b in elsewhere.blocks)


def test_demo_actions_count_in_documents_only_when_demo_is_included(action):
    from dugnad.publications.builders.effects import effects_section
    from dugnad.publications.document import Table

    action.is_demo = True
    action.save(update_fields=["is_demo"])
    assert not any(isinstance(b, Table) for b in effects_section(key="e", title="E", lang="nb", include_demo=False).blocks)
    assert any(isinstance(b, Table) for b in effects_section(key="e", title="E", lang="nb", include_demo=True).blocks)


def test_api_gives_the_comparison_of_an_action_you_can_see(client, action, world):
    assert client.get(f"/api/actions/{action.pk}/effect").status_code == 401  # the workflow API needs a session
    client.force_login(world.users["bergen"])
    body = client.get(f"/api/actions/{action.pk}/effect").json()
    muni = next(r for r in body["rows"] if r["level"] == "municipality")
    assert (muni["indicator"], muni["partners"], muni["comparison_units"], muni["reading"]) == ("T-A", 2, 3, "too_few")
    assert muni["did"] == pytest.approx(2) and "not_causal" in muni["caveats"]
    assert {u["unit"] for u in muni["units"]} == {"4601", "4602", "4624", "4640", "0301"}


def test_documents_leave_out_comparisons_without_partner_figures_after_the_start(world):
    from dugnad.publications.builders.effects import effects_section
    from dugnad.publications.document import Table

    action_create(user=world.users["bergen"], title="Nystartet", lead_unit=world.units["4601"],
                  start=dt.date(2026, 1, 1), indicators=[(world.indicators[0], "up")])
    section = effects_section(key="e", title="E", lang="nb", include_demo=False, units=[world.units["4601"]])
    assert not any(isinstance(b, Table) for b in section.blocks)
