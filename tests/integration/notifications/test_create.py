"""notify(): who receives a notification, what it says, which email it queues (§4.11, §4.12)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from citypulse.email.unsubscribe import UNSUBSCRIBE_PATH, read_unsubscribe_token
from citypulse.models import Block, EmailOutbox, User
from citypulse.models.enums import AccountStatus, NotificationType
from citypulse.services.accounts.email_preferences import email_unsubscribe
from citypulse.services.notifications.create import MESSAGE_LENGTH, TITLE_LENGTH, notify
from citypulse.services.notifications.events import NotificationCreated
from citypulse.services.notifications.types import EMAIL_CATEGORY, TYPE_GROUP, TypeGroup
from tests.integration.interactions.support import act, viewer
from tests.integration.notifications.conftest import People
from tests.integration.notifications.support import rows_of, set_preference
from tests.integration.support import NOW, outbox
from tests.support.factories import create_user

UNSUBSCRIBE = re.compile(re.escape(UNSUBSCRIBE_PATH) + r"\?token=([A-Za-z0-9_.\-]+)")


def buddy_request(session: Session, recipient: User, actor: User | None, **extra: object):
    """notify() as the buddy service calls it, as one committed action: (id, events)."""
    return act(
        session,
        notify,
        recipient_id=recipient.id,
        type=extra.pop("type", NotificationType.buddy_request),
        actor=viewer(actor) if actor is not None else None,
        title=extra.pop("title", f"{actor.full_name if actor else 'Someone'} sent a request"),
        message=extra.pop("message", "Bob Silva (@n_bob) wants to be your buddy."),
        action_url=extra.pop("action_url", "/buddies?tab=requests"),
        now=NOW,
        **extra,
    )


def test_a_notification_is_stored_as_given_and_announced_after_commit(
    session: Session, people: People
) -> None:
    created, events = buddy_request(
        session, people.alice, people.bob, target_type="user", target_id=people.bob.id
    )

    [row] = rows_of(session, people.alice)
    assert row.id == created
    assert (row.type, row.actor_id, row.target_type, row.target_id) == (
        "buddy_request", people.bob.id, "user", people.bob.id,
    )  # fmt: skip
    assert (row.title, row.message, row.action_url) == (
        "Bob Silva sent a request",
        "Bob Silva (@n_bob) wants to be your buddy.",
        "/buddies?tab=requests",
    )
    assert (row.is_read, row.read_at, row.created_at) == (False, None, NOW)
    assert events == [NotificationCreated(people.alice.id, created)]


def test_never_to_yourself(session: Session, people: People) -> None:
    created, events = buddy_request(session, people.alice, people.alice)

    assert (created, events, rows_of(session, people.alice)) == (None, [], [])
    assert outbox(session) == []


@pytest.mark.parametrize("blocker", ["recipient", "actor"])
def test_never_across_a_block_either_way(session: Session, people: People, blocker: str) -> None:
    alice, bob = people.alice, people.bob
    pair = (alice, bob) if blocker == "recipient" else (bob, alice)
    session.add(Block(blocker_id=pair[0].id, blocked_id=pair[1].id))

    created, events = buddy_request(session, alice, bob)

    assert (created, events, rows_of(session, alice), outbox(session)) == (None, [], [], [])
    # A block between two other people changes nothing for alice.
    assert buddy_request(session, alice, people.carol)[0] is not None


@pytest.mark.parametrize(
    ("status", "verified"),
    [
        (AccountStatus.active, False),
        (AccountStatus.suspended, True),
        (AccountStatus.banned, True),
        (AccountStatus.deactivated, True),
    ],
)
def test_never_to_an_account_that_is_not_an_active_user(
    session: Session, people: People, status: AccountStatus, verified: bool
) -> None:
    eve = create_user(session, username="n_eve", status=status, verified=verified)

    created, events = buddy_request(session, eve, people.bob)

    assert (created, events, rows_of(session, eve), outbox(session)) == (None, [], [], [])


@pytest.mark.parametrize(
    ("status", "receives"),
    [
        (AccountStatus.suspended, True),
        (AccountStatus.banned, True),
        (AccountStatus.deactivated, False),
    ],
)
def test_restricted_accounts_still_hear_from_moderation(
    session: Session, status: AccountStatus, receives: bool
) -> None:
    """A restricted session keeps /notifications (§4.13.8); a deactivated one hears nothing."""
    eve = create_user(session, username="n_eve", status=status)

    created, _ = buddy_request(
        session, eve, None, type=NotificationType.account_suspended,
        title="Your account is suspended", message="Suspended until 17 March 2025 at 12:00 UTC.",
        action_url="/settings",
    )  # fmt: skip

    assert (created is not None) == receives
    assert len(rows_of(session, eve)) == int(receives)
    # The moderation email is transactional: sent to a suspended or banned address.
    assert [mail.category for mail in outbox(session)] == (["moderation"] if receives else [])


def test_moderation_notices_name_no_moderator_and_pass_a_block(
    session: Session, people: People
) -> None:
    """A user who blocked the moderator still learns their content was removed."""
    mod = create_user(session, username="n_mod", role="moderator")
    session.add(Block(blocker_id=people.alice.id, blocked_id=mod.id))

    created, _ = buddy_request(
        session, people.alice, mod, type=NotificationType.content_removed, action_url="/settings"
    )

    [row] = rows_of(session, people.alice)
    assert (row.id, row.actor_id) == (created, None)


def test_system_notices_reach_restricted_accounts_without_email(session: Session) -> None:
    eve = create_user(session, username="n_eve", status=AccountStatus.suspended)

    created, _ = buddy_request(session, eve, None, type=NotificationType.system, action_url=None)

    assert created is not None and outbox(session) == []


def test_long_text_is_clipped_to_the_columns(session: Session, people: People) -> None:
    buddy_request(session, people.alice, people.bob, title="T" * 300, message="M" * 1200)

    [row] = rows_of(session, people.alice)
    assert (len(row.title), len(row.message)) == (TITLE_LENGTH, MESSAGE_LENGTH)
    assert row.title.endswith("…") and row.message.endswith("…")


@pytest.mark.parametrize("url", ["https://evil.example/x", "//evil.example/x", "buddies"])
def test_a_link_off_the_site_is_a_caller_bug(session: Session, people: People, url: str) -> None:
    with pytest.raises(ValueError, match="site-relative"):
        buddy_request(session, people.alice, people.bob, action_url=url)
    assert rows_of(session, people.alice) == []


def test_half_a_target_is_a_caller_bug(session: Session, people: People) -> None:
    with pytest.raises(ValueError, match="together"):
        buddy_request(session, people.alice, people.bob, target_type="user")


def test_every_type_has_a_group_and_an_email_rule() -> None:
    assert set(TYPE_GROUP) == set(NotificationType) == set(EMAIL_CATEGORY)
    assert {TYPE_GROUP[kind] for kind in NotificationType} == set(TypeGroup)


# --- Email (§4.12) ------------------------------------------------------------------


def unsubscribe_token(mail: EmailOutbox) -> str:
    """The one-click unsubscribe token, the same in the text and the HTML part."""
    match = UNSUBSCRIBE.search(mail.text)
    assert match, mail.text
    assert match.group(0) in mail.html
    return match.group(1)


@pytest.mark.parametrize("kind", [NotificationType.buddy_request, NotificationType.buddy_accepted])
def test_buddy_mail_follows_the_buddy_requests_preference(
    session: Session, people: People, kind: NotificationType
) -> None:
    alice = people.alice
    buddy_request(session, alice, people.bob, type=kind)

    [mail] = outbox(session)
    assert (mail.to_address, mail.category, mail.user_id) == (
        alice.email,
        "buddy_requests",
        alice.id,
    )
    assert "Bob Silva sent a request" in mail.subject
    assert "Bob Silva (@n_bob) wants to be your buddy." in mail.text
    assert "/buddies?tab=requests" in mail.text and "/settings" in mail.text
    # The signed one-click unsubscribe turns exactly this category off.
    token = unsubscribe_token(mail)
    assert read_unsubscribe_token(token) == (alice.id, "buddy_requests")
    act(session, email_unsubscribe, token=token)

    buddy_request(session, alice, people.carol, type=kind)

    assert len(outbox(session)) == 1  # no second mail...
    assert len(rows_of(session, alice)) == 2  # ...but the notification is there


@pytest.mark.parametrize(
    ("kind", "category"),
    [
        (NotificationType.trip_invite, "trips"),
        (NotificationType.trip_join_request, "trips"),
        (NotificationType.trip_removed, "trips"),
        (NotificationType.achievement_unlocked, "achievements"),
    ],
)
def test_trip_and_achievement_mail_follow_their_preference(
    session: Session, people: People, kind: NotificationType, category: str
) -> None:
    actor = None if kind == NotificationType.achievement_unlocked else people.bob
    buddy_request(session, people.alice, actor, type=kind, action_url="/trips")
    set_preference(session, people.dave, category, False)
    buddy_request(session, people.dave, actor, type=kind, action_url="/trips")

    [mail] = outbox(session)
    assert (mail.to_address, mail.category) == (people.alice.email, category)
    assert read_unsubscribe_token(unsubscribe_token(mail)) == (people.alice.id, category)
    assert len(rows_of(session, people.dave)) == 1


@pytest.mark.parametrize(
    "kind",
    [
        NotificationType.buddy_declined,
        NotificationType.trip_comment,
        NotificationType.report_update,
        NotificationType.recommendation_like,  # daily summary instead (test_summaries.py)
        NotificationType.recommendation_rating,
    ],
)
def test_types_without_mail_queue_none(
    session: Session, people: People, kind: NotificationType
) -> None:
    assert buddy_request(session, people.alice, people.bob, type=kind)[0] is not None
    assert outbox(session) == []


def test_a_declined_trip_invite_mails_nothing(session: Session, people: People) -> None:
    """trip_invite_response: "trips (acceptances only)" — the caller passes email=False."""
    kind = NotificationType.trip_invite_response
    buddy_request(session, people.alice, people.bob, type=kind, action_url="/trips/1", email=False)
    assert outbox(session) == []
    buddy_request(session, people.alice, people.carol, type=kind, action_url="/trips/1")
    assert [mail.category for mail in outbox(session)] == ["trips"]


def test_moderation_mail_ignores_every_preference(session: Session, people: People) -> None:
    for category in ("buddy_requests", "recommendations", "trips", "achievements"):
        set_preference(session, people.alice, category, False)

    buddy_request(
        session, people.alice, None, type=NotificationType.warning_issued,
        title="You received a warning", message="Severity: medium. No further action.",
        action_url="/settings",
    )  # fmt: skip

    [mail] = outbox(session)
    assert (mail.category, mail.to_address) == ("moderation", people.alice.email)
    assert "Severity: medium. No further action." in mail.text
    assert UNSUBSCRIBE_PATH not in mail.text  # transactional: no unsubscribe


def test_a_moderation_notice_to_an_unverified_address_sends_no_mail(session: Session) -> None:
    """§4.12: an unverified address receives only verification email (it gets no notice:
    an unverified account is not an active user)."""
    eve = create_user(session, username="n_eve", verified=False)
    buddy_request(session, eve, None, type=NotificationType.content_removed, action_url="/settings")
    assert outbox(session) == []


def test_the_mail_is_part_of_the_action(session: Session, people: People) -> None:
    """Queued in the action's transaction: a rolled-back action leaves neither row nor mail."""
    session.commit()
    with pytest.raises(RuntimeError), session.begin_nested():
        notify(
            session, recipient_id=people.alice.id, type=NotificationType.buddy_request,
            actor=viewer(people.bob), title="t", message="m", now=NOW,
        )  # fmt: skip
        assert len(outbox(session)) == 1
        raise RuntimeError("the buddy request failed later")
    assert (rows_of(session, people.alice), outbox(session)) == ([], [])
