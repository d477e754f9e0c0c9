"""Password hashing with argon2id (PRODUCT.md §5.1). Hashes never leave the server."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's maintained defaults


def hash_password(password: str) -> str:
    """Return an argon2id hash of `password` (slow by design: call off the event loop)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches `password_hash`; False for no hash or a mismatch."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
