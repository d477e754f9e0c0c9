"""The report dialogs' reasons and the one way a page sends a report (§4.13.1).

The services own the rule (`REPORT_REASONS`); components receive the plain values from
here, so the UI layers never import services or models (ARCHITECTURE.md layering).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import reflex as rx

from citypulse.models.enums import ReportContentType
from citypulse.services.moderation.reports import REPORT_REASONS, report_create

PROFILE_REPORT_REASONS: tuple[str, ...] = tuple(
    reason.value for reason in REPORT_REASONS[ReportContentType.profile]
)
RECOMMENDATION_REPORT_REASONS: tuple[str, ...] = tuple(
    reason.value for reason in REPORT_REASONS[ReportContentType.recommendation]
)
REVIEW_REPORT_REASONS: tuple[str, ...] = tuple(
    reason.value for reason in REPORT_REASONS[ReportContentType.review]
)
REPORT_THANKS = "Thanks, our moderators will review it."


async def send_report(
    state: Any, *, content_type: str, content_id: int, form: dict, dialog: str = "report"
) -> Any:
    """Report what `state`'s page shows; on success close its dialog and thank with a toast.

    `state` is a SessionState page state with `<dialog>_open` and `<dialog>_error` vars
    (`report_open`/`report_error` unless a page has several report dialogs). A
    refusal stays in the open dialog (the form keeps what was typed); a visitor who got
    here anyway (the page offers visitors a sign-in link instead) is sent to sign in.
    """
    outcome = await state._call(
        report_create,
        content_type=content_type,
        content_id=content_id,
        reason=str(form.get("reason", ""))[:32],
        description=str(form.get("description", ""))[:2000].strip() or None,
        now=datetime.now(UTC),
    )
    if outcome.signed_out or outcome.renewing:
        return outcome.redirect
    setattr(state, f"{dialog}_error", outcome.message)
    if outcome.error is not None:
        return None
    setattr(state, f"{dialog}_open", False)
    return rx.toast.success(REPORT_THANKS)
