"""Phone-camera photos built from real photographs (scikit-image's): a KTP on a table, and a selfie holding it.

Both are 4000 x 3000 JPEGs of about 4 MB, like a budget phone's 12 MP camera saves: the card's print, a
textured table and a face, with sensor noise, so they compress like real photos rather than flat colours.
"""

import io
import random
from functools import cache

import numpy as np
import skimage.data
from PIL import Image, ImageDraw, ImageFilter, ImageFont

CAMERA = (4000, 3000)
FONTS = "/usr/share/fonts/truetype/dejavu/"
# A made-up but well-formed NIK: Kab. Bogor (32.01.01), a woman born 5 December 1990 (45 = 5 + 40), serial 0001.
NIK = "3201014512900001"


def photo(name, size):
    """A scikit-image photograph as an RGB picture of `size`."""
    array = getattr(skimage.data, name)()
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    return Image.fromarray(array[..., :3]).resize(size, Image.Resampling.BICUBIC)


def sensor_noise(img, sigma, seed=1):
    """Per-pixel noise of a small phone sensor, a little stronger in the shadows."""
    rng = np.random.default_rng(seed)
    pixels = np.asarray(img, dtype=np.float32)
    noise = rng.normal(0, sigma, pixels.shape[:2] + (1,)) * (1.3 - pixels / 400)
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))


def table(size):
    """A wooden-ish table top: scikit-image's brick and gravel textures, tinted brown, at camera scale."""
    grain = Image.blend(photo("brick", size), photo("gravel", size), 0.5).convert("L")
    return Image.merge("RGB", [grain.point(lambda v, k=k: int(60 + v * k)) for k in (0.55, 0.42, 0.3)])


def font(size, bold=False):
    return ImageFont.truetype(FONTS + ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"), size)


def card(width, nik=NIK):
    """A KTP-like card `width` pixels wide (85.6 x 54 mm): header, NIK in print 2.5 mm tall, fields, a face."""
    height = round(width * 54 / 85.6)
    mm = width / 85.6
    img = Image.new("RGB", (width, height), (190, 215, 235))
    draw = ImageDraw.Draw(img)
    # A faint guilloche-like pattern, as on the real card's security print.
    for n in range(0, width, max(2, round(mm * 1.5))):
        draw.arc((n - height, -height // 2, n + height, height * 3 // 2), 200, 340, fill=(170, 200, 225))
    draw.text((width / 2, 3 * mm), "PROVINSI JAWA BARAT", font=font(round(3 * mm), True), fill=(20, 20, 30),
              anchor="mt")
    draw.text((width / 2, 7 * mm), "KABUPATEN BOGOR", font=font(round(3 * mm), True), fill=(20, 20, 30),
              anchor="mt")
    draw.text((3 * mm, 12.5 * mm), f"NIK   : {nik}", font=font(round(2.6 * mm), True), fill=(10, 10, 10))
    fields = ["Nama : ANI LESTARI", "Tempat/Tgl Lahir : BOGOR, 05-12-1990", "Jenis Kelamin : PEREMPUAN",
              "Alamat : JL. MAWAR NO. 12", "RT/RW : 003/004", "Kel/Desa : CIBINONG", "Kecamatan : CIBINONG",
              "Agama : ISLAM", "Status Perkawinan : BELUM KAWIN", "Pekerjaan : BELUM/TIDAK BEKERJA",
              "Kewarganegaraan : WNI", "Berlaku Hingga : SEUMUR HIDUP"]
    for row, text in enumerate(fields):
        draw.text((3 * mm, (18 + row * 2.8) * mm), text, font=font(round(2.1 * mm)), fill=(25, 25, 30))
    face = photo("astronaut", (round(22 * mm), round(28 * mm)))
    img.paste(face, (round(60 * mm), round(14 * mm)))
    return img


@cache
def ktp_photo():
    """JPEG bytes: the card filling most of a 4000 x 3000 frame on a table, slightly turned, in room light."""
    frame = table(CAMERA)
    front = card(3300).rotate(1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(0, 0, 0))
    mask = card(3300).point(lambda v: 255).convert("L").rotate(1.5, expand=True)
    frame.paste(front, ((CAMERA[0] - front.width) // 2, (CAMERA[1] - front.height) // 2), mask)
    # Phone optics: slightly soft, then the sensor's noise.
    return camera_jpeg(sensor_noise(frame.filter(ImageFilter.GaussianBlur(1.2)), 6))


@cache
def selfie_photo():
    """JPEG bytes: a face (scikit-image's astronaut) filling the frame, the card held up beside it."""
    frame = photo("astronaut", (3000, 3000))
    wide = Image.new("RGB", CAMERA)
    wide.paste(table(CAMERA).filter(ImageFilter.GaussianBlur(8)))
    wide.paste(frame, (500, 0))
    wide.paste(card(1500).rotate(-8, expand=True, fillcolor=(200, 150, 120)), (2300, 1700))
    return camera_jpeg(sensor_noise(wide.filter(ImageFilter.GaussianBlur(1.2)), 6, seed=2))


def camera_jpeg(img):
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92)
    return out.getvalue()
