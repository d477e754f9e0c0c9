"""Search (PRODUCT.md §4.10, issue 11): places, people and cities, nearby, autocomplete,
history and saved searches.

- `request`: the one parser of a search (text, tab, sort, filters) from URLs, forms,
  history and saved searches.
- `places`: recommendations by text/filters/distance with a bounded candidate set.
- `people`: people (privacy and blocks) and cities.
- `page`: the /search loader and the executed search (one history entry).
- `suggest`: autocomplete and "Did you mean"; `history`, `saved`: the viewer's own lists.
"""
