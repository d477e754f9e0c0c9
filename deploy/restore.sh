#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh. Destructive: asks for --yes.
#
#   DATABASE_URL=postgresql://user:pass@host:5432/citypulse \
#   UPLOADS_DIR=/path/to/uploads  deploy/restore.sh --yes <backup-folder>
#
# The database gets pg_restore --clean --if-exists in one transaction (a failure
# leaves it as it was); the uploads folder is emptied and refilled from the tarball.
# PG_RESTORE may name another command that reads a dump on stdin, e.g.
# PG_RESTORE="docker compose -f docker-compose.prod.yml exec -T postgres pg_restore".
# Stop the backend first (docker compose stop backend) so no one writes meanwhile.
set -euo pipefail

# shellcheck source=deploy/pg-tools.sh
source "$(dirname "$0")/pg-tools.sh"

if [ "$#" -ne 2 ] || [ "$1" != "--yes" ]; then
    pg_tools_die "usage: $0 --yes <backup-folder>"
fi
backup="$2"
: "${DATABASE_URL:?DATABASE_URL is required}"
: "${UPLOADS_DIR:?UPLOADS_DIR is required}"
for file in database.dump uploads.tar.gz SHA256SUMS; do
    [ -f "$backup/$file" ] || pg_tools_die "$backup/$file is missing"
done
(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || pg_tools_die "checksum mismatch in $backup"

url="$(pg_libpq_url "$DATABASE_URL")"
if [ -n "${PG_RESTORE:-}" ]; then
    read -r -a restore_cmd <<<"$PG_RESTORE"
else
    restore_cmd=("$(pg_pick_tool pg_restore "$url")")
fi

# Dump read from stdin so the same line works for a local tool and `docker compose exec`.
"${restore_cmd[@]}" --clean --if-exists --no-owner --no-privileges \
    --single-transaction --exit-on-error --dbname="$url" <"$backup/database.dump"

mkdir -p "$UPLOADS_DIR"
find "$UPLOADS_DIR" -mindepth 1 -delete
tar -xzf "$backup/uploads.tar.gz" -C "$UPLOADS_DIR"
echo "restored $backup"
