"""Application reference numbers: short, read aloud without confusion, and not guessable in sequence."""

import secrets

# Crockford's base32: no I, L, O or U, so nothing is mistaken for 1, 0 or V when read out or typed.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference():
    """A random reference like PK-7G4M-2QXA (40 random bits: collisions are rare and retried)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"PK-{chars[:4]}-{chars[4:]}"


def normalise(text):
    """Read a typed reference the Crockford way: case-insensitive, O->0, I/L->1, dashes and spaces optional."""
    cleaned = (text or "").upper().translate(str.maketrans("OIL", "011")).replace("-", "").replace(" ", "")
    if cleaned.startswith("PK"):
        cleaned = cleaned[2:]
    if len(cleaned) != 8 or any(ch not in ALPHABET for ch in cleaned):
        return None
    return f"PK-{cleaned[:4]}-{cleaned[4:]}"
