"""Queries whose SQL is written once: the few that every signed-in page runs.

Peewee writes a query's SQL afresh each time it runs, and for a small indexed query that costs far more
than running it (~150 of ~170 µs for the login session's, profiled). A Prepared query is built once with a
slot for each argument; its SQL and parameters are kept per database, and each call only puts the new
arguments in their slots. Rows come back as the built query would return them (models, joins and all).
"""

from peewee import Value

from portal.models.base import db


class _Slot:
    """The marker a slot leaves among a query's parameters."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


class Prepared:
    """`build(*slots)` returns a query; calling `.rows(*args)` runs it with the arguments in the slots.

    Arguments go to the driver as they are, without the fields' conversions: pass ids, strings, numbers
    and datetimes, not model instances.
    """

    def __init__(self, build):
        self.build = build
        self.compiled = None  # (database, query, sql, parameters): tests bind the models to new databases
        self.layout = None  # (compiled, what peewee's row wrapper works out from the columns)

    def _compiled(self):
        database = db.obj
        compiled = self.compiled
        if compiled is None or compiled[0] is not database:
            slots = [Value(_Slot(n), converter=False) for n in range(self.build.__code__.co_argcount)]
            query = self.build(*slots)
            sql, parameters = database.get_sql_context().sql(query).query()
            compiled = self.compiled = (database, query, sql, parameters)
        return compiled

    def cursor(self, *args):
        """Run the query with these arguments; the database cursor."""
        database, _query, sql, parameters = self._compiled()
        return database.execute_sql(sql, [args[p.index] if type(p) is _Slot else p for p in parameters])

    def rows(self, *args):
        """The rows, as the built query returns them."""
        compiled = self._compiled()
        wrapper = compiled[1]._get_cursor_wrapper(self.cursor(*args))
        # Peewee's row wrapper works out, from the cursor's columns, which model and field each column fills:
        # the same every time for the same SQL, and as costly as the query itself, profiled. Do it once.
        layout = self.layout
        if layout is not None and layout[0] is compiled:
            wrapper.__dict__.update(layout[1])
        else:
            fresh = set(wrapper.__dict__)
            wrapper.initialize()
            self.layout = (compiled, {k: v for k, v in wrapper.__dict__.items() if k not in fresh})
        wrapper.initialized = True
        return wrapper

    def first(self, *args):
        """The first row, or None."""
        return next(iter(self.rows(*args)), None)

    def scalar(self, *args):
        """The first column of the first row, or None."""
        row = self.cursor(*args).fetchone()
        return row[0] if row else None

    def execute(self, *args):
        """Run a write; the number of rows it changed."""
        return db.obj.rows_affected(self.cursor(*args))
