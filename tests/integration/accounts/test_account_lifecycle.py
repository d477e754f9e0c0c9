"""Password change, deactivation, the purge, and who may receive mail (§4.1.7, §4.12, §5.6)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from citypulse.auth.passwords import verify_password
from citypulse.auth.sessions import active_session, session_start
from citypulse.email.messages import (
    account_deactivated_email,
    account_deleted_email,
    password_changed_email,
    preference_email,
    reset_code_email,
    verification_email,
)
from citypulse.models import (
    AuthSession,
    ContentReport,
    EmailOutbox,
    EmailPreferences,
    Like,
    Photo,
    Profile,
    Rating,
    Recommendation,
    Save,
    TravelPreferences,
    User,
    View,
)
from citypulse.models.enums import AccountStatus, ReportContentType, ReportReason, RevokeReason
from citypulse.services.accounts.lifecycle import (
    account_deactivate,
    account_purge,
    accounts_purge_due,
    password_change,
)
from citypulse.services.errors import ValidationFailed
from citypulse.services.mail import queue_email
from citypulse.settings import get_settings
from tests.integration.accounts.support import actor
from tests.integration.support import NOW, count, outbox, run_action
from tests.support.factories import (
    DEFAULT_PASSWORD,
    create_category,
    create_recommendation,
    create_user,
)

NEW_PASSWORD = "Porto!Ribeira42"


@pytest.fixture
def nora(session: Session) -> User:
    return create_user(session, username="nora", email="nora@example.com")


def start(session: Session, user: User, now=NOW):
    return session_start(
        session, user_id=user.id, remember_me=True, user_agent=None, ip=None, now=now
    )


def change(session: Session, user: User, *, current=DEFAULT_PASSWORD, new=NEW_PASSWORD, **kw):
    return run_action(
        session,
        password_change,
        actor=actor(user, kw.pop("keep_family", None)),
        current_password=current,
        new_password=new,
        confirm_password=kw.pop("confirm", new),
        now=kw.pop("now", NOW),
    )


def reloaded(session: Session, user_id: int) -> User | None:
    session.expire_all()
    return session.get(User, user_id)


# --- password change -----------------------------------------------------------------


def test_password_change_keeps_this_browser_and_ends_the_others(
    session: Session, nora: User
) -> None:
    current, other = start(session, nora), start(session, nora)

    change(session, nora, keep_family=current.family_id, now=NOW + timedelta(minutes=1))

    user = reloaded(session, nora.id)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert not verify_password(user.password_hash, DEFAULT_PASSWORD)
    later = NOW + timedelta(minutes=2)
    assert active_session(session, current.family_id, later) is not None
    assert active_session(session, other.family_id, later) is None
    [revoked] = session.exec(select(AuthSession).where(col(AuthSession.revoked_at).is_not(None)))
    assert revoked.revoke_reason == RevokeReason.password_changed
    [mail] = outbox(session)
    assert (mail.to_address, mail.category) == ("nora@example.com", "password_changed")
    assert mail.subject == "Your CityPulse password was changed"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"current": "Wrong!Pass1"}, "current_password", "Current password is incorrect"),
        ({"current": ""}, "current_password", "Current password is incorrect"),
        ({"new": DEFAULT_PASSWORD}, "new_password", "must differ from the current one"),
        ({"new": "short1!"}, "new_password", "8–128"),
        ({"new": "Nora!Lisbon77"}, "new_password", "must not contain your username"),
        ({"new": "P@ssw0rd"}, "new_password", "too common"),
        ({"confirm": NEW_PASSWORD + "x"}, "confirm_password", "Passwords do not match"),
    ],
)
def test_password_change_refusals_change_nothing(
    session: Session, nora: User, kwargs: dict, field: str, message: str
) -> None:
    other = start(session, nora)

    with pytest.raises(ValidationFailed) as refused:
        change(session, nora, **kwargs)

    assert field in refused.value.field_errors
    assert message in refused.value.field_errors[field]
    assert verify_password(reloaded(session, nora.id).password_hash, DEFAULT_PASSWORD)
    assert active_session(session, other.family_id, NOW) is not None
    assert outbox(session) == []


def test_a_google_only_account_has_no_current_password_to_change(session: Session) -> None:
    gia = create_user(session, username="gia", email="gia@example.com", password=None)
    with pytest.raises(ValidationFailed) as refused:
        change(session, gia, current="")
    assert set(refused.value.field_errors) == {"current_password"}


# --- deactivation --------------------------------------------------------------------


def deactivate(session: Session, user: User, confirmation: str, now=NOW):
    return run_action(
        session, account_deactivate, actor=actor(user), confirmation=confirmation, now=now
    )


def test_deactivation_with_a_wrong_password_is_refused(session: Session, nora: User) -> None:
    issued = start(session, nora)

    for confirmation in ("Wrong!Pass1", "", "nora"):
        with pytest.raises(ValidationFailed) as refused:
            deactivate(session, nora, confirmation)
        assert refused.value.field_errors == {"confirmation": "Password is incorrect"}

    user = reloaded(session, nora.id)
    assert (user.account_status, user.deactivated_at, user.deletion_due_at) == (
        AccountStatus.active,
        None,
        None,
    )
    assert active_session(session, issued.family_id, NOW) is not None
    assert outbox(session) == []


def test_deactivation_schedules_deletion_ends_sessions_and_emails(
    session: Session, nora: User
) -> None:
    families = [start(session, nora).family_id for _ in range(2)]

    deadline = deactivate(session, nora, DEFAULT_PASSWORD)

    assert deadline == NOW + timedelta(days=30)
    user = reloaded(session, nora.id)
    assert user.account_status == AccountStatus.deactivated
    assert user.deactivated_at == NOW
    assert user.deletion_due_at == NOW + timedelta(days=30)
    assert all(active_session(session, f, NOW) is None for f in families)
    reasons = set(session.exec(select(AuthSession.revoke_reason)).all())
    assert reasons == {RevokeReason.deactivated}
    [mail] = outbox(session)
    assert (mail.to_address, mail.category) == ("nora@example.com", "account")
    assert mail.subject == "Your CityPulse account is deactivated"
    assert "9 April 2025 at 12:00 UTC" in mail.text  # the deadline


def test_a_google_only_account_confirms_with_its_username(session: Session) -> None:
    gia = create_user(session, username="gia_walks", email="gia@example.com", password=None)

    with pytest.raises(ValidationFailed) as refused:
        deactivate(session, gia, "gia")
    assert refused.value.field_errors == {"confirmation": "Type your username exactly to confirm"}
    with pytest.raises(ValidationFailed):
        deactivate(session, gia, "")

    deactivate(session, gia, " Gia_Walks ")
    assert reloaded(session, gia.id).account_status == AccountStatus.deactivated


# --- the purge -----------------------------------------------------------------------


@pytest.fixture
def upload_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(get_settings(), "upload_dir", tmp_path)
    return tmp_path


def stored_file(folder: Path, name: str) -> str:
    key = f"{name:0>32}.jpg"
    (folder / key).write_bytes(b"jpeg")
    return key


def test_purge_deletes_the_user_and_everything_they_own(
    session: Session, nora: User, upload_dir: Path
) -> None:
    otto = create_user(session, username="otto", email="otto@example.com")
    category = create_category(session)
    own = create_recommendation(session, author=nora, category=category)
    others = create_recommendation(session, author=otto, category=category)
    profile = session.exec(select(Profile).where(Profile.user_id == nora.id)).one()
    profile.avatar_key = stored_file(upload_dir, "a1")
    profile.cover_key = stored_file(upload_dir, "c1")
    session.add(
        Photo(
            recommendation_id=own.id,
            image_key=stored_file(upload_dir, "b1"),
            thumb_key=stored_file(upload_dir, "b2"),
            width=10,
            height=10,
            file_size=4,
            position=0,
            is_primary=True,
        )
    )
    otto_avatar = stored_file(upload_dir, "d1")
    start(session, nora)
    session.add(View(recommendation_id=others.id, user_id=nora.id))
    session.add(
        ContentReport(
            reporter_id=nora.id,
            content_type=ReportContentType.recommendation,
            content_id=others.id,
            content_owner_id=otto.id,
            reason=ReportReason.misleading,
        )
    )
    nora_id, own_id = nora.id, own.id

    run_action(session, account_purge, user=nora, now=NOW)

    session.expire_all()
    assert session.get(User, nora_id) is None
    for model in (Profile, EmailPreferences, TravelPreferences, AuthSession):
        assert count(session, model, model.user_id == nora_id) == 0
    assert session.get(Recommendation, own_id) is None
    assert count(session, Photo) == 0
    [report] = session.exec(select(ContentReport)).all()
    assert report.reporter_id is None  # kept, anonymised
    [view] = session.exec(select(View)).all()
    assert view.user_id is None  # the view stays counted
    assert sorted(p.name for p in upload_dir.iterdir()) == [otto_avatar]
    [mail] = outbox(session)
    assert (mail.to_address, mail.category, mail.user_id) == (
        "nora@example.com",
        "account",
        None,  # survives the cascade
    )
    assert mail.subject == "Your CityPulse account has been deleted"
    assert session.get(User, otto.id) is not None


def test_purge_recounts_the_counters_on_other_peoples_recommendations(
    session: Session, nora: User
) -> None:
    otto = create_user(session, username="otto", email="otto@example.com")
    lia = create_user(session, username="lia", email="lia@example.com")
    rec = create_recommendation(session, author=otto)
    session.add_all(
        [
            Like(recommendation_id=rec.id, user_id=nora.id),
            Like(recommendation_id=rec.id, user_id=lia.id),
            Save(recommendation_id=rec.id, user_id=nora.id),
            Rating(recommendation_id=rec.id, user_id=nora.id, rating=1),
            Rating(recommendation_id=rec.id, user_id=lia.id, rating=4),
        ]
    )
    rec.likes_count, rec.saves_count, rec.ratings_count = 2, 1, 2
    rec.rating_avg = Decimal("2.50")
    session.add(rec)

    run_action(session, account_purge, user=nora, now=NOW)

    session.refresh(rec)
    assert (rec.likes_count, rec.saves_count, rec.ratings_count) == (1, 0, 1)
    assert rec.rating_avg == Decimal("4.00")
    assert count(session, Like) == 1


def test_purge_of_the_last_rater_resets_the_average(session: Session, nora: User) -> None:
    otto = create_user(session, username="otto", email="otto@example.com")
    rec = create_recommendation(session, author=otto)
    session.add(Rating(recommendation_id=rec.id, user_id=nora.id, rating=5))
    rec.ratings_count, rec.rating_avg = 1, Decimal("5.00")

    run_action(session, account_purge, user=nora, now=NOW)

    session.refresh(rec)
    assert (rec.ratings_count, rec.rating_avg) == (0, Decimal("0.00"))


def test_the_daily_purge_takes_only_overdue_accounts(session: Session) -> None:
    deactivated_at = NOW - timedelta(days=40)

    def deactivated(username: str, days_ago: int) -> User:
        user = create_user(session, username=username)
        moment = NOW - timedelta(days=days_ago)
        user.account_status = AccountStatus.deactivated
        user.deactivated_at, user.deletion_due_at = moment, moment + timedelta(days=30)
        return user

    day_29 = deactivated("day_29", 29)
    day_31 = deactivated("day_31", 31)
    active = create_user(session, username="active")
    odd = create_user(session, username="odd")  # a stale deadline on an active account
    odd.deletion_due_at = deactivated_at
    ids = {u.username: u.id for u in (day_29, day_31, active, odd)}

    assert run_action(session, accounts_purge_due, now=NOW) == 1

    session.expire_all()
    remaining = {u.username for u in session.exec(select(User)).all()}
    assert remaining == {"day_29", "active", "odd"}
    assert session.get(User, ids["day_31"]) is None
    # Two days later the day-29 account is overdue too; nothing else changes.
    assert run_action(session, accounts_purge_due, now=NOW + timedelta(days=2)) == 1
    assert {u.username for u in session.exec(select(User)).all()} == {"active", "odd"}
    assert run_action(session, accounts_purge_due, now=NOW + timedelta(days=2)) == 0


# --- who may receive what (§4.12) ----------------------------------------------------


def messages_for(user: User):
    return {
        "verification": verification_email(user.email, user.full_name, "token"),
        "reset_code": reset_code_email(user.email, user.full_name, "123456"),
        "password_changed": password_changed_email(user.email, user.full_name),
        "account": account_deactivated_email(user.email, user.full_name, NOW),
        "deleted": account_deleted_email(user.email, user.full_name),
        "trips": preference_email(
            user.email, user.full_name, "trips", "Trip invite", ["Join us"], None, "https://u.test"
        ),
    }


def queued_categories(session: Session, user: User) -> list[str]:
    return [m.category for m in outbox(session, to=user.email)]


def test_an_unverified_address_receives_only_verification_mail(session: Session) -> None:
    una = create_user(session, username="una", email="una@example.com", verified=False)

    queued = {name: queue_email(session, una, m) for name, m in messages_for(una).items()}

    assert queued == {
        "verification": True,
        "reset_code": False,
        "password_changed": False,
        "account": False,
        "deleted": False,
        "trips": False,
    }
    assert queued_categories(session, una) == ["verification"]


def test_a_deactivated_account_receives_only_account_mail(session: Session, nora: User) -> None:
    nora.account_status = AccountStatus.deactivated

    queued = {name: queue_email(session, nora, m) for name, m in messages_for(nora).items()}

    assert queued == {
        "verification": False,
        "reset_code": False,
        "password_changed": False,
        "account": True,
        "deleted": True,
        "trips": False,
    }
    assert queued_categories(session, nora) == ["account", "account"]


def test_an_active_verified_account_receives_everything(session: Session, nora: User) -> None:
    for message in messages_for(nora).values():
        assert queue_email(session, nora, message)
    assert count(session, EmailOutbox, EmailOutbox.user_id == nora.id) == 6


def test_a_reset_code_proves_the_address_itself(session: Session) -> None:
    una = create_user(session, username="una", email="una@example.com", verified=False)
    message = reset_code_email(una.email, una.full_name, "123456")
    assert queue_email(session, una, message, proves_address=True)
    assert queued_categories(session, una) == ["reset_code"]
