"""The report reasons each kind of content offers, for the report dialogs.

The services own the rule (`REPORT_REASONS`); components receive the plain values from
here, so the UI layers never import services or models (ARCHITECTURE.md layering).
"""

from __future__ import annotations

from citypulse.models.enums import ReportContentType
from citypulse.services.moderation.reports import REPORT_REASONS

PROFILE_REPORT_REASONS: tuple[str, ...] = tuple(
    reason.value for reason in REPORT_REASONS[ReportContentType.profile]
)
RECOMMENDATION_REPORT_REASONS: tuple[str, ...] = tuple(
    reason.value for reason in REPORT_REASONS[ReportContentType.recommendation]
)
