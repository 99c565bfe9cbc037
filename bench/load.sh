#!/usr/bin/env bash
# Load test (issue #7): gunicorn with the production settings on 127.0.0.1, wrk against the home page,
# the wall, a post page and search, while anonymous posts arrive through the API; then the same
# through a static file of each page's size (whitenoise, same gunicorn) as the ceiling.
#
#   bench/load.sh --var-dir DIR [--posts 100000] [--duration 60] [--connections 64] [--post-rate 10]
#
# DIR is reused if it holds a database (e.g. a copy of a wall built before: it is migrated and given
# the demo data); otherwise the wall is built there: demo data plus --posts imported posts (about an
# hour for 100,000 on 2 cores). Prints requests/s, p50, p99, errors and the ratio to the ceiling per
# page, then posts acknowledged against posts stored. Exits non-zero if any request or post failed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
python=${PYTHON:-$repo/.venv/bin/python}
var_dir="" posts=100000 duration=60 connections=64 post_rate=10 port=8765
workers=3 threads=4

while [ $# -gt 0 ]; do
  case $1 in
    --var-dir) var_dir=$2; shift 2 ;;
    --posts) posts=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --post-rate) post_rate=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
  esac
done
[ -n "$var_dir" ] || { sed -n '2,11p' "$0"; exit 2; }

missing=0
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; missing=1; }
[ -x "$python" ] || { echo "no Python at $python: make the venv (README) or set PYTHON=" >&2; missing=1; }
"$python" -c "import gunicorn" 2>/dev/null || { echo "gunicorn is missing: pip install -r requirements.txt" >&2; missing=1; }
[ "$missing" = 0 ] || exit 1

# Production settings with throwaway secrets, plain HTTP on the loopback, and write limits high
# enough for the load's posts (they all come from one key).
mkdir -p "$var_dir"
export DJANGO_SETTINGS_MODULE=config.settings.production
export ECHOWALL_VAR_DIR=$(cd "$var_dir" && pwd)
export SECRET_KEY=$("$python" -c "import secrets; print(secrets.token_urlsafe(50))")
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false
export ECHOWALL_CACHE=${ECHOWALL_CACHE:-file}
export ECHOWALL_API_WRITES_PER_CLIENT=1000000
cd "$repo"

if [ -f "$ECHOWALL_VAR_DIR/echowall.sqlite3" ]; then
  echo "reusing the wall in $ECHOWALL_VAR_DIR"
  "$python" manage.py migrate --noinput --verbosity 0
  "$python" manage.py setup_site --verbosity 0
  "$python" manage.py seed_demo --force --verbosity 0 >/dev/null  # adds nothing to a wall that has posts
else
  echo "building a wall of demo data plus $posts posts in $ECHOWALL_VAR_DIR"
  "$python" bench/load.py build --posts "$posts"
fi
[ "$ECHOWALL_CACHE" != database ] || "$python" manage.py createcachetable
"$python" manage.py collectstatic --noinput --verbosity 0

ceiling_dir=$ECHOWALL_VAR_DIR/static/load-ceiling
pages=$("$python" bench/load.py pages "$ceiling_dir")
read -r kind category key before <<<"$("$python" bench/load.py prepare | tr '\n' ' ')"
rm -rf "$ECHOWALL_VAR_DIR/cache"  # every page starts uncached
echo "$pages" | awk '{print "  " $1 ": " $2 " (" $3 " bytes)"}'

# gthread: a worker keeps wrk's connections alive and serves several at once; 3 processes on 2 cores
# so one waiting on SQLite's write lock does not leave a core idle.
"$python" -m gunicorn config.wsgi --bind "127.0.0.1:$port" --workers "$workers" --worker-class gthread \
  --threads "$threads" --log-level warning &
gunicorn_pid=$!
trap 'kill $gunicorn_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done

lua=$(mktemp --suffix=.lua)
cat >"$lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.1f %.1f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
LUA

acks=$(mktemp)
total=$(( (duration + 2) * 8 ))
"$python" bench/load.py post "http://127.0.0.1:$port/api/v1/posts" "$key" "$total" "$post_rate" "$kind" "$category" "$acks" &
poster_pid=$!

measure() {  # path -> "req/s p50 p99 errors", after a warm-up (each worker loads the segmenter once)
  wrk -t 2 -c "$connections" -d 3s --timeout 10s "http://127.0.0.1:$port$1" >/dev/null
  wrk -t 2 -c "$connections" -d "${duration}s" --timeout 10s -s "$lua" "http://127.0.0.1:$port$1" | awk '/^RESULT/ {print $2, $3, $4, $5}'
}

results=$(mktemp)
while read -r name path size; do
  echo "loading $name ($path) and its ceiling, ${duration} s each..." >&2
  echo "$name $(measure "$path") $(measure "/static/load-ceiling/$name.html")" >>"$results"
done <<<"$pages"
wait $poster_pid

echo
echo "gunicorn: $workers workers x $threads threads (gthread); cache: $ECHOWALL_CACHE; wrk: $connections connections, ${duration} s"
echo "load while measuring: $(uptime | sed 's/.*load average/load average/')"
printf '%-8s %10s %9s %9s %7s %10s %9s %9s\n' page "req/s" "p50 ms" "p99 ms" errors "ceiling/s" "c. p99" ratio
failed=0
while read -r name rps p50 p99 errors crps cp50 cp99 cerrors; do
  printf '%-8s %10s %9s %9s %7s %10s %9s %8.0f%%\n' "$name" "$rps" "$p50" "$p99" "$errors" "$crps" "$cp99" \
    "$(awk "BEGIN {print 100 * $rps / $crps}")"
  [ "$errors" = 0 ] && [ "$cerrors" = 0 ] || failed=1
done <"$results"
"$python" bench/load.py count "$acks" "$before" || failed=1
rm -f "$lua" "$acks" "$results"
exit $failed
