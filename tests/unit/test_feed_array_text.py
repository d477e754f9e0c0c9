"""`terms.array_text`: long arrays sent to PostgreSQL as one string (issue 11)."""

from __future__ import annotations

from citypulse.services.feed.terms import array_text


def test_ids_and_scores_become_array_text_that_reads_back_the_same() -> None:
    assert array_text([]) == "{}"
    assert array_text([3, -17, 1019998]) == "{3,-17,1019998}"
    scores = [4.000123456789012, 1e-05, 0.0]
    text = array_text(scores)
    assert text == "{4.000123456789012,1e-05,0.0}"
    assert [float(item) for item in text.strip("{}").split(",")] == scores
