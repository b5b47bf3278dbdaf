"""A signed statement letter as a phone photographs it, drawn with Pillow: an A4 page of printed text with a
duty stamp and a signature, lying a little askew on a table, lit unevenly, with sensor noise and JPEG."""

import io
import random
from functools import cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from image_support import with_noise

LINES = [
    "SURAT PERNYATAAN",
    "Yang bertanda tangan di bawah ini:",
    "Nama            : Ani Lestari",
    "NIK             : 3201014507950001",
    "Tempat/tgl lahir: Bogor, 5 Juli 1995",
    "Alamat          : Jl. Mawar 1 RT 001 RW 002, Cibinong",
    "Nomor pendaftaran: PK-7G4M-2QXA",
    "Dengan ini menyatakan bahwa saya telah tiga kali",
    "tidak lolos seleksi gelombang Program Kartu Prakerja,",
    "bahwa data yang saya berikan benar, dan bahwa saya",
    "ingin mengikuti seleksi gelombang berikutnya.",
    "Demikian surat pernyataan ini saya buat dengan",
    "sebenar-benarnya.",
]


@cache
def page(width=1240):
    """The printed and signed A4 page, upright, at `width` pixels (A4 is 1 : 1.414)."""
    height = round(width * 1.414)
    img = Image.new("RGB", (width, height), (246, 246, 240))
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=max(12, width // 42))
    y, margin = height * 0.08, width * 0.1
    for n, line in enumerate(LINES):
        draw.text((width * 0.38 if n == 0 else margin, y), line, fill=(20, 20, 25), font=font)
        y += width / 26 * (1.8 if n in (0, 1, 6, 10) else 1)
    stamp = (width * 0.6, y + width * 0.06, width * 0.78, y + width * 0.19)
    draw.rectangle(stamp, fill=(200, 170, 190), outline=(120, 60, 90), width=3)
    draw.text((stamp[0] + 8, stamp[1] + 8), "METERAI 10000", fill=(90, 40, 70), font=font)
    rng = random.Random(7)
    points = [(width * 0.55 + i * width * 0.012, y + width * 0.13 + rng.uniform(-1, 1) * width * 0.03)
              for i in range(24)]
    draw.line(points, fill=(20, 30, 110), width=max(2, width // 300))
    draw.text((width * 0.58, y + width * 0.24), "Ani Lestari", fill=(20, 20, 25), font=font)
    return img


def photographed(size=(1600, 1200), blur=0, light=1.0, tilt=3, fill=0.62):
    """The page (`fill` of the frame's width) on a brown table in portrait, turned `tilt` degrees, lit from one
    side, as a JPEG's bytes."""
    width, height = size
    sheet = page(round(min(width, height) * fill)).rotate(tilt, expand=True, fillcolor=(110, 90, 70),
                                                          resample=Image.Resampling.BICUBIC)
    portrait = (min(width, height), max(width, height))
    img = Image.new("RGB", portrait, (110, 90, 70))
    img.paste(sheet, ((portrait[0] - sheet.width) // 2, (portrait[1] - sheet.height) // 2))
    shade = Image.linear_gradient("L").resize(portrait).point(lambda v: 255 - v // 5)
    img = Image.composite(img, Image.new("RGB", portrait, (0, 0, 0)), shade)
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if light != 1.0:
        img = img.point(lambda v: min(255, v * light))
    img = with_noise(img, 8)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def closed_wave(number):
    """Wave `number` as 2020's ran (a week apart from 11 April 2020, four days open, no seats), made when missing."""
    from datetime import datetime, timedelta

    from portal.models import Wave
    from portal.services import waves

    wave = Wave.get_or_none(Wave.number == number)
    if wave is None:
        opens = datetime(2020, 4, 4) + timedelta(days=7 * number)
        wave = waves.create(None, number, opens, opens + timedelta(days=4), 0)
    return wave


def failed_waves(application, numbers=(1, 2, 3)):
    """Put the application in each of these waves (closed_wave) and run each wave's selection, so that it ends
    "not selected" in all of them (quota full). Waves already run are run again, which changes no one else."""
    from datetime import timedelta

    from portal.models import WaveEntry
    from portal.services import selection

    for number in numbers:
        wave = closed_wave(number)
        WaveEntry.create(wave=wave, application=application, province="32",
                         joined_at=wave.opens_at + timedelta(hours=1))
        selection.run(wave, notify=False)
    return application


def thrice_failed(account=None, numbers=(1, 2, 3), **fields):
    """A sent application, with a birth place, not selected in three waves (1, 2 and 3 unless told)."""
    from wave_support import make_application

    fields.setdefault("birth_place", "Bogor")
    return failed_waves(make_application(account=account, **fields), numbers)
