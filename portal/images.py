"""Uploaded KTP and selfie photos: check the real type, size, exposure and focus, then re-encode without metadata."""

import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageOps, ImageStat

# Judged from the header before decoding: 40 MP of RGB already takes 120 MB of memory.
MAX_PIXELS = 40_000_000
# A shorter side below this cannot show the KTP's 16-digit NIK legibly.
MIN_SIDE = 320
# Phones save JPEG, sometimes as MPO (a JPEG with extra preview frames); browsers may send PNG or WebP.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# Only these parsers ever see the uploaded bytes (MPO is opened by the JPEG one).
OPENERS = ("JPEG", "PNG", "WEBP")
# Long side of the grey copy the measures are taken on, so they do not depend on the upload's size.
MEASURE_SIDE = 512
# The thresholds below are checked on real photographs (scikit-image's) in tests/test_photo_thresholds.py.
# Mean grey level below this: the card is lost in the dark (photos in normal light measure 95-175, and
# half as bright 48-88; a photo at an eighth of normal exposure measures at most ~21).
MIN_BRIGHTNESS = 32
# Mean grey level above this: flash or sun has washed the print out.
MAX_BRIGHTNESS = 225
# Grey level of the darkest 2 % above this: glare has lifted every shadow, so dark print is lost too
# (normal photos measure 0-60, flare-washed ones 150 and more).
MAX_BLACK = 130
# Share of the darkest and lightest pixels left out when the contrast is stretched before judging focus.
STRETCH_CUTOFF = 0.01
# A flatter picture than a quarter of the full range is not magnified further: that would only show its noise.
MAX_STRETCH = 4
# Laplacian variance of the contrast-stretched copy below this: edges are smeared. Sharp real photos measure
# 250-800 at any exposure (a sharp card ~1,200, a selfie ~480); blurred ones 50-160.
MIN_SHARPNESS = 200
# Thumbnails are shown 120 px wide: 240 px is sharp on a 2x phone screen, and a few KB.
THUMB_SIDE = 240
THUMB_QUALITY = 70

CODES = (
    "empty", "too_large", "not_image", "too_many_pixels", "damaged", "too_small",
    "too_dark", "too_bright", "blurred",
)
LAPLACIAN = ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128)
# Pillow's decoders report bad input through all of these; Image.open itself treats the last four the same way.
DECODE_ERRORS = (OSError, ValueError, EOFError, SyntaxError, IndexError, TypeError, struct.error)


class PhotoProblem(Exception):
    """A photo we refuse; `code` is one of CODES."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass
class ProcessedPhoto:
    """A cleaned photo, its thumbnail (both JPEG bytes) and what was measured on it."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int
    brightness: float
    sharpness: float


def process_photo(data: bytes, max_bytes=None, max_side=1600, thumb_side=THUMB_SIDE, quality=80) -> ProcessedPhoto:
    """Check an uploaded photo and return it upright, shrunk and re-encoded, or raise PhotoProblem."""
    image = fit(to_rgb(decode(data, max_side, max_bytes)), max_side)
    measures = measure(image)
    judge(measures)
    return ProcessedPhoto(
        image=encode(image, quality),
        thumbnail=encode(fit(image, thumb_side), THUMB_QUALITY),
        width=image.width,
        height=image.height,
        brightness=measures.brightness,
        sharpness=measures.sharpness,
    )


def decode(data, max_side, max_bytes=None):
    """The upload as loaded, upright pixels, refusing anything but a sound JPEG, PNG or WebP of sane size."""
    if not data:
        raise PhotoProblem("empty")
    if max_bytes is not None and len(data) > max_bytes:
        raise PhotoProblem("too_large", f"{len(data)} bytes")
    # Local filters only: Pillow's global limits stay as they are for the rest of the process.
    with warnings.catch_warnings():
        # Pillow warns about broken EXIF and reads on; we drop the metadata anyway, so it is no reason to fail.
        warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=OPENERS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise PhotoProblem("too_many_pixels", str(error)) from error
        except Image.UnidentifiedImageError as error:
            raise PhotoProblem("not_image") from error
        except DECODE_ERRORS as error:
            raise PhotoProblem("damaged", str(error)) from error
        check_header(image)
        if image.format in ("JPEG", "MPO"):
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale while that still leaves max_side pixels.
            image.draft("RGB", fitted_size(image.size, max_side))
        try:
            image.load()
            return ImageOps.exif_transpose(image)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise PhotoProblem("too_many_pixels", str(error)) from error
        except DECODE_ERRORS as error:
            raise PhotoProblem("damaged", str(error)) from error


def check_header(image):
    """Refuse by what the header declares, before any pixel is decoded."""
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoProblem("not_image", image.format)
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise PhotoProblem("too_many_pixels", f"{width}x{height}")
    if min(width, height) < MIN_SIDE:
        raise PhotoProblem("too_small", f"{width}x{height}")


def to_rgb(image):
    """RGB pixels, with any transparency laid on white paper."""
    if not image.has_transparency_data:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def fitted_size(size, side):
    """`size` scaled so its long side is at most `side`, never enlarged."""
    width, height = size
    scale = min(1, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def fit(image, side):
    size = fitted_size(image.size, side)
    return image if size == image.size else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


@dataclass(frozen=True)
class Measures:
    """What a photo is judged on, all taken on a small grey copy."""

    brightness: float  # mean grey level, 0-255
    black: float  # grey level of the darkest 2 %
    sharpness: float  # variance of the Laplacian once the contrast is stretched


def measure(image):
    """Exposure and focus of a photo, so that a dim photo is judged on its focus, not its dimness."""
    grey = fit(image.convert("L"), MEASURE_SIDE)
    histogram = grey.histogram()
    # The Laplacian falls with contrast (half the light, a quarter of the variance), so the grey levels are
    # stretched to the full range first: a sharp but dim photo then measures as sharp as a well-lit one.
    low, high = percentile(histogram, STRETCH_CUTOFF), percentile(histogram, 1 - STRETCH_CUTOFF)
    gain = min(255 / max(high - low, 1), MAX_STRETCH)
    stretched = grey.point(lambda v: (v - low) * gain)
    # The median filter keeps edges but removes sensor and JPEG noise, which would otherwise count as detail.
    edges = stretched.filter(ImageFilter.MedianFilter(3)).filter(LAPLACIAN)
    return Measures(ImageStat.Stat(grey).mean[0], percentile(histogram, 0.02), ImageStat.Stat(edges).var[0])


def percentile(histogram, fraction):
    """The grey level below which `fraction` of the pixels lie."""
    wanted, seen = fraction * sum(histogram), 0
    for level, count in enumerate(histogram):
        seen += count
        if seen > wanted:
            return level
    return len(histogram) - 1


def judge(measures):
    """Refuse a photo that is too dark, washed out or blurred, naming the first cause that applies."""
    if measures.brightness < MIN_BRIGHTNESS:
        raise PhotoProblem("too_dark", f"brightness {measures.brightness:.0f}")
    if measures.brightness > MAX_BRIGHTNESS or measures.black > MAX_BLACK:
        raise PhotoProblem("too_bright", f"brightness {measures.brightness:.0f}, black {measures.black:.0f}")
    if measures.sharpness < MIN_SHARPNESS:
        raise PhotoProblem("blurred", f"sharpness {measures.sharpness:.0f}")


def encode(image, quality):
    """Fresh JPEG bytes with no EXIF, GPS, XMP, ICC profile or comment."""
    # Pillow copies some of image.info (the JPEG comment) into what it saves.
    image.info.clear()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()
