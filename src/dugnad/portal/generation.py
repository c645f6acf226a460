"""The generation of edited public content: a token that every save or delete of a row the public pages show by name
(joint actions and their parties, networks and their members, finished publications) replaces.

The data revision (``portal.snapshot.data_revision``) is otherwise made of counts, newest ids and timestamps, which
an edit of an existing row does not always move (a network renamed, a party's role changed, a report deleted that was
not the newest): the token is part of it, so the snapshot is built again, the pages' ``{% cache %}`` fragments and the
whole-page cache (``web.public_cache``) get new keys, and visitors see the new text within ``REVISION_SECONDS``.

The token lives in the default cache (shared files by default, so every server process and the command line see
the same one). It is a random value rather than a counter: when the cache loses it, the next look sets a new one,
which makes a new revision (pages rendered again), never an old one (pages of before the edit served again). It is
replaced when the row is saved and again when the transaction commits, so a process that builds its snapshot
between the two does not keep the uncommitted state's data under the new revision. With ``DUGNAD_PAGE_CACHE=memory``
each process has its own token: an edit made in another process shows when that process's revision moves for
another reason (joint actions: their newest ``updated_at`` is in the revision itself).
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from dugnad.publications.models import Publication
from dugnad.publications.vocab import PublicationState

KEY = "portal:edits-generation"
#: Models whose rows the public pages show by name (``portal.snapshot._links``): a save or delete makes a new revision.
EDITED_MODELS = ("actions.Action", "actions.ActionPartner", "networks.Network", "networks.NetworkMember",
                 "publications.Publication")


def edits_generation() -> str:
    """The current token (set to a new one when the cache has none)."""
    token = cache.get(KEY)
    if token is None:
        cache.add(KEY, uuid.uuid4().hex, None)
        token = cache.get(KEY, "")
    return token


def _replace() -> None:
    cache.set(KEY, uuid.uuid4().hex, None)


def next_edits_generation(sender, instance=None, signal=None, **_kwargs) -> None:
    """Replace the token now and when the transaction commits (signal receiver). A publication counts once finished
    (or deleted): saves of its progress while it is built change nothing public."""
    if signal is post_save and sender is Publication and instance.state != PublicationState.DONE:
        return
    _replace()
    transaction.on_commit(_replace)


def connect_edit_signals() -> None:
    """Connect ``next_edits_generation`` to saves and deletes of ``EDITED_MODELS`` (called from ``WebConfig.ready``)."""
    from django.apps import apps

    for label in EDITED_MODELS:
        model = apps.get_model(label)
        post_save.connect(next_edits_generation, sender=model, dispatch_uid=f"portal-edits-save-{label}")
        post_delete.connect(next_edits_generation, sender=model, dispatch_uid=f"portal-edits-delete-{label}")
