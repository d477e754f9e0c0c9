"""A journey that fails on purpose, to prove a failure leaves its evidence (issue 16).

Never collected by the suite (its name does not start with `test_`) and marked
`evidence_sample`, which no CI command selects: tests/e2e/test_failure_evidence.py copies
it into a temporary folder and runs it with `make e2e`'s evidence options. To see the
evidence by hand:

    cp tests/e2e/support/evidence_sample.py /tmp/test_evidence_sample.py
    pytest /tmp/test_evidence_sample.py -m evidence_sample --tracing retain-on-failure \\
        --screenshot only-on-failure --video retain-on-failure --output /tmp/evidence
    playwright show-trace /tmp/evidence/*/trace.zip
"""

import pytest
from playwright.sync_api import Page, expect


@pytest.mark.evidence_sample
def test_a_heading_that_is_not_there(page: Page) -> None:
    page.set_content("<main><h1>CityPulse evidence sample</h1></main>")
    expect(page.get_by_role("heading", name="A heading that is not there")).to_be_visible(
        timeout=500
    )
