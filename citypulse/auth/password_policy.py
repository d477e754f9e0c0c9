"""Password rules of PRODUCT.md §5.1 and the sign-up strength meter (§2.1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MIN_LENGTH, MAX_LENGTH = 8, 128
SPECIAL_CHARACTERS = '!@#$%^&*(),.?":{}|<>-_=+[]~'
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")

# The five rules the strength meter counts, in the order the sign-up page lists them.
STRENGTH_RULES = [
    ("length", "8–128 characters", lambda p: MIN_LENGTH <= len(p) <= MAX_LENGTH),
    ("lower", "A lowercase letter", lambda p: re.search(r"[a-z]", p) is not None),
    ("upper", "An uppercase letter", lambda p: re.search(r"[A-Z]", p) is not None),
    ("digit", "A digit", lambda p: re.search(r"\d", p) is not None),
    ("special", "A special character", lambda p: any(c in SPECIAL_CHARACTERS for c in p)),
]


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of at least 10,000 common passwords (lowercase)."""
    lines = COMMON_PASSWORDS_FILE.read_text().splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


# Digits and symbols people tack on to satisfy the character rules ("Password1!").
_DECORATION = re.compile(r"[\d\W_]+$")
MIN_COMMON_STEM = 4


def is_common(lowered: str) -> bool:
    """True for a listed password, also once trailing digits and symbols are stripped.

    The list's entries rarely contain all four character classes, so comparing only the
    whole password would let "Password1!" through; its stem "password" is refused.
    """
    passwords = common_passwords()
    stripped = _DECORATION.sub("", lowered)
    return lowered in passwords or (len(stripped) >= MIN_COMMON_STEM and stripped in passwords)


@dataclass(frozen=True)
class Strength:
    """The meter's reading: how many of the 5 rules hold and its label."""

    percent: int
    label: str


def password_strength(password: str) -> Strength:
    """Weak below 40 %, Fair below 60 %, Good below 80 %, otherwise Strong."""
    percent = 20 * sum(1 for _, _, rule in STRENGTH_RULES if rule(password))
    if percent < 40:
        return Strength(percent, "Weak")
    if percent < 60:
        return Strength(percent, "Fair")
    if percent < 80:
        return Strength(percent, "Good")
    return Strength(percent, "Strong")


def password_problem(password: str, *, username: str = "", email: str = "") -> str | None:
    """The first reason `password` is refused, or None when it is acceptable."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return f"Password must be {MIN_LENGTH}–{MAX_LENGTH} characters"
    for _, description, rule in STRENGTH_RULES[1:]:
        if not rule(password):
            return (
                "Password needs a lowercase letter, an uppercase letter, a digit and a "
                f"special character ({description.lower()} is missing)"
            )
    lowered = password.lower()
    if username and username.lower() in lowered:
        return "Password must not contain your username"
    local_part = email.split("@", 1)[0].lower()
    if local_part and len(local_part) >= 3 and local_part in lowered:
        return "Password must not contain your email address"
    if is_common(lowered):
        return "This password is too common; choose another"
    return None
