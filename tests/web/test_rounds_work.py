"""The daily work of editors and coordinators (issue 13): what is missing before submit, returning with a comment,
closing with a typed confirmation, reopening with a reason, reminders previewed and sent from the web, the paged and
filtered overview and «Mitt arbeid»."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from tests.factories import PASSWORD, round_national, submission_of, world_build

from dugnad.analytics.report import InputError
from dugnad.rounds import services
from dugnad.rounds.editing import narrative_keys, submission_answer_save, submission_narrative_save, submission_value_save
from dugnad.rounds.models import AuditEntry, Round, Snapshot
from dugnad.rounds.selectors import submission_completeness
from dugnad.rounds.services import round_close, round_reopen, submission_submit
from dugnad.web.views import rounds as round_views

pytestmark = pytest.mark.django_db


def login(client, w, name):
    client.force_login(w.users[name])
    return client


def fill_everything(w, sub):
    """Every cell, text and answer of Bergen's submission, through the services."""
    bergen = w.users["bergen"]
    for indicator in w.indicators:
        for period in sub.round.periods:
            submission_value_save(user=bergen, submission=sub, indicator=indicator, period=period, text="1",
                                  expected_revision=0)
    for key in narrative_keys(sub):
        stored = sub.narratives.filter(key=key).first()
        submission_narrative_save(user=bergen, submission=sub, key=key, text="Skrevet.",
                                  version=stored.version if stored else 0)
    for question in sub.round.questions.all():
        raw = {"yes_no": "ja", "scale": "3", "choice": question.choices[0] if question.choices else "", "text": "Svar"}
        submission_answer_save(user=bergen, submission=sub, question=question, raw=raw[question.kind], version=0)


def test_completeness_names_empty_cells_texts_and_questions_and_counts_down_as_they_are_filled():
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    before = submission_completeness(sub)
    cells = len(w.indicators) * len(sub.round.periods)
    assert before.missing_cells == cells and before.unanswered == 4
    assert len(before.empty_texts) == len(narrative_keys(sub)) and not before.complete
    submission_narrative_save(user=w.users["bergen"], submission=sub, key="chapter:opening", text="Tekst", version=0)
    after = submission_completeness(sub)
    assert len(after.empty_texts) == len(before.empty_texts) - 1
    assert [s.key for s in after.texts if s.complete] == ["chapter:opening"]
    fill_everything(w, sub)
    assert submission_completeness(sub).complete


def test_an_incomplete_submission_is_refused_without_the_confirmation_and_nothing_changes():
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    with pytest.raises(InputError) as caught:
        submission_submit(user=w.users["bergen"], submission=sub)
    assert caught.value.report.errors[0].column == "confirm_incomplete"
    sub.refresh_from_db()
    assert sub.state == "draft" and sub.version == 1
    sub = submission_submit(user=w.users["bergen"], submission=sub, confirm_incomplete=True)
    assert sub.state == "submitted"
    entry = AuditEntry.objects.get(action="submission_submit")
    assert "tomme celler" in entry.after["incomplete"]


def test_a_complete_submission_needs_no_confirmation():
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    fill_everything(w, sub)
    assert submission_submit(user=w.users["bergen"], submission=sub).state == "submitted"
    assert "incomplete" not in AuditEntry.objects.get(action="submission_submit").after


def test_the_editor_page_lists_what_is_missing_with_submit_at_top_and_bottom(client):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    page = login(client, w, "bergen").get(reverse("submission-detail", args=[sub.pk]))
    assert page.status_code == 200
    assert page.text.count('name="confirm_incomplete"') == 2 and page.text.count("Lever til behandling") >= 2
    assert "tomme celler i tallene" in page.text and "ubesvarte spørsmål" in page.text
    assert "Teksten «Innledning» er ikke skrevet" in page.text
    assert "0 av 4 spørsmål besvart" in page.text
    assert "web/submission.js" in page.text and 'data-autosave="narrative"' in page.text


def test_submitting_an_incomplete_submission_without_ticking_shows_the_page_again_with_the_reason(client):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    response = login(client, w, "bergen").post(reverse("submission-submit", args=[sub.pk]), {"version": "1"})
    assert response.status_code == 422
    assert "Bekreft at du vil levere likevel" in response.text and 'id="submit-top"' in response.text
    sub.refresh_from_db()
    assert sub.state == "draft"
    response = client.post(reverse("submission-submit", args=[sub.pk]), {"version": "1", "confirm_incomplete": "on"})
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.state == "submitted"


def test_returning_without_a_comment_keeps_the_reviewer_on_the_page_with_the_error_at_the_field(client):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    submission_submit(user=w.users["bergen"], submission=sub, confirm_incomplete=True)
    login(client, w, "vestland")
    page = client.get(reverse("submission-detail", args=[sub.pk]))
    assert "Innleveringen kan ikke returneres uten kommentar" in page.text
    response = client.post(reverse("submission-return", args=[sub.pk]), {"version": "2", "comment": "  "})
    assert response.status_code == 422
    assert "Kunne ikke endre status" not in response.text
    assert 'id="return-error"' in response.text and "Skriv en kommentar" in response.text
    assert 'id="review-comment"' in response.text and "Godkjenn" in response.text
    sub.refresh_from_db()
    assert sub.state == "submitted"


def test_closing_without_the_typed_title_leaves_the_round_open(client):
    w = world_build()
    round_ = round_national(w)
    login(client, w, "ks")
    for typed in ("", "ja", "Rapportering 2024"):
        response = client.post(reverse("round-close", args=[round_.pk]), {"confirmation": typed})
        assert response.status_code == 422 and "Runden er fortsatt åpen" in response.text
    round_.refresh_from_db()
    assert round_.state == "open" and not Snapshot.objects.exists()
    response = client.post(reverse("round-close", args=[round_.pk]), {"confirmation": " Rapportering  2025 "})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.state == "closed" and Snapshot.objects.filter(kind="close").count() == 3


def test_the_close_form_says_what_stays_open():
    w = world_build()
    round_ = round_national(w)
    submission_submit(user=w.users["bergen"], submission=submission_of(round_, "4601"), confirm_incomplete=True)
    from django.test import Client

    client = Client()
    client.force_login(w.users["ks"])
    page = client.get(reverse("round-detail", args=[round_.pk]))
    assert "2 utkast" in page.text and "1 levert som venter på behandling" in page.text
    assert "Skriv rundens tittel «Rapportering 2025» for å bekrefte" in page.text


def test_reopening_needs_a_reason_and_is_audited():
    w = world_build()
    round_ = round_national(w)
    round_close(user=w.users["ks"], round_=round_, confirmation=round_.title)
    with pytest.raises(InputError):
        round_reopen(user=w.users["ks"], round_=round_, reason=" ")
    with pytest.raises(services.PermissionDenied):
        round_reopen(user=w.users["bergen"], round_=round_, reason="Feil")
    round_reopen(user=w.users["ks"], round_=round_, reason="Fristen ble forlenget")
    round_.refresh_from_db()
    assert round_.state == "open" and round_.closed_at is None
    entry = AuditEntry.objects.get(action="round_reopen")
    assert entry.after["reason"] == "Fristen ble forlenget" and entry.user == w.users["ks"]
    assert Snapshot.objects.filter(kind="close").count() == 3


def test_reopening_through_the_web(client):
    w = world_build()
    round_ = round_national(w)
    round_close(user=w.users["ks"], round_=round_, confirmation=round_.title)
    login(client, w, "ks")
    assert "Gjenåpne runden" in client.get(reverse("round-detail", args=[round_.pk])).text
    assert client.post(reverse("round-reopen", args=[round_.pk]), {"reason": ""}).status_code == 422
    assert Round.objects.get().state == "closed"
    assert client.post(reverse("round-reopen", args=[round_.pk]), {"reason": "Forlenget frist"}).status_code == 302
    assert Round.objects.get().state == "open"
    login(client, w, "vestland")
    assert client.post(reverse("round-close", args=[round_.pk]), {"confirmation": round_.title}).status_code == 403


def test_reminders_are_previewed_then_sent_from_the_web_by_the_coordinator_only(client):
    w = world_build()
    w.users["bergen"].email = "bergen@example.org"
    w.users["bergen"].save()
    round_ = round_national(w)
    login(client, w, "bergen")
    assert client.get(reverse("round-reminders", args=[round_.pk])).status_code == 403
    assert client.post(reverse("round-reminders", args=[round_.pk])).status_code == 403
    login(client, w, "ks")
    page = client.get(reverse("round-reminders", args=[round_.pk]))
    assert page.status_code == 200 and "Slik ser e-posten ut" in page.text and "Påminnelse: Rapportering 2025" in page.text
    assert mail.outbox == []
    response = client.post(reverse("round-reminders", args=[round_.pk]))
    assert response.status_code == 302 and [m.to for m in mail.outbox] == [["bergen@example.org"]]
    assert AuditEntry.objects.filter(action="round_remind", user=w.users["ks"]).count() == 1


def test_the_overview_filters_by_status_and_overdue_and_pages_at_most_100_rows(client, monkeypatch):
    w = world_build()
    round_ = round_national(w)
    submission_submit(user=w.users["bergen"], submission=submission_of(round_, "4601"), confirm_incomplete=True)
    login(client, w, "ks")
    url = reverse("round-detail", args=[round_.pk])
    submitted = client.get(url, {"status": "submitted"})
    assert submitted.status_code == 200 and submitted.text.count("/innleveringer/") == 1
    assert "1 enhet passer filteret" in submitted.text
    assert "0 enheter passer filteret" in client.get(url, {"forsinket": "on"}).text
    assert round_views.PAGE_SIZE <= 100
    monkeypatch.setattr(round_views, "PAGE_SIZE", 2)
    first = client.get(url)
    assert first.text.count('<td><a href="/innleveringer/') == 2 and "Side 2" in first.text
    second = client.get(url, {"side": "2"})
    assert second.text.count('<td><a href="/innleveringer/') == 1
    assert client.get(url, {"side": "x"}).status_code == 400


def test_the_matrix_links_each_count_to_the_filtered_list_and_to_the_county_review(client):
    w = world_build()
    round_ = round_national(w)
    page = login(client, w, "ks").get(reverse("round-detail", args=[round_.pk]))
    assert "?fylke=46&amp;status=draft#deltakere" in page.text
    assert f"/runder/{round_.pk}/rapporter/?type=county-review&amp;enhet=46" in page.text
    county_page = client.get(reverse("unit-detail", args=["46"]))
    assert f"/runder/{round_.pk}/rapporter/?type=county-review&amp;enhet=46" in county_page.text


def test_deadlines_show_on_the_round_list_and_the_submission(client):
    w = world_build()
    round_ = round_national(w)
    login(client, w, "bergen")
    assert "om 30 dager" in client.get(reverse("round-list")).text
    assert "om 30 dager" in client.get(reverse("submission-detail", args=[submission_of(round_, "4601").pk])).text


def test_sign_in_lands_on_my_work_with_the_review_queue(client):
    w = world_build()
    round_ = round_national(w)
    sub = submission_of(round_, "4601")
    submission_submit(user=w.users["bergen"], submission=sub, confirm_incomplete=True)
    response = client.post(reverse("login"), {"username": "vestland", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("my-work")
    page = client.get(reverse("my-work"))
    assert page.status_code == 200
    assert f'href="/innleveringer/{sub.pk}/"' in page.text.split('id="h-review"')[1].split("</section>")[0]
    login(client, w, "bergen")
    own = client.get(reverse("my-work")).text
    assert "Ingen innleveringer venter på deg" in own and f'/innleveringer/{sub.pk}/' in own
    login(client, w, "ks")
    assert "Runder du koordinerer" in client.get(reverse("my-work")).text


def test_the_service_and_the_api_refuse_to_close_without_the_title(client):
    import json

    w = world_build()
    round_ = round_national(w)
    with pytest.raises(InputError) as caught:
        round_close(user=w.users["ks"], round_=round_, confirmation="Rapportering")
    assert caught.value.report.errors[0].column == "confirmation"
    client.force_login(w.users["ks"])
    response = client.post(f"/api/rounds/{round_.pk}/close", data=json.dumps({}), content_type="application/json")
    assert response.status_code in (400, 422)
    round_.refresh_from_db()
    assert round_.state == "open" and not AuditEntry.objects.filter(action="round_close").exists()
    response = client.post(f"/api/rounds/{round_.pk}/close", data=json.dumps({"confirmation": round_.title}),
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "closed"


def test_the_api_refuses_an_incomplete_submit_without_confirm_incomplete(client):
    import json

    w = world_build()
    sub = submission_of(round_national(w), "4601")
    client.force_login(w.users["bergen"])
    response = client.post(f"/api/submissions/{sub.pk}/submit", data=json.dumps({"version": 1}),
                           content_type="application/json")
    assert response.status_code in (400, 422) and "confirm_incomplete" in response.text
    sub.refresh_from_db()
    assert sub.state == "draft"
