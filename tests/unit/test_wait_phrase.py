"""Waiting times read as people say them (issue 15 item 10): "24 hours", not "1438 min"."""

import pytest

from citypulse.services.errors import RateLimited, wait_phrase


@pytest.mark.parametrize(
    ("seconds", "phrase"),
    [
        (0, "1 minute"),
        (59, "1 minute"),
        (61, "2 minutes"),
        (57 * 60, "57 minutes"),
        (119 * 60, "119 minutes"),
        (120 * 60, "2 hours"),
        (1438 * 60, "24 hours"),
        (47 * 3600, "47 hours"),
        (47.5 * 3600, "2 days"),
        (48 * 3600, "2 days"),
        (49 * 3600, "3 days"),
    ],
)
def test_wait_phrase_rounds_up_in_the_largest_natural_unit(seconds: float, phrase: str) -> None:
    assert wait_phrase(seconds) == phrase


def test_rate_limited_says_how_long_in_words() -> None:
    limited = RateLimited(1438 * 60)
    assert limited.message == "Too many requests, try again in 24 hours"
    assert limited.retry_after_minutes == 1438
    assert RateLimited(30, "Slow down").message == "Slow down"
