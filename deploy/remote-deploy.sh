#!/usr/bin/env bash
# Server side of a deployment: run in /opt/citypulse by the CI deploy job (or by hand).
#
#   deploy/remote-deploy.sh            # activate .env.prod.new (the new version)
#   deploy/remote-deploy.sh --rollback # go back to .env.prod.previous
#
# Saves the running .env.prod as .env.prod.previous, dumps the database, starts the
# new images and waits up to DEPLOY_HEALTH_TIMEOUT (300) seconds for every container to
# be healthy. If they are not, it restores the previous .env.prod (previous image tag),
# starts that again and exits non-zero so the CI job fails.
set -euo pipefail
cd "$(dirname "$0")/.."

TIMEOUT="${DEPLOY_HEALTH_TIMEOUT:-300}"
CONTAINERS=(citypulse-postgres-prod citypulse-redis-prod citypulse-backend-prod citypulse-worker-prod
    citypulse-nginx-prod)
compose() { docker compose -f docker-compose.prod.yml --env-file .env.prod "$@"; }
env_value() { sed -n "s/^$1=//p" "$2" | tail -n 1 | tr -d '"'; }
log() { echo "remote-deploy: $*"; }

all_healthy() {
    local name status
    for name in "${CONTAINERS[@]}"; do
        status="$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$name" 2>/dev/null || true)"
        [ "$status" = "healthy" ] || return 1
    done
}

wait_healthy() {
    local deadline=$((SECONDS + TIMEOUT))
    until all_healthy; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            return 1
        fi
        sleep 5
    done
}

start() {
    compose pull --quiet && compose up -d --remove-orphans && wait_healthy || return 1
    # Re-resolve the backend's address: a recreated container may have a new IP.
    compose exec -T nginx nginx -s reload
}

# A database dump before every change of version: migrations only go forward.
backup_database() {
    local user db
    docker inspect citypulse-postgres-prod >/dev/null 2>&1 || return 0  # first deploy
    user="$(env_value POSTGRES_USER .env.prod)"
    db="$(env_value POSTGRES_DB .env.prod)"
    mkdir -p backups
    compose exec -T postgres pg_dump --format=custom -U "$user" "$db" \
        >"backups/pre-deploy-$(date -u +%Y%m%dT%H%M%SZ).dump"
}

if [ "${1:-}" = "--rollback" ]; then
    [ -f .env.prod.previous ] || { log "no .env.prod.previous to roll back to"; exit 1; }
    cp -p .env.prod .env.prod.failed
    cp -p .env.prod.previous .env.prod
    log "rolling back to $(env_value CITYPULSE_VERSION .env.prod)"
    start
    exit $?
fi

[ -f .env.prod.new ] || { log ".env.prod.new is missing"; exit 1; }
chmod 600 .env.prod.new
new="$(env_value CITYPULSE_VERSION .env.prod.new)"
previous=""
if [ -f .env.prod ]; then
    previous="$(env_value CITYPULSE_VERSION .env.prod)"
    backup_database
    cp -p .env.prod .env.prod.previous
fi
mv .env.prod.new .env.prod

log "deploying ${new} (previous: ${previous:-none})"
if start; then
    log "${new} is healthy"
    echo "$(date -u +%FT%TZ) ${new}" >>deployments.log
    exit 0
fi

log "${new} did not become healthy within ${TIMEOUT}s"
compose ps || true
compose logs --tail 80 backend worker nginx || true
if [ -n "$previous" ]; then
    cp -p .env.prod .env.prod.failed
    cp -p .env.prod.previous .env.prod
    log "rolling back to ${previous}"
    start || log "rollback to ${previous} is not healthy either"
fi
exit 1
