#!/usr/bin/env bash
# pingxiang-cf backup: the PostgreSQL database (pg_dump custom format) and the
# uploaded files (MEDIA_ROOT as a tarball), with a SHA-256 manifest.
#
#   deploy/backup.sh [DEST_DIR]
#
# Reads DATABASE_URL, MEDIA_ROOT, BACKUP_DIR and BACKUP_KEEP_DAYS from the
# environment, or from /etc/pingxiang-cf/env (PXCF_ENV_FILE) when unset.
# Writes DEST_DIR/pingxiang-cf-<UTC stamp>/{db.dump,media.tar.gz,SHA256SUMS}
# and removes backups older than BACKUP_KEEP_DAYS days (default 30; 0 keeps all).
# Cron, as the pingxiang user: 30 2 * * * /opt/pingxiang-cf/deploy/backup.sh
set -euo pipefail
umask 077

env_file="${PXCF_ENV_FILE:-/etc/pingxiang-cf/env}"
if [ -z "${DATABASE_URL:-}" ] && [ -r "$env_file" ]; then
    set -a; . "$env_file"; set +a
fi
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
dest_root="${1:-${BACKUP_DIR:-/var/backups/pingxiang-cf}}"
keep_days="${BACKUP_KEEP_DAYS:-30}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dest="$dest_root/pingxiang-cf-$stamp"
mkdir -p "$dest"

# postgres:// is what dj-database-url reads; libpq wants postgresql:// or postgres:// (both fine).
pg_dump --format=custom --compress=6 --no-owner --no-privileges \
    --file="$dest/db.dump" --dbname="$DATABASE_URL"
if [ -d "$MEDIA_ROOT" ]; then
    tar -czf "$dest/media.tar.gz" -C "$MEDIA_ROOT" .
else
    tar -czf "$dest/media.tar.gz" --files-from /dev/null
fi
(cd "$dest" && sha256sum db.dump media.tar.gz > SHA256SUMS)

if [ "$keep_days" -gt 0 ]; then
    find "$dest_root" -maxdepth 1 -type d -name 'pingxiang-cf-*' -mtime +"$keep_days" \
        -exec rm -rf {} +
fi
echo "$dest"
