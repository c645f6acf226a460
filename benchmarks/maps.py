"""Benchmark: building the shipped boundaries and drawing maps as SVG (the PDF path), against a bar chart baseline.

Part 1 builds both boundary sets from Kartverket's files (``dugnad maps build``) and reports time, peak memory and
the sizes in and out. Part 2 renders, in one warm vl-convert engine, the municipality choropleth (357 shapes,
topology inlined as the PDFs will do), the county choropleth and a locator map, beside the baseline: the 17-goal
bar chart the publications draw today. Median of 5 renders each. Prints Markdown tables.

    .venv/bin/python benchmarks/maps.py [../shared/data/no/geo]
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from dugnad.analytics.maps.boundaries import BOUNDARY_SETS  # noqa: E402
from dugnad.analytics.maps.build import topologies_build  # noqa: E402
from dugnad.analytics.maps.spec import MapMode, MapText, choropleth_spec, locator_spec  # noqa: E402


def build(source: Path) -> list:
    """Build both boundary sets; print time, the process's peak memory and sizes."""
    start = time.perf_counter()
    built = topologies_build(source)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print("| boundary set | input files | output | municipalities | counties |")
    print("|---|---|---|---|---|")
    for boundary_set, topology in zip(BOUNDARY_SETS, built, strict=True):
        size_in = sum((source / layer.path).stat().st_size for layer in (boundary_set.municipalities, boundary_set.counties))
        print(f"| {boundary_set.period} | {size_in / 1024:,.0f} KB | {len(topology.content) / 1024:,.0f} KB | "
              f"{topology.municipalities} | {topology.counties} |")
    print(f"\nBuild of both sets: {seconds:.2f} s; peak resident memory of the process {peak / 2**20:.0f} MB.\n")
    return built


def _median_ms(render, spec: dict, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render(spec)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def render(topology: dict) -> None:
    """SVG render times of the map specs beside the publications' bar chart."""
    import vl_convert

    from dugnad.publications.charts import FONT, bar_spec

    municipalities = [g["properties"] for g in topology["objects"]["kommuner"]["geometries"]]
    counties = [g["properties"] for g in topology["objects"]["fylker"]["geometries"]]
    values = [{"code": p["code"], "name": p["name"], "value": (int(p["code"]) * 37) % 100} for p in municipalities]
    status = [{"code": p["code"], "name": p["name"], "status": ("green", "yellow", "orange", "red")[int(p["code"]) % 4]}
              for p in counties]
    text = MapText(description="benchmark", value="Verdi")
    specs = {
        "bar chart, 17 goals (baseline)": bar_spec(title="Poeng per mål",
                                                   rows=[{"label": f"Mål {n}", "value": n * 5} for n in range(1, 18)],
                                                   x_title="Poeng"),
        "choropleth, 357 municipalities": choropleth_spec(topology=topology, layer="kommuner", rows=values, text=text,
                                                          width=420, height=520, font=FONT),
        "choropleth, 15 counties (status)": choropleth_spec(topology=topology, layer="fylker", rows=status, text=text,
                                                            mode=MapMode.STATUS, width=420, height=520, font=FONT),
        "locator, one county's municipalities": locator_spec(topology=topology, layer="kommuner", highlight="4601",
                                                             within="46", text=text, width=300, height=300, font=FONT),
    }
    start = time.perf_counter()
    vl_convert.vegalite_to_svg(specs["bar chart, 17 goals (baseline)"])
    print(f"vl-convert warm-up (first render): {(time.perf_counter() - start) * 1000:.0f} ms\n")
    print("| spec | SVG render, median of 5 | SVG size |")
    print("|---|---|---|")
    for name, spec in specs.items():
        ms = _median_ms(vl_convert.vegalite_to_svg, spec)
        size = len(vl_convert.vegalite_to_svg(spec))
        print(f"| {name} | {ms:.0f} ms | {size / 1024:,.0f} KB |")


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "no" / "geo"
    built = build(source)
    render(json.loads(built[-1].content))


if __name__ == "__main__":
    main()
