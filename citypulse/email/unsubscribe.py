"""One-click unsubscribe tokens (PRODUCT.md §5.3: signed per user and category).

The token is an HS256 JWT signed with JWT_SECRET. It has no expiry on purpose: an old
newsletter's unsubscribe link must keep working, and all it can do is turn one email
category off for one user. `typ="unsubscribe"` keeps it from ever passing as another
token kind signed with the same secret (access-token checks must require typ="access").
"""

from __future__ import annotations

import jwt

from citypulse.email.layout import absolute_url
from citypulse.email.messages import PREFERENCE_CATEGORIES
from citypulse.settings import get_settings

TOKEN_TYPE = "unsubscribe"  # the JWT "typ" claim
UNSUBSCRIBE_PATH = "/email/unsubscribe"  # the Starlette route of PRODUCT.md §2.4
_ALGORITHM = "HS256"


class InvalidUnsubscribeToken(ValueError):
    """The token is malformed, forged, of another type, or names no preference category."""


def _check_category(category: str) -> None:
    # Transactional mail (verification, moderation...) cannot be unsubscribed from.
    if category not in PREFERENCE_CATEGORIES:
        raise InvalidUnsubscribeToken(f"Not a preference email category: {category!r}")


def unsubscribe_token(user_id: int, category: str) -> str:
    """Sign a token that unsubscribes `user_id` from `category`.

    Args:
        user_id: The recipient's user id.
        category: One of PREFERENCE_CATEGORIES.

    Raises:
        InvalidUnsubscribeToken: If `category` is not a preference category.
    """
    _check_category(category)
    settings = get_settings()
    # No iat/exp: the same user and category always give the same, permanent token.
    claims = {"sub": str(user_id), "cat": category, "typ": TOKEN_TYPE, "iss": settings.jwt_issuer}
    return jwt.encode(claims, settings.jwt_secret, algorithm=_ALGORITHM)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Verify `token` and return `(user_id, category)`.

    Raises:
        InvalidUnsubscribeToken: On a bad signature, a wrong `typ` or issuer, missing
            claims, or a category that is not preference-controlled.
    """
    settings = get_settings()
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=[_ALGORITHM],
            issuer=settings.jwt_issuer,
            options={"require": ["sub", "cat", "typ", "iss"]},
        )
    except jwt.InvalidTokenError as exc:
        raise InvalidUnsubscribeToken(f"Invalid unsubscribe token: {exc}") from None
    if claims["typ"] != TOKEN_TYPE:
        raise InvalidUnsubscribeToken("Invalid unsubscribe token: wrong token type")
    category = claims["cat"]
    _check_category(category)
    try:
        return int(claims["sub"]), category
    except ValueError:
        raise InvalidUnsubscribeToken("Invalid unsubscribe token: bad subject") from None


def unsubscribe_url(user_id: int, category: str) -> str:
    """The absolute one-click unsubscribe link to put in a preference email.

    Raises:
        InvalidUnsubscribeToken: If `category` is not a preference category.
    """
    return absolute_url(UNSUBSCRIBE_PATH, token=unsubscribe_token(user_id, category))
