"""Password rules and hashing (DESIGN.md 5: 8 to 128 characters, no composition rules, argon2id)."""

import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn.matching import RANKED_DICTIONARIES

MIN_LENGTH = 8
MAX_LENGTH = 128
# zxcvbn's list of the 30,000 most used passwords from public breaches, plus local favourites it lacks.
LOCAL_COMMON = {"prakerja", "kartuprakerja", "indonesia", "bismillah", "rahasia123", "katasandi"}


def is_common(password):
    """True for a password found in the common-password lists, ignoring case and trailing digits."""
    lowered = password.lower()
    stem = lowered.rstrip("0123456789!.")
    common = RANKED_DICTIONARIES["passwords"]
    return any(word in common or word in LOCAL_COMMON for word in {lowered, stem} if word)


def hasher():
    """An argon2id hasher with the configured cost."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password):
    return hasher().hash(password)


def check_password(password_hash, password):
    """True when the password matches the hash."""
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    return hasher().check_needs_rehash(password_hash)


def fingerprint(password_hash):
    """A short digest of the hash, so a reset link dies once the password changes."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]
