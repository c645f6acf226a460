"""Rounds web pages: the flow through views, htmx cell saves, conflicts, safe Markdown and CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from tests.factories import PASSWORD, round_national, submission_of, world_build

from dugnad.observations.models import Observation
from dugnad.rounds.models import Round, Snapshot

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def login(client, w, name):
    client.force_login(w.users[name])
    return client


def test_a_coordinator_opens_a_round_through_the_form(client):
    w = world_build()
    login(client, w, "ks")
    page = client.get(reverse("round-new") + "?rammeverk=test")
    assert page.status_code == 200 and "Åpne runden" in page.text
    response = client.post(reverse("round-new"), {
        "rammeverk": "test", "title": "Runde 2025", "scope": w.units["0"].pk, "year": 2025, "deadline": "2030-01-31",
        "indicators": [i.pk for i in w.indicators], "chapters": ["opening", "next_steps"],
        "questions": "ja/nei: Er målene med i kommuneplanen?\nskala 1-4: Hvor godt?\nvalg: Hvem? | A | B\ntekst: Beskriv.",
    })
    round_ = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("round-detail", args=[round_.pk])
    assert [q.kind for q in round_.questions.all()] == ["yes_no", "scale", "choice", "text"]
    assert round_.questions.get(kind="scale").scale_max == 4


def test_a_bad_survey_line_is_named_and_no_round_is_opened(client):
    w = world_build()
    login(client, w, "ks")
    response = client.post(reverse("round-new"), {
        "rammeverk": "test", "title": "Runde", "scope": w.units["0"].pk, "year": 2025, "deadline": "2030-01-31",
        "indicators": [w.indicators[0].pk], "chapters": ["opening"], "questions": "ja/nei: OK\nhva: feil linje",
    })
    assert response.status_code == 400 and "Linje 2" in response.text
    assert not Round.objects.exists()


def test_the_editor_page_shows_the_grid_prefilled_and_saves_a_cell_with_htmx(client):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    login(client, w, "bergen")
    page = client.get(reverse("submission-detail", args=[sub.pk]))
    assert page.status_code == 200 and 'name="value"' in page.text and "Lever til behandling" in page.text
    ind = w.indicators[0]
    response = client.post(reverse("submission-value", args=[sub.pk]),
                           {"indicator": ind.pk, "period": "2025", "value": "12,5", "revision": "0"}, **HTMX)
    assert response.status_code == 200 and "Lagret" in response.text and 'value="12,5"' in response.text
    stale = client.post(reverse("submission-value", args=[sub.pk]),
                        {"indicator": ind.pk, "period": "2025", "value": "13", "revision": "0"}, **HTMX)
    assert stale.status_code == 409 and "Konflikt" in stale.text and 'value="13"' in stale.text
    assert Observation.objects.current().get(unit=w.units["4601"], indicator=ind, period="2025").value == 12.5
    bad = client.post(reverse("submission-value", args=[sub.pk]),
                      {"indicator": ind.pk, "period": "2025", "value": "abc", "revision": "1"}, **HTMX)
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    page = client.get(reverse("submission-detail", args=[sub.pk]))
    assert 'value="12,5"' in page.text


def test_narratives_render_markdown_safely(client):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    login(client, w, "bergen")
    response = client.post(reverse("submission-narrative", args=[sub.pk]),
                           {"key": "chapter:opening", "version": "0",
                            "text": "**Viktig** <script>alert(1)</script> [x](javascript:alert(1))"}, **HTMX)
    assert response.status_code == 200
    assert "<strong>Viktig</strong>" in response.text
    assert "<script>alert(1)</script>" not in response.text and "&lt;script&gt;" in response.text
    assert 'href="javascript' not in response.text


def test_review_actions_and_snapshot_page(client):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    login(client, w, "bergen")
    client.post(reverse("submission-value", args=[sub.pk]),
                {"indicator": w.indicators[1].pk, "period": "2024", "value": "7", "revision": "0"})
    submitted = client.post(reverse("submission-submit", args=[sub.pk]), {"version": "1", "confirm_incomplete": "on"})
    assert submitted.status_code == 302
    login(client, w, "vestland")
    no_comment = client.post(reverse("submission-return", args=[sub.pk]), {"version": "2", "comment": ""})
    assert no_comment.status_code == 422
    assert client.post(reverse("submission-approve", args=[sub.pk]), {"version": "2"}).status_code == 302
    snapshot = Snapshot.objects.get(submission=sub)
    page = client.get(reverse("snapshot-detail", args=[sub.pk, snapshot.pk]))
    assert page.status_code == 200 and "T-B" in page.text


def test_overview_filters_and_csv_export(client):
    w = world_build()
    round_ = round_national(w)
    login(client, w, "ks")
    page = client.get(reverse("round-detail", args=[round_.pk]) + "?fylke=46")
    assert page.status_code == 200 and "Bergen" in page.text and "Oslo</a>" not in page.text
    export = client.get(reverse("round-export", args=[round_.pk]) + "?storrelse=city")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert sorted(r["unit"] for r in rows) == ["0301", "4601"] and {r["status"] for r in rows} == {"draft"}
    login(client, w, "vestland")
    export = client.get(reverse("round-export", args=[round_.pk]))
    # the county coordinator sees its municipalities and its county's own submission, not Oslo's nor KS's
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert sorted((r["unit"], r["county"]) for r in rows) == [("46", "46"), ("4601", "46"), ("4602", "46")]


def test_the_unit_dashboard_degrades_without_score_runs(client):
    w = world_build()
    login(client, w, "bergen")
    page = client.get(reverse("unit-dashboard", args=["4601"]))
    assert page.status_code == 200 and "Dashbord" in page.text
    assert client.get(reverse("unit-dashboard", args=["0301"])).status_code == 403


def test_pages_need_a_login(client):
    w = world_build()
    round_ = round_national(w)
    response = client.get(reverse("round-detail", args=[round_.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.login(username="bergen", password=PASSWORD)


def test_the_submission_page_is_norwegian_by_default_and_english_on_request(client):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    login(client, w, "bergen")
    assert "Lever til behandling" in client.get(reverse("submission-detail", args=[sub.pk])).text
    client.cookies["django_language"] = "en"
    english = client.get(reverse("submission-detail", args=[sub.pk])).text
    assert "Submit for review" in english and "Opening statement" in english


def test_the_unit_dashboard_shows_scores_colours_rollups_and_peers(client):
    from dugnad.scores.models import GoalScore, IndicatorScore, ScoreRun

    w = world_build()
    run = ScoreRun.objects.create(method="sdsn", method_version="1", year=2025, data_revision="x", fingerprint="y",
                                  status="done")
    ind = w.indicators[0]
    for code, value, colour in (("4601", 10.0, "red"), ("4602", 20.0, "green"), ("0301", 30.0, "yellow")):
        IndicatorScore.objects.create(run=run, unit=w.units[code], indicator=ind, goal=3, year=2025, value=value,
                                      score=value * 2, colour=colour, trend="stagnating")
    GoalScore.objects.create(run=run, unit=w.units["4601"], goal=3, score=20.0, colour="red", trend="decreasing")
    login(client, w, "bergen")
    page = client.get(reverse("unit-dashboard", args=["4601"]))
    assert page.status_code == 200
    html = page.text
    assert "Store utfordringer" in html and "Går tilbake" in html and "Stagnerer" in html
    line = page.context["lines"][0]
    assert (line.code, line.value, line.colour) == ("T-A", 10.0, "red")
    assert line.county is not None and 10.0 < line.county < 20.0  # population-weighted over Bergen and Kinn
    assert line.country is not None and 10.0 < line.country < 30.0
    assert [code for code, _name in page.context["peers"]] and "4601" not in [c for c, _ in page.context["peers"]]
