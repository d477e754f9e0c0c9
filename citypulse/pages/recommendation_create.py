"""`/recommendations/create` (A): publish a recommendation (PRODUCT.md §2.2, §4.3)."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.recommendation.form_layout import recommendation_form
from citypulse.pages.registry import page
from citypulse.state.recommendations.form import CREATE_UPLOAD_ID
from citypulse.state.recommendations.form import RecommendationFormState as S


@page(
    route="/recommendations/create",
    title="Add a recommendation",
    access="A",
    on_load=(S.load,),
)
def recommendation_create_page() -> rx.Component:
    """The empty form with a live preview; "Publish" opens the new recommendation."""
    return page_layout(
        page_heading("Add a recommendation", "Share a place you love with other travellers."),
        rx.cond(
            S.loaded,
            recommendation_form(
                S,
                on_submit=S.submit,
                submit_label="Publish",
                upload_id=CREATE_UPLOAD_ID,
                cancel_href="/dashboard",
            ),
            rx.spinner(aria_label="Loading"),
        ),
    )
