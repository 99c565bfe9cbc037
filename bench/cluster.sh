#!/usr/bin/env bash
# Several machines on one (issue #18): tests/test_cluster.py's two gunicorn nodes behind nginx, two
# task workers, PostgreSQL, Redis, osmem as Elasticsearch and moto as S3, with a longer load of API
# posts through nginx and one node SIGKILLed halfway. Prints the figures the test checked.
#
#   bench/cluster.sh [--seconds 30] [--clients 4] [--pause 0.1]
#
# Needs what `make test` needs (apt-get install postgresql-15 redis-server nginx). Every acknowledged
# post is then published one by one (about 8 a second here) and looked up in search, so a long run
# takes a while after the load: --pause 0 gives about 150 posts a second, 10 minutes of publishing a
# 30-second load.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
python=${PYTHON:-$repo/.venv/bin/python}
seconds=30 clients=4 pause=0.1

while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --pause) pause=$2; shift 2 ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
  esac
done

report=$(mktemp --suffix=.json)
trap 'rm -f "$report"' EXIT
cd "$repo"
export DJANGO_SETTINGS_MODULE=config.settings.test CI=true
export ECHOWALL_CLUSTER_LOAD_SECONDS=$seconds ECHOWALL_CLUSTER_CLIENTS=$clients ECHOWALL_CLUSTER_PAUSE_SECONDS=$pause
export ECHOWALL_CLUSTER_REPORT=$report
"$python" tests/with_postgres.py "$python" -m pytest -q tests/test_cluster.py
echo "machine: $(nproc) cores; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$report"; echo
