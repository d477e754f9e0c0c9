"""Create, edit and delete recommendations (PRODUCT.md §4.3). One call = one transaction.

Read models and lists: `recommendation_queries`; the city page: `recommendation_cities`;
photos: `recommendation_photos`; form rules and messages: `recommendation_forms`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from citypulse.media.transaction_files import delete_after_commit
from citypulse.models import ContentReport, Photo, Recommendation
from citypulse.models.enums import ContentStatus, ReportContentType, ReportStatus
from citypulse.realtime import publish_after_commit
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.achievements.evaluate import evaluate
from citypulse.services.achievements.metrics import CITY_CHANGED, PUBLISHED, STATUS_CHANGED
from citypulse.services.errors import ValidationFailed
from citypulse.services.feed.events import RecommendationPublished
from citypulse.services.rate_limits import Limit
from citypulse.services.recommendations.forms import (
    FORM_FIELDS,
    RecommendationForm,
    clean_recommendation_form,
)
from citypulse.services.recommendations.links import (
    add_city_visit,
    category_quota_errors,
    default_visibility,
    refresh_search_terms,
    resolve_category,
    resolve_city,
    set_primary_city,
    set_tags,
)
from citypulse.services.recommendations.photos import (
    RECOMMENDATION_EDITS,
    PhotoUpload,
    add_photo_rows,
    count_uploads,
    discard_files,
    own_recommendation,
    prepare_uploads,
    require_active,
    store_uploads,
)
from citypulse.services.recommendations.queries import (
    RecommendationDetail,
    primary_city,
    recommendation_detail,
    tag_names,
)

RECOMMENDATION_CREATES = Limit("rec-create", 10, timedelta(hours=1))
UNKNOWN_FIELD = "Unknown field"
DELETED_NOTE = "deleted by author"
COLUMNS = (
    "title", "description", "address", "price_min", "price_max", "difficulty", "best_months",
    "best_time_text", "duration_suggestion", "author_rating", "latitude", "longitude",
)  # fmt: skip
# Which form fields an error key or a cleaned value depends on (for partial edits).
DEPENDS_ON = {
    "category": {"category_id", "custom_category"},
    "city": {"city_id", "city_text"},
    "price_min": {"price_min", "price_max"},
    "price_max": {"price_min", "price_max"},
    "latitude": {"latitude", "longitude"},
    "longitude": {"latitude", "longitude"},
}


def recommendation_create(
    session: Session,
    *,
    actor: Viewer,
    form: RecommendationForm,
    photos: Sequence[PhotoUpload] = (),
    now: datetime,
) -> RecommendationDetail:
    """Publish a recommendation with its city, category, tags and 0–5 photos, atomically.

    Any active user may call it. The typed city or custom category is created when
    unknown; the author gets a CityVisit for the city. Photo files written before a
    failure are deleted again.

    Raises:
        ValidationFailed: field errors (see `recommendation_forms`, plus "photos").
        PermissionDenied: the actor's account is not active.
        RateLimited: 10 new recommendations per hour; 20 photo uploads per hour.
    """
    # CPU-bound image work first, before the transaction holds locks (rate-limit row).
    prepared, photo_errors = prepare_uploads(photos)
    require_active(session, actor)
    rate_limits.hit(session, RECOMMENDATION_CREATES, str(actor.user_id), now)
    values, errors = clean_recommendation_form(session, form)
    errors = {**photo_errors, **errors}
    if not errors:
        errors = category_quota_errors(session, actor, values["category"], now)
    if errors:
        raise ValidationFailed(errors)
    count_uploads(session, actor, len(photos), now)
    category = resolve_category(session, actor, values["category"], now)
    city = resolve_city(session, values["city"])
    rec = Recommendation(
        author_id=actor.user_id,
        category_id=category.id,
        visibility=values.get("visibility") or default_visibility(session, actor.user_id),
        created_at=now,
        updated_at=now,
        **{name: values[name] for name in COLUMNS},
    )
    session.add(rec)
    session.flush()
    set_primary_city(session, rec.id, city.id)
    set_tags(session, rec.id, values["tags"])
    refresh_search_terms(session, rec)
    add_city_visit(session, actor.user_id, city.id)
    stored = store_uploads(session, prepared)
    try:
        primary = next((i for i, upload in enumerate(photos) if upload.is_primary), 0)
        add_photo_rows(session, rec.id, stored, photos, make_primary=primary if photos else None)
        session.flush()
        evaluate(session, user_id=actor.user_id, metrics=PUBLISHED, now=now)
        publish_after_commit(session, RecommendationPublished(rec.id, actor.user_id))
        return recommendation_detail(session, viewer_id=actor.user_id, recommendation_id=rec.id)
    except BaseException:
        discard_files(session, stored)
        raise


def recommendation_form_for_edit(
    session: Session, *, actor: Viewer, recommendation_id: int
) -> RecommendationForm:
    """The edit form pre-filled with the current values (author only).

    Raises:
        NotFound: not the actor's own (or deleted): the edit page is a 404.
        PermissionDenied: "This recommendation was removed by a moderator".
    """
    return _current_form(session, own_recommendation(session, actor, recommendation_id))


def _current_form(session: Session, rec: Recommendation) -> RecommendationForm:
    city = primary_city(session, rec.id)
    return RecommendationForm(
        category_id=rec.category_id,
        title=rec.title,
        description=rec.description,
        city_id=city.id if city else None,
        city_text=", ".join(p for p in (city.name, city.state_province, city.country) if p)
        if city
        else "",
        address=rec.address,
        price_min="" if rec.price_min is None else f"{rec.price_min:.2f}",
        price_max="" if rec.price_max is None else f"{rec.price_max:.2f}",
        difficulty=rec.difficulty or "",
        best_months=tuple(sorted(rec.best_months or ())),
        best_time_text=rec.best_time_text or "",
        duration_suggestion=rec.duration_suggestion or "",
        author_rating=rec.author_rating,
        latitude="" if rec.latitude is None else repr(rec.latitude),
        longitude="" if rec.longitude is None else repr(rec.longitude),
        tags=tag_names(session, rec.id),
        visibility=rec.visibility,
    )


def _touches(key: str, changed: set[str]) -> bool:
    return bool(DEPENDS_ON.get(key, {key}) & changed)


def recommendation_update(
    session: Session,
    *,
    actor: Viewer,
    recommendation_id: int,
    changes: Mapping[str, Any],
    now: datetime,
) -> RecommendationDetail:
    """Change only the given form fields (keys of `RecommendationForm`); author only.

    Fields not in `changes` keep their values. `city_text` without `city_id` (and
    `custom_category` without `category_id`) replaces the current city (category).

    Raises:
        NotFound: not the actor's own, or deleted (hidden means 404).
        PermissionDenied: "This recommendation was removed by a moderator".
        ValidationFailed: field errors; unknown keys get "Unknown field".
        RateLimited: 50 edits per 15 min.
    """
    rec = own_recommendation(session, actor, recommendation_id)
    rate_limits.hit(session, RECOMMENDATION_EDITS, str(actor.user_id), now)
    unknown = {key: UNKNOWN_FIELD for key in changes if key not in FORM_FIELDS}
    if unknown:
        raise ValidationFailed(unknown)
    overrides = dict(changes)
    if "city_text" in changes and "city_id" not in changes:
        overrides["city_id"] = None
    if "custom_category" in changes and "category_id" not in changes:
        overrides["category_id"] = None
    changed = set(changes)
    merged = replace(_current_form(session, rec), **overrides)
    values, all_errors = clean_recommendation_form(session, merged)
    errors = {key: message for key, message in all_errors.items() if _touches(key, changed)}
    if not errors and _touches("category", changed):
        errors = category_quota_errors(session, actor, values["category"], now)
    if errors:
        raise ValidationFailed(errors)
    for name in COLUMNS:
        if _touches(name, changed):
            setattr(rec, name, values[name])
    if values.get("visibility") and "visibility" in changed:
        rec.visibility = values["visibility"]
    if _touches("category", changed):
        rec.category_id = resolve_category(session, actor, values["category"], now).id
    if _touches("city", changed):
        city = resolve_city(session, values["city"])
        set_primary_city(session, rec.id, city.id)
        add_city_visit(session, actor.user_id, city.id)
        evaluate(session, user_id=actor.user_id, metrics=CITY_CHANGED, now=now)
    if "tags" in changed:
        set_tags(session, rec.id, values["tags"])
    rec.updated_at = now
    session.flush()
    refresh_search_terms(session, rec)
    session.flush()
    return recommendation_detail(session, viewer_id=actor.user_id, recommendation_id=rec.id)


def recommendation_delete(
    session: Session, *, actor: Viewer, recommendation_id: int, now: datetime
) -> None:
    """Delete own recommendation (author only, after the page confirmed).

    It becomes `deleted` (hidden everywhere, the row purged after 30 days) and open
    reports on it resolve with the note "deleted by author". Its photos go at once: the
    rows now, the files (public to anyone holding a URL) as soon as this commits.

    Raises:
        NotFound: not the actor's own, or already deleted.
        RateLimited: 50 edits per 15 min.
    """
    rec = own_recommendation(session, actor, recommendation_id, allow_removed=True)
    rate_limits.hit(session, RECOMMENDATION_EDITS, str(actor.user_id), now)
    rec.status = ContentStatus.deleted
    rec.deleted_at = now
    rec.updated_at = now
    photos = select(Photo.image_key, Photo.thumb_key).where(col(Photo.recommendation_id) == rec.id)
    delete_after_commit(session, *(key for keys in session.execute(photos) for key in keys))
    session.execute(delete(Photo).where(col(Photo.recommendation_id) == rec.id))
    session.execute(
        update(ContentReport)
        .where(
            col(ContentReport.content_type) == ReportContentType.recommendation,
            col(ContentReport.content_id) == rec.id,
            col(ContentReport.status).in_([ReportStatus.pending, ReportStatus.under_review]),
        )
        .values(
            status=ReportStatus.resolved,
            resolution_note=DELETED_NOTE,
            reviewed_at=now,
            updated_at=now,
        )
    )
    evaluate(session, user_id=actor.user_id, metrics=STATUS_CHANGED, now=now)
    session.flush()
