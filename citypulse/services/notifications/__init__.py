"""In-app notifications and the emails they call for (PRODUCT.md §4.11, §4.12, §6.1).

- `create.notify`: the one way to create a notification (in the action's transaction).
- `queries`: unread count, the bell's latest ten, the /notifications pages.
- `commands`: mark read, mark all read, delete one, delete all read (recipient only).
- `summaries.daily_summaries_send`, `retention.notifications_retention`: periodic jobs.
- `events`: what the live path (state/push.py) hears after commit.
"""
