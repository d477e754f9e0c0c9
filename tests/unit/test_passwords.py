"""argon2id password hashing."""

from citypulse.auth.passwords import hash_password, verify_password


def test_hash_verifies_only_the_same_password() -> None:
    hashed = hash_password("Tr4vel!Lisbon")
    assert hashed.startswith("$argon2id$")
    assert "Tr4vel!Lisbon" not in hashed
    assert verify_password(hashed, "Tr4vel!Lisbon")
    assert not verify_password(hashed, "tr4vel!lisbon")


def test_missing_or_corrupt_hash_never_verifies() -> None:
    assert not verify_password(None, "anything")
    assert not verify_password("not-a-hash", "anything")
