"""parse_id: the one parser of ids from routes, query strings and clients."""

import pytest

from citypulse.params import INT32_MAX, parse_id, parse_text


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", 1), ("42", 42), (7, 7), (str(INT32_MAX), INT32_MAX)]
)
def test_accepts_ids_in_range(raw: object, expected: int) -> None:
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "0",
        "-1",
        "+1",
        " 1",
        "1 ",
        "²",
        "٣",
        "1\x00",
        "1e3",
        "0x10",
        "2147483648",
        "99999999999999999999",
        None,
        True,
        0,
        -5,
        INT32_MAX + 1,
        "abc",
    ],
)
def test_refuses_anything_else(raw: object) -> None:
    assert parse_id(raw) is None


def test_custom_maximum() -> None:
    assert parse_id("300", maximum=255) is None
    assert parse_id("255", maximum=255) == 255


@pytest.mark.parametrize("raw", ["Toronto", "São Paulo", "", "x" * 100, "١٢ ²"])
def test_text_within_the_limit_is_kept(raw: str) -> None:
    assert parse_text(raw, max_length=100) == raw


@pytest.mark.parametrize(
    "raw", ["To\x00ronto", "a\nb", "tab\there", "\x7f", "x" * 101, None, 5, ["a"]]
)
def test_text_with_control_characters_over_long_or_not_text_is_refused(raw: object) -> None:
    assert parse_text(raw, max_length=100) is None
