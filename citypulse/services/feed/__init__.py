"""The feed (PRODUCT.md §2.2 /dashboard, §4.9, §6.7; issue 11).

- `pages.feed_page`: For You, Buddies and Trending, 10 per page, frozen per feed session
  (`snapshots`) or keyset (Buddies); `pages.new_posts_count` for the "N new posts" pill.
- `ranking`: the For You score S = 3·B + 2·I + 1·C + 2·T̂ + R over a bounded candidate
  set, and the Trending order; both reuse `recommendation_visible_to` (the one rule).
- `trending.trending_refresh`: the job-runner pass that materialises T per window.
- `pool`: For You's candidates as the job runner keeps them every minute
  (`feed_pool_refresh`), plus what is newer read live; `terms`: the viewer's cities,
  interests, buddies and blocks for it.
- `snapshots.feed_snapshots_purge`: the job-runner pass that drops expired sessions.
- `panels.dashboard_panels`: Your stats, banners and category chips.
- `trips`: trip cards (For You: buddies' and the viewer's recent trips; Buddies: buddies'
  trips), through the trips access rule; a category chip hides them.
"""
