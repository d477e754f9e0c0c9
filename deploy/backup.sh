#!/usr/bin/env bash
# Back up CityPulse: the PostgreSQL database (pg_dump custom format) and the uploads.
#
#   DATABASE_URL=postgresql://user:pass@host:5432/citypulse \
#   UPLOADS_DIR=/path/to/uploads  deploy/backup.sh <backup-root>
#
# Writes <backup-root>/<UTC timestamp>/{database.dump,uploads.tar.gz,SHA256SUMS} and
# prints that folder. PG_DUMP may name another command that writes a dump to stdout,
# e.g. PG_DUMP="docker compose -f docker-compose.prod.yml exec -T postgres pg_dump"
# so the server's own pg_dump is used (see deploy/README.md). Otherwise the local
# pg_dump matching the server's version is chosen (deploy/pg-tools.sh).
set -euo pipefail
umask 077  # dumps contain password hashes and private data

# shellcheck source=deploy/pg-tools.sh
source "$(dirname "$0")/pg-tools.sh"

[ "$#" -eq 1 ] || pg_tools_die "usage: $0 <backup-root>"
: "${DATABASE_URL:?DATABASE_URL is required}"
: "${UPLOADS_DIR:?UPLOADS_DIR is required}"
[ -d "$UPLOADS_DIR" ] || pg_tools_die "uploads folder $UPLOADS_DIR does not exist"

url="$(pg_libpq_url "$DATABASE_URL")"
target="$1/$(date -u +%Y%m%dT%H%M%SZ)"
[ -e "$target" ] && pg_tools_die "$target already exists"
mkdir -p "$target"

if [ -n "${PG_DUMP:-}" ]; then
    read -r -a dump_cmd <<<"$PG_DUMP"
else
    dump_cmd=("$(pg_pick_tool pg_dump "$url")")
fi

# Custom format: compressed, and pg_restore can --clean and reorder on restore.
# Written to a temporary name first so a failed dump never looks like a backup.
"${dump_cmd[@]}" --format=custom --no-owner --no-privileges --dbname="$url" \
    >"$target/database.dump.partial"
mv "$target/database.dump.partial" "$target/database.dump"

# Relative paths inside the archive, so it restores into any uploads folder.
tar -czf "$target/uploads.tar.gz.partial" -C "$UPLOADS_DIR" .
mv "$target/uploads.tar.gz.partial" "$target/uploads.tar.gz"

(cd "$target" && sha256sum database.dump uploads.tar.gz >SHA256SUMS)
echo "$target"
