"""Cache tokens: a value in the default cache that every save or delete of the rows it follows replaces, so whatever
is keyed by it gets a new key after an edit.

Two tokens, one mechanism:

- ``EDITS`` follows the rows the public pages show by name (``portal.snapshot._links``): an action's parties,
  joint actions, networks and their members, finished publications. It is part of the data revision
  (``portal.snapshot.data_revision``), which is otherwise made of counts, newest ids and timestamps that an edit
  of an existing row does not always move (a network renamed, a party's role changed, a report deleted that was
  not the newest): the snapshot is built again, the pages' ``{% cache %}`` fragments and the whole-page cache get
  new keys, and visitors see the new text within ``REVISION_SECONDS``. A publication counts once finished (or
  deleted): saves of its progress while it is built change nothing public.
- ``LIVE`` follows every model of the apps whose rows the public pages read live, outside the data revision
  (shared readings and local targets, on the target and unit pages): it is part of the whole-page cache key only
  (``web.public_cache.page_key``), so a kept page is rendered again at once.

A token lives in the default cache (shared files by default, so every server process and the command line see the
same one). It is a random value rather than a counter: when the cache loses it, the next look sets a new one, which
makes a new key (pages rendered again), never an old one (pages of before the edit served again). It is replaced
when the row is saved and again when the transaction commits, so a process that renders between the two does not
keep the uncommitted state's page under the new key. With ``DUGNAD_PAGE_CACHE=memory`` each process has its own
tokens: an edit made in another process (the command line, another worker) moves only that process's tokens
(joint actions are caught anyway: their number and newest ``updated_at`` are in the revision itself; nothing
catches a reading or target saved elsewhere, so memory mode is for tests and one process: docs/portal.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from dugnad.publications.vocab import PublicationState


class CacheToken:
    """A token under ``key`` in the default cache, replaced by every save or delete of a row of ``follows``.

    ``follows`` holds model labels (``"networks.Network"``) and app labels (``"targets"``: every model of the app).
    ``quiet_saves`` maps a model label to a test of the saved row: a save it answers True for changes nothing.
    """

    def __init__(self, key: str, follows: tuple[str, ...], *,
                 quiet_saves: Mapping[str, Callable[[Model], bool]] | None = None) -> None:
        self.key = key
        self.follows = follows
        self.quiet_saves = dict(quiet_saves or {})

    def __repr__(self) -> str:
        return f"CacheToken({self.key!r})"

    def current(self) -> str:
        """The current token (set to a new one when the cache has none)."""
        token = cache.get(self.key)
        if token is None:
            cache.add(self.key, uuid.uuid4().hex, None)
            token = cache.get(self.key, "")
        return token

    def bump(self) -> None:
        """Replace the token now and again when the current transaction commits (at once without one)."""
        self._replace()
        transaction.on_commit(self._replace)

    def _replace(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, None)

    def models(self) -> list[type[Model]]:
        """The models followed (an app label stands for every model of the app)."""
        from django.apps import apps

        found: list[type[Model]] = []
        for label in self.follows:
            if "." in label:
                found.append(apps.get_model(label))
            else:
                found.extend(apps.get_app_config(label).get_models())
        return found

    def receive(self, sender, instance=None, signal=None, **_kwargs) -> None:
        """Signal receiver: ``bump`` unless the save is one of ``quiet_saves``."""
        quiet = self.quiet_saves.get(sender._meta.label)
        if signal is post_save and quiet is not None and quiet(instance):
            return
        self.bump()

    def connect(self) -> None:
        """Connect ``receive`` to saves and deletes of every model followed (``WebConfig.ready``)."""
        for model in self.models():
            uid = f"cache-token-{self.key}-{model._meta.label}"
            post_save.connect(self.receive, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(self.receive, sender=model, dispatch_uid=f"{uid}-delete")


#: Rows the public pages show by name: part of the data revision.
EDITS = CacheToken(
    "portal:edits-generation",
    ("actions.Action", "actions.ActionPartner", "networks.Network", "networks.NetworkMember",
     "publications.Publication"),
    quiet_saves={"publications.Publication": lambda publication: publication.state != PublicationState.DONE},
)
#: Rows the public pages read live: part of the whole-page cache key.
LIVE = CacheToken("public-pages:generation", ("readings", "targets"))
TOKENS = (EDITS, LIVE)


def connect_tokens() -> None:
    """Connect every token to its models' signals (``WebConfig.ready``)."""
    for token in TOKENS:
        token.connect()
