"""The outbox: atomic enqueue, delivery, retries with backoff, SKIP LOCKED, background runs.

Time is driven through `deliver_pending(now=...)`; nothing sleeps. See conftest.py for
why these tests commit through `session_factory`.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from citypulse.email.messages import EmailMessage, verification_email
from citypulse.email.outbox import (
    MAX_ATTEMPTS,
    DeliveryReport,
    SessionFactory,
    deliver_in_background,
    deliver_pending,
    enqueue,
    retry_delay,
)
from citypulse.email.senders import SendGridSender
from citypulse.models import EmailOutbox, User
from tests.integration.email.conftest import TEST_DOMAIN
from tests.support.fake_sendgrid import FAKE_API_KEY, FakeSendGrid

ANA = f"ana@{TEST_DOMAIN}"


def soon() -> datetime:
    """A moment at which freshly enqueued mail is due."""
    return datetime.now(UTC) + timedelta(seconds=1)


def queue(session_factory: SessionFactory, *messages: EmailMessage) -> list[int]:
    with session_factory() as session:
        return [enqueue(session, message) for message in messages]


def load(session_factory: SessionFactory, row_id: int) -> EmailOutbox:
    with session_factory() as session:
        row = session.get(EmailOutbox, row_id)
        assert row is not None
        return row


@pytest.fixture
def sender(fake_sendgrid: FakeSendGrid) -> SendGridSender:
    return SendGridSender(FAKE_API_KEY, "CityPulse <hello@citypulse.com>", host=fake_sendgrid.url)


class RecordingSender:
    """A sender that records what it was asked to send, then runs `on_send` (if any)."""

    def __init__(self, on_send=None) -> None:
        self.sent: list[str] = []
        self.threads: list[str] = []
        self.on_send = on_send

    def send(self, message: EmailMessage) -> None:
        self.sent.append(message.subject)
        self.threads.append(threading.current_thread().name)
        if self.on_send:
            on_send, self.on_send = self.on_send, None  # once
            on_send()


def test_enqueue_is_part_of_the_callers_transaction(session_factory: SessionFactory) -> None:
    with pytest.raises(RuntimeError), session_factory() as session:
        enqueue(session, verification_email(ANA, "Ana", "t"))
        raise RuntimeError("the user action failed")

    with session_factory() as session:
        assert session.exec(select(EmailOutbox)).all() == []


def test_enqueued_mail_is_delivered_once_and_marked_sent(
    session_factory: SessionFactory, sender: SendGridSender, fake_sendgrid: FakeSendGrid
) -> None:
    message = verification_email(ANA, "Ana", "tok")
    [row_id] = queue(session_factory, message)
    assert load(session_factory, row_id).status == "pending"
    now = soon()

    assert deliver_pending(session_factory, sender, now=now) == DeliveryReport(sent=1)
    assert deliver_pending(session_factory, sender, now=now + timedelta(hours=2)) == (
        DeliveryReport()
    )

    row = load(session_factory, row_id)
    assert (row.status, row.sent_at, row.attempts, row.last_error) == ("sent", now, 0, None)
    [received] = fake_sendgrid.messages_to(ANA)
    assert (received["subject"], received["text"]) == (message.subject, message.text)


def test_failing_sends_back_off_and_give_up_after_eight_attempts(
    session_factory: SessionFactory, sender: SendGridSender, fake_sendgrid: FakeSendGrid
) -> None:
    [row_id] = queue(session_factory, verification_email(ANA, "Ana", "t"))
    fake_sendgrid.fail_next(MAX_ATTEMPTS, status=500)
    now = soon()

    for attempt in range(1, MAX_ATTEMPTS):
        assert deliver_pending(session_factory, sender, now=now) == DeliveryReport(retried=1)
        row = load(session_factory, row_id)
        assert (row.status, row.attempts) == ("pending", attempt)
        assert "HTTP 500" in row.last_error
        assert FAKE_API_KEY not in row.last_error
        assert row.next_attempt_at == now + retry_delay(attempt)
        # Not due a moment before the backoff ends.
        early = row.next_attempt_at - timedelta(seconds=1)
        assert deliver_pending(session_factory, sender, now=early) == DeliveryReport()
        now = row.next_attempt_at

    assert deliver_pending(session_factory, sender, now=now) == DeliveryReport(failed=1)
    row = load(session_factory, row_id)
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert deliver_pending(session_factory, sender, now=now + timedelta(days=1)) == (
        DeliveryReport()
    )
    assert fake_sendgrid.messages == []


def test_backoff_doubles_from_thirty_seconds_up_to_an_hour() -> None:
    delays = [retry_delay(n).total_seconds() for n in range(1, 10)]
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_retry_after_an_outage_delivers(
    session_factory: SessionFactory, sender: SendGridSender, fake_sendgrid: FakeSendGrid
) -> None:
    [row_id] = queue(session_factory, verification_email(ANA, "Ana", "t"))
    fake_sendgrid.fail_next(1, status=503)
    now = soon()

    assert deliver_pending(session_factory, sender, now=now).retried == 1
    assert deliver_pending(session_factory, sender, now=now + retry_delay(1)).sent == 1

    row = load(session_factory, row_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert len(fake_sendgrid.messages_to(ANA)) == 1


def test_a_failed_send_keeps_the_users_action(
    session_factory: SessionFactory, sender: SendGridSender, fake_sendgrid: FakeSendGrid
) -> None:
    with session_factory() as session:  # the user action: sign-up + its email, one transaction
        user = User(username="ana_outbox", email=ANA, full_name="Ana Outbox")
        session.add(user)
        session.flush()
        row_id = enqueue(session, verification_email(ANA, user.full_name, "t"), user_id=user.id)
    fake_sendgrid.fail_next(1)

    assert deliver_pending(session_factory, sender, now=soon()).retried == 1

    with session_factory() as session:
        assert session.exec(select(User).where(User.email == ANA)).one()
    row = load(session_factory, row_id)
    assert (row.status, row.attempts, row.user_id) == ("pending", 1, user.id)


def test_an_unexpected_sender_error_is_retried_not_stuck(session_factory: SessionFactory) -> None:
    class BrokenSender:
        def send(self, message: EmailMessage) -> None:
            raise KeyError("bug")

    [row_id] = queue(session_factory, verification_email(ANA, "Ana", "t"))

    assert deliver_pending(session_factory, BrokenSender(), now=soon()) == DeliveryReport(retried=1)
    assert load(session_factory, row_id).last_error == "Unexpected error: KeyError"


def test_concurrent_passes_never_send_a_row_twice(session_factory: SessionFactory) -> None:
    """Pass B runs while pass A holds its row's lock (mid-send): B must skip that row."""
    messages = [verification_email(f"u{i}@{TEST_DOMAIN}", "U", str(i)) for i in range(3)]
    for message in messages:  # separate transactions: distinct, ordered next_attempt_at
        queue(session_factory, message)
    now = soon()
    reports: dict[str, DeliveryReport] = {}
    sender_b = RecordingSender()

    def run_pass_b() -> None:
        reports["b"] = deliver_pending(session_factory, sender_b, now=now)

    sender_a = RecordingSender(on_send=run_pass_b)
    reports["a"] = deliver_pending(session_factory, sender_a, now=now)

    assert reports == {"a": DeliveryReport(sent=1), "b": DeliveryReport(sent=2)}
    assert sorted(sender_a.sent + sender_b.sent) == sorted(m.subject for m in messages)
    assert len(sender_a.sent + sender_b.sent) == len(messages)


def test_deliver_in_background_sends_within_seconds(
    session_factory: SessionFactory, email_via_fake_sendgrid: FakeSendGrid
) -> None:
    queue(session_factory, verification_email(ANA, "Ana", "t"))

    thread = deliver_in_background(session_factory=session_factory)  # sender from settings

    assert email_via_fake_sendgrid.wait_for_message(ANA, timeout=10)["category"] == "verification"
    if thread is not None:
        thread.join(timeout=10)
