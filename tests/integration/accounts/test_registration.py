"""Sign-up and email verification (PRODUCT.md §4.1 items 1–2, §5.1, §5.2)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from citypulse.auth.passwords import verify_password
from citypulse.models import (
    AuthSession,
    EmailOutbox,
    EmailPreferences,
    EmailVerificationToken,
    Profile,
    TravelPreferences,
    User,
)
from citypulse.models.enums import AccountStatus, Role
from citypulse.services.accounts.registration import (
    RESEND_REPLY,
    VERIFICATION_FAILED,
    SignUpForm,
    account_register,
    email_taken,
    email_verify,
    username_problem,
    username_taken,
    validate_sign_up,
    verification_resend,
)
from citypulse.services.errors import RateLimited, ValidationFailed
from tests.integration.support import (
    NOW,
    count,
    outbox,
    run_action,
    verification_token,
)
from tests.support.factories import create_user

IP = "203.0.113.7"
FORM = SignUpForm(
    username="Nora_Walks",
    full_name="  Nora Walker ",
    email="Nora.Walker@Example.com",
    password="Lisbon!Tram28",
    confirm_password="Lisbon!Tram28",
    accepted_terms=True,
)


def form(**changes: object) -> SignUpForm:
    return dataclasses.replace(FORM, **changes)


def register(session: Session, sign_up: SignUpForm = FORM, *, ip: str = IP, now=NOW) -> int:
    return run_action(session, account_register, form=sign_up, ip=ip, now=now)


def registered_user(session: Session) -> User:
    user = session.exec(select(User).where(User.username == "nora_walks")).one()
    return user


# --- a valid sign-up -----------------------------------------------------------------


def test_valid_sign_up_creates_an_unverified_user_with_profile_and_preferences(
    session: Session,
) -> None:
    user_id = register(session)

    user = session.get(User, user_id)
    assert user.username == "nora_walks"
    assert user.email == "nora.walker@example.com"
    assert user.full_name == "Nora Walker"
    assert user.role == Role.user
    assert user.account_status == AccountStatus.active
    assert user.email_verified_at is None
    assert user.terms_accepted_at == NOW
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "Lisbon!Tram28")
    assert count(session, Profile, Profile.user_id == user_id) == 1
    assert count(session, EmailPreferences, EmailPreferences.user_id == user_id) == 1
    assert count(session, TravelPreferences, TravelPreferences.user_id == user_id) == 1


def test_valid_sign_up_queues_exactly_one_verification_email_and_no_session(
    session: Session,
) -> None:
    user_id = register(session)

    [mail] = outbox(session)
    assert mail.to_address == "nora.walker@example.com"
    assert mail.user_id == user_id
    assert mail.category == "verification"
    assert mail.subject == "Confirm your CityPulse email address"
    assert "Hi Nora Walker," in mail.text
    token = verification_token(mail)
    [row] = session.exec(select(EmailVerificationToken)).all()
    assert row.user_id == user_id
    assert row.token_hash != token  # only the hash is stored
    assert row.expires_at == NOW + timedelta(hours=24)
    assert count(session, AuthSession) == 0


# --- invalid input: a field error, and nothing is created ----------------------------


def assert_nothing_created(session: Session, *, users_before: int) -> None:
    assert count(session, User) == users_before
    assert count(session, EmailOutbox) == 0
    assert count(session, EmailVerificationToken) == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "short1!", "confirm_password": "short1!"}, "password", "8–128"),
        (
            {"password": "lisbon!tram28", "confirm_password": "lisbon!tram28"},
            "password",
            "uppercase letter is missing",
        ),
        ({"password": "P@ssw0rd", "confirm_password": "P@ssw0rd"}, "password", "too common"),
        (
            {"password": "Nora_Walks!1", "confirm_password": "Nora_Walks!1"},
            "password",
            "must not contain your username",
        ),
        (
            {"password": "x!NORA.WALKER9", "confirm_password": "x!NORA.WALKER9"},
            "password",
            "must not contain your email address",
        ),
        ({"confirm_password": "Lisbon!Tram29"}, "confirm_password", "Passwords do not match"),
        ({"username": "admin"}, "username", "This username is reserved"),
        ({"username": "CityPulse"}, "username", "This username is reserved"),
        ({"username": "ab"}, "username", "3–30 characters"),
        ({"username": "x" * 31}, "username", "3–30 characters"),
        ({"username": "nora-walks"}, "username", "3–30 characters"),
        ({"username": "nora walks"}, "username", "3–30 characters"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address"),
        ({"email": "nora@localhost"}, "email", "Enter a valid email address"),
        ({"email": "no ra@example.com"}, "email", "Enter a valid email address"),
        ({"email": "a@b@example.com"}, "email", "Enter a valid email address"),
        ({"email": "n" * 243 + "@example.com"}, "email", "Enter a valid email address"),
        ({"full_name": " N "}, "full_name", "Full name must be 2–100 characters"),
        ({"full_name": "N" * 101}, "full_name", "Full name must be 2–100 characters"),
        ({"accepted_terms": False}, "accepted_terms", "You must accept the Terms"),
    ],
)
def test_each_invalid_field_gets_its_error_and_nothing_is_created(
    session: Session, changes: dict, field: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        register(session, form(**changes))

    assert set(refused.value.field_errors) == {field}
    assert message in refused.value.field_errors[field]
    assert_nothing_created(session, users_before=0)


@pytest.mark.parametrize("username", ["alice", "Alice", "ALICE", " aLiCe "])
def test_a_taken_username_is_refused_in_any_case(session: Session, username: str) -> None:
    create_user(session, username="alice", email="alice@example.com")

    with pytest.raises(ValidationFailed) as refused:
        register(session, form(username=username))

    assert refused.value.field_errors == {
        "username": "An account with this username already exists"
    }
    assert_nothing_created(session, users_before=1)


@pytest.mark.parametrize("email", ["alice@example.com", "Alice@Example.COM", " alice@example.com "])
def test_a_taken_email_is_refused_in_any_case(session: Session, email: str) -> None:
    create_user(session, username="alice", email="alice@example.com")

    with pytest.raises(ValidationFailed) as refused:
        register(session, form(email=email))

    assert refused.value.field_errors == {"email": "An account with this email already exists"}
    assert_nothing_created(session, users_before=1)


def test_a_deactivated_accounts_username_and_email_stay_taken(session: Session) -> None:
    create_user(
        session, username="alice", email="alice@example.com", status=AccountStatus.deactivated
    )

    with pytest.raises(ValidationFailed) as refused:
        register(session, form(username="alice", email="alice@example.com"))

    assert set(refused.value.field_errors) == {"username", "email"}


def test_every_field_error_is_reported_at_once(session: Session) -> None:
    bad = SignUpForm("a", "", "nope", "weak", "other", False)
    errors = validate_sign_up(session, bad)
    assert set(errors) == {
        "username",
        "full_name",
        "email",
        "password",
        "confirm_password",
        "accepted_terms",
    }


@pytest.mark.parametrize(
    "name",
    [
        "admin",
        "administrator",
        "moderator",
        "mod",
        "support",
        "help",
        "api",
        "auth",
        "edit",
        "settings",
        "me",
        "null",
        "undefined",
        "citypulse",
    ],
)
def test_every_reserved_name_is_refused(name: str) -> None:
    expected = "This username is reserved" if len(name) >= 3 else "3–30 characters"  # "me"
    assert expected in username_problem(name)


def test_username_and_email_lookups_ignore_case(session: Session) -> None:
    alice = create_user(session, username="alice", email="alice@example.com")
    assert username_taken(session, "ALICE")
    assert not username_taken(session, "ALICE", except_user_id=alice.id)
    assert email_taken(session, "Alice@Example.com")
    assert not email_taken(session, "bob@example.com")


# --- rate limit: 5 sign-ups per hour per IP ------------------------------------------


def test_a_sixth_sign_up_from_one_ip_within_the_hour_is_rate_limited(session: Session) -> None:
    for i in range(5):
        register(
            session,
            form(username=f"walker_{i}", email=f"walker{i}@example.com"),
            now=NOW + timedelta(minutes=i),
        )

    with pytest.raises(RateLimited) as limited:
        register(session, now=NOW + timedelta(minutes=5))

    assert limited.value.message == "Too many requests, try again in 55 minutes"
    assert count(session, User) == 5
    # Another IP, and the same IP in the next hour, may sign up again.
    register(session, ip="198.51.100.1", now=NOW + timedelta(minutes=6))
    register(
        session,
        form(username="later", email="later@example.com"),
        now=NOW + timedelta(hours=1),
    )
    assert count(session, User) == 7


def test_refused_sign_ups_count_towards_the_ip_limit(session: Session) -> None:
    """Otherwise the "already exists" errors could probe emails without any limit."""
    create_user(session, username="alice", email="alice@example.com")
    for i in range(5):
        with pytest.raises(ValidationFailed):
            register(session, form(email="alice@example.com"), now=NOW + timedelta(minutes=i))

    with pytest.raises(RateLimited):
        register(session, now=NOW + timedelta(minutes=5))


# --- verification link ---------------------------------------------------------------


def sign_up_and_get_token(session: Session) -> str:
    register(session)
    [mail] = outbox(session)
    return verification_token(mail)


def test_the_link_verifies_the_email_once(session: Session) -> None:
    token = sign_up_and_get_token(session)

    username = run_action(session, email_verify, token=token, now=NOW + timedelta(hours=23))

    assert username == "nora_walks"
    assert registered_user(session).email_verified_at == NOW + timedelta(hours=23)
    with pytest.raises(ValidationFailed) as refused:
        run_action(session, email_verify, token=token, now=NOW + timedelta(hours=23, minutes=1))
    assert refused.value.field_errors == {"token": VERIFICATION_FAILED}


@pytest.mark.parametrize("after", [timedelta(hours=24), timedelta(hours=25)])
def test_an_expired_link_fails(session: Session, after: timedelta) -> None:
    token = sign_up_and_get_token(session)

    with pytest.raises(ValidationFailed):
        run_action(session, email_verify, token=token, now=NOW + after)

    assert registered_user(session).email_verified_at is None


@pytest.mark.parametrize("token", ["", "unknown-token", "x" * 43])
def test_a_missing_or_unknown_link_fails(session: Session, token: str) -> None:
    sign_up_and_get_token(session)

    with pytest.raises(ValidationFailed) as refused:
        run_action(session, email_verify, token=token, now=NOW)

    assert refused.value.field_errors == {"token": VERIFICATION_FAILED}
    assert registered_user(session).email_verified_at is None


# --- resend --------------------------------------------------------------------------


def test_resend_sends_a_working_link_and_voids_the_older_ones(session: Session) -> None:
    first = sign_up_and_get_token(session)

    reply = run_action(
        session, verification_resend, email=" NORA.walker@example.com", now=NOW + timedelta(hours=1)
    )

    assert reply == RESEND_REPLY == "If an unverified account exists, we've sent a new link"
    mails = outbox(session)
    assert [m.category for m in mails] == ["verification", "verification"]
    second = verification_token(mails[1])
    assert second != first
    with pytest.raises(ValidationFailed):
        run_action(session, email_verify, token=first, now=NOW + timedelta(hours=2))
    assert run_action(session, email_verify, token=second, now=NOW + timedelta(hours=2))
    assert registered_user(session).email_verified_at is not None


def test_resend_gives_the_same_reply_and_sends_nothing_for_unknown_or_verified(
    session: Session,
) -> None:
    create_user(session, username="vera", email="vera@example.com", verified=True)

    for email in ("nobody@example.com", "vera@example.com"):
        assert run_action(session, verification_resend, email=email, now=NOW) == RESEND_REPLY

    assert outbox(session) == []


def test_resend_is_limited_to_3_per_hour_per_email(session: Session) -> None:
    register(session)
    address = FORM.email
    for i in range(3):
        run_action(session, verification_resend, email=address, now=NOW + timedelta(minutes=i))

    with pytest.raises(RateLimited) as limited:
        run_action(
            session, verification_resend, email=address.upper(), now=NOW + timedelta(minutes=3)
        )

    assert limited.value.message == "Too many requests, try again in 57 minutes"
    assert len(outbox(session)) == 1 + 3
    # Other addresses are unaffected; the next hour is a new window.
    assert run_action(session, verification_resend, email="x@example.com", now=NOW) == RESEND_REPLY
    run_action(session, verification_resend, email=address, now=NOW + timedelta(hours=1))
    assert len(outbox(session)) == 1 + 4


def test_unknown_emails_are_limited_too(session: Session) -> None:
    for _ in range(3):
        run_action(session, verification_resend, email="ghost@example.com", now=NOW)
    with pytest.raises(RateLimited):
        run_action(session, verification_resend, email="ghost@example.com", now=NOW)


def test_a_racing_duplicate_becomes_a_field_error(session: Session, monkeypatch) -> None:
    """Both requests passed validation; the database's unique index decides."""
    import citypulse.services.accounts.registration as registration

    create_user(session, username="racer", email="racer@example.com")
    monkeypatch.setattr(registration, "validate_sign_up", lambda _s, _f: {})
    form = registration.SignUpForm(
        "racer", "Rae Racer", "other@example.com", "Wander!ng2026", "Wander!ng2026", True
    )
    with pytest.raises(ValidationFailed) as refused:
        registration.account_register(session, form=form, ip="198.51.100.9", now=NOW)
    assert "already exists" in refused.value.field_errors["username"]
