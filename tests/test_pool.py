"""PostgreSQL's connection pool (portal.pool): a connection given back a moment ago is handed out again without
a round trip, an older one is checked, and one the server has closed is replaced without the query failing.

It is the pool every PostgreSQL deployment runs on, so it is tried against the machine's PostgreSQL in the
SQLite run too (on its own maintenance database, touching no tables).
"""

import os

import psycopg2
import pytest
from playhouse.db_url import connect

from conftest import skip_or_fail
from portal import pool as portal_pool

SERVER = os.environ.get("PORTAL_TEST_POOL_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def observer():
    """A plain connection that watches the pool's connections from the server's side."""
    try:
        connection = psycopg2.connect(SERVER)
    except psycopg2.OperationalError as error:
        skip_or_fail(f"PostgreSQL is not reachable: {error}")
    connection.autocommit = True
    yield connection
    connection.close()


@pytest.fixture
def database(observer):
    scheme, rest = SERVER.split("://", 1)
    database = connect(f"{scheme}+pool://{rest}", max_connections=4, stale_timeout=300)
    assert isinstance(database, portal_pool.PooledPostgres)
    yield database
    if not database.is_closed():
        database.close()
    database.close_all()


def last_statement(observer, pid):
    with observer.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", (pid,))
        return cursor.fetchone()[0]


def backend(database):
    return database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]


def test_a_connection_given_back_a_moment_ago_is_reused_without_a_round_trip(database, observer):
    database.connect()
    pid = backend(database)
    database.execute_sql("SELECT 'the last thing this connection ran'")
    database.close()  # given back to the pool
    database.connect()
    assert last_statement(observer, pid) == "SELECT 'the last thing this connection ran'"
    assert backend(database) == pid


def test_a_connection_given_back_a_while_ago_is_checked_first(database, observer, monkeypatch):
    monkeypatch.setattr(portal_pool, "TRUSTED_SECONDS", 0)
    database.connect()
    pid = backend(database)
    database.close()
    database.connect()
    assert last_statement(observer, pid) == "SELECT 1"
    assert backend(database) == pid


def test_a_connection_the_server_closed_is_replaced_and_the_query_answered(database, observer):
    database.connect()
    first = backend(database)
    database.close()
    database.connect()
    second = backend(database)  # the same connection: two in the pool's care from here on
    assert second == first
    database.close()
    with observer.cursor() as cursor:  # as a server restart would
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", (first,))
    database.connect()  # handed out unchecked, as it was given back a moment ago
    replaced = backend(database)
    assert replaced != first
    database.close()
    database.connect()
    assert backend(database) == replaced


def test_the_pool_forgets_connections_it_has_closed(database):
    database.connect()
    backend(database)
    database.close()
    assert len(database._given_back) == 1
    database.close_all()
    assert database._given_back == {}
