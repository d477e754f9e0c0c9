"""The feed's live channel (§6.7): "N new posts" without polling.

Every open /dashboard links `FeedChannel` to the one key `feed`; the push adapter bumps
`posts_epoch` when a recommendation is published (`RecommendationPublished`). The epoch
says nothing about the post: each tab's watcher re-mounts on it and asks the database
how many posts its own list would gain (`new_posts_count`, the one visibility rule), so
a private, blocked or buddies-only post never shows in the wrong viewer's count. Open
lists never reorder: the count only raises the pill. Leaving the page unlinks the tab.
"""

import reflex as rx

FEED_KEY = "feed"  # shared-state keys may not contain "_"


class FeedChannel(rx.SharedState):
    """Seen by every dashboard tab: nothing here may name a post or a person."""

    posts_epoch: int = 0  # bumped whenever a recommendation is published
