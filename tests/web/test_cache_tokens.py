"""Cache tokens (``dugnad.portal.tokens``): each follows its models' saves and deletes, so the data revision
(``EDITS``) and the whole-page cache key (``LIVE``) change after an edit of any of them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from dugnad.portal.tokens import EDITS, LIVE, CacheToken

pytestmark = pytest.mark.django_db  # ``bump`` asks the connection whether a transaction is open

#: What each token must follow. Dropping a model from a token's list makes its case here fail.
FOLLOWED = [
    (EDITS, "actions.Action"), (EDITS, "actions.ActionPartner"), (EDITS, "networks.Network"),
    (EDITS, "networks.NetworkMember"), (EDITS, "publications.Publication"),
    (LIVE, "readings.Reading"), (LIVE, "readings.ReadingVersion"), (LIVE, "readings.ReadingComment"),
    (LIVE, "readings.ReadingAgreement"), (LIVE, "targets.LocalTarget"),
]


def _row(label: str):
    """An unsaved row of the model (a publication finished, so its save counts)."""
    model = apps.get_model(label)
    return model(state="done") if label == "publications.Publication" else model()


@pytest.mark.parametrize(("token", "label"), FOLLOWED, ids=[f"{t.key}-{label}" for t, label in FOLLOWED])
@pytest.mark.parametrize("signal", [post_save, post_delete], ids=["save", "delete"])
def test_a_save_or_delete_of_a_followed_model_replaces_the_token(token, label, signal):
    model = apps.get_model(label)
    before = token.current()
    signal.send(sender=model, instance=_row(label), created=False)
    assert token.current() != before, f"{token} does not follow {(signal is post_save and 'saves') or 'deletes'} of {label}"


@pytest.mark.parametrize("app", ["readings", "targets"])
def test_the_live_token_follows_every_model_of_its_apps(app):
    followed = {m._meta.label for m in LIVE.models()}
    missing = {m._meta.label for m in apps.get_app_config(app).get_models()} - followed
    assert not missing, f"LIVE does not follow {sorted(missing)}"


def test_a_model_of_neither_token_moves_neither():
    tokens = (EDITS.current(), LIVE.current())
    unit = apps.get_model("units.Unit")
    post_save.send(sender=unit, instance=unit(), created=False)
    assert (EDITS.current(), LIVE.current()) == tokens


def test_saves_of_a_publication_being_built_are_quiet_but_its_delete_is_not():
    publication = apps.get_model("publications.Publication")
    before = EDITS.current()
    post_save.send(sender=publication, instance=publication(state="running"), created=False)
    assert EDITS.current() == before
    post_delete.send(sender=publication, instance=publication(state="running"))
    assert EDITS.current() != before


def test_a_lost_token_is_drawn_anew_never_an_old_one():
    token = CacheToken("test:token", ())
    first = token.current()
    assert token.current() == first  # stable while nothing moves it
    cache.delete(token.key)
    assert token.current() not in {"", first}


def test_the_token_is_replaced_again_when_the_transaction_commits(django_capture_on_commit_callbacks):
    from tests.factories import IndicatorFactory, UnitFactory

    from dugnad.targets.models import LocalTarget

    before = LIVE.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        LocalTarget.objects.create(unit=UnitFactory(), indicator=IndicatorFactory(), value=1.0, year=2030)
        at_save = LIVE.current()
    assert at_save != before and callbacks
    assert LIVE.current() not in {before, at_save}  # a page rendered between save and commit is not kept as new


def test_an_action_edit_moves_the_revision_of_a_process_whose_token_did_not_see_it():
    """``DUGNAD_PAGE_CACHE=memory``: another process's edit leaves this process's ``EDITS`` token alone; the
    actions' newest ``updated_at`` in the revision still moves it (why actions count twice there)."""
    from dugnad.actions.models import Action
    from dugnad.portal.snapshot import data_revision

    action = Action.objects.create(title="Felles løft")
    token = EDITS.current()
    before = data_revision()
    action.title = "Felles løft for folkehelsa"
    action.save()
    cache.set(EDITS.key, token, None)  # as this process's own memory cache would still hold it
    assert data_revision() != before
