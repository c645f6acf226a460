"""The admin names rounds, memberships and publications in the user's language (bokmål source, nn and en)."""

from __future__ import annotations

import pytest
from django.utils import translation

from dugnad.accounts.models import Membership
from dugnad.publications.models import Publication
from dugnad.rounds.models import AuditEntry, Round, Submission


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", ["frist", "rapporteringsrunde", "kommentar fra behandler", "logghendelser", "rolle", "publikasjon"]),
    ("nn", ["frist", "rapporteringsrunde", "kommentar frå handsamar", "logghendingar", "rolle", "publikasjon"]),
    ("en", ["due", "reporting round", "reviewer's comment", "audit entries", "role", "publication"]),
])
def test_labels_follow_the_language(language, expected):
    with translation.override(language):
        shown = [str(Round._meta.get_field("deadline").verbose_name), str(Round._meta.verbose_name),
                 str(Submission._meta.get_field("review_comment").verbose_name), str(AuditEntry._meta.verbose_name_plural),
                 str(Membership._meta.get_field("role").verbose_name), str(Publication._meta.verbose_name)]
    assert shown == expected


def test_every_field_of_these_models_has_a_norwegian_label():
    for model in (Round, Submission, AuditEntry, Membership, Publication):
        for field in model._meta.get_fields():
            if field.concrete and not field.auto_created:
                label = str(field.verbose_name)
                assert label != field.name.replace("_", " ") or label in {"status", "format", "type"}, (model, field.name)


@pytest.mark.django_db
def test_the_admin_change_list_speaks_norwegian(admin_client):
    page = admin_client.get("/admin/rounds/round/").content.decode()
    assert "rapporteringsrunde" in page.lower()
