"""Attacks on the account, settings and profile handlers (part of the table in attacks.py).

Aimed at the owner's email, password, session family and profile: each handler acts
only on the verified sender's own account, so none of these may touch the owner's.
"""

from __future__ import annotations

from tests.security.support.steps import Attack, Step, one, photo_file
from tests.security.support.wire import Page, on
from tests.security.support.world import CITY_NAME, OWNER_PASSWORD, World

HIJACK_PASSWORD = "Hijacked!Pass93"
REPORT = {"reason": "other", "description": "Reported by someone it does not concern"}
DETAIL, EDIT = "/recommendations/[id]", "/recommendations/[id]/edit"
CREATE = "/recommendations/create"
PROFILE, PROFILE_EDIT, CITY = "/profile/[profile_username]", "/profile/edit", "/city/[name]"
SETTINGS, MODERATOR = "/settings", "/moderator/dashboard"
LOGIN, SIGNUP, RESET, VERIFY = "/login", "/signup", "/reset-password", "/verify-email"


def profile_attacks() -> dict[str, Attack]:
    def owner_profile(w: World, tab: str = "saved") -> Page:
        return on(PROFILE, profile_username=w.owner_username, tab=tab)

    profile_edit = lambda w: on(PROFILE_EDIT)  # noqa: E731
    photos, edit = "ProfilePhotoState", "ProfileEditState"
    return {
        # The owner-only "saved" tab of the owner's profile.
        "ProfileState.load": lambda w: [Step("ProfileState.load", {}, owner_profile(w))],
        "ProfileState.load_more": lambda w: [
            Step("ProfileState.load", {}, owner_profile(w, "liked")),
            Step("ProfileState.load_more", {}, owner_profile(w, "liked")),
        ],
        "ProfileState.report_profile": lambda w: [
            Step("ProfileState.load", {}, owner_profile(w, "recommendations")),
            Step(
                "ProfileState.report_profile",
                {"form": REPORT},
                owner_profile(w, "recommendations"),
            ),
        ],
        "ProfileState.set_report_open": lambda w: [
            Step("ProfileState.set_report_open", {"open": True}, owner_profile(w, "saved"))
        ],
        f"{edit}.load": one(f"{edit}.load", profile_edit),
        f"{edit}.set_field": one(f"{edit}.set_field", profile_edit, field="bio", value="Hijacked"),
        f"{edit}.set_username": lambda w: [
            Step(f"{edit}.set_username", {"value": w.owner_username}, profile_edit(w))
        ],
        f"{edit}.search_cities": one(f"{edit}.search_cities", profile_edit, text=CITY_NAME),
        f"{edit}.add_city": lambda w: [
            Step(f"{edit}.search_cities", {"text": CITY_NAME}, profile_edit(w)),
            Step(f"{edit}.add_city", {"city_id": str(w.city_id)}, profile_edit(w)),
        ],
        f"{edit}.set_city_month": lambda w: [
            Step(
                f"{edit}.set_city_month",
                {"city_id": str(w.city_id), "month": "2026-01"},
                profile_edit(w),
            )
        ],
        f"{edit}.remove_city": lambda w: [
            Step(f"{edit}.remove_city", {"city_id": str(w.city_id)}, profile_edit(w))
        ],
        # Whatever the form holds now (the owner's username typed above) is the sender's.
        f"{edit}.save": one(f"{edit}.save", profile_edit),
        f"{photos}.set_zoom": one(f"{photos}.set_zoom", profile_edit, value=2.5),
        f"{photos}.set_offset_x": one(f"{photos}.set_offset_x", profile_edit, value=10),
        f"{photos}.set_offset_y": one(f"{photos}.set_offset_y", profile_edit, value=90),
        f"{photos}.cancel": one(f"{photos}.cancel", profile_edit),
        f"{photos}.save_photo": one(f"{photos}.save_photo", profile_edit),
        f"{photos}.remove_photo": one(f"{photos}.remove_photo", profile_edit, kind="avatar"),
        f"{photos}.upload_avatar": lambda w: [
            Step(f"{photos}.upload_avatar", {}, profile_edit(w), files=(photo_file(),))
        ],
        f"{photos}.upload_cover": lambda w: [
            Step(f"{photos}.upload_cover", {}, profile_edit(w), files=(photo_file(),))
        ],
    }


def settings_attacks() -> dict[str, Attack]:
    settings = lambda w: on(SETTINGS)  # noqa: E731
    privacy = "PrivacySettingsState"
    hijack = {
        "current_password": OWNER_PASSWORD,
        "new_password": HIJACK_PASSWORD,
        "confirm_password": HIJACK_PASSWORD,
    }
    return {
        "SettingsState.load": one("SettingsState.load", settings),
        "SettingsState.change_password": one(
            "SettingsState.change_password", settings, form=hijack
        ),
        "SettingsState.deactivate": one(
            "SettingsState.deactivate", settings, form={"confirmation": OWNER_PASSWORD}
        ),
        "SettingsState.revoke_session": lambda w: [
            Step("SettingsState.revoke_session", {"family_id": w.owner_family_id}, settings(w))
        ],
        "SettingsState.save_preferences": one(
            "SettingsState.save_preferences", settings, form={"weekly_digest": "on"}
        ),
        "SettingsState.request_export": one("SettingsState.request_export", settings),
        "SettingsState.wait_for_export": one("SettingsState.wait_for_export", settings),
        f"{privacy}.choose_visibility": one(
            f"{privacy}.choose_visibility", settings, field="profile_visibility", value="private"
        ),
        f"{privacy}.toggle_switch": one(
            f"{privacy}.toggle_switch", settings, field="location_sharing", checked=False
        ),
        f"{privacy}.save_privacy": lambda w: [
            Step("SettingsState.load", {}, settings(w)),
            Step(f"{privacy}.save_privacy", {}, settings(w)),
        ],
        f"{privacy}.toggle_interest": lambda w: [
            Step(f"{privacy}.toggle_interest", {"category_id": str(w.category_id)}, settings(w))
        ],
        f"{privacy}.toggle_style": one(f"{privacy}.toggle_style", settings, style="adventure"),
        f"{privacy}.choose_preference": one(
            f"{privacy}.choose_preference", settings, field="activity_level", value="high"
        ),
        f"{privacy}.save_interests": one(f"{privacy}.save_interests", settings),
    }


def account_attacks() -> dict[str, Attack]:
    """Sign-in, sign-up, reset and verification, aimed at the owner's address."""
    reset = lambda w: on(RESET)  # noqa: E731
    signup = lambda w: on(SIGNUP)  # noqa: E731
    hijack = {"password": HIJACK_PASSWORD, "confirm_password": HIJACK_PASSWORD}
    return {
        "SessionState.guard": lambda w: [
            Step("SessionState.guard", {"access": "M"}, on(MODERATOR)),
            Step("SessionState.guard", {"access": "A"}, on(SETTINGS)),
        ],
        "SessionState.recheck": one("SessionState.recheck", lambda w: on(SETTINGS)),
        "SessionState.remember_theme": one("SessionState.remember_theme", theme="dark"),
        "SessionState.stay_signed_in": one("SessionState.stay_signed_in"),
        "SessionState.watch_idle": one("SessionState.watch_idle"),
        "ModeratorDashboardState.load": one(
            "ModeratorDashboardState.load", lambda w: on(MODERATOR)
        ),
        "ModeratorDashboardState.reports_arrived": one(
            "ModeratorDashboardState.reports_arrived", lambda w: on(MODERATOR)
        ),
        "ModeratorDashboardState.leave": one(
            "ModeratorDashboardState.leave", lambda w: on(MODERATOR)
        ),
        "LoginState.load": one("LoginState.load", lambda w: on(LOGIN, next="/settings")),
        "LoginState.resend_verification": one(
            "LoginState.resend_verification", lambda w: on(LOGIN)
        ),
        "ResetPasswordState.start": one("ResetPasswordState.start", reset),
        "ResetPasswordState.request_code": lambda w: [
            Step("ResetPasswordState.request_code", {"form": {"email": w.owner_email}}, reset(w))
        ],
        "ResetPasswordState.verify_code": lambda w: [
            Step("ResetPasswordState.request_code", {"form": {"email": w.owner_email}}, reset(w)),
            Step("ResetPasswordState.verify_code", {"form": {"code": "000000"}}, reset(w)),
        ],
        "ResetPasswordState.set_password": one(
            "ResetPasswordState.set_password", reset, form=hijack
        ),
        "SignupState.set_username": lambda w: [
            Step("SignupState.set_username", {"value": w.owner_username}, signup(w))
        ],
        "SignupState.set_email": lambda w: [
            Step("SignupState.set_email", {"value": w.owner_email}, signup(w))
        ],
        "SignupState.set_full_name": one("SignupState.set_full_name", signup, value="Olive"),
        "SignupState.set_password": one("SignupState.set_password", signup, value=HIJACK_PASSWORD),
        "SignupState.set_confirm": one("SignupState.set_confirm", signup, value=HIJACK_PASSWORD),
        "SignupState.set_accepted_terms": one("SignupState.set_accepted_terms", signup, value=True),
        # The form now holds the owner's email (set_email above): register over it.
        "SignupState.submit": one("SignupState.submit", signup),
        "SignupState.resend": one("SignupState.resend", signup),
        "VerifyEmailState.verify": one(
            "VerifyEmailState.verify", lambda w: on(VERIFY, token="forged.token.value")
        ),
        "VerifyEmailState.set_resend_email": lambda w: [
            Step("VerifyEmailState.set_resend_email", {"value": w.owner_email}, on(VERIFY))
        ],
        "VerifyEmailState.resend": one("VerifyEmailState.resend", lambda w: on(VERIFY)),
    }
