"""How the e2e suite gets accounts and passwords against a deployment (issue 16).

tests/e2e/support/{target,people}.py without a browser: with `--base-url` accounts come
from the QA pool in order, never from a database.
"""

from collections.abc import Iterator

import pytest

from citypulse.seed.people import DEMO_PASSWORD
from tests.e2e.support import people, target

QA_ENV = {
    "QA_ACCOUNT_PASSWORD": "Qa!Secret-Pass9",
    "QA_ACCOUNT_PREFIX": "qa_",
    "QA_EMAIL_DOMAIN": "qa.example.test",
    "QA_ACCOUNT_COUNT": "2",
}


@pytest.fixture
def deployment() -> Iterator[target.Target]:
    """An external target for one test; the harness target again afterwards."""
    people._pool.clear()
    yield target.configure("https://staging.example/", QA_ENV)
    people._pool.clear()
    target.configure(None)


def test_the_harness_is_the_default_target() -> None:
    chosen = target.configure(None)
    assert not chosen.external and not target.is_external()
    assert people.member_username("ana") == "ana"
    assert people.password_for("ana@example.com") == DEMO_PASSWORD
    assert people.fresh_identity("erin") == ("erin", "erin@example.test")


def test_members_are_handed_out_from_the_qa_pool(deployment: target.Target) -> None:
    assert deployment.external_url == "https://staging.example"
    first = people.create_member("resetter")
    assert first == "qa_001@qa.example.test"
    assert people.create_member("changer") == "qa_002@qa.example.test"
    assert people.create_member("resetter") == first  # one account per journey's name
    assert people.member_username("changer") == "qa_002"
    assert people.password_for(first) == "Qa!Secret-Pass9"
    assert people.password_for("alice@citypulse.test") == DEMO_PASSWORD  # demo accounts


def test_an_exhausted_pool_fails_with_the_remedy(deployment: target.Target) -> None:
    people.create_member("one")
    people.create_member("two")
    with pytest.raises(pytest.fail.Exception, match="qa-accounts --count N"):
        people.create_member("three")


def test_sign_ups_use_fresh_qa_addresses(deployment: target.Target) -> None:
    username, email = people.fresh_identity("erin_e2e")
    assert username.startswith("qa_erin_e2e_") and len(username) <= 30
    assert email == f"{username}@qa.example.test"
    assert target.is_qa_address(email) and not target.is_qa_address("qa_1@example.com")
    assert people.fresh_identity("erin_e2e") != (username, email)


def test_database_helpers_and_demo_accounts_skip_with_the_reason(
    deployment: target.Target,
) -> None:
    with pytest.raises(pytest.skip.Exception, match="test database"):
        people.create_place("qa_001", title="Nowhere")
    with pytest.raises(pytest.skip.Exception, match="QA_DEMO_DATA=1"):
        people.needs_demo_data()


def test_no_qa_password_skips_account_journeys() -> None:
    target.configure("https://staging.example", {})
    try:
        with pytest.raises(pytest.skip.Exception, match="QA_ACCOUNT_PASSWORD"):
            people.create_member("anyone")
    finally:
        target.configure(None)
