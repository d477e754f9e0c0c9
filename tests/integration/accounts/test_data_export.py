"""Data export (PRODUCT.md §5.6): the ZIP's contents, what it never contains, its limits."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from citypulse.models import (
    Achievement,
    Appeal,
    Block,
    BuddyConnection,
    CityVisit,
    ContentReport,
    DataExport,
    ItineraryItem,
    Like,
    ModeratorAction,
    Notification,
    Photo,
    Profile,
    Rating,
    RecommendationCity,
    RecommendationTag,
    Save,
    SavedSearch,
    SearchHistory,
    Share,
    Suspension,
    Tag,
    Trip,
    TripCity,
    TripComment,
    TripCompanion,
    TripRecommendation,
    User,
    UserAchievement,
    UserInterest,
    Warning,
)
from citypulse.models.enums import (
    ActionType,
    AppealStatus,
    AppealTarget,
    BuddyStatus,
    CompanionRole,
    CompanionStatus,
    DataExportStatus,
    Metric,
    NotificationType,
    ReportContentType,
    ReportReason,
    ReportStatus,
    RestrictionKind,
    Role,
    Severity,
    SharePlatform,
    TargetType,
    Tier,
    WarningType,
)
from citypulse.services.accounts import data_export as exports
from citypulse.services.accounts.data_export import (
    data_export_build,
    data_export_file_for_download,
    data_export_latest,
    data_export_request,
    data_exports_purge_expired,
)
from citypulse.services.errors import NotFound, RateLimited
from citypulse.settings import get_settings
from tests.support.factories import (
    create_category,
    create_city,
    create_recommendation,
    create_user,
)

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
EXPECTED_FILES = {
    "account.json",
    "profile.json",
    "recommendations.json",
    "ratings.json",
    "likes.json",
    "saves.json",
    "shares.json",
    "buddies.json",
    "blocks.json",
    "trips.json",
    "notifications.json",
    "search_history.json",
    "saved_searches.json",
    "achievements.json",
    "reports_filed.json",
    "moderation.json",
}
# Strings planted in the database that must never reach the export.
SECRETS = (
    "MODERATOR-NOTE-internal",
    "RESOLUTION-NOTE-internal",
    "OTTO-COMMENT-on-the-trip",
    "rita_reporter",
    "rita@example.com",
    "mod_mia",
    "mia@example.com",
    "otto@example.com",
    "spammer@example.com",
)


@pytest.fixture(autouse=True)
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Uploads and exports in temporary folders; the real rate limit of 1 per 24 h."""
    settings = get_settings()
    monkeypatch.setattr(settings, "upload_dir", tmp_path / "uploads")
    monkeypatch.setattr(settings, "data_dir", tmp_path / "data")
    monkeypatch.setattr(settings, "rate_limit_multiplier", 1)
    (tmp_path / "uploads").mkdir()
    return tmp_path


def stored_photo(name: str, content: bytes) -> str:
    key = f"{name:0>32}.jpg"
    (get_settings().upload_dir / key).write_bytes(content)
    return key


def add(session: Session, *rows: Any) -> Any:
    session.add_all(rows)
    session.flush()
    return rows[0]


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    """Nora and everything she has done, plus other people's data that must stay out."""
    nora = create_user(session, username="nora", email="nora@example.com", full_name="Nora N")
    otto = create_user(session, username="otto", email="otto@example.com")
    rita = create_user(session, username="rita_reporter", email="rita@example.com")
    mia = create_user(session, username="mod_mia", email="mia@example.com", role=Role.moderator)
    spammer = create_user(session, username="spam_bot", email="spammer@example.com")
    nora.phone, nora.bio = "+351912345678", "Chasing trams."
    lisbon = create_city(session, name="Lisbon")
    bakery = create_category(session, name="Bakeries")
    mine = create_recommendation(session, author=nora, category=bakery, title="Nata heaven")
    theirs = create_recommendation(session, author=otto, category=bakery, title="Otto's cafe")
    photo_key = stored_photo("b1", b"JPEG-bytes-of-nora")
    profile = session.exec(select(Profile).where(Profile.user_id == nora.id)).one()
    profile.avatar_key = stored_photo("a1", b"JPEG-avatar")
    tag = add(session, Tag(name="pastry"))
    add(
        session,
        RecommendationCity(recommendation_id=mine.id, city_id=lisbon.id, is_primary=True),
        RecommendationTag(recommendation_id=mine.id, tag_id=tag.id),
        Photo(recommendation_id=mine.id, image_key=photo_key, thumb_key=stored_photo("b2", b"t"),
              width=4, height=3, file_size=18, position=0, is_primary=True, caption="Fresh"),
        UserInterest(user_id=nora.id, category_id=bakery.id),
        CityVisit(user_id=nora.id, city_id=lisbon.id, visit_month="2024-05"),
        Rating(recommendation_id=theirs.id, user_id=nora.id, rating=4, review="Great coffee"),
        Like(recommendation_id=theirs.id, user_id=nora.id),
        Save(recommendation_id=theirs.id, user_id=nora.id),
        Share(recommendation_id=theirs.id, user_id=nora.id, platform=SharePlatform.whatsapp),
        BuddyConnection(requester_id=nora.id, addressee_id=otto.id, status=BuddyStatus.accepted),
        Block(blocker_id=nora.id, blocked_id=spammer.id, reason="Spam"),
        SearchHistory(user_id=nora.id, query="pastel de nata", result_count=3),
        SavedSearch(user_id=nora.id, name="Lisbon food", query="food"),
        Notification(recipient_id=nora.id, type=NotificationType.system, title="Welcome",
                     message="Welcome to CityPulse", action_url="/dashboard"),
    )  # fmt: skip
    trip = add(session, Trip(owner_id=otto.id, title="Lisbon long weekend"))
    stop = add(session, TripCity(trip_id=trip.id, city_id=lisbon.id, position=1))
    add(
        session,
        TripCompanion(trip_id=trip.id, user_id=otto.id, role=CompanionRole.owner,
                      status=CompanionStatus.accepted),
        TripCompanion(trip_id=trip.id, user_id=nora.id, status=CompanionStatus.accepted),
        ItineraryItem(trip_id=trip.id, trip_city_id=stop.id, day_number=1, title="Tram 28"),
        TripRecommendation(trip_id=trip.id, recommendation_id=theirs.id),
        TripComment(trip_id=trip.id, author_id=nora.id, body="I'll bring the tickets"),
        TripComment(trip_id=trip.id, author_id=otto.id, body="OTTO-COMMENT-on-the-trip"),
        Trip(owner_id=nora.id, title="Solo to Porto"),
    )  # fmt: skip
    badge = add(
        session,
        Achievement(code="export_test_badge", name="Export test badge", description="Test",
                    metric=Metric.recommendations_created, threshold=1, tier=Tier.bronze),
    )  # fmt: skip
    add(session, UserAchievement(user_id=nora.id, achievement_id=badge.id, progress=1))
    report = add(
        session,
        ContentReport(reporter_id=rita.id, content_type=ReportContentType.recommendation,
                      content_id=mine.id, content_owner_id=nora.id, reason=ReportReason.spam,
                      status=ReportStatus.resolved, reviewed_by_id=mia.id,
                      resolution_note="RESOLUTION-NOTE-internal"),
        ContentReport(reporter_id=nora.id, content_type=ReportContentType.recommendation,
                      content_id=theirs.id, content_owner_id=otto.id,
                      reason=ReportReason.misleading, description="Prices are wrong"),
    )  # fmt: skip
    warning = add(
        session,
        Warning(user_id=nora.id, moderator_id=mia.id, warning_type=WarningType.spam,
                severity=Severity.low, message="Please stop posting duplicates",
                report_id=report.id, expires_at=NOW + timedelta(days=180)),
    )  # fmt: skip
    add(
        session,
        ModeratorAction(actor_id=mia.id, action_type=ActionType.warning_issued,
                        target_type=TargetType.user, target_id=nora.id, target_user_id=nora.id,
                        reason="Duplicate posts", notes="MODERATOR-NOTE-internal"),
        Appeal(appellant_id=nora.id, target_type=AppealTarget.warning, target_id=warning.id,
               message="They were posted twice by mistake.", status=AppealStatus.rejected,
               decided_by_id=mia.id, decision_note="The duplicates were deliberate.",
               decided_at=NOW),
        Suspension(user_id=nora.id, kind=RestrictionKind.suspension, imposed_by_id=mia.id,
                   reason="Spam after a warning", starts_at=NOW, ends_at=NOW + timedelta(days=3),
                   lifted_at=NOW + timedelta(days=1), lifted_by_id=mia.id),
    )  # fmt: skip
    return {"nora": nora, "otto": otto, "mine": mine, "theirs": theirs, "photo_key": photo_key}


def export_for(session: Session, user: User, now: datetime = NOW) -> Path:
    view = data_export_request(session, user_id=user.id, now=now)
    assert view.status == DataExportStatus.pending and view.download_url is None
    built = data_export_build(session, export_id=view.id, now=now)
    assert built is not None and built.status == DataExportStatus.ready
    assert built.expires_at == now + timedelta(hours=24)
    return data_export_file_for_download(session, user_id=user.id, export_id=view.id, now=now)


def read_zip(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        raw = {name: archive.read(name) for name in archive.namelist()}
    documents = {name: json.loads(data) for name, data in raw.items() if name.endswith(".json")}
    return documents, raw


def all_keys(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for value in data.values() for k in all_keys(value)}
    if isinstance(data, list):
        return {k for value in data for k in all_keys(value)}
    return set()


def test_the_zip_holds_every_file_with_the_users_data(
    session: Session, world: dict[str, Any]
) -> None:
    nora, theirs = world["nora"], world["theirs"]
    path = export_for(session, nora)

    assert path.parent == get_settings().data_dir / "exports"
    assert len(path.stem) == 32 and path.suffix == ".zip"
    docs, raw = read_zip(path)
    assert set(docs) >= EXPECTED_FILES
    assert raw[f"photos/{world['photo_key']}"] == b"JPEG-bytes-of-nora"
    assert raw[f"photos/{'a1':0>32}.jpg"] == b"JPEG-avatar"
    assert raw["account.json"].decode().startswith('{\n  "username": "nora"')  # pretty

    account = docs["account.json"]
    assert (account["email"], account["full_name"], account["phone"]) == (
        "nora@example.com",
        "Nora N",
        "+351912345678",
    )
    assert (account["role"], account["status"], account["sign_in_methods"]) == (
        "user",
        "active",
        ["password"],
    )
    assert datetime.fromisoformat(account["created_at"]).tzinfo is not None
    profile = docs["profile.json"]
    assert profile["interests"] == ["Bakeries"]
    assert profile["city_visits"][0]["city"] == "Lisbon, Portugal"
    assert profile["email_preferences"]["buddy_requests"] is True
    assert profile["travel_preferences"]["activity_level"] == "moderate"
    [rec] = docs["recommendations.json"]
    assert (rec["title"], rec["category"], rec["tags"]) == ("Nata heaven", "Bakeries", ["pastry"])
    assert rec["cities"] == [{"is_primary": True, "city": "Lisbon, Portugal"}]
    assert rec["photos"][0]["file"] == f"photos/{world['photo_key']}"
    assert rec["photos"][0]["caption"] == "Fresh"
    for name in ("ratings.json", "likes.json", "saves.json", "shares.json"):
        [row] = docs[name]
        assert (row["recommendation_id"], row["title"]) == (theirs.id, "Otto's cafe")
    assert docs["ratings.json"][0]["review"] == "Great coffee"
    assert docs["shares.json"][0]["platform"] == "whatsapp"
    [buddy] = docs["buddies.json"]
    assert (buddy["username"], buddy["status"], buddy["direction"]) == ("otto", "accepted", "sent")
    assert [b["username"] for b in docs["blocks.json"]] == ["spam_bot"]
    trips = {t["title"]: t for t in docs["trips.json"]["trips"]}
    assert set(trips) == {"Lisbon long weekend", "Solo to Porto"}
    joined = trips["Lisbon long weekend"]
    assert joined["my_role"] == "participant"
    assert [c["city"] for c in joined["cities"]] == ["Lisbon, Portugal"]
    assert [i["title"] for i in joined["itinerary"]] == ["Tram 28"]
    assert [p["recommendation_id"] for p in joined["places"]] == [theirs.id]
    assert [c["body"] for c in joined["my_comments"]] == ["I'll bring the tickets"]
    assert trips["Solo to Porto"]["my_role"] == "owner"
    assert [s["query"] for s in docs["search_history.json"]] == ["pastel de nata"]
    assert [s["name"] for s in docs["saved_searches.json"]] == ["Lisbon food"]
    assert [n["title"] for n in docs["notifications.json"]] == ["Welcome"]
    assert [a["code"] for a in docs["achievements.json"]] == ["export_test_badge"]
    [filed] = docs["reports_filed.json"]
    assert (filed["content_id"], filed["description"]) == (theirs.id, "Prices are wrong")
    moderation = docs["moderation.json"]
    assert [w["message"] for w in moderation["warnings"]] == ["Please stop posting duplicates"]
    assert [s["reason"] for s in moderation["sanctions"]] == ["Spam after a warning"]
    [appeal] = moderation["appeals"]
    assert appeal["decision_note"] == "The duplicates were deliberate."


def test_the_zip_never_contains_secrets_or_other_peoples_private_data(
    session: Session, world: dict[str, Any]
) -> None:
    nora = world["nora"]
    docs, raw = read_zip(export_for(session, nora))

    everything = b"\n".join(raw.values()).decode(errors="replace")
    assert nora.password_hash and nora.password_hash not in everything
    for secret in SECRETS:
        assert secret not in everything, secret
    keys = set().union(*(all_keys(doc) for doc in docs.values()))
    forbidden = {"password_hash", "google_sub", "token_hash", "share_token_hash",
                 "moderator_id", "reviewed_by_id", "decided_by_id", "imposed_by_id",
                 "lifted_by_id", "reporter_id", "resolution_note"}  # fmt: skip
    assert keys & forbidden == set()
    assert [key for key in keys if "hash" in key or "token" in key] == []
    # An "email" field appears only in account.json: nora's own address.
    assert [name for name, doc in docs.items() if "email" in all_keys(doc)] == ["account.json"]


def test_a_second_request_within_24_hours_is_refused(session: Session, world: dict) -> None:
    nora = world["nora"]
    data_export_request(session, user_id=nora.id, now=NOW)

    with pytest.raises(RateLimited) as refused:
        data_export_request(session, user_id=nora.id, now=NOW + timedelta(hours=1))
    assert refused.value.message.startswith("Too many requests")
    # Also across the fixed window's midnight boundary: it is 24 h, not "once a day".
    with pytest.raises(RateLimited):
        data_export_request(session, user_id=nora.id, now=NOW + timedelta(hours=13))
    later = data_export_request(session, user_id=nora.id, now=NOW + timedelta(hours=25))
    assert later.status == DataExportStatus.pending


def test_a_failed_build_does_not_use_up_the_daily_export(
    session: Session, world: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    nora = world["nora"]
    view = data_export_request(session, user_id=nora.id, now=NOW)

    def broken(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_export_zip", broken)
    failed = data_export_build(session, export_id=view.id, now=NOW)

    assert failed is not None and failed.status == DataExportStatus.failed
    assert list((get_settings().data_dir / "exports").iterdir()) == []
    with pytest.raises(NotFound):
        data_export_file_for_download(session, user_id=nora.id, export_id=view.id, now=NOW)
    assert data_export_request(session, user_id=nora.id, now=NOW).status == "pending"


def test_building_twice_is_a_no_op(session: Session, world: dict) -> None:
    view = data_export_request(session, user_id=world["nora"].id, now=NOW)
    assert data_export_build(session, export_id=view.id, now=NOW) is not None

    assert data_export_build(session, export_id=view.id, now=NOW) is None
    assert data_export_build(session, export_id=view.id + 999, now=NOW) is None


def test_another_user_cannot_get_the_file(session: Session, world: dict) -> None:
    nora, otto = world["nora"], world["otto"]
    path = export_for(session, nora)
    export_id = data_export_latest(session, user_id=nora.id, now=NOW).id

    with pytest.raises(NotFound) as refused:
        data_export_file_for_download(session, user_id=otto.id, export_id=export_id, now=NOW)
    assert refused.value.message == exports.NOT_AVAILABLE  # same answer as a missing export
    with pytest.raises(NotFound):
        data_export_file_for_download(session, user_id=otto.id, export_id=0, now=NOW)
    assert data_export_latest(session, user_id=otto.id, now=NOW) is None
    assert path.is_file()


def test_a_pending_export_cannot_be_downloaded(session: Session, world: dict) -> None:
    nora = world["nora"]
    view = data_export_request(session, user_id=nora.id, now=NOW)

    with pytest.raises(NotFound):
        data_export_file_for_download(session, user_id=nora.id, export_id=view.id, now=NOW)
    assert data_export_latest(session, user_id=nora.id, now=NOW) == view


def test_the_link_expires_after_24_hours(session: Session, world: dict) -> None:
    nora = world["nora"]
    path = export_for(session, nora)
    export_id = data_export_latest(session, user_id=nora.id, now=NOW).id
    just_before = NOW + timedelta(hours=24) - timedelta(seconds=1)
    assert (
        data_export_file_for_download(
            session, user_id=nora.id, export_id=export_id, now=just_before
        )
        == path
    )

    later = NOW + timedelta(hours=24)
    latest = data_export_latest(session, user_id=nora.id, now=later)

    assert latest is not None and latest.status == DataExportStatus.expired
    assert latest.download_url is None
    assert not path.exists()
    with pytest.raises(NotFound):
        data_export_file_for_download(session, user_id=nora.id, export_id=export_id, now=later)


def test_the_daily_purge_deletes_expired_files_only(session: Session, world: dict) -> None:
    nora, otto = world["nora"], world["otto"]
    old = export_for(session, nora, now=NOW)
    fresh = export_for(session, otto, now=NOW + timedelta(hours=20))

    removed = data_exports_purge_expired(session, NOW + timedelta(hours=25))

    assert removed == 1
    assert not old.exists() and fresh.exists()
    statuses = {e.user_id: e.status for e in session.exec(select(DataExport)).all()}
    assert statuses == {nora.id: "expired", otto.id: "ready"}


def test_the_daily_purge_deletes_orphaned_files(session: Session, world: dict) -> None:
    export_for(session, world["nora"])
    orphan = get_settings().data_dir / "exports" / f"{'f' * 32}.zip"
    orphan.write_bytes(b"left over by a purged account")

    assert data_exports_purge_expired(session, NOW) == 0  # too young: may be mid-build
    # Two hours on, the orphan goes, and so does nora's export, long expired by then.
    assert data_exports_purge_expired(session, datetime.now(UTC) + timedelta(hours=2)) == 2
    assert not orphan.exists()
