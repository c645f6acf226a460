"""The password backend: Django's ``ModelBackend`` with the signed-in user read by one fixed SQL statement.

Every signed-in request loads its user. ``ModelBackend.get_user`` reads it through the ORM, whose query compilation
costs more server CPU than the database's work (issue 17: saves); this backend reads the same row with a fixed
statement (``accounts.rows``: the same instance the ORM builds) and is otherwise Django's. It stands before
``ModelBackend`` in ``AUTHENTICATION_BACKENDS``, so sign-ins are recorded with it; ``ModelBackend`` stays after it
only to read sessions recorded by earlier versions. A failed password check here ends the sign-in (the password is
not checked a second time by ``ModelBackend``).
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router

from dugnad.accounts import rows


class UserBackend(ModelBackend):
    """``ModelBackend`` whose per-request user read is one fixed SQL statement."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        """``ModelBackend``'s password check; a refused password stops the chain (``ModelBackend`` after it would only
        check it again). Django then records the failure as for any other (``user_login_failed``, django-axes)."""
        user = super().authenticate(request, username=username, password=password, **kwargs)
        named = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        if user is None and named is not None and password is not None:
            raise PermissionDenied
        return user

    async def aauthenticate(self, request, **kwargs):
        """``authenticate`` (the same single check)."""
        return await sync_to_async(self.authenticate)(request, **kwargs)

    def get_user(self, user_id):
        """The active user with this id, or None (as ``ModelBackend.get_user``)."""
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        using = router.db_for_read(model)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {rows.columns(model, 'u')} FROM {connection.ops.quote_name(model._meta.db_table)} u "
                           f"WHERE u.{model._meta.pk.column} = %s", [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        user = rows.instance(model, row, using=using)
        return user if self.user_can_authenticate(user) else None
