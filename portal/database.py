"""Binding the model proxy to a database, per-request connections and the migration runner."""

import os

import click
from flask import current_app
from flask.cli import with_appcontext
from playhouse.db_url import connect
from playhouse.migrations import Runner
from werkzeug.routing import IntegerConverter

from portal import pool  # noqa: F401  (postgresql+pool:// URLs get its pool)
from portal.models import db
from portal.services import villages

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")
SQLITE_PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "cache_size": -16000, "busy_timeout": 5000}


def database_url(app):
    """The configured URL, or a SQLite file in the instance folder."""
    return app.config["DATABASE_URL"] or "sqlite:///" + os.path.join(app.instance_path, "portal.db")


def init_app(app):
    """Bind the proxy; a request connects on its first query (peewee's autoconnect) and gives the
    connection back when it ends, so pages and files that need no data never touch the database."""
    url = database_url(app)
    pool = {"max_connections": app.config["DATABASE_POOL_SIZE"], "timeout": app.config["DATABASE_POOL_WAIT_SECONDS"],
            "stale_timeout": app.config["DATABASE_POOL_STALE_SECONDS"]}
    if url.startswith("sqlite"):
        # Pooled too: opening the file and setting its pragmas was a tenth of a signed-in page's time, profiled.
        # A pooled connection moves between a process's threads, one at a time; the pragmas mean nothing to
        # psycopg, so only SQLite gets them.
        database = connect(pooled(url), pragmas=SQLITE_PRAGMAS, check_same_thread=False, **pool)
    else:
        database = connect(pooled(url), **pool)
    previous = db.obj
    db.initialize(database)
    if hasattr(previous, "close_idle"):
        previous.close_idle()  # an app built again in this process (tests) leaves no idle connections behind

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            db.close()  # to the pool, on PostgreSQL

    app.cli.add_command(init_db_command)


def pooled(url):
    """The same URL on playhouse.pool: a PostgreSQL connection costs ~4 ms to open, ~0 to take from the pool."""
    scheme, rest = url.split("://", 1)
    return f"{scheme.split('+')[0]}+pool://{rest}"


class RowIdConverter(IntegerConverter):
    """`<int:...>` in routes: at most the largest id an integer column holds (PostgreSQL's is 32-bit), so
    /foto/99999999999999999999/kecil is a 404 rather than an overflow in the database driver."""

    def __init__(self, map, *args, max=2**31 - 1, **kwargs):
        super().__init__(map, *args, max=max, **kwargs)


def migrate():
    """Apply every pending file in migrations/; returns the names applied."""
    with db.connection_context():
        return Runner(db.obj, MIGRATIONS_DIR).up()


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the schema by applying pending migrations, then fill the village reference table."""
    applied = migrate()
    click.echo(f"Applied: {', '.join(applied)}" if applied else "Schema is up to date.")
    current_app.logger.info("migrations applied: %s", applied)
    with db.connection_context():
        loaded = villages.load()
    click.echo(f"Villages loaded: {loaded:,}" if loaded else "Villages are up to date.")
