#!/usr/bin/env bash
# pingxiang-cf restore from a directory written by deploy/backup.sh.
#
#   deploy/restore.sh BACKUP_DIR [TARGET_DATABASE_URL] [TARGET_MEDIA_ROOT]
#
# Checks the SHA-256 manifest, restores the database into TARGET_DATABASE_URL
# (default DATABASE_URL; the database must exist — create it empty first, and
# restore into a scratch database to test a backup) and unpacks the files into
# TARGET_MEDIA_ROOT (default MEDIA_ROOT). Objects in the target database are
# dropped and recreated (--clean). Stop the web, worker and beat services first
# when restoring the live system. Then: manage.py migrate (no-op for a backup of
# the same version) and manage.py verify_audit_chain.
set -euo pipefail

env_file="${PXCF_ENV_FILE:-/etc/pingxiang-cf/env}"
if [ -z "${DATABASE_URL:-}" ] && [ -r "$env_file" ]; then
    set -a; . "$env_file"; set +a
fi
backup="${1:?usage: restore.sh BACKUP_DIR [TARGET_DATABASE_URL] [TARGET_MEDIA_ROOT]}"
target_db="${2:-${DATABASE_URL:?DATABASE_URL is not set}}"
target_media="${3:-${MEDIA_ROOT:?MEDIA_ROOT is not set}}"

(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error \
    --dbname="$target_db" "$backup/db.dump"
mkdir -p "$target_media"
tar -xzf "$backup/media.tar.gz" -C "$target_media"
echo "restored $backup"
