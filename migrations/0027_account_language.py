"""The language an applicant uses the portal in, so that notices reach them in it (Indonesian until known)."""

from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column('account', 'language', CharField(max_length=5, default='id')))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('account', 'language'))
