"""The removal banner on a removed item's page, and its appeal form (§4.13.3, §4.13.9).

A page state that shows removed content keeps a `RemovalBannerView` (`removal`), the
removal's audit id server-side (`_removal_id`, never taken from the browser) and
`appeal_error`; its handler calls `send_removal_appeal`. The service decides everything
again (the owner only, 20–2000 characters, once, within 30 days, still removed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from citypulse.models.enums import AppealTarget
from citypulse.services.moderation.appeals import appeal_create
from citypulse.services.moderation.removal_banner import RemovalBanner
from citypulse.state.forms import typed

APPEAL_SENT = "Your appeal was sent. You will be notified of the decision."
MESSAGE_LIMIT = 2000


@dataclass(frozen=True)
class RemovalBannerView:
    """What the "Removed by moderation" banner shows (nothing while `shown` is False)."""

    shown: bool = False
    reason: str = ""
    owner_view: bool = False  # the owner reads "Only you and moderators can see it"
    can_appeal: bool = False  # the owner may still appeal: the form is shown
    appeal_status: str = ""  # "", pending, granted, rejected
    decision_note: str = ""
    refusal: str = ""  # why it can no longer be appealed (owner only)


def removal_banner_view(banner: RemovalBanner | None) -> RemovalBannerView:
    if banner is None:
        return RemovalBannerView()
    return RemovalBannerView(
        shown=True,
        reason=banner.reason,
        owner_view=banner.owner_view,
        can_appeal=banner.can_appeal,
        appeal_status=banner.appeal_status,
        decision_note=banner.decision_note,
        refusal=banner.refusal if banner.owner_view else "",
    )


async def send_removal_appeal(
    state: Any,
    form: Any,
    *,
    banner: str = "removal",
    removal_id: str = "_removal_id",
    error: str = "appeal_error",
) -> Any:
    """File the owner's appeal of the removal `state` shows; a refusal stays by the form.

    `state` is a SessionState page state with `removal`, `_removal_id` and `appeal_error`
    (or the vars named by `banner`, `removal_id` and `error` where a page shows another
    removed item of the viewer's, as the recommendation page their removed review).
    """
    message = typed(form.get("message") if isinstance(form, dict) else None)
    outcome = await state._call(
        appeal_create,
        target_type=AppealTarget.content_removal.value,
        target_id=getattr(state, removal_id),
        message=message[: MESSAGE_LIMIT + 1],
        now=datetime.now(UTC),
    )
    if outcome.signed_out or outcome.renewing:
        return outcome.redirect
    if outcome.error is not None:
        setattr(state, error, outcome.field_errors.get("message", outcome.message))
        return None
    setattr(state, error, "")
    shown = getattr(state, banner)
    setattr(state, banner, replace(shown, can_appeal=False, appeal_status="pending"))
    return rx.toast.success(APPEAL_SENT)
