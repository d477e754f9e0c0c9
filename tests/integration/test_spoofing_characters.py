"""Spoofing characters: refused in names and titles, kept in free text (issue 9 item 6).

Every name-like field goes through `citypulse.services.display_text.spoofing_problem`;
bios and descriptions keep such characters (the pages render them isolated).
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from citypulse.auth.google import GoogleIdentity
from citypulse.cli_admin import admin_create
from citypulse.models import User
from citypulse.services.accounts.google import google_sign_in
from citypulse.services.accounts.registration import SignUpForm, validate_sign_up
from citypulse.services.errors import ValidationFailed
from citypulse.services.profiles.edit import profile_update
from citypulse.services.recommendations.forms import validate_recommendation_form
from citypulse.services.recommendations.photos import caption_problem
from tests.integration.recommendations.support import form, viewer_for
from tests.integration.support import NOW, run_action
from tests.support.factories import create_category, create_user

RLO, LRI, ZWSP, ZWJ, BOM = "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff"
SPOOFS = [RLO, LRI, ZWSP, ZWJ, BOM, "\u200f", "\u2069"]


def message(label: str) -> str:
    return f"{label} cannot contain invisible or text-direction characters"


@pytest.mark.parametrize("spoof", SPOOFS)
def test_sign_up_refuses_them_in_the_full_name(session: Session, spoof: str) -> None:
    sign_up = SignUpForm(
        username="new_person",
        full_name=f"Alice{spoof} Smith",
        email="new.person@example.com",
        password="Harbour!Lights42",
        confirm_password="Harbour!Lights42",
        accepted_terms=True,
    )
    assert validate_sign_up(session, sign_up) == {"full_name": message("Full name")}


def test_profile_edit_refuses_them_in_names_and_places_but_keeps_them_in_the_bio(
    session: Session,
) -> None:
    nora = create_user(session, username="nora_spoof")
    changes = {
        "full_name": f"Nora{ZWSP}",
        "current_location": f"{RLO}otnoroT",
        "hometown": f"Lisbon{LRI}",
        "website_url": f"https://example.com/{RLO}fdp.exe",
    }
    with pytest.raises(ValidationFailed) as refused:
        run_action(session, profile_update, actor=viewer_for(nora), changes=changes, now=NOW)
    assert refused.value.field_errors == {
        "full_name": message("Full name"),
        "current_location": message("Current location"),
        "hometown": message("Hometown"),
        "website_url": message("Website link"),
    }

    bio = f"Hebrew and English: {RLO}mixed{ZWJ} text"
    run_action(session, profile_update, actor=viewer_for(nora), changes={"bio": bio}, now=NOW)
    session.refresh(nora)
    assert nora.bio == bio
    assert nora.full_name != f"Nora{ZWSP}"  # the refused edit changed nothing


def test_recommendation_form_refuses_them_in_title_place_and_category(session: Session) -> None:
    errors = validate_recommendation_form(
        session,
        form(
            title=f"Pilot{RLO} Coffee",
            custom_category=f"Cafe{ZWSP}",
            city_text=f"Toronto{LRI}, Canada",
            address=f"50 Wagstaff Dr{BOM}",
            best_time_text=f"Morning{ZWJ}",
            duration_suggestion=f"{RLO}1 hour",
        ),
    )
    assert errors == {
        "title": message("Title"),
        "category": message("Category"),
        "city": message("City"),
        "address": message("Address"),
        "best_time_text": message("Best time"),
        "duration_suggestion": message("Duration"),
    }


def test_recommendation_description_may_carry_them(session: Session) -> None:
    category = create_category(session, name="Restaurant")
    description = f"Menu in Arabic and English {RLO}side by side{ZWJ}, great coffee."
    assert (
        validate_recommendation_form(
            session, form(category_id=category.id, description=description)
        )
        == {}
    )


def test_control_characters_are_refused_in_names_titles_and_free_text(session: Session) -> None:
    """NUL cannot even be stored: every text field refuses it with a field error."""
    category = create_category(session, name="Cafe")
    errors = validate_recommendation_form(
        session,
        form(category_id=category.id, title="Pilot\x00 Coffee", address="50 Wagstaff\x07 Dr",
             description="Great coffee,\x00 come early."),
    )  # fmt: skip
    assert errors == {
        "title": message("Title"),
        "address": message("Address"),
        "description": "Description cannot contain control characters",
    }
    assert caption_problem("Sunset\x00") == "Caption cannot contain control characters"
    assert caption_problem("Sunset over the river") is None


def test_the_admin_command_refuses_them_in_the_full_name(session: Session) -> None:
    with pytest.raises(ValidationFailed) as refused:
        admin_create(
            session,
            username="ops_person",
            email="ops@example.com",
            full_name=f"Ops{RLO} Person",
            password="Harbour!Lights42",
            now=NOW,
        )
    assert refused.value.field_errors == {"full_name": message("Full name")}


def test_a_google_name_loses_them_instead_of_blocking_sign_up(session: Session) -> None:
    who = GoogleIdentity("google-spoof", "lena.spoof@example.com", True, f"Lena{RLO} {ZWSP}Ruiz")
    run_action(session, google_sign_in, identity=who, now=NOW)
    user = session.exec(select(User).where(User.email == "lena.spoof@example.com")).one()
    assert user.full_name == "Lena Ruiz"
