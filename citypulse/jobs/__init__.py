"""Periodic work on a real job runner (procrastinate, queue in PostgreSQL).

- `schedule.py`: the table of passes (name, UTC cron, plain function) — add rows here;
- `app.py`: the procrastinate app, one locked periodic task per row, and housekeeping;
- `worker.py`: the `cli worker` process (compose service `worker`; `make run` starts it
  beside the app) and its healthcheck.
"""
