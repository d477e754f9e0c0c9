"""Run one user action as one transaction, then its after-commit effects.

After a successful commit: queued email is delivered in the background, realtime events
are dispatched, viewers whose For You terms changed are ranked ahead in the background
and feed sessions started from a first look are completed there (`feed.ahead`). Nothing
happens after a rollback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session

from citypulse.db import session_scope
from citypulse.email.outbox import deliver_in_background
from citypulse.realtime import PENDING_EVENTS, dispatch
from citypulse.services.feed.ahead import TERMS_CHANGED, complete_in_background, rank_in_background
from citypulse.services.feed.first_look import SESSIONS_TO_COMPLETE
from citypulse.services.mail import MAIL_QUEUED

T = TypeVar("T")


def run_transaction(
    action: Callable[[Session], T], *, commit_on: tuple[type[Exception], ...] = ()
) -> T:
    """Call `action(session)` in a new transaction (blocking: use from a worker thread).

    An exception of a `commit_on` type still commits what the action wrote before raising
    it (a refused sign-in must keep its failure count); any other exception rolls back.
    """
    refusal: Exception | None = None
    with session_scope() as session:
        try:
            result = action(session)
        except commit_on as error:
            refusal = error
        session.flush()
        effects = dict(session.info)
    if effects.get(MAIL_QUEUED):
        deliver_in_background()
    if events := effects.get(PENDING_EVENTS):
        dispatch(events)
    if viewers := effects.get(TERMS_CHANGED):
        rank_in_background(viewers)
    if sessions := effects.get(SESSIONS_TO_COMPLETE):
        complete_in_background(sessions)
    if refusal is not None:
        raise refusal
    return result
