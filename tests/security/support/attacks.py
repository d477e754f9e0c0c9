"""The explicit table: every public handler → what an attacker sends it.

Each entry turns the `World` into the steps that aim the handler at someone else's
things: the owner's private recommendation, their public one (which only they may edit
or delete), their photos, session family, email, password, profile, saved list and
city. Steps run in order in one crafted tab, so a handler that acts on what the page
loaded (e.g. `delete` after `load`) is first given the page it needs. The same steps
run signed out and as a non-owner (tests/security/test_every_handler.py); their
payload shapes are reused with odd values (tests/security/test_odd_ids.py).

A handler missing here fails the coverage test: add it with the call an attacker would
make against the owner, not the call the page makes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.security.support.attacks_accounts import (
    CITY,
    CREATE,
    DETAIL,
    EDIT,
    REPORT,
    account_attacks,
    profile_attacks,
    settings_attacks,
)
from tests.security.support.attacks_achievements import achievement_attacks
from tests.security.support.attacks_feed import feed_attacks
from tests.security.support.attacks_moderation import moderation_attacks
from tests.security.support.attacks_moderation_sanctions import sanction_attacks
from tests.security.support.attacks_notifications import notification_attacks
from tests.security.support.attacks_search import search_attacks
from tests.security.support.attacks_social import social_attacks
from tests.security.support.attacks_trip_people import (
    comment_attacks,
    companion_attacks,
    finder_attacks,
)
from tests.security.support.attacks_trips import trip_attacks
from tests.security.support.steps import Attack, Step, one, photo_file
from tests.security.support.wire import Page, on
from tests.security.support.world import CITY_NAME, World


def detail_of(rid: Callable[[World], int]) -> Callable[[World], Page]:
    return lambda w: on(DETAIL, id=rid(w))


def edit_page(w: World) -> Page:
    return on(EDIT, id=w.public_id)


def create_page(w: World) -> Page:
    return on(CREATE)


def on_private(handler: str, **payload: Any) -> Attack:
    """Open the owner's private recommendation, then act on whatever the page holds."""
    page = detail_of(lambda w: w.private_id)
    return lambda w: [
        Step("RecommendationDetailState.load", {}, page(w)),
        Step(handler, payload, page(w)),
    ]


def hijacked_form(w: World) -> dict[str, Any]:
    """A complete recommendation form (plus an author field no form should honour)."""
    return {
        "title": "Hijacked title",
        "description": "Replaced by someone else " * 3,
        "category_id": str(w.category_id),
        "city_text": f"{CITY_NAME}, Portugal",
        "address": "Elsewhere 1",
        "author_rating": "1",
        "visibility": "public",
        "author_id": str(w.owner_id),
        "month_1": "on",
        "tags": "hijack",
    }


def form_fields(state: str, page_of: Callable[[World], Page]) -> dict[str, Attack]:
    """The handlers the create and edit forms share (RecommendationFormFields, uploads)."""
    attacks: dict[str, Attack] = {
        f"{state}.{name}": one(f"{state}.{name}", page_of, value=value)
        for name, value in {
            "typed_title": "Hijacked title",
            "typed_description": "Hijacked",
            "typed_custom_category": "Hijacked",
            "typed_price_min": "1",
            "typed_price_max": "2",
            "typed_tags": "a,b",
            "type_city": CITY_NAME,
        }.items()
    }
    attacks |= {
        f"{state}.choose_category": lambda w: [
            Step(f"{state}.choose_category", {"value": str(w.category_id)}, page_of(w))
        ],
        f"{state}.pick_city": lambda w: [
            Step(f"{state}.type_city", {"value": CITY_NAME}, page_of(w)),
            Step(f"{state}.pick_city", {"city_id": str(w.city_id)}, page_of(w)),
        ],
        f"{state}.photos_chosen": one(f"{state}.photos_chosen", page_of),
        f"{state}.photos_rejected": one(f"{state}.photos_rejected", page_of, codes=["x"]),
        f"{state}.watch_uploads": one(f"{state}.watch_uploads", page_of),
        f"{state}.load": one(f"{state}.load", page_of),
        f"{state}.handle_upload": lambda w: [
            Step(f"{state}.photos_chosen", {}, page_of(w)),
            Step(f"{state}.handle_upload", {}, page_of(w), files=(photo_file(),)),
        ],
    }
    return attacks


def edit_attacks() -> dict[str, Attack]:
    """The owner's public recommendation through its edit page (only the author may)."""
    state = "RecommendationEditState"

    def photo_step(name: str, **payload: Any) -> Attack:
        return lambda w: [
            Step(f"{state}.load", {}, edit_page(w)),
            Step(f"{state}.{name}", {"photo_id": str(w.photo_ids[1]), **payload}, edit_page(w)),
            # The private recommendation's photo, through its own edit page.
            Step(
                f"{state}.{name}",
                {"photo_id": str(w.private_photo_id), **payload},
                on(EDIT, id=w.private_id),
            ),
        ]

    return form_fields(state, edit_page) | {
        f"{state}.save": lambda w: [
            Step(f"{state}.load", {}, edit_page(w)),
            Step(f"{state}.save", {"form": hijacked_form(w)}, edit_page(w)),
        ],
        f"{state}.set_primary": photo_step("set_primary"),
        f"{state}.remove_photo": photo_step("remove_photo"),
        f"{state}.move_photo": photo_step("move_photo", step=-1),
        f"{state}.set_caption": photo_step("set_caption", caption="Hijacked caption"),
    }


def create_attacks() -> dict[str, Attack]:
    """The create form: what it publishes belongs to the sender; slots are per tab."""
    state = "RecommendationFormState"
    return form_fields(state, create_page) | {
        f"{state}.submit": lambda w: [
            Step(f"{state}.load", {}, create_page(w)),
            Step(f"{state}.submit", {"form": hijacked_form(w)}, create_page(w)),
        ],
        f"{state}.set_primary": one(f"{state}.set_primary", create_page, slot="x"),
        f"{state}.remove_photo": one(f"{state}.remove_photo", create_page, slot="x"),
        f"{state}.move_photo": one(f"{state}.move_photo", create_page, slot="x", step=1),
        f"{state}.set_caption": one(f"{state}.set_caption", create_page, slot="x", caption="c"),
    }


def detail_attacks() -> dict[str, Attack]:
    state = "RecommendationDetailState"
    public, third = detail_of(lambda w: w.public_id), detail_of(lambda w: w.third_id)
    return {
        f"{state}.load": lambda w: [Step(f"{state}.load", {}, on(DETAIL, id=w.private_id))],
        f"{state}.toggle_like": on_private(f"{state}.toggle_like"),
        f"{state}.toggle_save": on_private(f"{state}.toggle_save"),
        f"{state}.share": on_private(f"{state}.share", platform="copy_link"),
        f"{state}.submit_rating": on_private(
            f"{state}.submit_rating", form={"rating": "1", "review": "Hijacked review"}
        ),
        f"{state}.report": on_private(f"{state}.report", form=REPORT),
        f"{state}.set_report_open": on_private(f"{state}.set_report_open", open=True),
        f"{state}.catch_up": on_private(f"{state}.catch_up"),
        f"{state}.show_photo": on_private(f"{state}.show_photo", index=0),
        f"{state}.toggle_autoplay": on_private(f"{state}.toggle_autoplay"),
        f"{state}.leave": on_private(f"{state}.leave"),
        # Only the author may delete the public one they can all see.
        f"{state}.delete": lambda w: [
            Step(f"{state}.load", {}, public(w)),
            Step(f"{state}.delete", {}, public(w)),
        ],
        # The owner's rating of a third author's recommendation stays theirs.
        f"{state}.delete_rating": lambda w: [
            Step(f"{state}.load", {}, third(w)),
            Step(f"{state}.delete_rating", {}, third(w)),
        ],
    }


def city_attacks() -> dict[str, Attack]:
    def city(w: World) -> Page:
        return on(CITY, name=w.city_name)

    return {
        "CityState.load": lambda w: [Step("CityState.load", {}, city(w))],
        "CityState.load_more": lambda w: [
            Step("CityState.load", {}, city(w)),
            Step("CityState.load_more", {}, city(w)),
        ],
        # Re-reads only this viewer's own list of the city the tab shows.
        "CityState.catch_up_travellers": lambda w: [
            Step("CityState.load", {}, city(w)),
            Step("CityState.catch_up_travellers", {}, city(w)),
        ],
        "CityState.leave": lambda w: [
            Step("CityState.load", {}, city(w)),
            Step("CityState.leave", {}, city(w)),
        ],
    }


ATTACKS: dict[str, Attack] = {
    **account_attacks(),
    **settings_attacks(),
    **profile_attacks(),
    **city_attacks(),
    **detail_attacks(),
    **edit_attacks(),
    **create_attacks(),
    **social_attacks(),
    **notification_attacks(),
    **search_attacks(),
    **achievement_attacks(),
    **feed_attacks(),
    **sanction_attacks(),
    **moderation_attacks(),
    **finder_attacks(),
    **companion_attacks(),
    **comment_attacks(),
    **trip_attacks(),
}
