#!/usr/bin/env bash
# docs/deploy.md followed on this machine, as far as it goes without changing /etc or systemd:
# a PostgreSQL database, the env file, migrate, units load, collectstatic, check --deploy,
# `phongtrao serve` (gunicorn) on a loopback port, nginx with deploy/nginx/phongtrao.conf
# (loopback ports, a self-signed certificate, a temporary prefix), the login page and a static
# file through nginx, a worker writing a report from the queue; then everything stopped.
#
#   deploy/walkthrough.sh            # PostgreSQL at postgres://postgres@127.0.0.1:5432
#   WALKTHROUGH_PG=postgres://user:pw@host:5432 deploy/walkthrough.sh
# Run by phongtrao/tests/test_deploy_walkthrough.py (skipped where nginx is missing).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${PHONGTRAO_BIN:-$ROOT/.venv/bin}
NGINX=${NGINX:-/usr/sbin/nginx}
PG=${WALKTHROUGH_PG:-postgres://postgres@127.0.0.1:5432}
DB=phongtrao_walkthrough_$$
WORK=$(mktemp -d /tmp/phongtrao-walkthrough.XXXXXX)
HOST=phongtrao.congan.example.vn
say() { echo "== $*" >&2; }
port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
sql() { "$BIN/python" -c 'import sys, psycopg; psycopg.connect(sys.argv[1], autocommit=True).execute(sys.argv[2])' "$PG/postgres" "$1"; }

PIDS=()
cleanup() {
  set +e
  [ -f "$WORK/nginx/nginx.pid" ] && "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -s quit 2>/dev/null
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  sql "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

say "1. PostgreSQL: a database for the app ($DB)"
sql "CREATE DATABASE \"$DB\""

say "2. The env file, from deploy/phongtrao.env.example"
WEB_PORT=$(port); HTTP_PORT=$(port); HTTPS_PORT=$(port)
sed -e "s|^DATABASE_URL=.*|DATABASE_URL=$PG/$DB|" \
    -e "s|^SECRET_KEY=.*|SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')|" \
    -e "s|^ALLOWED_HOSTS=.*|ALLOWED_HOSTS=$HOST|" \
    -e "s|/var/lib/phongtrao|$WORK/var|g" \
    -e "s|^PHONGTRAO_BIND=.*|PHONGTRAO_BIND=127.0.0.1:$WEB_PORT|" \
    -e "s|^#PHONGTRAO_WEB_WORKERS=.*|PHONGTRAO_WEB_WORKERS=2|" \
    "$ROOT/deploy/phongtrao.env.example" > "$WORK/phongtrao.env"
set -a; . "$WORK/phongtrao.env"; set +a
unset DEBUG PHONGTRAO_STATIC_MANIFEST DJANGO_SETTINGS_MODULE
mkdir -p "$WORK/var"

say "3. migrate, units load, collectstatic, check --deploy"
"$BIN/phongtrao" migrate --noinput -v0
"$BIN/phongtrao" units load >/dev/null
"$BIN/phongtrao" collectstatic --noinput -v0
"$BIN/phongtrao" check --deploy --fail-level WARNING

say "4. phongtrao serve (gunicorn) on 127.0.0.1:$WEB_PORT"
"$BIN/phongtrao" serve > "$WORK/web.log" 2>&1 &
PIDS+=($!)

say "5. nginx with deploy/nginx/phongtrao.conf on ports $HTTP_PORT and $HTTPS_PORT"
mkdir -p "$WORK/nginx/tmp" "$WORK/nginx/logs" "$WORK/acme"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$HOST" \
  -keyout "$WORK/nginx/key.pem" -out "$WORK/nginx/cert.pem" 2>/dev/null
sed -e "s|127.0.0.1:8000|127.0.0.1:$WEB_PORT|" \
    -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" -e "/listen \[::\]/d" \
    -e "s|listen 443 ssl|listen 127.0.0.1:$HTTPS_PORT ssl|" \
    -e "s|/etc/letsencrypt/live/$HOST/fullchain.pem|$WORK/nginx/cert.pem|" \
    -e "s|/etc/letsencrypt/live/$HOST/privkey.pem|$WORK/nginx/key.pem|" \
    -e "s|/var/log/nginx|$WORK/nginx/logs|" -e "s|/var/www/letsencrypt|$WORK/acme|" \
    "$ROOT/deploy/nginx/phongtrao.conf" > "$WORK/nginx/site.conf"
USER_LINE=""
[ "$(id -u)" = 0 ] && USER_LINE="user root;"
cat > "$WORK/nginx/nginx.conf" <<CONF
$USER_LINE
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  include $WORK/nginx/site.conf;
}
CONF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -t -q
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"

say "6. the login page and a static file through nginx"
get() { curl -sk --resolve "$HOST:$HTTPS_PORT:127.0.0.1" --resolve "$HOST:$HTTP_PORT:127.0.0.1" "$@"; }
for _ in $(seq 1 100); do
  [ "$(get -o /dev/null -w '%{http_code}' "https://$HOST:$HTTPS_PORT/accounts/login/")" = 200 ] && break
  sleep 0.2
done
get -o "$WORK/login.html" -w '%{http_code}\n' "https://$HOST:$HTTPS_PORT/accounts/login/" | grep -qx 200 \
  || { cat "$WORK/web.log" >&2; echo "login page: not 200" >&2; exit 1; }
grep -q 'Đăng nhập' "$WORK/login.html" || { echo "login page: not in Vietnamese" >&2; exit 1; }
echo "login page: 200"
[ "$(get -o /dev/null -w '%{http_code}' "http://$HOST:$HTTP_PORT/accounts/login/")" = 301 ]
echo "http: 301 to https"
CSS=$(grep -o '/static/[^"]*\.css' "$WORK/login.html" | head -n1)
case "$CSS" in *.*.css) ;; *) echo "static file without a hashed name: $CSS" >&2; exit 1;; esac
get -D "$WORK/static.headers" -o /dev/null -H 'Accept-Encoding: gzip' "https://$HOST:$HTTPS_PORT$CSS"
grep -qi '^cache-control: max-age=315360000' "$WORK/static.headers" \
  || { cat "$WORK/static.headers" >&2; echo "static file: not cached for ever" >&2; exit 1; }
echo "static file: $CSS 200, cached for ever"

say "7. a worker writes a report from the queue"
"$BIN/phongtrao" worker > "$WORK/worker.log" 2>&1 &
PIDS+=($!)
"$BIN/phongtrao" shell -c '
from phongtrao.documents.services import report_job_create
from phongtrao.units.models import Unit, UnitKind
unit = Unit.objects.get(code="51", kind=UnitKind.PROVINCE, valid_to__isnull=True)
report_job_create(actor=None, unit=unit, year=2025, fmt="xlsx", boundaries="current")'
for _ in $(seq 1 120); do
  "$BIN/phongtrao" jobs --status done | grep -q . && break
  sleep 0.5
done
"$BIN/phongtrao" jobs | tee "$WORK/jobs.txt"
grep -qP '^\d+\tdone\t1\t100%' "$WORK/jobs.txt" || { cat "$WORK/worker.log" >&2; exit 1; }
echo "report job: done by the worker"
say "walk-through passed"
