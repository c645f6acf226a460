"""The web flow: «Lag rapport» queues a background task, the worker makes the file, the user downloads it; versions are kept."""

from __future__ import annotations

from django.core.management import call_command
from django.urls import reverse

from dugnad.publications.models import Publication
from tests.factories import PASSWORD


def _login(client, published, username: str):
    assert client.login(username=username, password=PASSWORD)


def test_lag_rapport_runs_in_the_worker_and_the_file_can_be_downloaded(transactional_db, published, client):
    # Real transactions: the task is enqueued on commit, and the worker closes its connection when it is done.
    _login(client, published, "bergen")
    url = reverse("publication-create", args=[published.round.pk])
    for _ in range(2):
        response = client.post(url, {"type": "vlr", "enhet": "4601", "lang": "en", "format": "pdf"})
        assert response.status_code == 302
    versions = list(Publication.objects.order_by("version"))
    assert [(v.version, v.state) for v in versions] == [(1, "queued"), (2, "queued")]
    assert all(v.task_id for v in versions)
    page = client.get(reverse("publication-page", args=[published.round.pk]), {"type": "vlr", "enhet": "4601"})
    assert 'hx-trigger="every 2s"' in page.content.decode()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

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


def test_a_bad_language_is_refused_with_the_field_named(published, client):
    _login(client, published, "bergen")
    response = client.post(reverse("publication-create", args=[published.round.pk]),
                           {"type": "vlr", "enhet": "4601", "lang": "de", "format": "pdf"})
    assert response.status_code == 422 and "--lang" in response.content.decode()
    assert not Publication.objects.exists()
