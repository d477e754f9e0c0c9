#!/bin/sh
# Backend container start-up: wait for PostgreSQL, migrate, then exec the server.
#
#   deploy/prestart.sh [command ...]
#
# Waits for DATABASE_URL with bounded retries (PRESTART_DB_ATTEMPTS x
# PRESTART_DB_DELAY seconds), runs `alembic upgrade head` through the CLI, and then
# replaces itself with the given command (the image's CMD: reflex run --backend-only),
# so the server is PID 1 and receives SIGTERM directly. Any failure exits non-zero and
# the container restarts instead of serving an unmigrated schema.
set -eu

: "${DATABASE_URL:?DATABASE_URL is required}"
PYTHON="${PYTHON:-python}"
export PRESTART_DB_ATTEMPTS="${PRESTART_DB_ATTEMPTS:-30}"
export PRESTART_DB_DELAY="${PRESTART_DB_DELAY:-2}"

# Run from the app root (where rxconfig.py and alembic.ini live), wherever we are called.
cd "$(dirname "$0")/.."

echo "prestart: waiting for the database (up to ${PRESTART_DB_ATTEMPTS} attempts)"
"$PYTHON" - <<'PY'
import os
import sys
import time

import psycopg

from citypulse.db import to_libpq_url

url = to_libpq_url(os.environ["DATABASE_URL"])
attempts = int(os.environ["PRESTART_DB_ATTEMPTS"])
delay = float(os.environ["PRESTART_DB_DELAY"])
for attempt in range(1, attempts + 1):
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
        print(f"prestart: database ready (attempt {attempt})")
        sys.exit(0)
    except psycopg.OperationalError as error:
        # The message names host/port, never the password.
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"prestart: database not ready ({attempt}/{attempts}): {reason}", file=sys.stderr)
        time.sleep(delay)
print("prestart: giving up: the database never became reachable", file=sys.stderr)
sys.exit(1)
PY

echo "prestart: applying migrations"
"$PYTHON" -m citypulse.cli migrate
echo "prestart: migrations applied"

if [ "$#" -gt 0 ]; then
    exec "$@"
fi
