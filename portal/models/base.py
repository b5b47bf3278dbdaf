"""The Peewee proxy, bound at start-up to SQLite or PostgreSQL, and the base model every table shares."""

from datetime import datetime, timezone

from peewee import DatabaseProxy, Model

db = DatabaseProxy()


def utcnow():
    """Naive UTC now: both databases store timestamps without a zone."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = db
        # save() writes only the columns set since loading, so two requests saving different answers of one
        # row never write each other's stale values back.
        only_save_dirty = True
