"""The photo checks on real photographs (scikit-image's samples) at camera size and at the in-browser size.

A false rejection costs an applicant a retake and another upload on a slow link, so every sharp photo taken
in normal light passes at normal, half and brighter exposure, while truly dark, glare-washed and blurred ones
are refused with the reason that tells them what to change. A table of the measures is printed on each run.
"""

import io
from functools import cache

import pytest
import skimage.data
from PIL import Image, ImageChops, ImageFilter

from portal import images
from portal.images import PhotoProblem, process_photo
from wizard_support import upload, error_for

# (size, JPEG quality): a camera's original sent without JavaScript, and the page script's shrunk copy.
SIZES = {"camera 4000x3000": ((4000, 3000), 92), "browser 1600x1200": ((1600, 1200), 70)}
# Each exposure as a change of the grey levels, and the verdict it must get (None: accepted).
EXPOSURES = {
    "normal": (lambda v: v, None),
    "dim x0.5": (lambda v: v * 0.5, None),
    "bright x1.3": (lambda v: min(255, v * 1.3), None),
    "dark x0.12": (lambda v: v * 0.12, "too_dark"),
    "glare +150": (lambda v: min(255, v + 150), "too_bright"),
}
# Out of focus: a Gaussian blur of 6 px at 1600 px across (text on a card is unreadable), scaled with the size.
BLUR_PER_1600 = 6


def picture(name):
    array = getattr(skimage.data, name)()
    return Image.fromarray(array).convert("RGB")


def desk():
    """Papers, a clock and coins on a table, each at its own resolution: a document photo, as a KTP is."""
    scene = Image.new("RGB", (1024, 768), (110, 95, 80))
    page = picture("page")
    scene.paste(page.resize((page.width * 8 // 5, page.height * 8 // 5), Image.Resampling.LANCZOS), (24, 40))
    scene.paste(picture("text"), (360, 60))
    scene.paste(picture("clock"), (360, 330))
    scene.paste(picture("coins").crop((0, 0, 280, 340)), (700, 380))
    return scene


# Photographs taken in normal light (mean grey 95-175). Left out: the rocket (a dusk sky, already dim), the
# Hubble field (a night sky), and pictures smaller than 512 px, which at camera size are soft by nature.
PHOTOS = {name: (lambda name=name: picture(name)) for name in ("astronaut", "coffee", "chelsea", "camera", "coins")}
PHOTOS["desk"] = desk


@cache
def framed(photo, size):
    """The picture filling a camera frame (scaled to cover it, centre cropped), as a phone would take it."""
    image = PHOTOS[photo]()
    width, height = size
    scale = max(width / image.width, height / image.height)
    image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BICUBIC)
    left, top = (image.width - width) // 2, (image.height - height) // 2
    return image.crop((left, top, left + width, top + height))


@cache
def sensor_noise(size, sigma=4):
    return Image.effect_noise(size, sigma)


def shot(image, quality):
    """What the camera saves: the scene plus a little sensor noise, as a JPEG."""
    noise = sensor_noise(image.size)
    noisy = Image.merge("RGB", [ImageChops.add(band, noise, 1.0, -128) for band in image.split()])
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=quality)
    return out.getvalue()


def verdict(data):
    """None when the photo is accepted, else the reason it is refused (as process_photo judges); and its measures."""
    measures = images.measure(images.fit(images.to_rgb(images.decode(data, 1600)), 1600))
    try:
        images.judge(measures)
    except PhotoProblem as problem:
        return problem.code, measures
    return None, measures


@pytest.mark.parametrize("photo", PHOTOS)
@pytest.mark.parametrize("size_name", SIZES)
def test_real_photos_pass_at_any_fair_exposure_and_bad_ones_get_the_right_reason(size_name, photo, capsys):
    size, quality = SIZES[size_name]
    scene = framed(photo, size)
    cases = {name: (scene.point(change), expected) for name, (change, expected) in EXPOSURES.items()}
    # Blurred at the browser's size and scaled up: the same picture as blurring the big one, in a tenth of the time.
    out_of_focus = framed(photo, (1600, 1200)).filter(ImageFilter.GaussianBlur(BLUR_PER_1600))
    cases["blurred"] = (out_of_focus.resize(size, Image.Resampling.BICUBIC), "blurred")
    wrong, row = [], []
    for name, (image, expected) in cases.items():
        got, m = verdict(shot(image, quality))
        row.append(f"{name} {m.brightness:.0f}/{m.black:.0f}/{m.sharpness:.0f} {got or 'ok'}")
        if got != expected:
            wrong.append(f"{name}: {got or 'accepted'}, expected {expected or 'accepted'} ({m})")
    with capsys.disabled():
        print(f"\n{size_name} {photo} (brightness/black/sharpness): " + " | ".join(row))
    assert not wrong, f"{photo} at {size_name}:\n" + "\n".join(wrong)


def test_a_sharp_but_dim_photo_is_accepted_over_http(applicant):
    dim = framed("astronaut", (1600, 1200)).point(lambda v: v * 0.5)
    assert upload(applicant, "selfie", data=shot(dim, 70)).status_code == 303


def test_a_dark_photo_is_called_too_dark_not_blurred(applicant):
    dark = framed("coffee", (1600, 1200)).point(lambda v: v * 0.12)
    page = upload(applicant, "ktp", data=shot(dark, 70)).get_data(as_text=True)
    assert "too dark" in error_for(page, "ktp-photo") and "blurred" not in page
