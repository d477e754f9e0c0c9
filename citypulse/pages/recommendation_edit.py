"""`/recommendations/[id]/edit` (A): the author edits; anyone else sees the 404 content."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.forms import alert
from citypulse.components.layout import page_layout
from citypulse.components.recommendation.form_layout import recommendation_form
from citypulse.pages.not_found import not_found_page
from citypulse.pages.registry import page
from citypulse.state.recommendations.edit import EDIT_UPLOAD_ID
from citypulse.state.recommendations.edit import RecommendationEditState as S


def _edit_form() -> rx.Component:
    detail_href = "/recommendations/" + S.recommendation_id.to(str)
    return rx.cond(
        S.editable,
        recommendation_form(
            S,
            on_submit=S.save,
            submit_label="Save changes",
            upload_id=EDIT_UPLOAD_ID,
            cancel_href=detail_href,
            photos_saved_at_once=True,
        ),
        rx.vstack(
            alert(S.form_error),
            rx.link("Back to the recommendation", href=detail_href),
            align="start",
        ),
    )


@page(
    route="/recommendations/[id]/edit",
    title="Edit recommendation",
    access="A",
    on_load=(S.load,),
)
def recommendation_edit_page() -> rx.Component:
    """The create form pre-filled, with the photo tools; "Save changes" goes back."""
    return rx.cond(
        S.found,
        page_layout(
            page_heading("Edit recommendation"),
            rx.cond(S.loaded, _edit_form(), rx.spinner(aria_label="Loading")),
        ),
        not_found_page(),
    )
