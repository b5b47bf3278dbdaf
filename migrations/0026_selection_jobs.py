"""A wave's selection as a queued job: when the PMO asked for it, when a worker started it, when it failed."""

from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(migrator.add_column('wave', 'selection_requested_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('wave', 'selection_started_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('wave', 'selection_failed_at', DateTimeField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('wave', 'selection_failed_at'))
    migrator.migrate(migrator.drop_column('wave', 'selection_started_at'))
    migrator.migrate(migrator.drop_column('wave', 'selection_requested_at'))
