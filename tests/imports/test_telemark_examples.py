"""examples/telemark/*.yaml: every mapping names catalogue indicators, and (once `dugnad import --map` exists)
imports its real Telemark file with hand-checked values.

The values below were read by eye from ../shared/data/no/telemark-fylke/*.csv (not from any code).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dugnad.catalogue.models import Indicator
from dugnad.catalogue.services import catalogue_load_snapshot, catalogue_load_supplement
from dugnad.cli.main import app
from dugnad.observations.models import ImportRun, Observation
from dugnad.units.services import registry_load_snapshot

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "telemark"
MAPPINGS = sorted(EXAMPLES.glob("*.yaml"))
REQUIRED = ("version", "source", "unit", "indicator", "period", "value")
runner = CliRunner()

# (mapping, unit code, indicator framework:code, period, dimensions, value) — read by eye from the CSV files.
HAND_CHECKED = [
    # fhi_drikkevann.csv: «Porsgrunn,2020-01-01,hygienisk kvalitet og leveringsstabilitet,…,1.0» (3806 in 2020)
    ("fhi_drikkevann", "3806", "kommunehelsa-statistikkbank:1216", "2020", {}, 100.0),
    # «Porsgrunn,2023-01-01,hygienisk kvalitet og leveringsstabilitet,…,0.0»
    ("fhi_drikkevann", "3806", "kommunehelsa-statistikkbank:1216", "2023", {}, 0.0),
    # dekningsgrad_barnehage.csv: «4001,Porsgrunn,2024-01-01,0.976», «40,Telemark,2024-01-01,0.9490000000000001»
    ("dekningsgrad_barnehage", "4001", "kjonnslikestilling-i-kommunene:3175", "2024", {}, 97.6),
    ("dekningsgrad_barnehage.fylke", "40", "kjonnslikestilling-i-kommunene:3175", "2024", {}, 94.9),
    # fhi_forventet_levealder_7_aarig.csv: «Porsgrunn,2018-2024,2024-01-01,Kvinner,…,84.1»
    ("fhi_forventet_levealder_7_aarig", "4001", "kommunehelsa-statistikkbank:1238", "2024", {}, 84.1),
    ("fhi_forventet_levealder_7_aarig", "4001", "kommunehelsa-statistikkbank:1236", "2024", {}, 82.3),
    # «Telemark,2018-2024,2024-01-01,Menn,…,80.6»
    ("fhi_forventet_levealder_7_aarig.fylke", "40", "kommunehelsa-statistikkbank:1237", "2024", {}, 80.6),
    # fhi_barnevaksinasjonsprogrammet.csv: «Porsgrunn,2020-2024,2024-01-01,…,Meslinger,…,0.96»
    ("fhi_barnevaksinasjonsprogrammet", "4001", "kommunehelsa-statistikkbank:1270", "2024", {}, 96.0),
    # «Midt-Telemark,2016-2020,2020-01-01,…,Meslinger,…,0.958» (3817 in 2020)
    ("fhi_barnevaksinasjonsprogrammet.midt-telemark", "3817", "kommunehelsa-statistikkbank:1270", "2020", {}, 95.8),
    # fhi_selvmord_femaarig.csv: «Hele landet,2020-2024,menn,alle aldre,…,17.7640277494722»
    ("fhi_selvmord_femaarig", "0", "un-sdg-indicators:3.4.2", "2024", {"sex": "menn"}, 17.7640277494722),
    # fhi_inntektsulikhet.csv: «Porsgrunn,2.7»; «Hele landet,2.8»
    ("fhi_inntektsulikhet", "4001", "kommunehelsa-statistikkbank:1119", "2024", {}, 2.7),
    ("fhi_inntektsulikhet", "0", "kommunehelsa-statistikkbank:1119", "2024", {}, 2.8),
    # andel_unge_utenfor_kommuner_2024.csv: «Porsgrunn,10.8»
    ("andel_unge_utenfor_kommuner_2024", "4001", "kommunehelsa-statistikkbank:1129", "2024", {}, 10.8),
    # fhi_vedvarende_lavinntekt_0-17.csv: «Skien,14» (2021-2023 → 2023; Skien was 3807 in 2023)
    ("fhi_vedvarende_lavinntekt_0-17", "3807", "kommunehelsa-statistikkbank:1120", "2023", {}, 14.0),
    # fhi_luftforurensning.csv: «Porsgrunn,7»
    ("fhi_luftforurensning", "4001", "oecd-a-territorial-approach-to-the-sdgs:2118", "2024", {}, 7.0),
    # fhi_trangboddhet.csv: «4001,Porsgrunn,2021-01-01,alle aldre,totalt,0.0737727599756489» (3806 in 2021)
    ("fhi_trangboddhet", "3806", "telemark:trangbodde-alle", "2021", {}, 7.37727599756489),
    # ssb_utdanningsnivaa…: «Porsgrunn,Grunnskolenivå,Begge kjønn,… (prosent),2024,24.9», «Porsgrunn (2020-2023),…,2021,26.2»
    ("ssb_utdanningsnivaa_telemark_kommuner", "4001", "telemark:utdanning-grunnskole", "2024", {}, 24.9),
    ("ssb_utdanningsnivaa_telemark_kommuner", "3806", "telemark:utdanning-grunnskole", "2021", {}, 26.2),
    # valgdeltakelse_kommunevalg_2023.csv: «Nissedal,75» (3822 in 2023)
    ("valgdeltakelse_kommunevalg_2023", "3822", "telemark:valgdeltakelse-kommunestyrevalg", "2023", {}, 75.0),
    # Mapping format 2 (aggregate, yearly-mean, wide). Sums and means worked out with a calculator from the rows:
    # mdir_klimagassutslipp…: every «Porsgrunn,2015,…» row summed = 2 420 164.07 t (4001 is 3806 in 2015: 0805)
    ("mdir_klimagassutslipp_telemark_kommuner_2009-.totalt", "0805", "telemark:klimagassutslipp-totalt", "2015", {},
     2420164.07),
    # «Skien,2024,Veitrafikk,…»: 49.83 + 261.45 + 154.89 + 30.48 + 0.23 + 102.81 + 11589.08 + 8001.28 + 124.96
    #   + 3165.41 + 23634.52 + 1.42 = 47 116.36
    ("mdir_klimagassutslipp_telemark_kommuner_2009-", "4003", "utslipp-av-klimagasser-i-kommuner-og-fylker:1001",
     "2024", {}, 47116.36),
    # «Midt-Telemark,2021,Annen mobil forbrenning,…»: 21 source rows (names repeat) summed = 6 639.41 (3817 in 2021)
    ("mdir_klimagassutslipp_telemark_kommuner_2009-.midt-telemark", "3817",
     "utslipp-av-klimagasser-i-kommuner-og-fylker:1007", "2021", {}, 6639.41),
    # nav_arbeidsledighet_monthly…: Porsgrunn, Helt ledige, Begge kjønn, 2024-01…2024-12: 0.029 0.027 0.027 0.024
    #   0.024 0.025 0.029 0.029 0.027 0.026 0.025 0.026 → mean 0.0265 → 2.65 %
    ("nav_arbeidsledighet_monthly_landet_fylker_telemarkkommuner_2011-", "4001", "kommunehelsa-statistikkbank:1151",
     "2024", {}, 2.65),
    # Fylker, Telemark 2024: 0.027 0.025 0.025 0.023 0.022 0.022 0.024 0.025 0.024 0.023 0.023 0.025 → 2.4 %
    ("nav_arbeidsledighet_monthly_landet_fylker_telemarkkommuner_2011-.fylke", "40",
     "kommunehelsa-statistikkbank:1151", "2024", {}, 2.4),
    # Midt-Telemark 2020: 0.022 0.019 0.085 0.073 0.046 0.036 0.038 0.034 0.025 0.028 0.028 0.031 → 3.875 %
    ("nav_arbeidsledighet_monthly_landet_fylker_telemarkkommuner_2011-.midt-telemark", "3817",
     "kommunehelsa-statistikkbank:1151", "2020", {}, 3.875),
    # ssb_utdanningsnivaa…: «Porsgrunn,"Universitets- og høgskolenivå, kort",Begge kjønn,… (prosent),2024,23.8» and
    # «…, lang,…,2024,9.1» → 32.9
    ("ssb_utdanningsnivaa_telemark_kommuner.uh", "4001", "telemark:utdanning-uh", "2024", {}, 32.9),
]


def _data_file(path: Path) -> str:
    """The data file a mapping reads: ``fhi_drikkevann.fylke.yaml`` → ``fhi_drikkevann.csv``."""
    return path.name.split(".")[0] + ".csv"


def _mapping(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _indicator_codes(mapping: dict) -> set[str]:
    spec = mapping["indicator"]
    return {spec["code"]} if "code" in spec else set(spec["values"].values())


def test_there_is_a_mapping_for_every_mapped_file_and_each_names_its_source():
    assert len({_data_file(p) for p in MAPPINGS}) == 16  # videregaende_fullfort.csv: examples/counties/
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for path in MAPPINGS:
        mapping = _mapping(path)
        assert all(key in mapping for key in REQUIRED), path.name
        assert mapping["version"] in (1, 2)
        assert {"name", "url", "licence", "attribution"} <= set(mapping["source"]), path.name
        assert all(mapping["source"][k] for k in ("name", "url", "licence", "attribution")), path.name
        assert _data_file(path) in readme, f"{_data_file(path)} missing from the README table"


@pytest.mark.django_db
def test_every_indicator_a_mapping_names_exists_in_the_catalogue_after_init():
    catalogue_load_snapshot()
    catalogue_load_supplement()
    for path in MAPPINGS:
        for ref in _indicator_codes(_mapping(path)):
            framework, _, code = ref.partition(":")
            indicator = Indicator.objects.filter(framework__code=framework, code=code).first()
            assert indicator is not None, f"{path.name}: {ref} is not in the catalogue"
            assert indicator.specs.exists(), f"{path.name}: {ref} has no spec"


def _map_option_available() -> bool:
    return "--map" in runner.invoke(app, ["import", "file", "--help"], terminal_width=200).output


@pytest.fixture
def loaded_registry():
    registry_load_snapshot()
    catalogue_load_snapshot()
    catalogue_load_supplement()


@pytest.mark.django_db
def test_each_file_imports_with_its_mapping_and_gives_the_hand_checked_values(shared, loaded_registry):
    if not _map_option_available():
        pytest.skip("`dugnad import FILE --map MAPPING.yaml` is not available yet (issue #12, branch mapimport)")
    folder = shared("no/telemark-fylke")
    for path in MAPPINGS:
        result = runner.invoke(app, ["import", str(folder / _data_file(path)), "--map", str(path)])
        assert result.exit_code == 0, f"{path.name}: {result.output}"
    for name, unit, ref, period, dimensions, value in HAND_CHECKED:
        framework, _, code = ref.partition(":")
        rows = Observation.objects.filter(
            is_current=True, unit__code=unit, indicator__framework__code=framework, indicator__code=code, period=period
        )
        found = [o for o in rows if (o.dimensions or {}) == dimensions]
        assert len(found) == 1, f"{name}: {unit} {ref} {period}: {[(o.dimensions, o.value) for o in rows]}"
        assert found[0].value == pytest.approx(value, abs=1e-9), f"{name}: {unit} {ref} {period}"
        run = found[0].import_run
        assert run.kind != "demo" and not run.is_demo
        assert run.provenance.get("licence") or run.provenance.get("source", {}).get("licence")
    assert not ImportRun.objects.filter(is_demo=True).exists()
    # «Porsgrunn,2020-2024,menn,alle aldre,…,:» — FHI suppresses small numbers: kept as confidential, no value
    suppressed = Observation.objects.get(is_current=True, unit__code="4001", indicator__code="3.4.2", period="2024",
                                         dimensions={"sex": "menn"})
    assert (suppressed.value, suppressed.status) == (None, "confidential")
    # «Skien,…,2026-01-01»: only January of 2026 so far; 12 months are required → no value, status missing
    partial = Observation.objects.get(is_current=True, unit__code="4003", indicator__code="1151", period="2026")
    assert (partial.value, partial.status) == (None, "missing")
