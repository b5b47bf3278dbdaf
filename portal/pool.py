"""PostgreSQL's connection pool (playhouse.pool), without a round trip to check a connection given back a
moment ago.

Peewee's pool runs SELECT 1 on every connection it hands out, to find one the server has closed: on a busy
portal that is one more round trip per request (the task list makes two of its own), made while the pool's
lock is held. A connection given back within the last few seconds is handed out as it is. If the server closed
it meanwhile (a restart), the first query fails and is tried again on a connection that is checked
(ReconnectMixin), and every connection given back before that is checked too.
"""

import time

from peewee import InterfaceError, OperationalError
from playhouse.db_url import register_database
from playhouse.pool import PooledPostgresqlDatabase
from playhouse.shortcuts import ReconnectMixin
from psycopg2.extensions import TRANSACTION_STATUS_IDLE

# A connection given back this recently is trusted; an older one is checked with a round trip.
TRUSTED_SECONDS = 5


class PooledPostgres(ReconnectMixin, PooledPostgresqlDatabase):
    """The pool for postgresql:// URLs (portal.database)."""

    # What psycopg2 says when it finds the server closed the connection (peewee's list is MySQL's).
    reconnect_errors = (
        (OperationalError, "server closed the connection"),
        (OperationalError, "terminating connection"),
        (InterfaceError, "connection already closed"),
    )

    def __init__(self, *args, **kwargs):
        self._given_back = {}  # id(connection): when it was given back in working order
        super().__init__(*args, **kwargs)

    def _close(self, conn, close_conn=False):
        if conn.closed or conn.get_transaction_status() != TRANSACTION_STATUS_IDLE:
            self._given_back.clear()  # one has failed: check the others before trusting them
        else:
            self._given_back[id(conn)] = time.monotonic()
        super()._close(conn, close_conn)

    def _close_raw(self, conn):
        self._given_back.pop(id(conn), None)  # closed for good (stale, broken, or the pool shut)
        super()._close_raw(conn)

    def _is_closed(self, conn):
        given_back = self._given_back.pop(id(conn), None)
        if (given_back is not None and time.monotonic() - given_back < TRUSTED_SECONDS and not conn.closed
                and conn.get_transaction_status() == TRANSACTION_STATUS_IDLE):
            return False
        return super()._is_closed(conn)


register_database(PooledPostgres, "postgres+pool", "postgresql+pool")
