"""The daily summary of first likes and ratings (§4.12 "recommendations", at most 1 per 24 h)."""

from __future__ import annotations

import html
from datetime import timedelta

from sqlmodel import Session

from citypulse.email.unsubscribe import read_unsubscribe_token
from citypulse.models import Block, User
from citypulse.models.enums import AccountStatus, NotificationType
from citypulse.services.interactions.likes_saves import like_toggle
from citypulse.services.interactions.ratings import rating_upsert
from citypulse.services.notifications.summaries import LISTED, LOOKBACK, daily_summaries_send
from tests.integration.interactions.support import act, viewer
from tests.integration.notifications.conftest import People
from tests.integration.notifications.support import set_preference, stored
from tests.integration.notifications.test_create import unsubscribe_token
from tests.integration.support import NOW, outbox, run_action
from tests.support.factories import create_recommendation

HOUR = timedelta(hours=1)
LIKE, RATING = NotificationType.recommendation_like, NotificationType.recommendation_rating


def event(session: Session, recipient: User, actor: User, kind: NotificationType, at, text: str):
    """A first-like or first-rating notification as notify() stored it at `at`."""
    return stored(
        session, recipient, at=at, type_=kind, actor=actor, message=text,
        action_url="/recommendations/1",
    )  # fmt: skip


def send(session: Session, at) -> int:
    return run_action(session, daily_summaries_send, now=at)


def test_one_mail_lists_the_first_likes_and_ratings(session: Session, people: People) -> None:
    alice = people.alice
    event(session, alice, people.bob, LIKE, NOW - 3 * HOUR, "Bob Silva (@n_bob) liked “Tarts”.")
    event(session, alice, people.carol, RATING, NOW - 2 * HOUR,
          "Carol Reis (@n_carol) rated “Tarts” 4/5.")  # fmt: skip
    event(session, alice, people.dave, LIKE, NOW - HOUR, "Dave Costa (@n_dave) liked “Tarts”.")
    # Other types are not summarised, and not someone else's.
    stored(session, alice, at=NOW - HOUR, type_=NotificationType.buddy_declined)

    assert send(session, NOW) == 1

    [mail] = outbox(session)
    assert (mail.to_address, mail.category, mail.user_id) == (
        alice.email,
        "recommendations",
        alice.id,
    )
    assert mail.subject == "Your recommendations got 2 new likes and 1 new rating"
    lines = mail.text.splitlines()
    for text in (
        "Bob Silva (@n_bob) liked “Tarts”.",
        "Carol Reis (@n_carol) rated “Tarts” 4/5.",
        "Dave Costa (@n_dave) liked “Tarts”.",
    ):
        assert text in lines
        assert html.escape(text) in mail.html
    assert "/notifications" in mail.text and "/settings" in mail.text
    assert read_unsubscribe_token(unsubscribe_token(mail)) == (alice.id, "recommendations")


def test_at_most_one_summary_per_24_hours(session: Session, people: People) -> None:
    alice = people.alice
    event(session, alice, people.bob, LIKE, NOW - HOUR, "Bob Silva liked “Tarts”.")
    assert send(session, NOW) == 1
    assert send(session, NOW) == 0  # nothing new

    event(session, alice, people.carol, LIKE, NOW + HOUR, "Carol Reis liked “Tarts”.")
    assert send(session, NOW + 2 * HOUR) == 0  # new, but the last summary is 2 h old
    assert send(session, NOW + 24 * HOUR - timedelta(seconds=1)) == 0
    assert send(session, NOW + 24 * HOUR) == 1

    first, second = outbox(session)
    assert "Bob Silva liked “Tarts”." in first.text
    assert "Carol Reis liked “Tarts”." in second.text
    assert "Bob Silva" not in second.text  # each like is summarised once
    assert second.subject == "Your recommendations got 1 new like"


def test_nothing_to_summarise_sends_nothing(session: Session, people: People) -> None:
    stored(session, people.alice, at=NOW - HOUR, type_=NotificationType.buddy_request)
    assert send(session, NOW) == 0
    assert outbox(session) == []


def test_each_author_gets_their_own_summary(session: Session, people: People) -> None:
    event(session, people.alice, people.bob, RATING, NOW - HOUR, "Bob rated Alice’s 5/5.")
    event(session, people.dave, people.bob, LIKE, NOW - HOUR, "Bob liked Dave’s.")

    assert send(session, NOW) == 2

    by_address = {mail.to_address: mail for mail in outbox(session)}
    assert "Bob rated Alice’s 5/5." in by_address[people.alice.email].text
    assert "Bob liked Dave’s." not in by_address[people.alice.email].text
    assert by_address[people.dave.email].subject == "Your recommendations got 1 new like"


def test_preference_off_sends_nothing_and_never_a_backlog(session: Session, people: People) -> None:
    alice = people.alice
    set_preference(session, alice, "recommendations", False)
    event(session, alice, people.bob, LIKE, NOW - HOUR, "Bob Silva liked “Tarts”.")
    assert send(session, NOW) == 0

    set_preference(session, alice, "recommendations", True)
    assert send(session, NOW + 25 * HOUR) == 0  # the old like was already "summarised"
    event(session, alice, people.carol, LIKE, NOW + 26 * HOUR, "Carol Reis liked “Tarts”.")
    assert send(session, NOW + 27 * HOUR) == 1
    [mail] = outbox(session)
    assert "Carol Reis" in mail.text and "Bob Silva" not in mail.text


def test_a_deactivated_author_gets_no_summary(session: Session, people: People) -> None:
    alice = people.alice
    event(session, alice, people.bob, LIKE, NOW - HOUR, "Bob Silva liked “Tarts”.")
    alice.account_status = AccountStatus.deactivated
    session.add(alice)

    assert send(session, NOW) == 0
    assert outbox(session) == []


def test_an_unverified_address_gets_no_summary(session: Session, people: People) -> None:
    alice = people.alice
    event(session, alice, people.bob, LIKE, NOW - HOUR, "Bob Silva liked “Tarts”.")
    alice.email_verified_at = None
    session.add(alice)

    assert send(session, NOW) == 0


def test_likes_from_someone_blocked_since_are_left_out(session: Session, people: People) -> None:
    alice = people.alice
    event(session, alice, people.bob, LIKE, NOW - HOUR, "Bob Silva liked “Tarts”.")
    event(session, alice, people.dave, LIKE, NOW - HOUR, "Dave Costa liked “Tarts”.")
    session.add(Block(blocker_id=people.bob.id, blocked_id=alice.id))

    assert send(session, NOW) == 1
    [mail] = outbox(session)
    assert "Dave Costa" in mail.text and "Bob Silva" not in mail.text


def test_a_first_summary_looks_back_a_week_at_most(session: Session, people: People) -> None:
    event(session, people.alice, people.bob, LIKE, NOW - LOOKBACK, "Bob Silva liked “Old”.")
    assert send(session, NOW) == 0
    event(session, people.alice, people.bob, LIKE, NOW - LOOKBACK + HOUR, "Bob liked “New”.")
    assert send(session, NOW) == 1
    assert "Old" not in outbox(session)[0].text


def test_a_long_summary_lists_twenty_and_counts_the_rest(session: Session, people: People) -> None:
    for i in range(LISTED + 3):
        event(session, people.alice, people.bob, LIKE, NOW - HOUR, f"Like number {i}.")

    assert send(session, NOW) == 1

    [mail] = outbox(session)
    assert "Like number 19." in mail.text and "Like number 20." not in mail.text
    assert "…and 3 more." in mail.text
    assert mail.subject == f"Your recommendations got {LISTED + 3} new likes"


def test_real_likes_and_ratings_mail_nothing_at_once_then_one_summary(
    session: Session, people: People
) -> None:
    rec = create_recommendation(session, author=people.alice, title="Pastéis at dawn")
    act(session, like_toggle, actor=viewer(people.bob), recommendation_id=rec.id, now=NOW)
    act(session, rating_upsert, actor=viewer(people.carol), recommendation_id=rec.id,
        rating=4, review="", now=NOW)  # fmt: skip
    assert outbox(session) == []  # no mail per event

    assert send(session, NOW + HOUR) == 1
    [mail] = outbox(session)
    assert "Bob Silva (@n_bob) liked “Pastéis at dawn”." in mail.text
    assert "Carol Reis (@n_carol) rated “Pastéis at dawn” 4/5." in mail.text
