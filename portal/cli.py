"""Command-line tasks: demo data (the schema command lives in portal.database)."""

from datetime import date

import click
from flask.cli import with_appcontext

from portal.models import Account, Application, utcnow
from portal.rules import regions
from portal.services import applications
from portal.services.passwords import hash_password
from portal.staff.cli import audit_cli, echo_demo_staff, seed_demo_staff, staff_cli
from portal.tracking.demo import echo_demo_tracking, seed_demo_tracking

DEMO_PASSWORD = "kopi-tubruk-pagi"
DEMO_ACCOUNTS = [
    # (email, full name, verified)
    ("budi@contoh.id", "Budi Santoso", True),
    ("sari@contoh.id", "Sari Wulandari", False),
    ("dewi@contoh.id", "Dewi Anggraini", True),
]
# Dewi has finished her KTP section, so the task list shows each state.
DEMO_KTP = {"nik": "3201014512900001", "birth_date": date(1990, 12, 5), "kk_number": "3201010101010001", "sex": "P"}


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo accounts and staff (again) and print how to log in with them."""
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, verified in DEMO_ACCOUNTS:
        account = Account.by_email(email) or Account(email=email)
        account.full_name = name
        account.password_hash = password_hash
        account.email_verified_at = utcnow() if verified else None
        account.save()
    account = Account.by_email("dewi@contoh.id")
    dewi = applications.draft_for(account)
    if not dewi.is_submitted:
        applications.update(dewi, account, ktp_confirmed=True, **DEMO_KTP)
    click.echo("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
    for email, name, verified in DEMO_ACCOUNTS:
        state = "email not verified yet" if not verified else "KTP section done" if email.startswith("dewi") else "verified"
        click.echo(f"  applicant  {email:<20} {name:<16} {state}")
    office = seed_demo_staff(DEMO_PASSWORD)
    echo_demo_staff(DEMO_PASSWORD)
    seed_demo_closed_batch(office)
    seed_demo_walkins(office)
    # Rina's three earlier waves first: wave numbers follow time, and selection counts earlier waves by number.
    seed_demo_letters(password_hash)
    closed, open_ = seed_demo_waves(password_hash)
    click.echo(f"Waves: wave {closed} closed with results, wave {open_} open. Applicants (same password):")
    for email, name, _nik, _kk, _aid, about in DEMO_WAVE_PEOPLE:
        click.echo(f"  applicant  {email:<20} {name:<16} {about}")
    seed_demo_review()
    seed_demo_tracking(office)
    echo_demo_tracking()


# Walk-ins of the demo office's closed batch: (name, sex, birth date, village in Kabupaten Bogor, education,
# employment). NIKs are built from these as a real NIK is: region, birth date (day + 40 for women), serial.
DEMO_CLOSED_WALKINS = [
    ("Siti Nurhaliza", "P", date(1995, 3, 14), "32.01.01.1006", "sma", "laid_off"),
    ("Ahmad Fauzi", "L", date(1988, 7, 2), "32.01.01.1011", "smp", "job_seeker"),
    ("Yuni Kartika", "P", date(2000, 11, 23), "32.01.01.1010", "diploma", "sent_home"),
    ("Rudi Hartono", "L", date(1992, 1, 30), "32.01.01.1006", "sma", "informal"),
    ("Lilis Suryani", "P", date(1985, 5, 9), "32.01.02.2002", "sd", "micro_business"),
]


def seed_demo_closed_batch(office):
    """A batch of the demo office keyed by its officer and closed by its supervisor, so the ministry's
    screens have something to review; once only. Run it before any open-batch demo walk-ins are seeded."""
    from portal.models import Batch
    from portal.services import batches
    from portal.services.intake import create_walkin

    if Batch.select().where(Batch.office == office, Batch.status != batches.OPEN).exists():
        return
    officer = Account.by_email("petugas@contoh.id")
    supervisor = Account.by_email("penyelia@contoh.id")
    for n, (name, sex, born, village, education, employment) in enumerate(DEMO_CLOSED_WALKINS, start=1):
        day = born.day + (40 if sex == "P" else 0)
        nik = f"{village[:8].replace('.', '')}{day:02d}{born.month:02d}{born.year % 100:02d}{9000 + n:04d}"
        if Application.get_or_none(Application.nik == nik):
            continue
        create_walkin({
            "nik": nik, "birth_date": born, "kk_number": f"320101{born.year}{n:06d}", "full_name": name,
            "birth_place": "Bogor", "phone": f"+6281390{n:06d}",
            "ktp_address": {"region_code": village, "street": f"Kp. Babakan RT {n:03d}", "rt": f"{n:03d}",
                            "rw": "004", "postal_code": regions.postal_code(village) or ""},
            "domicile_same": True, "education": education, "employment": employment, "not_in_education": True,
            "not_excluded": True, "aid": ["none"], "training_field": "digital", "ktp_seen": True,
            "statement_signed": True,
        }, officer, ip="127.0.0.1")
    batch = batches.open_batch(office)
    closed = batches.close(batch, supervisor)
    click.echo(f"\nDemo office batch {closed.number} closed by {supervisor.full_name}: {closed.record_count} "
               f"walk-ins, {closed.document_number}, SHA-256 {closed.manifest_sha256}")


# Three paper forms keyed at the demo office's desk: (NIK, birth date, name, birthplace, village, street, education,
# employment, training). Women born on day D have D + 40 in the NIK.
DEMO_WALKINS = [
    ("3201014708920001", date(1992, 8, 7), "Nur Aisyah", "Bogor", "32.01.01.1006", "Jl. Mayor Oking No. 12", "sma",
     "laid_off", "food"),
    ("3201011503880002", date(1988, 3, 15), "Joko Prasetyo", "Bogor", "32.01.01.1011", "Kp. Cirimekar RT 02",
     "smp", "informal", "automotive"),
    ("3201016201990003", date(1999, 1, 22), "Lestari Handayani", "Jakarta", "32.01.01.1010", "Gg. Kenanga 4",
     "diploma", "job_seeker", "digital"),
]


def seed_demo_walkins(office):
    """A few walk-ins in the demo office's open batch, keyed by the demo officer (skipped if already there)."""
    from portal.services.batches import open_batch
    from portal.services.intake import create_walkin

    officer = Account.by_email("petugas@contoh.id")
    for n, (nik, born, name, place, village, street, education, employment, training) in enumerate(DEMO_WALKINS):
        if Application.get_or_none(Application.nik == nik):
            continue
        create_walkin({
            "nik": nik, "birth_date": born, "kk_number": f"320101010120{n:04d}", "full_name": name, "birth_place": place,
            "phone": f"+62813100200{n:02d}", "ktp_address": {"region_code": village, "street": street, "rt": "002",
                                                            "rw": "005"},
            "domicile_same": True, "education": education, "employment": employment, "not_in_education": True,
            "not_excluded": True, "aid": ["none"] if n else ["blt_village"], "training_field": training,
            "ktp_seen": True, "statement_signed": n != 2,
        }, officer, ip="127.0.0.1")
    count = Application.select().where(Application.batch == open_batch(office)).count()
    click.echo(f"Walk-ins in the open batch at {office.name}: {count} (desk: /petugas/meja as petugas@contoh.id)")


def seed_demo_review():
    """A quota for West Java this year, smaller than the demo batch, so ratifying shows records waiting."""
    from portal.ministry.demo import seed_demo_quota

    amount = seed_demo_quota("32", 4)
    click.echo(f"Ministry: review the closed demo batch at /kementerian; West Java's quota this year is {amount}, "
               "so one record will wait over the quota.")


def register_commands(app):
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(staff_cli)
    app.cli.add_command(audit_cli)
    from portal.pmo.wave_cli import wave_cli

    app.cli.add_command(wave_cli)


DEMO_WAVE_PEOPLE = [
    # (email, full name, NIK, KK, aid, what their wave status shows)
    ("budi@contoh.id", "Budi Santoso", "3201011705950001", "3201010101950001", "pkh",
     "not selected in the closed wave (quota full), can join the open one"),
    ("eko@contoh.id", "Eko Prasetyo", "3273021208930002", "3273020101930002", "none", "selected in the closed wave"),
    ("fajar@contoh.id", "Fajar Nugroho", "3578030309970003", "3578030101970003", "pkh",
     "joined the open wave, waiting for it to close"),
]


def seed_demo_waves(password_hash):
    """A wave closed with its results told and one open now, after Rina's, and applicants in every wave status
    (once); returns the two wave numbers."""
    from datetime import timedelta

    from peewee import fn

    from portal.models import Wave
    from portal.services import selection, waves

    last = Wave.select(fn.MAX(Wave.number)).scalar() or 0
    if Wave.select().where(Wave.closes_at > utcnow()).exists():  # seeded before
        return last - 1, last
    now = utcnow()
    people = {}
    for n, (email, name, nik, kk, aid, _about) in enumerate(DEMO_WAVE_PEOPLE):
        account = Account.by_email(email) or Account.create(email=email, full_name=name, password_hash=password_hash,
                                                            email_verified_at=now)
        people[email] = _demo_sent(account, name, nik, kk, aid, f"PK-CNTH-000{n}")
    crowd = _demo_crowd(0, DEMO_CROWD, mixed=True)
    first = waves.create(None, last + 1, now - timedelta(days=10), now - timedelta(days=3), 15, {"32": 2})
    for application in [people["budi@contoh.id"], people["eko@contoh.id"], *crowd]:
        waves.enter(first, application, now=now - timedelta(days=5))
    selection.run(first, notify=False)
    _demo_told(first, now - timedelta(days=2))
    second = waves.create(None, last + 2, now - timedelta(hours=1), now + timedelta(days=7), 20)
    waves.enter(second, people["fajar@contoh.id"], now=now)
    return last + 1, last + 2


DEMO_PROVINCES = ["11", "31", "32", "33", "35", "51", "73", "91"]
DEMO_CROWD = 40  # made-up people in the closed wave; Rina's waves' people are numbered after them


def _demo_crowd(start, count, mixed):
    """`count` sent applications of made-up people across eight provinces, numbered from `start`; `mixed`: some
    on other government aid and one in seven still in school (ineligible), else all eligible with no other aid."""
    from portal.models import Address

    crowd = []
    for i in range(count):
        n, province = start + i, DEMO_PROVINCES[i % len(DEMO_PROVINCES)]
        application = Application.create(
            channel="online", status="submitted", reference=f"PK-CNTH-{n + 10:04d}"[:12],
            nik=f"{province}0101{(n % 28) + 1:02d}0896{n + 10:04d}", birth_date=date(1996, 8, (n % 28) + 1),
            kk_number=f"{province}0101{n + 10:010d}", full_name=f"Peserta Contoh {n + 1}",
            not_in_education=not (mixed and i % 7 == 6), not_excluded=True,
            aid="pkh" if mixed and n % 3 else "none", submitted_at=utcnow())
        Address.create(application=application, kind="ktp", region_code=_demo_village(province), street="Jl. Contoh")
        crowd.append(application)
    return crowd


def _demo_village(prefix):
    """The first real village whose Kemendagri code starts with `prefix` (a province or a district), so demo
    addresses read as places; a made-up code only where the village table is empty."""
    from portal.models import Village

    found = Village.select(Village.code).where(Village.code.startswith(prefix + ".")).order_by(Village.code).first()
    return found.code if found else prefix + {2: ".01.01.2001", 8: ".2001"}[len(prefix)]


def _demo_told(wave, moment):
    """A demo wave's results as told in the past (the demo sends no messages for them)."""
    from portal.models import Wave, WaveEntry

    WaveEntry.update(notified_at=moment).where(WaveEntry.wave == wave.id).execute()
    Wave.update(results_sent_at=moment).where(Wave.id == wave.id).execute()


def _demo_sent(account, name, nik, kk, aid, reference):
    """A sent application for a demo account, with a KTP address in the NIK's province."""
    from portal.models import Address, Application

    application = Application.get_or_none(Application.account == account)
    if application is None:
        application = Application.create(account=account)
    day, month, year = int(nik[6:8]), int(nik[8:10]), 1900 + int(nik[10:12])
    _demo_photos_and_phone(application, nik)
    Application.update(
        channel="online", status="submitted", reference=reference, nik=nik, kk_number=kk, full_name=name,
        birth_date=date(year, month, day), sex="L", ktp_confirmed=True, birth_place="Bogor", domicile_same=True,
        education="sma", employment="job_seeker", not_in_education=True, not_excluded=True, aid=aid,
        training_field="digital", submitted_at=utcnow(),
    ).where(Application.id == application.id).execute()
    region = _demo_village(f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}")
    Address.insert(application=application.id, kind="ktp", region_code=region, street="Jl. Melati 5").on_conflict_ignore().execute()
    return Application.get_by_id(application.id)


def _demo_photos_and_phone(application, nik):
    """What every sent application has besides its answers, so a demo one's task list reads done: a KTP photo
    and a selfie, and a verified mobile number (one per person: a verified number is unique)."""
    _demo_photos(application)
    phone = "+62812" + nik[-7:]
    Application.update(phone=phone, verified_phone=phone).where(Application.id == application.id).execute()


def _demo_photos(application):
    """A KTP photo and a selfie for a demo application (stored as uploads are)."""
    import io

    from PIL import Image, ImageDraw

    from portal.models import Photo
    from portal.services.photos import store_all
    from portal.storage import storage

    for kind, colour in (("ktp", (70, 110, 170)), ("selfie", (180, 140, 110))):
        if Photo.get_or_none(Photo.application == application, Photo.kind == kind):
            continue
        blobs = []
        for size in ((800, 504), (200, 126)):
            image = Image.new("RGB", size, colour)
            ImageDraw.Draw(image).rectangle((size[0] // 10, size[1] // 5, size[0] // 2, size[1] // 2), fill=(240, 240, 235))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=70)
            blobs.append(out.getvalue())
        image_key, thumb_key = store_all(storage(), *blobs)
        Photo.create(application=application, kind=kind, image_key=image_key, thumb_key=thumb_key, width=800,
                     height=504, size_bytes=len(blobs[0]))


# Not selected in three waves; her signed statement letter waits in the PMO's queue.
DEMO_LETTER_PERSON = ("rina@contoh.id", "Rina Marlina", "3201014507950004", "3201010101950004", "PK-CNTH-0004")
# Her three waves: (quota, others who joined). Each had more entries than seats, and the others had no other
# government aid, so they came before her (she receives PKH; portal.rules.screening's tiers) and filled them.
DEMO_LETTER_WAVES = [(10, 14), (12, 16), (12, 18)]


def seed_demo_letters(password_hash):
    """Rina, not selected in three closed waves, with her statement letter pending in the PMO's queue (once).

    Her three waves are made here, a month apart ending two months ago, before the demo's other waves.
    """
    from datetime import timedelta

    from peewee import fn

    from portal.models import Address, Application, Wave
    from portal.services import letters, selection, waves

    email, name, nik, kk, reference = DEMO_LETTER_PERSON
    if Account.by_email(email) is None:
        account = Account.create(email=email, full_name=name, password_hash=password_hash, email_verified_at=utcnow())
        application = Application.create(
            account=account, channel="online", status="submitted", reference=reference, nik=nik, kk_number=kk,
            full_name=name, birth_date=date(1995, 7, 5), sex="P", ktp_confirmed=True, birth_place="Bogor",
            domicile_same=True, education="sma", employment="laid_off", not_in_education=True, not_excluded=True,
            aid="pkh", training_field="digital", submitted_at=utcnow())
        Address.create(application=application, kind="ktp", region_code="32.01.01.1006", street="Jl. Kenanga 7",
                       rt="002", rw="005")
        first = (Wave.select(fn.MAX(Wave.number)).scalar() or 0) + 1
        start = DEMO_CROWD
        for n, (quota, others) in enumerate(DEMO_LETTER_WAVES):
            opens = utcnow() - timedelta(days=120 - 30 * n)
            wave = waves.create(None, first + n, opens, opens + timedelta(days=7), quota)
            for entry in [application, *_demo_crowd(start, others, mixed=False)]:
                waves.enter(wave, entry, now=opens + timedelta(hours=1))
            start += others
            selection.run(wave, notify=False)
            _demo_told(wave, opens + timedelta(days=8))
        letters.save_letter(application, _demo_letter_photo(name, nik, reference))
    # Also for a database seeded before her photos and number were: every `make run` seeds again.
    _demo_photos_and_phone(Application.get(Application.nik == nik), nik)
    click.echo(f"Statement letter: applicant {email} ({name}), not selected three times, letter waiting for the PMO")


def _demo_letter_photo(name, nik, reference):
    """A photo-like JPEG of a signed statement letter lying on a table."""
    import io

    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    photo = Image.new("RGB", (1200, 1600), (120, 96, 72))
    draw = ImageDraw.Draw(photo)
    draw.rectangle((110, 130, 1090, 1500), fill=(245, 245, 238))
    font = ImageFont.load_default(size=30)
    lines = ["SURAT PERNYATAAN", "", "Yang bertanda tangan di bawah ini:", f"Nama: {name}", f"NIK: {nik}",
             f"Nomor pendaftaran: {reference}", "", "menyatakan bahwa saya telah 3 kali tidak lolos seleksi,",
             "data yang saya berikan benar, dan saya ingin mengikuti", "seleksi gelombang berikutnya."]
    for n, line in enumerate(lines):
        draw.text((190 if n else 460, 220 + 52 * n), line, fill=(25, 25, 30), font=font)
    draw.rectangle((640, 900, 860, 1040), fill=(205, 175, 195), outline=(120, 60, 90), width=3)
    draw.line([(600 + 14 * i, 970 + (37 * i) % 60 - 30) for i in range(24)], fill=(20, 30, 110), width=4)
    draw.text((640, 1100), name, fill=(25, 25, 30), font=font)
    out = io.BytesIO()
    photo.rotate(2, fillcolor=(120, 96, 72)).filter(ImageFilter.SMOOTH).save(out, "JPEG", quality=85)
    return out.getvalue()
