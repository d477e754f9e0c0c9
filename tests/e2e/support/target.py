"""Which site the journeys drive: the built-in harness, or any running deployment (issue 16).

`pytest tests/e2e` starts the app itself (tests/e2e/conftest.py) and may reach into its
test database. `pytest tests/e2e --base-url https://staging.example` (`make e2e
BASE_URL=…`) drives that deployment instead, with NO database access: accounts come
from the QA pool that `python -m citypulse.cli qa-accounts` prepared there, mail from its
`/qa/outbox`. Configuration of an external run, all from the environment:

    QA_TOKEN             the deployment's QA token (for /qa/outbox; mail journeys skip without)
    QA_ACCOUNT_PASSWORD  the password `cli qa-accounts` gave the pool (account journeys skip
                         without)
    QA_ACCOUNT_PREFIX    the pool's username prefix (default qa_), as on the deployment
    QA_EMAIL_DOMAIN      the pool's email domain (default qa.citypulse.test), likewise
    QA_ACCOUNT_COUNT     the pool's size (default 150, `qa-accounts --count`)
    QA_DEMO_DATA         1 when the deployment holds the demo seed (alice, bob, Toronto…)

`configure()` is called once by the conftest before any test runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

DEFAULT_PREFIX = "qa_"  # the same defaults as citypulse.settings
DEFAULT_DOMAIN = "qa.citypulse.test"
DEFAULT_COUNT = 150  # as `cli qa-accounts`
HARNESS_ONLY_REASON = "needs the built-in harness (its test database, fakes or process)"


@dataclass(frozen=True)
class Target:
    """The site under test; `external_url` is empty for the built-in harness."""

    external_url: str = ""
    qa_token: str = ""
    qa_password: str = ""
    prefix: str = DEFAULT_PREFIX
    domain: str = DEFAULT_DOMAIN
    pool_size: int = DEFAULT_COUNT
    demo_data: bool = True

    @property
    def external(self) -> bool:
        return bool(self.external_url)


_target = Target()


def configure(base_url: str | None, environ: dict[str, str] | None = None) -> Target:
    """Fix the target for this pytest run (external when `--base-url` was given)."""
    global _target
    env = os.environ if environ is None else environ
    if not base_url:
        _target = Target()
        return _target
    _target = Target(
        external_url=base_url.rstrip("/"),
        qa_token=env.get("QA_TOKEN", ""),
        qa_password=env.get("QA_ACCOUNT_PASSWORD", ""),
        prefix=env.get("QA_ACCOUNT_PREFIX", DEFAULT_PREFIX),
        domain=env.get("QA_EMAIL_DOMAIN", DEFAULT_DOMAIN),
        pool_size=int(env.get("QA_ACCOUNT_COUNT", DEFAULT_COUNT)),
        demo_data=env.get("QA_DEMO_DATA", "") == "1",
    )
    return _target


def current() -> Target:
    return _target


def is_external() -> bool:
    """True when the journeys drive a deployment given by `--base-url`."""
    return _target.external


def needs_harness(what: str) -> None:
    """Skip the running test against a deployment: `what` needs the test database etc."""
    if _target.external:
        pytest.skip(f"{HARNESS_ONLY_REASON}: {what}")


def is_qa_address(address: str) -> bool:
    """The pool's and QA sign-ups' addresses (what /qa/outbox serves)."""
    local, _, domain = address.lower().partition("@")
    return local.startswith(_target.prefix) and domain == _target.domain.lower()
