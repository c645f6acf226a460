"""Background tasks of publications (django-tasks, database backend; run by ``dugnad worker``)."""

from __future__ import annotations

from django_tasks import task

from dugnad.publications.models import Publication


@task()
def generate_publication(publication_id: int) -> str:
    """Generate the file of one queued report version; returns its final state."""
    from dugnad.publications.services import publication_generate

    pub = publication_generate(publication=Publication.objects.select_related("round", "unit").get(pk=publication_id))
    return pub.state
