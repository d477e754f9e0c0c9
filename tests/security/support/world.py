"""The owner whose things the attacks aim at, the intruder, and what must not change.

Built straight in the running app's database (the e2e tier's migrated, seeded one): an
owner with a public and a private recommendation (photos, a city), a saved list, a
rating, an open session and a ready data export; a third author; and an intruder whose
session is minted through `citypulse.auth` (no login, so no rate limit is touched).
`owner_snapshot()` reads every row that belongs to the owner, found through the foreign
keys of the schema, so rows of tables added later are compared too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

import citypulse.models  # noqa: F401  (every table in the metadata)
from citypulse.api.cookies import ACCESS_COOKIE
from citypulse.auth.sessions import session_start
from citypulse.media.storage import new_key
from citypulse.models import (
    Block,
    BuddyConnection,
    Category,
    City,
    DataExport,
    ItineraryItem,
    Notification,
    Photo,
    Profile,
    Rating,
    RecommendationCity,
    Save,
    SavedSearch,
    SearchHistory,
    Trip,
    TripCity,
    TripComment,
    TripCompanion,
    TripRecommendation,
)
from citypulse.models.enums import (
    BuddyStatus,
    CompanionRole,
    CompanionStatus,
    DataExportStatus,
    NotificationType,
)
from citypulse.services.unit_of_work import run_transaction
from tests.support.factories import create_recommendation, create_user

OWNER_PASSWORD = "Owner!Harbour71"
INTRUDER_PASSWORD = "Intruder!Quay52"
OWNER_PHONE = "+351912000777"
PRIVATE_TITLE = "Hidden cove known to the owner only"
PRIVATE_DESCRIPTION = "Private notes: the gate code is 4417 and the key is under the stone."
SAVED_TITLE = "Third author's tavern the owner saved privately"
CITY_NAME = "Securaport"
BUDDY_REQUEST_MESSAGE = "Owner to third: meet me at the lighthouse, I have the spare key."
NOTIFICATION_MESSAGE = "Only the owner may read this: the harbour gate opens at dawn."
SAVED_SEARCH_NAME = "Owner's secret quay search"
HISTORY_QUERY = "owner searched lighthouse keeper rota"
PRIVATE_TRIP_TITLE = "Owner's private lighthouse crossing"
TRIP_COMMENT = "Owner's trip note: the ferry leaves from pier 9 at 05:40."

# Rows others may legitimately add about the owner's things; everything else that
# belongs to the owner must stay exactly as it was.
OTHERS_MAY_ADD = {
    ("views", "recommendation_id"),  # anyone who may see the public recommendation views it
    ("content_reports", "content_owner_id"),  # anyone signed in may report what they see
    ("blocks", "blocked_id"),  # anyone may block the owner
}
# Anyone may ask for a reset code for any address (the email goes to its owner and the
# reply never says whether the account exists); the password itself is compared.
TABLES_OTHERS_MAY_TOUCH = {"password_resets", "email_outbox", "rate_limit_hits"}
COLUMNS_OTHERS_MAY_TOUCH = {("recommendations", "views_count")}


@dataclass(frozen=True)
class World:
    """Ids and secrets of the owner's things, and the two identities that attack them."""

    owner_id: int
    owner_username: str
    owner_email: str
    owner_family_id: str
    owner_access_token: str
    public_id: int
    private_id: int
    saved_id: int
    third_id: int
    photo_ids: tuple[int, int]
    private_photo_id: int
    city_id: int
    city_name: str
    category_id: int
    export_id: int
    export_file_key: str
    intruder_username: str
    intruder_cookie: str
    intruder_recommendation_id: int
    intruder_photo_ids: tuple[int, int]
    # The owner's pending buddy request goes to the third author; the owner blocked
    # `blocked_*` and accepts no buddy requests (tests/security/support/attacks_social.py).
    third_user_id: int = 0
    blocked_user_id: int = 0
    blocked_username: str = ""
    notification_id: int = 0  # the owner's unread notification (only they may read it)
    saved_title: str = ""  # the curator's public place the owner saved (tagged per world)
    saved_search_id: int = 0  # the owner's saved search and search history entry (§4.10)
    history_id: int = 0
    # The owner's private trip (nobody else may see it) and public trip: the third user
    # is an accepted participant and the owner wrote `TRIP_COMMENT` on it
    # (tests/security/support/attacks_trip_people.py).
    private_trip_id: int = 0
    public_trip_id: int = 0
    trip_comment_id: int = 0
    # On the owner's public trip: a city, an activity and a Place the owner added; on the
    # private one an activity (tests/security/support/attacks_trips.py).
    trip_city_id: int = 0
    trip_item_id: int = 0
    trip_place_id: int = 0
    private_trip_item_id: int = 0

    @property
    def owner_cookie(self) -> str:
        """The owner's own session (for the tests that show the checks can fail)."""
        return f"{ACCESS_COOKIE}={self.owner_access_token}"

    def within_reach(self) -> World:
        """The same attacks aimed at what the intruder may act on: their own recommendation
        and photos, and a third author's public one (so odd values reach the services)."""
        return replace(
            self, private_id=self.third_id, public_id=self.intruder_recommendation_id,
            photo_ids=self.intruder_photo_ids, private_photo_id=self.intruder_photo_ids[0],
        )  # fmt: skip

    def private_strings(self) -> dict[str, str]:
        """What no other person's frames may ever contain."""
        return {
            "owner email": self.owner_email,
            "owner phone": OWNER_PHONE,
            "owner session family": self.owner_family_id,
            "owner access token": self.owner_access_token,
            "private recommendation title": PRIVATE_TITLE,
            "private recommendation description": PRIVATE_DESCRIPTION,
            "owner's saved list": self.saved_title,
            "owner's export file": self.export_file_key,
            "a password hash": "$argon2",
            "owner's buddy request message": BUDDY_REQUEST_MESSAGE,
            "owner's notification": NOTIFICATION_MESSAGE,
            "owner's saved search": SAVED_SEARCH_NAME,
            "owner's search history": HISTORY_QUERY,
            "owner's private trip": PRIVATE_TRIP_TITLE,
        }


def _photo(db: Session, recommendation_id: int, position: int) -> Photo:
    photo = Photo(
        recommendation_id=recommendation_id, image_key=new_key(), thumb_key=new_key(),
        width=800, height=600, file_size=1000,
        caption=f"Owner's caption {position}", position=position, is_primary=position == 0,
    )  # fmt: skip
    db.add(photo)
    db.flush()
    return photo


def _trip(db: Session, owner_id: int, title: str, visibility: str) -> Trip:
    """A planning trip with the owner's companion row (owner, accepted), as create makes it."""
    trip = Trip(owner_id=owner_id, title=title, visibility=visibility)
    db.add(trip)
    db.flush()
    db.add(TripCompanion(trip_id=trip.id, user_id=owner_id, role=CompanionRole.owner,
                         status=CompanionStatus.accepted))  # fmt: skip
    return trip


def _mint_session(db: Session, user_id: int, now: datetime) -> tuple[str, str]:
    """A real session family and its access token, as `/auth/login` would issue them."""
    issued = session_start(
        db, user_id=user_id, remember_me=True, user_agent="security-tier", ip="127.0.0.1", now=now
    )
    return str(issued.family_id), issued.access_token


def build_world(tag: str) -> World:
    """Create the owner's things and the intruder (`tag` keeps usernames unique per run)."""
    now = datetime.now(UTC)

    def build(db: Session) -> World:
        owner = create_user(db, username=f"owner_{tag}", password=OWNER_PASSWORD,
                            full_name="Olive Owner")  # fmt: skip
        owner.phone = OWNER_PHONE
        third = create_user(db, username=f"third_{tag}", full_name="Tariq Third")
        intruder = create_user(db, username=f"intruder_{tag}", password=INTRUDER_PASSWORD,
                               full_name="Ivan Intruder")  # fmt: skip
        category = db.execute(sa.select(Category).where(Category.is_system)).scalars().first()
        city = City(name=f"{CITY_NAME} {tag}", country="Portugal")
        db.add(city)
        db.flush()
        public = create_recommendation(db, author=owner, category=category,
                                       title="Owner's public harbour walk")  # fmt: skip
        private = create_recommendation(
            db, author=owner, category=category, title=PRIVATE_TITLE,
            description=PRIVATE_DESCRIPTION, visibility="private",
        )  # fmt: skip
        # The owner saved a curator's public place. The curator blocked the intruder: the
        # feed lists every public place a viewer may see, and this title would stand for
        # the owner's saved list in the intruder's frames.
        curator = create_user(db, username=f"curator_{tag}", full_name="Cora Curator")
        # Tagged: the curator's place is public, so another test's intruder may see the
        # title of another world's saved place in their feed, and that is no leak.
        saved_title = f"{SAVED_TITLE} {tag}"
        saved = create_recommendation(db, author=curator, category=category, title=saved_title)
        rated = create_recommendation(db, author=third, category=category,
                                      title="Third author's public market")  # fmt: skip
        for recommendation in (public, private):
            db.add(RecommendationCity(recommendation_id=recommendation.id, city_id=city.id,
                                      is_primary=True))  # fmt: skip
        photos = (_photo(db, public.id, 0), _photo(db, public.id, 1))
        _photo(db, rated.id, 0)  # so the slideshow handlers have something to move
        private_photo = _photo(db, private.id, 0)
        db.add(Save(recommendation_id=saved.id, user_id=owner.id))
        db.add(Rating(recommendation_id=rated.id, user_id=owner.id, rating=4,
                      review="The owner's review"))  # fmt: skip
        family, access = _mint_session(db, owner.id, now)
        export = DataExport(user_id=owner.id, status=DataExportStatus.ready,
                            file_key=f"export-{uuid.uuid4().hex}.zip",
                            expires_at=now + timedelta(days=7))  # fmt: skip
        db.add(export)
        db.flush()
        _, intruder_access = _mint_session(db, intruder.id, now)
        db.add(Block(blocker_id=curator.id, blocked_id=intruder.id))
        own = create_recommendation(db, author=intruder, category=category,
                                    title="The intruder's own corner")  # fmt: skip
        own_photos = (_photo(db, own.id, 0), _photo(db, own.id, 1))
        blocked = create_user(db, username=f"blocked_{tag}", full_name="Bea Blocked")
        db.add(BuddyConnection(requester_id=owner.id, addressee_id=third.id,
                               status=BuddyStatus.pending,
                               request_message=BUDDY_REQUEST_MESSAGE))  # fmt: skip
        db.add(Block(blocker_id=owner.id, blocked_id=blocked.id))
        db.execute(sa.update(Profile).where(Profile.user_id == owner.id)
                   .values(buddy_requests_enabled=False))  # fmt: skip
        notice = Notification(recipient_id=owner.id, type=NotificationType.system,
                              title="A note for the owner", message=NOTIFICATION_MESSAGE,
                              action_url="/settings")  # fmt: skip
        db.add(notice)
        saved_search = SavedSearch(user_id=owner.id, name=SAVED_SEARCH_NAME, query="harbour")
        history = SearchHistory(user_id=owner.id, query=HISTORY_QUERY, searched_at=now)
        db.add_all([saved_search, history])
        private_trip = _trip(db, owner.id, PRIVATE_TRIP_TITLE, "private")
        public_trip = _trip(db, owner.id, "Owner's public harbour tour", "public")
        db.add(TripCompanion(trip_id=public_trip.id, user_id=third.id, invited_by_id=owner.id,
                             status=CompanionStatus.accepted))  # fmt: skip
        comment = TripComment(trip_id=public_trip.id, author_id=owner.id, body=TRIP_COMMENT)
        db.add(comment)
        stop = TripCity(trip_id=public_trip.id, city_id=city.id, position=1,
                        added_by_id=owner.id)  # fmt: skip
        item = ItineraryItem(trip_id=public_trip.id, day_number=1, title="Owner's ferry",
                             added_by_id=owner.id)  # fmt: skip
        hidden_item = ItineraryItem(trip_id=private_trip.id, day_number=1,
                                    title=PRIVATE_TRIP_TITLE, added_by_id=owner.id)  # fmt: skip
        place = TripRecommendation(trip_id=public_trip.id, recommendation_id=public.id,
                                   added_by_id=owner.id)  # fmt: skip
        db.add_all([stop, item, hidden_item, place])
        db.flush()
        return World(
            owner_id=owner.id, owner_username=owner.username, owner_email=owner.email,
            owner_family_id=family, owner_access_token=access, public_id=public.id,
            private_id=private.id, saved_id=saved.id, saved_title=saved_title, third_id=rated.id,
            photo_ids=(photos[0].id, photos[1].id), private_photo_id=private_photo.id,
            city_id=city.id, city_name=city.name, category_id=category.id, export_id=export.id,
            export_file_key=export.file_key, intruder_username=intruder.username,
            intruder_cookie=f"{ACCESS_COOKIE}={intruder_access}",
            intruder_recommendation_id=own.id,
            intruder_photo_ids=(own_photos[0].id, own_photos[1].id),
            third_user_id=third.id,
            blocked_user_id=blocked.id, blocked_username=blocked.username,
            notification_id=notice.id,
            saved_search_id=saved_search.id, history_id=history.id,
            private_trip_id=private_trip.id, public_trip_id=public_trip.id,
            trip_comment_id=comment.id, trip_city_id=stop.id, trip_item_id=item.id,
            trip_place_id=place.id, private_trip_item_id=hidden_item.id,
        )  # fmt: skip

    return run_transaction(build)


def _owned_conditions(table: sa.Table, owner_id: int, recommendation_ids: list[int]):
    """WHERE clauses selecting `table`'s rows that belong to the owner."""
    if table.name == "users":
        yield table.c.id == owner_id
    for column in table.columns:
        for key in column.foreign_keys:
            if (table.name, column.name) in OTHERS_MAY_ADD:
                continue
            if key.target_fullname == "users.id":
                yield column == owner_id
            elif key.target_fullname == "recommendations.id" and recommendation_ids:
                yield column.in_(recommendation_ids)


def _tables() -> Iterator[sa.Table]:
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in TABLES_OTHERS_MAY_TOUCH:
            yield table


def owner_snapshot(world: World) -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of every table that belongs to the owner (by primary key)."""

    def read(db: Session) -> dict[str, dict[Any, dict[str, Any]]]:
        recs = sa.text("SELECT id FROM recommendations WHERE author_id = :owner")
        recommendation_ids = list(db.execute(recs, {"owner": world.owner_id}).scalars())
        snapshot = {}
        for table in _tables():
            conditions = list(_owned_conditions(table, world.owner_id, recommendation_ids))
            if not conditions:
                continue
            rows = db.execute(sa.select(table).where(sa.or_(*conditions))).mappings().all()
            skipped = {c for t, c in COLUMNS_OTHERS_MAY_TOUCH if t == table.name}
            snapshot[table.name] = {
                tuple(row[c.name] for c in table.primary_key.columns): {
                    name: value for name, value in row.items() if name not in skipped
                }
                for row in rows
            }
        return snapshot

    return run_transaction(read)


def snapshot_changes(before: dict, after: dict) -> list[str]:
    """Human-readable differences between two snapshots (empty when equal)."""
    changes = []
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, {}), after.get(table, {})
        for key in sorted(set(old) | set(new), key=str):
            if old.get(key) != new.get(key):
                changes.append(f"{table} {key}: {old.get(key)} -> {new.get(key)}")
    return changes
