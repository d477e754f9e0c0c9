"""Password reset by emailed code (PRODUCT.md §4.1 item 8, §5.2, §5.3).

Refusals raise and the real unit of work then rolls back, so every step runs through
`run_action`: wrong codes must stay counted all the same.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from citypulse.auth.passwords import verify_password
from citypulse.auth.sessions import active_session, session_start
from citypulse.auth.tokens import new_token
from citypulse.models import AuthSession, PasswordReset, User
from citypulse.models.enums import AccountStatus, RevokeReason
from citypulse.services.accounts.login import LoginRefused, account_login
from citypulse.services.accounts.password_reset import (
    CODE_INVALID,
    GRANT_INVALID,
    REQUEST_REPLY,
    CodeVoid,
    password_reset_complete,
    password_reset_request,
    password_reset_verify,
)
from citypulse.services.errors import RateLimited, ValidationFailed
from tests.integration.support import NOW, count, outbox, reset_code, run_action
from tests.support.factories import DEFAULT_PASSWORD, create_user

IP = "203.0.113.7"
EMAIL = "nora@example.com"
NEW_PASSWORD = "Porto!Ribeira42"


@pytest.fixture
def nora(session: Session) -> User:
    return create_user(session, username="nora", email=EMAIL)


def request(session: Session, email: str = EMAIL, *, now=NOW, ip: str = IP) -> str:
    return run_action(session, password_reset_request, email=email, ip=ip, now=now)


def verify(session: Session, code: str, *, email: str = EMAIL, now=NOW) -> str:
    return run_action(session, password_reset_verify, email=email, code=code, now=now)


def complete(session: Session, grant: str, *, password: str = NEW_PASSWORD, now=NOW) -> None:
    run_action(
        session,
        password_reset_complete,
        grant=grant,
        password=password,
        confirm_password=password,
        now=now,
    )


def latest_code(session: Session, email: str = EMAIL) -> str:
    return reset_code(outbox(session, to=email)[-1])


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def refused_code(session: Session, code: str, **kwargs) -> None:
    """The code is refused and the request is void: only a new one helps."""
    with pytest.raises(CodeVoid) as refused:
        verify(session, code, **kwargs)
    assert refused.value.field_errors == {"code": CODE_INVALID}
    assert CODE_INVALID == "Code expired or invalid — request a new one"


def wrong_code(session: Session, code: str, *, tries_left: int, **kwargs) -> None:
    """The code is refused while the request stands; the message counts the tries left."""
    with pytest.raises(ValidationFailed) as refused:
        verify(session, code, **kwargs)
    assert not isinstance(refused.value, CodeVoid)
    tries = "1 try" if tries_left == 1 else f"{tries_left} tries"
    assert refused.value.field_errors == {"code": f"That code is not right — {tries} left"}
    assert "request a new one" not in refused.value.message


def refused_grant(session: Session, grant: str, **kwargs) -> None:
    with pytest.raises(ValidationFailed) as refused:
        complete(session, grant, **kwargs)
    assert refused.value.field_errors == {"password": GRANT_INVALID}


def open_reset(session: Session, user: User) -> PasswordReset | None:
    session.expire_all()
    return session.exec(
        select(PasswordReset).where(
            PasswordReset.user_id == user.id, col(PasswordReset.used_at).is_(None)
        )
    ).first()


def password_is(session: Session, user: User, password: str) -> bool:
    session.expire_all()
    return verify_password(session.get(User, user.id).password_hash, password)


# --- request -------------------------------------------------------------------------


def test_unknown_email_gets_the_generic_reply_and_no_email(session: Session) -> None:
    assert request(session, "nobody@example.com") == REQUEST_REPLY
    assert outbox(session) == []
    assert count(session, PasswordReset) == 0


def test_a_real_account_gets_the_same_reply_and_a_6_digit_code(
    session: Session, nora: User
) -> None:
    assert request(session, " Nora@Example.com ") == REQUEST_REPLY

    [mail] = outbox(session)
    assert (mail.to_address, mail.category) == (EMAIL, "reset_code")
    assert mail.subject == "Your CityPulse password reset code"
    code = reset_code(mail)
    assert code in mail.html
    assert "valid for 15 minutes" in mail.text
    reset = open_reset(session, nora)
    assert reset.expires_at == NOW + timedelta(minutes=15)
    assert code not in reset.code_hash  # stored hashed
    assert reset.failed_attempts == 0


@pytest.mark.parametrize(
    ("status", "deletion_due_in", "gets_code"),
    [
        (AccountStatus.deactivated, timedelta(days=10), True),
        (AccountStatus.deactivated, timedelta(days=-1), False),
        (AccountStatus.suspended, None, False),
        (AccountStatus.banned, None, False),
    ],
    ids=["deactivated-10-days-left", "deactivated-past-deadline", "suspended", "banned"],
)
def test_who_may_reset(
    session: Session, nora: User, status, deletion_due_in, gets_code: bool
) -> None:
    nora.account_status = status
    nora.deletion_due_at = NOW + deletion_due_in if deletion_due_in else None

    assert request(session) == REQUEST_REPLY

    assert len(outbox(session)) == (1 if gets_code else 0)


def test_google_only_and_unverified_accounts_get_a_code(session: Session) -> None:
    create_user(session, username="gia", email="gia@example.com", password=None)
    create_user(session, username="una", email="una@example.com", verified=False)

    request(session, "gia@example.com")
    request(session, "una@example.com")

    assert [m.to_address for m in outbox(session)] == ["gia@example.com", "una@example.com"]


def test_a_new_request_voids_the_older_one(session: Session, nora: User) -> None:
    request(session)
    first = latest_code(session)
    request(session, now=NOW + timedelta(minutes=1))
    second = latest_code(session)
    if first == second:  # 1 in a million: nothing to tell apart
        pytest.skip("both requests drew the same code")

    wrong_code(session, first, tries_left=4, now=NOW + timedelta(minutes=2))
    assert count(session, PasswordReset, col(PasswordReset.used_at).is_(None)) == 1
    assert verify(session, second, now=NOW + timedelta(minutes=2))


def test_a_new_request_voids_an_unused_grant(session: Session, nora: User) -> None:
    request(session)
    grant = verify(session, latest_code(session))
    request(session, now=NOW + timedelta(minutes=1))

    refused_grant(session, grant, now=NOW + timedelta(minutes=2))
    assert password_is(session, nora, DEFAULT_PASSWORD)


def test_requests_are_limited_to_3_per_hour_per_email(session: Session, nora: User) -> None:
    for i in range(3):
        request(session, now=NOW + timedelta(minutes=i))
    with pytest.raises(RateLimited) as limited:
        request(session, now=NOW + timedelta(minutes=3))
    assert limited.value.message == "Too many requests, try again in 57 minutes"
    assert len(outbox(session)) == 3


def test_requests_are_limited_to_10_per_hour_per_ip(session: Session) -> None:
    for i in range(10):
        request(session, f"someone{i}@example.com")
    with pytest.raises(RateLimited):
        request(session, "someone10@example.com")
    assert request(session, "someone10@example.com", ip="198.51.100.1") == REQUEST_REPLY


def test_a_long_address_is_limited_like_any_other(session: Session) -> None:
    """254 characters fit the column but not a rate-limit key: the key is then a hash."""
    address = f"{'n' * 64}@{'d' * 185}.example"  # 254 characters, as long as allowed
    for i in range(3):
        assert request(session, address, now=NOW + timedelta(minutes=i)) == REQUEST_REPLY
    with pytest.raises(RateLimited):
        request(session, address, now=NOW + timedelta(minutes=3))


# --- verify --------------------------------------------------------------------------


def test_the_right_code_yields_a_grant(session: Session, nora: User) -> None:
    request(session)

    grant = verify(session, latest_code(session), now=NOW + timedelta(minutes=14))

    assert len(grant) >= 43
    reset = open_reset(session, nora)
    assert reset.verified_at == NOW + timedelta(minutes=14)
    assert reset.grant_expires_at == NOW + timedelta(minutes=24)
    assert grant not in reset.grant_hash


def test_wrong_codes_are_counted_and_say_how_many_tries_are_left(
    session: Session, nora: User
) -> None:
    request(session)
    code = latest_code(session)

    wrong_code(session, wrong(code), tries_left=4)
    wrong_code(session, "abcdef", tries_left=3)

    assert open_reset(session, nora).failed_attempts == 2
    assert verify(session, code)  # fewer than 5: the right code still works


def test_five_wrong_codes_void_the_request(session: Session, nora: User) -> None:
    request(session)
    code = latest_code(session)
    for i, tries_left in enumerate([4, 3, 2, 1]):
        wrong_code(session, wrong(code), tries_left=tries_left, now=NOW + timedelta(seconds=i))
    refused_code(session, wrong(code), now=NOW + timedelta(seconds=5))

    assert open_reset(session, nora) is None
    refused_code(session, code, now=NOW + timedelta(seconds=10))


def test_a_new_request_after_a_void_one_starts_with_five_tries(
    session: Session, nora: User
) -> None:
    request(session)
    for i in range(5):
        with pytest.raises(ValidationFailed):
            verify(session, wrong(latest_code(session)), now=NOW + timedelta(seconds=i))
    request(session, now=NOW + timedelta(minutes=1))
    code = latest_code(session)

    wrong_code(session, wrong(code), tries_left=4, now=NOW + timedelta(minutes=2))
    assert verify(session, code, now=NOW + timedelta(minutes=2))


def test_a_code_expires_after_15_minutes(session: Session, nora: User) -> None:
    request(session)
    code = latest_code(session)

    refused_code(session, code, now=NOW + timedelta(minutes=15))

    assert open_reset(session, nora) is None
    refused_code(session, code, now=NOW + timedelta(minutes=15, seconds=1))


def test_a_code_works_only_for_its_own_account(session: Session, nora: User) -> None:
    create_user(session, username="otto", email="otto@example.com")
    request(session)
    request(session, "otto@example.com")

    wrong_code(session, latest_code(session, EMAIL), email="otto@example.com", tries_left=4)
    wrong_code(session, latest_code(session, EMAIL), email="nobody@example.com", tries_left=4)


@pytest.mark.parametrize("email", ["nobody@example.com", "sid@example.com"])
def test_an_email_without_a_request_gets_the_replies_of_a_real_one(
    session: Session, nora: User, email: str
) -> None:
    """Step 2 must not reveal what step 1 hides: whether the account exists."""
    sid = create_user(session, username="sid", email="sid@example.com")
    request(session, "sid@example.com")
    grant = verify(session, latest_code(session, "sid@example.com"), email="sid@example.com")
    complete(session, grant)  # sid's last request is used up...
    sid.account_status = AccountStatus.suspended  # ...and a suspended account gets no code
    request(session)  # nora's own request is counted apart
    request(session, email, now=NOW + timedelta(minutes=1))

    for i, tries_left in enumerate([4, 3, 2, 1]):
        wrong_code(session, "123456", email=email, tries_left=tries_left,
                   now=NOW + timedelta(minutes=1, seconds=i))  # fmt: skip
    refused_code(session, "123456", email=email, now=NOW + timedelta(minutes=2))
    refused_code(session, "123456", email=email, now=NOW + timedelta(minutes=3))
    assert verify(session, latest_code(session))  # nora's tries were not spent


def test_a_verified_code_cannot_be_verified_again(session: Session, nora: User) -> None:
    request(session)
    code = latest_code(session)
    verify(session, code)
    refused_code(session, code)


# --- complete ------------------------------------------------------------------------


def test_complete_sets_the_password_and_ends_every_session(session: Session, nora: User) -> None:
    families = [
        session_start(
            session, user_id=nora.id, remember_me=True, user_agent=None, ip=None, now=NOW
        ).family_id
        for _ in range(2)
    ]
    nora.failed_login_count, nora.login_locked_until = 3, NOW + timedelta(minutes=5)
    request(session)
    grant = verify(session, latest_code(session), now=NOW + timedelta(minutes=1))

    complete(session, grant, now=NOW + timedelta(minutes=2))

    later = NOW + timedelta(minutes=3)
    assert all(active_session(session, family, later) is None for family in families)
    reasons = session.exec(select(AuthSession.revoke_reason)).all()
    assert set(reasons) == {RevokeReason.password_changed}
    mail = outbox(session)[-1]
    assert (mail.to_address, mail.category) == (EMAIL, "password_changed")
    assert mail.subject == "Your CityPulse password was changed"
    session.expire_all()
    assert session.get(User, nora.id).login_locked_until is None
    assert open_reset(session, nora) is None

    with pytest.raises(LoginRefused):
        run_action(session, account_login, email=EMAIL, password=DEFAULT_PASSWORD, ip=IP, now=later)
    outcome = run_action(
        session, account_login, email=EMAIL, password=NEW_PASSWORD, ip=IP, now=later
    )
    assert outcome.user_id == nora.id


def test_a_reset_also_clears_the_lockout_count(session: Session, nora: User) -> None:
    """After a reset, one more typo must not lock the account again at once."""
    for i in range(5):
        with pytest.raises(LoginRefused):
            run_action(
                session,
                account_login,
                email=EMAIL,
                password="Wrong!Pass1",
                ip=IP,
                now=NOW + timedelta(seconds=i),
            )
    request(session, now=NOW + timedelta(minutes=1))
    grant = verify(session, latest_code(session), now=NOW + timedelta(minutes=2))
    complete(session, grant, now=NOW + timedelta(minutes=3))

    with pytest.raises(LoginRefused):
        run_action(
            session,
            account_login,
            email=EMAIL,
            password=DEFAULT_PASSWORD,
            ip=IP,
            now=NOW + timedelta(minutes=4),
        )
    outcome = run_action(
        session,
        account_login,
        email=EMAIL,
        password=NEW_PASSWORD,
        ip=IP,
        now=NOW + timedelta(minutes=5),
    )
    assert outcome.user_id == nora.id


def test_a_grant_is_single_use(session: Session, nora: User) -> None:
    request(session)
    grant = verify(session, latest_code(session))
    complete(session, grant, now=NOW + timedelta(minutes=1))

    refused_grant(session, grant, password="Another!Pass77", now=NOW + timedelta(minutes=2))
    assert password_is(session, nora, NEW_PASSWORD)


def test_a_grant_expires_after_10_minutes(session: Session, nora: User) -> None:
    request(session)
    grant = verify(session, latest_code(session), now=NOW + timedelta(minutes=1))

    refused_grant(session, grant, now=NOW + timedelta(minutes=11))
    assert password_is(session, nora, DEFAULT_PASSWORD)


def test_a_grant_used_just_in_time_works(session: Session, nora: User) -> None:
    request(session)
    grant = verify(session, latest_code(session), now=NOW + timedelta(minutes=1))
    complete(session, grant, now=NOW + timedelta(minutes=10, seconds=59))
    assert password_is(session, nora, NEW_PASSWORD)


def test_the_new_password_must_follow_the_policy(session: Session, nora: User) -> None:
    request(session)
    grant = verify(session, latest_code(session))

    for password, field in [("short1!", "password"), ("Nora!Lisbon77", "password")]:
        with pytest.raises(ValidationFailed) as refused:
            complete(session, grant, password=password)
        assert set(refused.value.field_errors) == {field}
    with pytest.raises(ValidationFailed) as refused:
        run_action(
            session,
            password_reset_complete,
            grant=grant,
            password=NEW_PASSWORD,
            confirm_password=NEW_PASSWORD + "x",
            now=NOW,
        )
    assert set(refused.value.field_errors) == {"confirm_password"}

    assert password_is(session, nora, DEFAULT_PASSWORD)
    complete(session, grant)  # a refused password does not use the grant up
    assert password_is(session, nora, NEW_PASSWORD)


def test_nothing_obtained_before_verify_can_change_the_password(
    session: Session, nora: User
) -> None:
    request(session)
    code = latest_code(session)
    reset = open_reset(session, nora)

    for candidate in ("", code, reset.code_hash, new_token()):
        refused_grant(session, candidate)

    assert password_is(session, nora, DEFAULT_PASSWORD)
    assert verify(session, code)  # the request itself is still usable
