"""Statement letters: the PMO's queue (pending, oldest first) on an index, and one pending letter per application."""

from peewee import SQL, CharField, DateTimeField, ForeignKeyField, Model


def up(migrator, db):
    class Application(Model):
        class Meta:
            database = db
            table_name = 'application'

    class StatementLetter(Model):
        application = ForeignKeyField(Application, on_delete='CASCADE')
        status = CharField(max_length=10, default='pending')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'statement_letter'

    db.execute(StatementLetter.index(StatementLetter.status, StatementLetter.created_at,
                                     name='statement_letter_status_created_at'))
    db.execute(StatementLetter.index(StatementLetter.application, unique=True,
                                     where=SQL("status = 'pending'"), name='statement_letter_one_pending'))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('statement_letter', 'statement_letter_one_pending'),
                     migrator.drop_index('statement_letter', 'statement_letter_status_created_at'))
