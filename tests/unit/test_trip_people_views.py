"""The trips-people view mappers: labels, dates and card states as the pages show them."""

from datetime import UTC, date, datetime

from citypulse.services.trips.comments import CommentRow
from citypulse.services.trips.companions_page import CompanionRow
from citypulse.services.trips.finder import Highlight, TripCard
from citypulse.state.trips.people_views import (
    comment_view,
    companion_view,
    date_range,
    trip_card_view,
)


def test_date_range() -> None:
    assert date_range(date(2026, 5, 1), date(2026, 5, 5)) == "1 May – 5 May 2026"
    assert date_range(date(2026, 12, 30), date(2027, 1, 2)) == "30 Dec 2026 – 2 Jan 2027"
    assert date_range(None, None) == "No dates yet"


def _row(**changes) -> CompanionRow:
    values = dict(user_id=7, username="dave", full_name="Dave Costa", avatar_url="",
                  role="participant", status="accepted", message="", can_remove=True,
                  can_change_role=True, can_answer=False)  # fmt: skip
    return CompanionRow(**{**values, **changes})


def test_companion_labels() -> None:
    member = companion_view(_row())
    assert (member.role_label, member.status_label, member.remove_label) == (
        "Participant", "", "Remove")  # fmt: skip
    assert (member.next_role, member.role_button) == ("organizer", "Make organizer")
    assert companion_view(_row(role="organizer")).role_button == "Make participant"
    invited = companion_view(_row(status="invited"))
    assert (invited.status_label, invited.remove_label) == ("Invited", "Withdraw invitation")
    assert companion_view(_row(status="requested")).status_label == "Asked to join"


def test_trip_card_states_and_cities() -> None:
    card = TripCard(trip_id=3, title="Lisbon", owner_username="bob", owner_name="Bob Silva",
                    owner_avatar_url="", owner_is_buddy=False, start_date=date(2026, 5, 1),
                    end_date=date(2026, 5, 5), cities=("Lisbon", "Porto"), more_cities=2,
                    companions=1, my_status="", can_request=True, refusal="",
                    highlights=(Highlight(9, "Pastéis"),))  # fmt: skip
    view = trip_card_view(card)
    assert (view.cities, view.companions, view.state) == (
        "Lisbon, Porto +2 more",
        "1 companion",
        "",
    )
    assert view.highlights[0].href == "/recommendations/9" and view.href == "/trips/3"
    for status, state in (
        ("requested", "requested"),
        ("accepted", "joined"),
        ("invited", "invited"),
    ):
        assert trip_card_view(TripCard(**{**card.__dict__, "my_status": status})).state == state


def test_hidden_comment_names_nobody() -> None:
    at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    hidden = comment_view(CommentRow(1, "", "", "", at, False, True, False, False))
    assert hidden.hidden and hidden.href == "" and hidden.body == ""
    shown = comment_view(CommentRow(2, "dave", "Dave", "Hi", at, True, False, True, True))
    assert shown.href == "/profile/dave" and shown.edited and shown.at_iso.startswith("2026-01-02")
