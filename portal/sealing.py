"""Sealing small secrets kept at rest (queued message texts, second-factor secrets) with keys from SECRET_KEY.

Each purpose gets its own key (HKDF), so a value sealed for one purpose cannot be opened as another. Keys
in SECRET_KEY_FALLBACKS still open old values, so the secret key can be rotated without losing them.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

__all__ = ["InvalidToken", "open_sealed", "seal", "sealer"]


def _fernet(secret, purpose):
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"portal:{purpose}".encode()).derive(
        secret.encode() if isinstance(secret, str) else secret
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _box(purpose):
    config = current_app.config
    secrets = [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or [])]
    return MultiFernet([_fernet(secret, purpose) for secret in secrets])


def seal(purpose, text):
    """The text encrypted and authenticated for one purpose, as ASCII."""
    return _box(purpose).encrypt(text.encode("utf-8")).decode("ascii")


def sealer(purpose):
    """seal() for many texts of one purpose: the keys are derived once."""
    box = _box(purpose)
    return lambda text: box.encrypt(text.encode("utf-8")).decode("ascii")


def open_sealed(purpose, token):
    """The text a sealed token holds; InvalidToken if it was altered or sealed for another purpose or key."""
    return _box(purpose).decrypt(token.encode("ascii")).decode("utf-8")
