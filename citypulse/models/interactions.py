"""Interaction memory that must outlive the interaction rows themselves.

A user's FIRST like and FIRST rating of a recommendation notify its author (PRODUCT.md
§4.4, §4.11); unliking deletes the `likes` row, so "has this user ever liked it" is kept
here. Rows are only inserted (`INSERT ... ON CONFLICT DO NOTHING`), never edited, and
vanish with the recommendation or the user.
"""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlmodel import Field

from citypulse.models.base import TableBase, enum_check, fk_field


class NoticeKind(enum.StrEnum):
    """Which first interaction was already announced to the author."""

    like = "like"
    rating = "rating"


class InteractionNotice(TableBase, table=True):
    """`user_id` already notified the author of `recommendation_id` of a first `kind`."""

    __tablename__ = "interaction_notices"
    __table_args__ = (
        sa.UniqueConstraint("recommendation_id", "user_id", "kind"),
        enum_check("kind", NoticeKind),
        # The unique index leads with recommendation_id; this one serves the user purge.
        sa.Index("ix_interaction_notices_user_id", "user_id"),
    )

    recommendation_id: int = fk_field("recommendations.id", "CASCADE")
    user_id: int = fk_field("users.id", "CASCADE")
    kind: NoticeKind = Field(sa_type=sa.String(16), nullable=False)
