"""The session store: Django's database sessions, read with one hand-written statement.

Every signed-in request reads its session. Django's own store (``django.contrib.sessions.backends.db``) reads it
through the ORM, whose query compilation costs more server CPU than the database's work (issue 17: a grid save
spent more time compiling its queries than running them). This store reads the same table with a fixed statement
and otherwise is Django's: the same rows, expiry, cookie, creation, saving and deletion (``SESSION_ENGINE``).
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    """Django's database session store with the read done by one fixed SQL statement."""

    def _get_session_from_db(self):
        """The session's row if it exists and has not expired (as Django's store), else None (forgetting the key)."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                           [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])  # load() reads only the data
