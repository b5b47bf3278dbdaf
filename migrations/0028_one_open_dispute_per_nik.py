"""At most one open NIK dispute per NIK: a second desk's record of the same claim is refused (issue: two open
disputes over one NIK, where deciding one left the other open to act on the online application again)."""

from peewee import SQL, CharField, Model


def up(migrator, db):
    class NikDispute(Model):
        nik = CharField(max_length=16)
        status = CharField(max_length=10, default='open')
        class Meta:
            database = db
            table_name = 'nik_dispute'

    # The index cannot be built over NIKs that already have two open disputes: the PMO decides the extra ones
    # first (deciding one whose NIK is no longer held by an online application changes nothing but the dispute).
    doubled = (NikDispute.select(NikDispute.nik).where(NikDispute.status == 'open')
               .group_by(NikDispute.nik).having(SQL('count(*) > 1')))
    ids = [row.id for row in NikDispute.select(NikDispute.id).where(NikDispute.status == 'open',
                                                                   NikDispute.nik.in_(doubled))
           .order_by(NikDispute.id)]
    if ids:
        raise RuntimeError('NIK disputes open twice over one NIK; have the PMO decide all but the oldest of each, '
                           f'then migrate again: dispute ids {ids}')
    db.execute(NikDispute.index(NikDispute.nik, unique=True, where=SQL("status = 'open'"),
                                name='nik_dispute_one_open'))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('nik_dispute', 'nik_dispute_one_open'))
