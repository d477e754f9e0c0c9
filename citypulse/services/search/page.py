"""/search (§2.2, §4.10): the results of one search for one viewer, and running it.

`search_page` is the read-only loader (opening a /search URL, "Load more", switching
tabs); `search_run` is an executed search — the same results plus exactly one history
entry, in one transaction. The All tab shows 5 per kind, a single kind 20 per page, and
every tab's count. A search that finds nothing is retried once with "Did you mean"
words (a misspelt "cofee" shows coffee places, saying so).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from citypulse.services.accounts.viewer import Viewer
from citypulse.services.policies import require_active_actor
from citypulse.services.recommendations.cities import CategoryOption, categories_list
from citypulse.services.search.history import HistoryEntry, recent_searches, record_search
from citypulse.services.search.people import ResultPage, search_cities, search_people
from citypulse.services.search.places import PlacePage, search_places
from citypulse.services.search.request import SearchRequest, parse_request
from citypulse.services.search.saved import SavedSearchItem, saved_searches
from citypulse.services.search.suggest import did_you_mean

ALL_PER_KIND = 5
PAGE_SIZE = 20
_NOTHING_PLACES = PlacePage((), None, 0, False)
_NOTHING = ResultPage((), None, 0, False)


@dataclass(frozen=True)
class SearchResults:
    request: SearchRequest  # as parsed (the text as typed)
    places: PlacePage
    people: ResultPage
    cities: ResultPage
    showing_for: str  # the corrected text the results are for; '' when as typed

    @property
    def total(self) -> int:
        return self.places.total + self.people.total + self.cities.total


def _size(request: SearchRequest, kind: str) -> int:
    if request.kind == "all":
        return ALL_PER_KIND
    return PAGE_SIZE if request.kind == kind else 1  # 1: only its count is shown


def _find(
    session: Session, viewer_id: int, request: SearchRequest, cursor: str | None
) -> tuple[PlacePage, ResultPage, ResultPage]:
    mine = {request.kind: cursor}  # a cursor belongs to the tab that is shown
    if request.is_empty:
        cities = _NOTHING
        if request.kind == "cities":  # the cities directory
            cities = search_cities(session, "", cursor=cursor, limit=PAGE_SIZE)
        return _NOTHING_PLACES, _NOTHING, cities
    text = " ".join(request.words)
    places = search_places(
        session,
        viewer_id,
        request,
        cursor=mine.get("recommendations"),
        limit=_size(request, "recommendations"),
    )
    if request.has_filters:  # place filters: people and cities have none of them
        return places, _NOTHING, _NOTHING
    people = search_people(
        session, viewer_id, text, cursor=mine.get("users"), limit=_size(request, "users")
    )
    cities = search_cities(session, text, cursor=mine.get("cities"), limit=_size(request, "cities"))
    return places, people, cities


def _results(
    session: Session, viewer_id: int, request: SearchRequest, cursor: str | None
) -> SearchResults:
    places, people, cities = _find(session, viewer_id, request, cursor)
    found = places.total + people.total + cities.total
    if found == 0 and request.words:
        corrected = did_you_mean(session, viewer_id, request)
        if corrected is not None:
            places, people, cities = _find(session, viewer_id, request.with_text(corrected), cursor)
            return SearchResults(request, places, people, cities, corrected)
    return SearchResults(request, places, people, cities, "")


def search_page(
    session: Session,
    *,
    viewer: Viewer | None,
    text: object = "",
    filters: object = None,
    cursor: str | None = None,
) -> SearchResults:
    """The results of a search (nothing recorded): a /search URL, a tab, "Load more".

    Raises:
        PermissionDenied: signed out or restricted. ValidationFailed: a bad query or filter.
        NotFound: "near" a place the viewer may not see.
    """
    actor = require_active_actor(session, viewer)
    return _results(session, actor.user_id, parse_request(text, filters), cursor)


def search_run(
    session: Session, *, actor: Viewer, text: object = "", filters: object = None, now: datetime
) -> SearchResults:
    """An executed search (submit, picked suggestion, applied filters): its first page and
    exactly one history entry (the same search within 10 minutes refreshes it)."""
    owner = require_active_actor(session, actor)
    request = parse_request(text, filters)
    results = _results(session, owner.user_id, request, None)
    if not request.is_empty:
        # The tab is how the results are looked at, not a different search.
        record_search(session, owner.user_id, replace(request, kind="all"), results.total, now)
    return results


@dataclass(frozen=True)
class SearchScreen:
    """Everything /search shows when it opens: results, filter choices and the viewer's
    recent and saved searches."""

    results: SearchResults
    categories: tuple[CategoryOption, ...]
    recent: tuple[HistoryEntry, ...]
    saved: tuple[SavedSearchItem, ...]
    archived: tuple[SavedSearchItem, ...]


def search_screen(
    session: Session, *, actor: Viewer, text: object = "", filters: object = None, now: datetime
) -> SearchScreen:
    """Open /search: run the search in the URL (one history entry, merged with the same
    search within 10 minutes) and read the page's lists, in one transaction."""
    results = search_run(session, actor=actor, text=text, filters=filters, now=now)
    return SearchScreen(
        results,
        categories_list(session),
        recent_searches(session, viewer=actor),
        saved_searches(session, viewer=actor),
        saved_searches(session, viewer=actor, archived=True),
    )
