#!/usr/bin/env bash
# Load benchmark of the case API (issue 3): 50k demo cases, the first page of GET /v1/cases
# (100 rows) at 32 concurrent connections, against the same bytes served as a static file by
# nginx on the same machine (the ceiling); GET /v1/changes with nothing new; the server's memory.
#
# Usage: benches/api_list.sh [CASES] [SECONDS]      (defaults: 50000 cases, 10 s per run)
# Needs: wrk and nginx (installed with apt-get when missing; run as root or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

cases=${1:-50000}
seconds=${2:-10}
conns=32
work=$(mktemp -d /tmp/casedesk-bench.XXXXXX)
api_port=18750
static_port=18751
server_pid=""
nginx_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

need() {
  command -v "$1" >/dev/null 2>&1 && return
  echo "installing $2 ..." >&2
  ${SUDO:-} apt-get install -y -qq "$2" >/dev/null
}
need wrk wrk
need nginx nginx

cargo build --release --quiet
bin=target/release/casedesk

echo "== seeding $cases demo cases"
start=$(date +%s.%N)
"$bin" serve --db "$work/bench.db" --listen "127.0.0.1:$api_port" --demo --demo-cases "$cases" --seed 42 \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 7200); do   # seeding 50k cases takes minutes
  grep -q listening "$work/serve.out" 2>/dev/null && break
  sleep 0.5
done
grep -q listening "$work/serve.out" || { cat "$work/serve.err" >&2; exit 1; }
end=$(date +%s.%N)
printf 'seeded and listening after %.1f s\n' "$(echo "$end - $start" | bc)"
token=$(awk '$1 == "agent" { print $3 }' "$work/serve.out")
auth="Authorization: Bearer $token"
api="http://127.0.0.1:$api_port"
rss() { awk '/VmRSS/ { print $2 " kB" }' "/proc/$server_pid/status"; }
echo "server memory after seeding: $(rss)"

page="$api/v1/cases?limit=100"
curl -sf -H "$auth" "$page" >"$work/page.json"
bytes=$(stat -c %s "$work/page.json")
echo "first page: $bytes bytes"

# The ceiling: the same bytes as a static file from nginx, one worker per core.
mkdir -p "$work/www" "$work/nginx"
cp "$work/page.json" "$work/www/page.json"
# nginx's workers run as an unprivileged user: let them read the file.
chmod 755 "$work" "$work/www"
chmod 644 "$work/www/page.json"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$static_port; root $work/www; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
sleep 1

run() { # name url [header]
  echo "== $1"
  if [[ $# -ge 3 ]]; then
    wrk -t2 -c"$conns" -d"${seconds}s" --latency -H "$3" "$2" | tee "$work/$1.txt"
  else
    wrk -t2 -c"$conns" -d"${seconds}s" --latency "$2" | tee "$work/$1.txt"
  fi
}
run static "http://127.0.0.1:$static_port/page.json"
run list "$page" "$auth"
seq=$(curl -sf "$api/healthz" | sed -E 's/.*"seq":([0-9]+).*/\1/')
run changes "$api/v1/changes?since=$seq" "$auth"

rps() { awk '/Requests\/sec/ { print $2 }' "$work/$1.txt"; }
# A run with error responses measures nothing: refuse it.
for run in static list changes; do
  if grep -q "Non-2xx" "$work/$run.txt"; then echo "the $run run had error responses" >&2; exit 1; fi
done
p99() { awk '$1 == "99%" { print $2 }' "$work/$1.txt"; }
echo
echo "== summary ($cases cases, $conns connections, ${seconds}s each)"
printf '%-28s %12s %10s\n' "" "requests/s" "p99"
printf '%-28s %12s %10s\n' "static file (nginx)" "$(rps static)" "$(p99 static)"
printf '%-28s %12s %10s\n' "GET /v1/cases (100 rows)" "$(rps list)" "$(p99 list)"
printf '%-28s %12s %10s\n' "GET /v1/changes, no news" "$(rps changes)" "$(p99 changes)"
printf 'list / static: %.2f\n' "$(echo "$(rps list) / $(rps static)" | bc -l)"
echo "server memory after the runs: $(rss)"
