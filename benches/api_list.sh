#!/usr/bin/env bash
# Load benchmark of the case API (issues 3 and 14): 50k demo cases; GET /v1/cases at 32
# concurrent connections on two paths, each against the static ceiling (the bytes of the first
# page served as a file by nginx on the same machine):
#   cached   — the first page (100 rows), one URL, no writes: every request after the first is
#              served from the server's rendered-page cache.
#   uncached — a different filter, sort and cursor on (almost) every request
#              (benches/api_list/varied.lua), while a writer adds an internal note every
#              WRITE_EVERY seconds (default 0.1), each write turning the page cache over.
# Then GET /v1/changes with nothing new, and the server's memory.
# A run with socket errors, timeouts or non-2xx answers (or a failed write) is refused.
#
# Usage: benches/api_list.sh [CASES] [SECONDS]      (defaults: 50000 cases, 10 s per run)
# The seeded database is target/bench-data/demo-<CASES>.db, shared with benches/client_sync.rs
# (seeded here with `casedesk serve --demo` when missing); each run works on a copy.
# Needs: wrk, nginx, curl, jq (wrk and nginx installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

cases=${1:-50000}
seconds=${2:-10}
write_every=${WRITE_EVERY:-0.1}
conns=32
work=$(mktemp -d /tmp/casedesk-bench.XXXXXX)
api_port=18750
static_port=18751
server_pid=""
nginx_pid=""
writer_pid=""
cleanup() {
  [[ -n $writer_pid ]] && kill "$writer_pid" 2>/dev/null || true
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

# Waits (up to $2 s) until the line-matching command $1 succeeds.
wait_for() {
  local deadline=$((SECONDS + $2))
  until eval "$1" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# The seeded database: reused when present (seeding 50k cases takes 10+ minutes).
mkdir -p target/bench-data
seeded=target/bench-data/demo-$cases.db
if [[ ! -f $seeded ]]; then
  echo "== seeding $cases demo cases into $seeded"
  partial=$seeded.partial
  rm -f "$partial" "$partial-wal" "$partial-shm"
  start=$(date +%s.%N)
  "$bin" serve --db "$partial" --listen "127.0.0.1:$api_port" --demo --demo-cases "$cases" --seed 42 \
    >"$work/seed.out" 2>"$work/seed.err" &
  server_pid=$!
  wait_for 'grep -q listening "$work/seed.out"' 7200 || { cat "$work/seed.err" >&2; exit 1; }
  end=$(date +%s.%N)
  kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
  took=$(printf '%.0f' "$(echo "$end - $start" | bc)")
  for ext in "" -wal -shm; do [[ -f $partial$ext ]] && mv "$partial$ext" "$seeded$ext"; done
  echo "$(date -u '+%Y-%m-%d %H:%M UTC') with seed 42 in $took s (casedesk serve --demo)" \
    >"target/bench-data/demo-$cases.seeded"
fi
echo "== database: $seeded (seeded $(cat "target/bench-data/demo-$cases.seeded" 2>/dev/null || echo '?'))"
for ext in "" -wal -shm; do [[ -f $seeded$ext ]] && cp "$seeded$ext" "$work/bench.db$ext"; done
token=$("$bin" token create --db "$work/bench.db" --role agent --name api-bench)
auth="Authorization: Bearer $token"
api="http://127.0.0.1:$api_port"

"$bin" serve --db "$work/bench.db" --listen "127.0.0.1:$api_port" >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
wait_for 'grep -q listening "$work/serve.out"' 120 || { cat "$work/serve.err" >&2; exit 1; }
rss() { awk '/VmRSS/ { print $2 " kB" }' "/proc/$server_pid/status"; }
echo "server memory after start: $(rss)"

page="$api/v1/cases?limit=100"
curl -sf -H "$auth" "$page" >"$work/page.json"
bytes=$(stat -c %s "$work/page.json")
echo "first page: $bytes bytes"

# The uncached run's queries: each filter with its number of full pages, from the server's totals.
filters=("" "&open=true" "&priority=P1" "&priority=P1,P2" "&status=new,open"
  "&status=waiting_on_customer" "&tier=tac-premium,premium" "&request_type=technical_support"
  "&open=true&priority=P2,P3" "&owner=" "&q=power" "&q=tokyo")
: >"$work/queries.txt"
for f in "${filters[@]}"; do
  total=$(curl -sf -H "$auth" "$api/v1/cases?limit=1$f" | jq .total)
  echo "$(((total + 99) / 100)) $f" >>"$work/queries.txt"
done
echo "uncached queries (pages, filter):"; sed 's/^/  /' "$work/queries.txt"
open_cases=$(curl -sf -H "$auth" "$api/v1/cases?limit=500&open=true&sort=number" | jq -r '.items[].number')

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
static="http://127.0.0.1:$static_port/page.json"
wait_for "curl -sf -o /dev/null '$static'" 30 || { echo "nginx did not answer" >&2; cat "$work/nginx/error.log" >&2; exit 1; }

# Adds an internal note to the open cases in turn, one every $write_every s, until killed;
# one line per write in writes.txt: the HTTP status.
writer() {
  local i=0 n
  while true; do
    for n in $open_cases; do
      i=$((i + 1))
      curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "$auth" -H 'If-Match: *' \
        -H "Idempotency-Key: api-bench-$i" -H 'Content-Type: application/json' \
        -d "{\"body\":\"api bench write $i\",\"visibility\":\"internal\"}" \
        "$api/v1/cases/$n/notes" >>"$work/writes.txt"
      sleep "$write_every"
    done
  done
}

run() { # name url [wrk options...]
  local name=$1 url=$2
  shift 2
  echo "== $name"
  # wrk's own timeout is 2 s; an uncached request waits behind 31 others on two cores for
  # longer than that, so allow 30 s: a request slower still is a failure, and the run refused.
  wrk -t2 -c"$conns" -d"${seconds}s" --timeout 30s --latency -H "$auth" "$@" "$url" | tee "$work/$name.txt"
  # A run with socket errors, timeouts or error responses measures nothing: refuse it.
  if grep -Eq "Socket errors|Non-2xx" "$work/$name.txt"; then
    echo "the $name run had socket errors, timeouts or error responses: refused" >&2
    exit 1
  fi
}
run static "$static"
run cached "$page"
: >"$work/writes.txt"
seq_before=$(curl -sf "$api/healthz" | jq .seq)
writer &
writer_pid=$!
API_LIST_QUERIES="$work/queries.txt" run uncached "$api/" -s benches/api_list/varied.lua
kill "$writer_pid"; wait "$writer_pid" 2>/dev/null || true; writer_pid=""
seq_after=$(curl -sf "$api/healthz" | jq .seq)
writes=$(grep -c . "$work/writes.txt" || true)
good_writes=$(grep -c '^201$' "$work/writes.txt" || true)
if ((writes == 0 || writes != good_writes)); then
  echo "the writer's writes: $good_writes of $writes answered 201: refused" >&2
  sort "$work/writes.txt" | uniq -c >&2
  exit 1
fi
run changes "$api/v1/changes?since=$seq_after"

rps() { awk '/Requests\/sec/ { print $2 }' "$work/$1.txt"; }
pct() { awk -v p="$2" '$1 == p { print $2 }' "$work/$1.txt"; }
# Mean bytes per response (headers included), from wrk's "N requests in T, X MB read".
mean_bytes() {
  awk '/requests in/ { n = $1; v = $5; sub(/,$/, "", v); u = v; sub(/^[0-9.]+/, "", u)
    m = (u ~ /^GB/) ? 1073741824 : (u ~ /^MB/) ? 1048576 : (u ~ /^KB/) ? 1024 : 1
    printf "%.0f", v * m / n }' "$work/$1.txt"
}
echo
echo "== summary ($cases cases, $conns connections, ${seconds}s each)"
printf '%-44s %12s %9s %9s %11s\n' "" "requests/s" "p50" "p99" "bytes/resp"
printf '%-44s %12s %9s %9s %11s\n' "static file (nginx), first page's bytes" "$(rps static)" "$(pct static 50%)" "$(pct static 99%)" "$(mean_bytes static)"
printf '%-44s %12s %9s %9s %11s\n' "GET /v1/cases cached (one URL, no writes)" "$(rps cached)" "$(pct cached 50%)" "$(pct cached 99%)" "$(mean_bytes cached)"
printf '%-44s %12s %9s %9s %11s\n' "GET /v1/cases uncached (varied, writes)" "$(rps uncached)" "$(pct uncached 50%)" "$(pct uncached 99%)" "$(mean_bytes uncached)"
printf '%-44s %12s %9s %9s %11s\n' "GET /v1/changes, no news" "$(rps changes)" "$(pct changes 50%)" "$(pct changes 99%)" "$(mean_bytes changes)"
printf 'cached / static:   %.2f\n' "$(echo "$(rps cached) / $(rps static)" | bc -l)"
printf 'uncached / static: %.2f\n' "$(echo "$(rps uncached) / $(rps static)" | bc -l)"
printf 'writes during the uncached run: %d, all 201 (%.1f/s); change sequence %d -> %d\n' \
  "$writes" "$(echo "$writes / $seconds" | bc -l)" "$seq_before" "$seq_after"
echo "server memory after the runs: $(rss)"
