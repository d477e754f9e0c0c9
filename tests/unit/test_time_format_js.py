"""The browser's moment wording (citypulse/components/time_format.js), run under Node.

The viewer's zone and language decide the text; relative up to a week, then a date.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from citypulse.settings import PROJECT_ROOT

MODULE = PROJECT_ROOT / "citypulse" / "components" / "time_format.js"
NOW = "2026-12-06T14:05:00Z"


def node() -> str:
    found = shutil.which("node", path=str(PROJECT_ROOT / ".tools" / "node_modules" / ".bin"))
    found = found or shutil.which("node")
    if not found:
        pytest.skip("Node is installed by `make tools`")
    return found


def run(calls: list[list]) -> list[str]:
    """Evaluate [function, iso, locale, zone] calls in Node with the clock at NOW."""
    script = f"""
        import {{ absoluteTime, describeMoment }} from {json.dumps(MODULE.as_uri())};
        const now = new Date({json.dumps(NOW)});
        const calls = {json.dumps(calls)};
        console.log(JSON.stringify(calls.map(([fn, iso, locale, zone]) => fn === "describe"
            ? describeMoment(new Date(iso), now, locale, zone)
            : absoluteTime(new Date(iso), locale, zone))));
    """
    done = subprocess.run(
        [node(), "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("iso", "locale", "expected"),
    [
        ("2026-12-06T14:04:50Z", "en-GB", "just now"),
        ("2026-12-06T14:02:00Z", "en-GB", "3 minutes ago"),
        ("2026-12-06T14:04:00Z", "en-GB", "1 minute ago"),
        ("2026-12-06T11:05:00Z", "en-GB", "3 hours ago"),
        ("2026-12-05T14:05:00Z", "en-GB", "yesterday"),
        ("2026-12-02T14:05:00Z", "en-GB", "4 days ago"),
        ("2026-12-06T16:05:00Z", "en-GB", "in 2 hours"),
        ("2026-12-06T14:02:00Z", "de-DE", "vor 3 Minuten"),
        ("2026-11-20T09:00:00Z", "en-GB", "20 Nov 2026"),
    ],
)
def test_relative_within_a_week_then_a_date(iso: str, locale: str, expected: str) -> None:
    assert run([["describe", iso, locale, "UTC"]]) == [expected]


def test_the_hover_text_is_in_the_viewers_zone_and_language() -> None:
    moment = "2026-12-06T14:05:00Z"
    assert run(
        [
            ["absolute", moment, "en-GB", "Europe/Lisbon"],
            ["absolute", moment, "en-GB", "America/Toronto"],
            ["absolute", moment, "en-US", "America/Toronto"],
        ]
    ) == ["6 Dec 2026, 14:05", "6 Dec 2026, 09:05", "Dec 6, 2026, 9:05 AM"]
