"""Real pictures drawn with Pillow for upload tests: ID cards, selfies, bad and hostile files."""

import io
import random
import struct
import zlib
from functools import cache

from PIL import ExifTags, Image, ImageChops, ImageCms, ImageDraw, ImageFilter

GPS = {1: "S", 2: (6.0, 12.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)}  # Jakarta
PHONE_MODEL = "SM-A055F"


@cache
def card(size, noise=12, seed=1):
    """A KTP-like card on a brown table: light blue card, dark header, red photo box, lines of dark 'words'."""
    width, height = size
    rng = random.Random(seed)
    img = Image.new("RGB", size, (120, 100, 80))
    draw = ImageDraw.Draw(img)
    x0, y0, x1, y1 = int(width * 0.08), int(height * 0.1), int(width * 0.92), int(height * 0.9)
    w, h = x1 - x0, y1 - y0
    draw.rounded_rectangle((x0, y0, x1, y1), radius=width // 60, fill=(205, 225, 240))
    draw.rectangle((x0 + w * 0.2, y0 + h * 0.04, x0 + w * 0.8, y0 + h * 0.1), fill=(30, 30, 40))
    draw.rectangle((x0 + w * 0.72, y0 + h * 0.2, x0 + w * 0.95, y0 + h * 0.75), fill=(180, 60, 50))
    line = h * 0.03
    y = y0 + h * 0.18
    while y < y0 + h * 0.92:
        x = x0 + w * 0.04
        while x < x0 + w * 0.68:
            word = w * rng.uniform(0.03, 0.1)
            draw.rectangle((x, y, min(x + word, x0 + w * 0.68), y + line), fill=(25, 25, 30))
            x += word + w * 0.015
        y += line * 2.4
    return with_noise(img, noise) if noise else img


def with_noise(img, sigma):
    """Gaussian sensor noise on every channel."""
    return Image.merge("RGB", [ImageChops.add(band, Image.effect_noise(img.size, sigma), 1.0, -128) for band in img.split()])


def selfie(size=(1600, 1200), blur=0):
    """A face and shirt with the card held low on the right, blurred before the sensor adds its noise."""
    width, height = size
    img = Image.new("RGB", size, (90, 110, 100))
    draw = ImageDraw.Draw(img)
    draw.ellipse((width * 0.3, height * 0.05, width * 0.7, height * 0.7), fill=(200, 150, 120))
    draw.rectangle((width * 0.15, height * 0.65, width * 0.85, height), fill=(40, 60, 120))
    img.paste(card((int(width * 0.35), int(height * 0.3)), noise=0), (int(width * 0.55), int(height * 0.6)))
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    return with_noise(img, 12)


def dark():
    return card((1600, 1200)).point(lambda v: v * 0.12)


def dim():
    """An indoor photo at 40 % exposure: dull but readable."""
    return card((1600, 1200)).point(lambda v: v * 0.4)


def over_exposed():
    """Flash glare: the card clips to white, the table turns near white and the print fades to light grey."""
    return card((1600, 1200)).point(lambda v: min(255, 150 + v))


def white_table():
    """The same card on white paper: bright, but not washed out."""
    img = card((1600, 1200), noise=0).copy()
    ImageDraw.floodfill(img, (2, 2), (235, 235, 230))
    return with_noise(img, 12)


def blurred():
    return card((1600, 1200)).filter(ImageFilter.GaussianBlur(6))


def blurred_then_noisy():
    """Out of focus, then sensor noise on top, which a plain Laplacian mistakes for detail."""
    return with_noise(card((1600, 1200), noise=0).filter(ImageFilter.GaussianBlur(6)), 25)


def encoded(img, fmt="JPEG", **options):
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def jpeg(img, quality=90, **options):
    return encoded(img, "JPEG", quality=quality, **options)


def transparent_png():
    """The card cut out on a transparent background."""
    img = card((1600, 1200)).convert("RGBA")
    alpha = Image.new("L", img.size, 0)
    ImageDraw.Draw(alpha).rectangle((128, 120, 1472, 1080), fill=255)
    img.putalpha(alpha)
    return encoded(img, "PNG")


def mpo():
    """Some phones save JPEGs as MPO, with a second, smaller frame."""
    img = card((1600, 1200))
    return encoded(img, "MPO", save_all=True, append_images=[img.resize((400, 300))], quality=90)


def rotated_with_metadata():
    """A landscape JPEG the phone wants shown turned 90 degrees clockwise, full of personal metadata."""
    img = card((1600, 1200)).copy()
    ImageDraw.Draw(img).rectangle((0, 0, 99, 99), fill=(255, 0, 0))  # top left as stored
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "samsung"
    exif[ExifTags.Base.Model] = PHONE_MODEL
    exif[ExifTags.IFD.GPSInfo] = GPS
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>Ani Lestari</rdf:RDF></x:xmpmeta>'
    return jpeg(img, exif=exif, icc_profile=icc, xmp=xmp, comment=b"Ani Lestari, Depok")


def bomb_png(width, height):
    """A real, valid PNG of `width` x `height` black 1-bit pixels, written chunk by chunk.

    Pillow's mode "1" takes a byte per pixel in memory, so drawing 30000x30000 with Pillow would need 900 MB.
    """
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = bytes(1 + (width + 7) // 8)  # filter byte + packed pixels, all zero
    packer = zlib.compressobj(9)
    rows_per_block = 1000
    parts = []
    for start in range(0, height, rows_per_block):
        parts.append(packer.compress(row * min(rows_per_block, height - start)))
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b"")
