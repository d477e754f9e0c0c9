"""The text a recommendation is found by, besides its title and description (§4.10.2).

Stored in `recommendations.search_terms`, which feeds the weight-B part of the
generated `search_vector`; every writer of tags, cities or category must refresh it.
"""

from collections.abc import Iterable


def recommendation_search_terms(
    tags: Iterable[str], city_names: Iterable[str], category_name: str
) -> str:
    """Tags, city names and the category name as one space-separated string."""
    parts = [*tags, *city_names, category_name]
    return " ".join(part.strip() for part in parts if part and part.strip())
