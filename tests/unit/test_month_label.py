"""month_label: a visit month from the browser, shown as 'Jun 2024' or not at all."""

import pytest

from citypulse.state.profiles.views import month_label


def test_a_month_is_worded() -> None:
    assert month_label("2024-06") == "Jun 2024"


@pytest.mark.parametrize(
    "month", ["", None, "2024-13", "2024-00", "2024-6", "2024-²²", "2024-a\x00"]
)
def test_anything_else_shows_nothing(month: str | None) -> None:
    assert month_label(month) == ""
