"""The web flow: «Lag rapport» queues a background task, the worker makes the file, the user downloads it; versions are kept."""

from __future__ import annotations

from django.core.management import call_command
from django.urls import reverse

from dugnad.env import data_dir
from dugnad.publications.models import Publication
from tests.factories import PASSWORD


def _login(client, published, username: str):
    assert client.login(username=username, password=PASSWORD)


def _worker_run() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def test_lag_rapport_runs_in_the_worker_and_the_file_can_be_downloaded(transactional_db, published, client):
    # Real transactions: the task is enqueued on commit, and the worker closes its connection when it is done.
    _login(client, published, "bergen")
    url = reverse("publication-create", args=[published.round.pk])
    form = {"type": "vlr", "enhet": "4601", "lang": "en", "format": "pdf"}
    assert client.post(url, form).status_code == 302
    busy = client.post(url, form)  # one build of a document at a time
    assert busy.status_code == 422 and "lages allerede" in busy.content.decode()
    first = Publication.objects.get()
    assert (first.version, first.state) == (1, "queued") and first.task_id
    page = client.get(reverse("publication-page", args=[published.round.pk]), {"type": "vlr", "enhet": "4601"})
    assert 'hx-trigger="every 2s"' in page.content.decode()

    _worker_run()
    assert client.post(url, form).status_code == 302
    _worker_run()

    versions = list(Publication.objects.order_by("version"))
    assert [v.state for v in versions] == ["done", "done"] and versions[0].sha256
    assert set(versions[1].timings) >= {"charts", "typesetting"}
    download = client.get(reverse("publication-download", args=[versions[1].pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith('attachment; filename="vlr-4601-r')


def test_users_cannot_make_or_fetch_reports_of_units_they_cannot_see(published, client):
    _login(client, published, "oslo")
    response = client.post(reverse("publication-create", args=[published.round.pk]),
                           {"type": "vlr", "enhet": "4601", "lang": "nb", "format": "pdf"})
    assert response.status_code == 403 and not Publication.objects.exists()


def test_read_only_roles_cannot_start_a_report(published, client):
    for username, kind, code in (("bergen-leser", "vlr", "4601"), ("departement", "vlr", "4601"), ("departement", "vsr", "")):
        _login(client, published, username)
        response = client.post(reverse("publication-create", args=[published.round.pk]),
                               {"type": kind, "enhet": code, "lang": "nb", "format": "pdf"})
        assert response.status_code == 403, (username, kind)
        page = client.get(reverse("publication-page", args=[published.round.pk]), {"type": kind, "enhet": code})
        assert page.status_code == 200 and "Lag rapport" not in page.content.decode()
    assert not Publication.objects.exists()


def test_old_versions_beyond_the_kept_number_are_deleted_with_their_files(transactional_db, published, client,
                                                                            monkeypatch):
    monkeypatch.setenv("DUGNAD_PUBLICATION_KEEP", "2")
    # this round's files only; an earlier test on the same worker may have left files of a round with the same id
    pattern = f"vlr-4601-r{published.round.pk}-nb-v*.html"
    for leftover in (data_dir() / "publications").glob(pattern):
        leftover.unlink()
    _login(client, published, "bergen")
    url = reverse("publication-create", args=[published.round.pk])
    for _ in range(3):
        assert client.post(url, {"type": "vlr", "enhet": "4601", "lang": "nb", "format": "html"}).status_code == 302
        _worker_run()
    kept = list(Publication.objects.order_by("version"))
    assert [(v.version, v.state) for v in kept] == [(2, "done"), (3, "done")]
    files = sorted(p.name for p in (data_dir() / "publications").glob(pattern))
    assert [f.rsplit("-", 1)[1] for f in files] == ["v2.html", "v3.html"]


def test_a_failed_build_shows_the_reason_not_a_traceback(transactional_db, published, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("/srv/secret/path exploded")

    monkeypatch.setattr("dugnad.publications.services.render", broken)
    _login(client, published, "bergen")
    client.post(reverse("publication-create", args=[published.round.pk]),
                {"type": "vlr", "enhet": "4601", "lang": "nb", "format": "pdf"})
    _worker_run()
    pub = Publication.objects.get()
    page = client.get(reverse("publication-page", args=[published.round.pk]), {"type": "vlr", "enhet": "4601"})
    assert pub.state == "failed" and "intern feil" in pub.error
    assert "Traceback" not in page.content.decode() and "/srv/secret" not in page.content.decode()


def test_a_bad_language_is_refused_with_the_field_named(published, client):
    _login(client, published, "bergen")
    response = client.post(reverse("publication-create", args=[published.round.pk]),
                           {"type": "vlr", "enhet": "4601", "lang": "de", "format": "pdf"})
    body = response.content.decode()
    assert response.status_code == 422 and "Velg språket rapporten skal skrives på" in body and "--lang" not in body
    assert not Publication.objects.exists()


def test_a_bad_choice_is_shown_on_the_form_in_the_users_language(published, client):
    _login(client, published, "bergen")
    client.cookies["django_language"] = "nn"
    response = client.post(reverse("publication-create", args=[published.round.pk]),
                           {"type": "vlr", "enhet": "4601", "lang": "de", "format": "docx"})
    body = response.content.decode()
    assert response.status_code == 422 and 'id="report-errors"' in body and 'id="pub-lang"' in body
    assert "Vel språket rapporten skal skrivast på" in body and "Vel formatet" in body
    assert not Publication.objects.exists()


def test_the_language_select_offers_the_report_languages_by_name(published, client):
    _login(client, published, "bergen")
    page = client.get(reverse("publication-page", args=[published.round.pk]), {"type": "vlr", "enhet": "4601"})
    body = page.content.decode()
    assert '<option value="nn" lang="nn"' in body and "('nb'," not in body


def test_the_narrative_form_offers_the_language_and_the_vlr_tags_the_text_with_it(published, client):
    from dugnad.publications.builders.vlr import vlr_build
    from dugnad.publications.renderers import render
    from tests.factories import submission_of

    sub = submission_of(published.round, "4601")
    sub.state = "draft"
    sub.save()
    _login(client, published, "bergen")
    page = client.get(reverse("submission-detail", args=[sub.pk])).content.decode()
    assert 'name="language"' in page and '<option value="nn" lang="nn"' in page
    version = sub.narratives.get(key="goal:3").version
    response = client.post(reverse("submission-narrative", args=[sub.pk]),
                           {"key": "goal:3", "text": "Helsa i Bergen er god.", "version": version, "language": "nn"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'lang="nn"' in response.content.decode()
    assert sub.narratives.get(key="goal:3").language == "nn"
    html = render(vlr_build(unit=published.world.units["4601"], round_=published.round, lang="nb"), "html").content
    assert '<div class="narrative" lang="nn"><p>Helsa i Bergen er god.</p>' in html.decode()
