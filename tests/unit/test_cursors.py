"""Keyset pagination helpers (`services.cursors`): one way for every newest-first list."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from citypulse.services.cursors import (
    START,
    decode_cursor,
    encode_cursor,
    keyset_page,
    keyset_position,
)

AT = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def rows(count: int) -> list[SimpleNamespace]:
    """Newest first, as a list query returns them."""
    return [SimpleNamespace(id=100 - i, created_at=AT - timedelta(minutes=i)) for i in range(count)]


def test_a_short_list_is_one_page_without_a_cursor() -> None:
    page = keyset_page(rows(3), 20, item=lambda row: row.id)
    assert page.items == [100, 99, 98] and page.next_cursor is None
    assert keyset_page(rows(20), 20).next_cursor is None  # exactly full: still the end


def test_the_extra_row_means_another_page_starting_after_the_last_shown() -> None:
    fetched = rows(21)  # the query asks for size + 1
    page = keyset_page(fetched, 20)
    assert len(page.items) == 20 and page.items[-1] is fetched[19]
    assert keyset_position(page.next_cursor) == (fetched[19].created_at, fetched[19].id)


def test_a_custom_position_for_lists_keyed_on_other_columns() -> None:
    fetched = [SimpleNamespace(rid=i, at=AT) for i in range(3)]
    page = keyset_page(fetched, 2, position=lambda row: (row.at, row.rid))
    assert decode_cursor(page.next_cursor) == (AT, 1)


@pytest.mark.parametrize(
    "cursor",
    [None, "", "garbage!", encode_cursor(AT, 5)[:-3], "MjAyNS0wMy0xMFQxMjowMDowMHw5",
     "bm90LWEtZGF0ZXwx"],
)  # fmt: skip
def test_no_or_an_invalid_cursor_starts_from_the_top(cursor: str | None) -> None:
    assert keyset_position(cursor) == START
    assert START[0] > datetime.now(UTC) + timedelta(days=365 * 7000)


def test_cursors_round_trip_and_need_a_time_zone() -> None:
    assert decode_cursor(encode_cursor(AT, 42)) == (AT, 42)
    naive = encode_cursor(AT.replace(tzinfo=None), 42)
    assert decode_cursor(naive) is None


@pytest.mark.parametrize("row_id", [1, 12, 123, 1234])  # every length modulo 4 of the text
@pytest.mark.parametrize("suffix", ["!", "!!", " ", "=", "\n"])
def test_only_the_exact_cursor_is_valid(row_id: int, suffix: str) -> None:
    """The decoder skips characters outside the alphabet; the cursor must still round-trip."""
    cursor = encode_cursor(AT, row_id)
    assert decode_cursor(cursor + suffix) is None
    assert decode_cursor(suffix + cursor) is None
    respelled = base64.urlsafe_b64encode(f"{AT.isoformat()}|0{row_id}".encode()).decode()
    assert decode_cursor(respelled.rstrip("=")) is None
