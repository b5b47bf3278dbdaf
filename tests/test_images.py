"""The photo pipeline on real images drawn with Pillow: what passes, what is refused and why, what comes out."""

import ast
import io
import struct
import time
import warnings
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageFile

from image_support import PHONE_MODEL, card, selfie, dark, dim, over_exposed, white_table, blurred, blurred_then_noisy, encoded, jpeg, transparent_png, mpo, rotated_with_metadata, bomb_png
from portal import images
from portal.images import MAX_BRIGHTNESS, MIN_BRIGHTNESS, MIN_SHARPNESS, PhotoProblem, process_photo

# The caller (services.photos) passes the UPLOAD_MAX_BYTES setting; the pipeline keeps no limit of its own.
LIMIT = 8 * 1024 * 1024
# One IFD entry, Make, claiming 255 bytes at an offset beyond the block: Pillow warns and skips it.
BROKEN_TAG = b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x0f\x01\x02\x00\xff\x00\x00\x00\xff\xff\x00\x00" + bytes(4)


@pytest.fixture(scope="module")
def big_photo():
    """A 12 MP phone photo of the card at quality 95: several megabytes, as no-JS browsers send it."""
    return jpeg(card((4000, 3000), noise=6), quality=95)


def long_side(data):
    return max(Image.open(io.BytesIO(data)).size)


# --- accepted -------------------------------------------------------------------------------------------

ACCEPTED = {
    "jpeg 1600x1200": lambda: jpeg(card((1600, 1200))),
    "browser-shrunk, quality 70": lambda: jpeg(card((1600, 1200)), quality=70),
    "heavily compressed, quality 40": lambda: jpeg(card((1600, 1200)), quality=40),
    "png": lambda: encoded(card((1600, 1200)), "PNG"),
    "png with transparency": transparent_png,
    "webp": lambda: encoded(card((1600, 1200)), "WEBP", quality=80),
    "mpo": mpo,
    "greyscale jpeg": lambda: jpeg(card((1600, 1200)).convert("L")),
    "dim indoor photo": lambda: jpeg(dim()),
    "card on white paper": lambda: jpeg(white_table()),
    "selfie holding the card": lambda: jpeg(selfie()),
    "portrait 1200x1600": lambda: jpeg(card((1200, 1600))),
    "corrupt exif": lambda: jpeg(card((1600, 1200)), exif=b"Exif\x00\x00II*\x00\x08\x00\x00\x00\xff\xff" + bytes(20)),
    "exif tag past the end": lambda: jpeg(card((1600, 1200)), exif=BROKEN_TAG),
}


@pytest.mark.parametrize("make", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_good_photos_come_out_as_clean_jpegs(make):
    result = process_photo(make())
    out = Image.open(io.BytesIO(result.image))
    assert out.format == "JPEG" and out.mode == "RGB" and out.info.get("progressive")
    assert out.size == (result.width, result.height) and max(out.size) == 1600
    assert long_side(result.thumbnail) == 240
    assert Image.open(io.BytesIO(result.thumbnail)).format == "JPEG"
    assert MIN_BRIGHTNESS <= result.brightness <= MAX_BRIGHTNESS and result.sharpness >= MIN_SHARPNESS


def test_a_big_phone_photo_is_shrunk_to_a_few_hundred_kilobytes(big_photo, capsys):
    assert len(big_photo) > 3 * 1024 * 1024
    started = time.perf_counter()
    result = process_photo(big_photo)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(
            f"\n4000x3000 upload {len(big_photo) / 1024:,.0f} KB -> {result.width}x{result.height} "
            f"{len(result.image) / 1024:,.0f} KB + thumbnail {len(result.thumbnail) / 1024:,.1f} KB "
            f"in {elapsed * 1000:,.0f} ms (brightness {result.brightness:.0f}, sharpness {result.sharpness:.0f})"
        )
    assert (result.width, result.height) == (1600, 1200)
    assert len(result.image) < 400 * 1024


def test_small_photos_are_never_enlarged():
    result = process_photo(jpeg(card((800, 600))))
    assert (result.width, result.height) == (800, 600)
    assert Image.open(io.BytesIO(result.image)).size == (800, 600)
    assert Image.open(io.BytesIO(result.thumbnail)).size == (240, 180)


def test_exif_orientation_is_applied_and_every_piece_of_metadata_dropped():
    upload = rotated_with_metadata()
    original = Image.open(io.BytesIO(upload))
    assert original.size == (1600, 1200) and original.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    result = process_photo(upload)
    out = Image.open(io.BytesIO(result.image))
    assert out.size == (1200, 1600)
    # Orientation 6 turns the picture clockwise: the stored top left corner ends up top right.
    assert out.getpixel((1200 - 20, 20))[0] > 200 and out.getpixel((20, 20))[0] < 200
    for data in (result.image, result.thumbnail):
        img = Image.open(io.BytesIO(data))
        assert len(img.getexif()) == 0
        assert not {"exif", "xmp", "icc_profile", "comment"} & img.info.keys()
        for secret in (b"Exif\x00", PHONE_MODEL.encode(), b"adobe:ns:meta", b"Ani Lestari", b"Depok"):
            assert secret not in data


def test_transparency_becomes_white():
    out = Image.open(io.BytesIO(process_photo(transparent_png()).image))
    assert min(out.getpixel((10, 10))) > 245


# --- refused --------------------------------------------------------------------------------------------

def text_named_jpg(tmp_path):
    path = Path(tmp_path) / "ktp.jpg"
    path.write_text("NIK: 3201010512900001\nNama: Budi Santoso\n")
    return path.read_bytes()


REFUSED = {
    "empty upload": (lambda tmp: b"", "empty"),
    "over max_bytes": (lambda tmp: b"\xff\xd8\xff\xe0" + bytes(LIMIT), "too_large"),
    "text file named .jpg": (text_named_jpg, "not_image"),
    "pdf": (lambda tmp: encoded(card((1600, 1200), noise=0), "PDF"), "not_image"),
    "gif": (lambda tmp: encoded(card((1600, 1200), noise=0), "GIF"), "not_image"),
    "bmp": (lambda tmp: encoded(card((1600, 1200), noise=0), "BMP"), "not_image"),
    "jpeg cut in half": (lambda tmp: (data := jpeg(card((1600, 1200))))[: len(data) // 2], "damaged"),
    "jpeg missing its last bytes": (lambda tmp: jpeg(card((1600, 1200)))[:-2], "damaged"),
    "jpeg cut inside its header": (lambda tmp: jpeg(card((1600, 1200)))[:300], "damaged"),
    "png cut in half": (lambda tmp: (data := encoded(card((1600, 1200)), "PNG"))[: len(data) // 2], "damaged"),
    "200x150": (lambda tmp: jpeg(card((200, 150))), "too_small"),
    "2000x300 strip": (lambda tmp: jpeg(card((2000, 300))), "too_small"),
    "too dark": (lambda tmp: jpeg(dark()), "too_dark"),
    "over-exposed": (lambda tmp: jpeg(over_exposed()), "too_bright"),
    "blurred": (lambda tmp: jpeg(blurred()), "blurred"),
    "blurred, then sensor noise": (lambda tmp: jpeg(blurred_then_noisy()), "blurred"),
    "blurred selfie": (lambda tmp: jpeg(selfie(blur=6)), "blurred"),
}


@pytest.mark.parametrize("make, code", REFUSED.values(), ids=REFUSED.keys())
def test_bad_uploads_are_refused_with_a_reason(make, code, tmp_path):
    with pytest.raises(PhotoProblem) as refused:
        process_photo(make(tmp_path), max_bytes=LIMIT)
    assert refused.value.code == code and code in images.CODES


@pytest.mark.parametrize(
    "width, height",
    [
        (8000, 6000),  # 48 MP: over our cap, under Pillow's own limit
        (10000, 10000),  # 100 MP: Pillow warns
        (30000, 30000),  # 900 MP: Pillow refuses to open it
    ],
)
def test_decompression_bombs_are_refused_from_the_header(width, height, monkeypatch, capsys):
    bomb = bomb_png(width, height)
    assert struct.unpack(">II", bomb[16:24]) == (width, height)  # what the IHDR chunk declares

    def no_decoding(*args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image, "_getdecoder", no_decoding)
    started = time.perf_counter()
    with pytest.raises(PhotoProblem) as refused:
        process_photo(bomb)
    elapsed = time.perf_counter() - started
    assert refused.value.code == "too_many_pixels"
    with capsys.disabled():
        print(f"\n{width}x{height} bomb: {len(bomb) / 1024:,.0f} KB file, refused in {elapsed * 1000:.1f} ms")


def test_the_bomb_warning_is_a_refusal_even_where_warnings_are_only_logged():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        with pytest.raises(PhotoProblem) as refused:
            process_photo(bomb_png(10000, 10000))
    assert refused.value.code == "too_many_pixels"
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]


# --- calibration ----------------------------------------------------------------------------------------

CALIBRATION = {
    # name: (picture, lowest and highest acceptable brightness, lowest and highest acceptable sharpness)
    "card 4000x3000": (lambda: card((4000, 3000), noise=6), None, None, 5 * MIN_SHARPNESS, None),
    "card 1600x1200": (lambda: card((1600, 1200)), None, None, 5 * MIN_SHARPNESS, None),
    "card, quality 40": (lambda: Image.open(io.BytesIO(jpeg(card((1600, 1200)), quality=40))), None, None, 5 * MIN_SHARPNESS, None),
    "selfie": (selfie, None, None, 2 * MIN_SHARPNESS, None),
    "dim indoor photo": (dim, 1.2 * MIN_BRIGHTNESS, None, 1.5 * MIN_SHARPNESS, None),
    "card on white paper": (white_table, None, MAX_BRIGHTNESS - 5, 5 * MIN_SHARPNESS, None),
    "too dark": (dark, None, MIN_BRIGHTNESS / 1.5, None, None),
    "over-exposed": (over_exposed, MAX_BRIGHTNESS + 10, None, None, None),
    "blurred": (blurred, None, None, None, MIN_SHARPNESS / 2),
    "blurred, then sensor noise": (blurred_then_noisy, None, None, None, MIN_SHARPNESS / 1.25),
    "blurred selfie": (lambda: selfie(blur=6), None, None, None, MIN_SHARPNESS / 2),
}


@pytest.mark.parametrize("make, bright_min, bright_max, sharp_min, sharp_max", CALIBRATION.values(), ids=CALIBRATION.keys())
def test_thresholds_leave_a_margin(make, bright_min, bright_max, sharp_min, sharp_max, capsys):
    img = make()
    measures = images.measure(images.fit(img.convert("RGB"), 1600))
    brightness, sharpness = measures.brightness, measures.sharpness
    with capsys.disabled():
        print(f"\n{img.width}x{img.height}: brightness {brightness:5.1f}  sharpness {sharpness:7.1f}")
    assert bright_min is None or brightness >= bright_min
    assert bright_max is None or brightness <= bright_max
    assert sharp_min is None or sharpness >= sharp_min
    assert sharp_max is None or sharpness <= sharp_max


# --- module hygiene -------------------------------------------------------------------------------------

def test_pillow_global_limits_stay_untouched(big_photo):
    process_photo(big_photo)
    with pytest.raises(PhotoProblem):
        process_photo(bomb_png(10000, 10000))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    assert Image.MAX_IMAGE_PIXELS == 89_478_485


def test_the_pipeline_does_not_import_flask():
    tree = ast.parse(Path(images.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] == "flask"}
