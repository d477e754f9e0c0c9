"""The `/settings` loader: every section of the owner's own settings in one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.auth.sessions import session_start
from citypulse.models import Suspension
from citypulse.models.enums import AccountStatus, RestrictionKind
from citypulse.services.accounts.data_export import data_export_request
from citypulse.services.accounts.settings_page import settings_page
from citypulse.services.errors import NotFound
from tests.integration.accounts.support import actor, vanished
from tests.integration.support import NOW, run_action
from tests.support.factories import create_category, create_user


def test_a_visitor_gets_nothing(session: Session) -> None:
    create_user(session, username="sp_nora")
    assert settings_page(session, viewer=None, now=NOW) is None


def test_the_owner_gets_every_section(session: Session) -> None:
    nora = create_user(session, username="sp_nora", email="sp_nora@example.com")
    create_user(session, username="sp_otto", email="sp_otto@example.com")
    create_category(session, name="Museums")
    browser = session_start(
        session, user_id=nora.id, remember_me=False, user_agent=None, ip=None, now=NOW
    )
    export = run_action(session, data_export_request, user_id=nora.id, now=NOW)

    page = settings_page(session, viewer=actor(nora, browser.family_id), now=NOW)

    assert page.account.email == "sp_nora@example.com"
    assert [(s.family_id, s.is_current) for s in page.account.sessions] == [
        (str(browser.family_id), True)
    ]
    assert page.export is not None and page.export.id == export.id
    assert page.privacy is not None and page.privacy.profile_visibility == "public"
    assert page.interests is not None and page.interests.selected_ids == ()


def test_without_an_export_the_export_section_is_empty(session: Session) -> None:
    nora = create_user(session, username="sp_nora")
    assert settings_page(session, viewer=actor(nora), now=NOW).export is None


def test_a_restricted_owner_gets_no_profile_sections(session: Session) -> None:
    nora = create_user(session, username="sp_nora")
    nora.account_status = AccountStatus.suspended
    session.add(nora)
    session.add(
        Suspension(
            user_id=nora.id,
            kind=RestrictionKind.suspension,
            reason="Repeated spam in comments",
            starts_at=NOW - timedelta(days=1),
            ends_at=NOW + timedelta(days=6),
        )
    )
    session.flush()

    page = settings_page(session, viewer=actor(nora), now=NOW)

    assert page.privacy is None and page.interests is None


def test_a_vanished_account_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        settings_page(session, viewer=vanished(), now=NOW)


def test_only_the_viewers_own_data(session: Session) -> None:
    nora, otto = create_user(session, username="sp_nora"), create_user(session, username="sp_otto")
    session_start(session, user_id=otto.id, remember_me=False, user_agent=None, ip=None, now=NOW)
    run_action(session, data_export_request, user_id=otto.id, now=NOW)

    page = settings_page(session, viewer=actor(nora), now=NOW)

    assert page.account.sessions == [] and page.export is None
