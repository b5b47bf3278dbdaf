"""Application reference numbers: short, read aloud without confusion, and not guessable in sequence."""

import secrets

# Crockford's base32: no I, L, O or U, so nothing is mistaken for 1, 0 or V when read out or typed.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference():
    """A random reference like PK-7G4M-2QXA (40 random bits: collisions are rare and retried)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"PK-{chars[:4]}-{chars[4:]}"


def normalise_code(text, length):
    """Read a typed code the Crockford way: case-insensitive, O->0, I/L->1, dashes and spaces optional.
    The bare code if it has `length` characters of the alphabet, else None."""
    cleaned = (text or "").upper().translate(str.maketrans("OIL", "011")).replace("-", "").replace(" ", "")
    if len(cleaned) != length or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def normalise(text):
    """A typed reference as "PK-7G4M-2QXA", with or without its "PK" and dashes; None if it is not one."""
    cleaned = (text or "").strip().upper()
    code = normalise_code(cleaned[2:] if cleaned.startswith("PK") else cleaned, 8)
    return f"PK-{code[:4]}-{code[4:]}" if code else None
