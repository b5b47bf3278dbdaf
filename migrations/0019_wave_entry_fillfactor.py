"""Room on every page of wave_entry for its rows' next version (PostgreSQL only).

Selection rewrites the outcome, reason, tier, draw key and rank of every entry of a wave. With the default
fillfactor (100) a bulk-entered table has no free space, so each new row version lands on another page and
every index of the table gets a new entry: a million-entry selection took 154 s on a loaded 2-core machine.
Leaving 60% of each page free lets PostgreSQL write the new version beside the old one (a heap-only tuple,
no index writes): 45 s on the same machine. None of the columns selection writes is indexed, which HOT needs.
"""

from peewee import PostgresqlDatabase


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("ALTER TABLE wave_entry SET (fillfactor = 40)")


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("ALTER TABLE wave_entry RESET (fillfactor)")
