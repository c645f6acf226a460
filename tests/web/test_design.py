"""The design layer: SDG colours from the catalogue, vendored Designsystemet, no inline script, and the components."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django import forms
from django.template import Context, Template
from django.utils import translation

from dugnad.analytics.maps.spec import STATUS_COLOURS

SRC = Path(__file__).resolve().parents[2] / "src" / "dugnad"
STATIC = SRC / "web" / "static" / "web"
TEMPLATES = SRC / "web" / "templates" / "web"
CSS = (STATIC / "dugnad.css").read_text(encoding="utf-8")


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_goal_has_its_official_colour_and_the_text_colour_that_contrasts_most():
    goals = yaml.safe_load((SRC / "catalogue" / "data" / "goals.yaml").read_text(encoding="utf-8"))["goals"]
    declared = {int(n): (colour, ink) for n, colour, ink in
                re.findall(r"\.dg-goal-(\d+) \{ --dg-goal: (#[0-9A-Fa-f]{6}); --dg-goal-ink: (#[0-9a-f]{6}); \}", CSS)}
    assert sorted(declared) == list(range(1, 18))
    for goal in goals:
        colour, ink = declared[goal["number"]]
        assert colour.upper() == goal["colour"].upper(), goal["number"]
        best = max(("#000000", "#ffffff"), key=lambda c: contrast(colour, c))
        assert ink == best and contrast(colour, ink) >= 4.5, goal["number"]


def test_the_status_colours_of_pages_and_maps_are_the_same():
    for code, colour in STATUS_COLOURS.items():
        assert f"--dg-status-{code}: {colour};" in CSS


def test_designsystemet_and_the_vega_interpreter_are_vendored_with_their_licences():
    vendor = STATIC / "vendor"
    assert "Copyright Digitaliseringsdirektoratet (Digdir)" in (vendor / "designsystemet" / "LICENSE.txt").read_text()
    assert "@layer ds" in (vendor / "designsystemet" / "designsystemet.css").read_text()[:200]
    assert "--ds-color-accent-base-default" in (vendor / "designsystemet" / "theme.css").read_text()
    assert "expressionInterpreter" in (vendor / "vega" / "vega-interpreter.min.js").read_text()
    readme = (vendor / "README.txt").read_text()
    assert "@digdir/designsystemet-css@1.22.0" in readme and "vega-interpreter 1.2.1" in readme


def all_templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", all_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_handlers_or_styles(path):
    """A Content-Security-Policy without inline script (and style) must not break any page."""
    text = path.read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b[^>]*>", text)
    assert [s for s in scripts if "src=" not in s] == []
    assert re.findall(r"\son[a-z]+\s*=", text) == []
    assert re.findall(r"\sstyle\s*=", text) == []


@pytest.mark.parametrize("path", [p for p in all_templates() if "<table" in p.read_text(encoding="utf-8")],
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_table_scrolls_inside_its_own_labelled_region(path):
    text = path.read_text(encoding="utf-8")
    assert text.count("<table") == text.count("{% table_region"), "wrap wide tables in {% table_region %}"


def render(source: str, **context) -> str:
    return Template("{% load design_tags %}" + source).render(Context(context))


def test_a_goal_tile_shows_number_name_score_status_in_words_and_the_trend():
    with translation.override("nb"):
        html = render('{% goal_tile 13 name="Stoppe klimaendringene" score=48.25 status="orange" trend="on_track" level=2 %}')
    assert 'class="dg-goal-tile dg-goal-13"' in html and "<h2" in html
    assert "Stoppe klimaendringene" in html and "48,3" in html
    assert "Betydelige utfordringer" in html and 'dg-status--orange' in html
    assert '<span class="dg-trend__arrow" aria-hidden="true">↑</span> I rute eller opprettholder måloppnåelse' in html
    with translation.override("en"):
        english = render('{% goal_tile 1 name="No Poverty" %}')
    assert "Information unavailable" in english and "dg-trend--none" in english


def test_a_table_region_is_focusable_and_labelled_by_its_caption():
    html = render('{% table_region "caption-" pk %}<table><caption id="caption-7">T</caption></table>{% endtable_region %}', pk=7)
    assert html.startswith('<div class="dg-table-region" role="region" tabindex="0" aria-labelledby="caption-7">')


def test_breadcrumbs_link_every_level_and_mark_the_current_page():
    with translation.override("nb"):
        html = render('{% breadcrumbs "Enheter" "/" "Bergen" %}')
    assert '<nav class="ds-breadcrumbs dg-breadcrumbs" aria-label="Du er her">' in html
    assert '<a class="ds-link" href="/">Enheter</a>' in html and 'aria-current="page">Bergen</a>' in html


class _Form(forms.Form):
    name = forms.CharField(label="Navn", help_text="Hele navnet")


def test_a_designsystemet_input_is_described_by_its_help_text_and_its_error():
    form = _Form(data={"name": ""})
    assert not form.is_valid()
    html = render("{{ form.name|ds_input }}", form=form)
    assert 'class="ds-input"' in html and 'aria-describedby="id_name_helptext id_name-error"' in html
    assert 'aria-invalid="true"' in html
