"""Photo rules: process an upload, store it, replace the old one; specific messages for each problem."""

from contextlib import suppress

from flask import current_app

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.images import PhotoProblem, process_photo
from portal.models import Photo, db
from portal.services.applications import write
from portal.storage import storage
from portal.units import size_setting

KINDS = ("ktp", "selfie")
PROBLEMS = {
    "empty": _l("Select a photo"),
    "too_large": _l("The photo must be %(size)s or smaller", size=size_setting("UPLOAD_MAX_BYTES")),
    "not_image": _l("The file must be a photo (JPG, PNG or WebP)"),
    "too_many_pixels": _l("The photo is too large to open. Take it again with your phone camera"),
    "damaged": _l("The photo did not arrive whole. Upload it again"),
    "too_small": _l("The photo is too small to read. Take it again closer to the card"),
    "too_dark": _l("The photo is too dark. Take it again in daylight or a bright room"),
    "too_bright": _l("The photo is too bright. Take it again without flash and away from direct light"),
    "blurred": _l("The photo is blurred. Hold the phone still, let it focus, then take it again"),
}
NOT_STORED = _l("The photo could not be saved because of a problem on our side. Try again in a few minutes")


def save_photo(application, actor, kind, data):
    """Check and re-encode an upload, store it, and replace the application's earlier photo of that kind."""
    if application.is_submitted:
        raise DomainError(DomainError.SENT)  # before the work of processing the photo; checked again below
    try:
        processed = process_photo(data, max_bytes=current_app.config["UPLOAD_MAX_BYTES"])
    except PhotoProblem as problem:
        raise DomainError(PROBLEMS[problem.code], field="photo")
    store = storage()
    image_key, thumb_key = store_all(store, processed.image, processed.thumbnail)
    fields = dict(image_key=image_key, thumb_key=thumb_key, width=processed.width, height=processed.height,
                  size_bytes=len(processed.image))
    try:
        with db.atomic():
            write(application)
            # Read once the application is held, so two uploads of one kind replace each other in turn.
            old = Photo.get_or_none(Photo.application == application, Photo.kind == kind)
            if old:
                Photo.update(**fields).where(Photo.id == old.id).execute()
            else:
                Photo.create(application=application, kind=kind, **fields)
                vars(application).pop("photo_count", None)  # counted when loaded: count again when asked
    except Exception:
        store.delete(image_key)
        store.delete(thumb_key)
        raise
    if old:
        store.delete(old.image_key)
        store.delete(old.thumb_key)
    return Photo.get(Photo.application == application, Photo.kind == kind)


def store_all(store, *blobs):
    """Store each blob, or none: a storage fault (full or read-only disk) is logged and explained at the field."""
    keys = []
    try:
        for blob in blobs:
            keys.append(store.save(blob))
    except OSError as error:
        current_app.logger.error("photo storage failed: %s", error)
        for key in keys:
            with suppress(OSError):
                store.delete(key)
        raise DomainError(NOT_STORED, field="photo")
    return keys


def photos_of(application):
    """The application's photos by kind."""
    return {photo.kind: photo for photo in Photo.select().where(Photo.application == application)}
