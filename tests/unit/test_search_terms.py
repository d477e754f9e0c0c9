"""The weight-B search text of a recommendation."""

from citypulse.services.recommendations.search_terms import recommendation_search_terms


def test_joins_tags_cities_and_category_skipping_blanks() -> None:
    terms = recommendation_search_terms(["coffee", " cozy ", ""], ["Toronto"], "Restaurant")
    assert terms == "coffee cozy Toronto Restaurant"
