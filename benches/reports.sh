#!/usr/bin/env bash
# Reports benchmark (issue 19): each report over 50,000 demo cases opened over a year.
# For each report (sla, response, backlog by none/priority/week; load, one row per owner) and
# each period (the whole year: --from a year ago --to today; and the default, the last 7 days):
#   cold — the first request after a server restart (each cold figure has its own restart; the
#          database file is in the OS page cache, so "cold" is the server's, not the disk's);
#   warm — the median of RUNS more requests (no If-None-Match);
#   304  — a request with If-None-Match of the ETag just served: must answer 304;
#   CLI  — `casedesk report KIND --json …` wall time against the server: the first run with an
#          empty cache (a full answer), then the median of RUNS runs with the cache (a 304).
# Every server request uses a lead's token. Any answer other than 200 (or the 304 asked for),
# or a CLI run that fails or prints no JSON array, refuses the run (exit 1).
#
# Usage: benches/reports.sh [CASES] [DAYS]     (defaults: 50000 cases over 365 days; RUNS=10)
# The seeded database is target/bench-data/demo-<CASES>-<DAYS>d.db (seeded here with
# `casedesk serve --demo --demo-days DAYS --seed 42` when missing, which takes 15 minutes for
# the default on two busy cores); it is opened once by the server under test so its migrations
# and report facts are written there once, then each run works on a copy.
# CASEDESK_BIN=path uses that binary instead of building target/release/casedesk.
# Needs: curl, jq, bc.
set -euo pipefail
cd "$(dirname "$0")/.."

cases=${1:-50000}
days=${2:-365}
runs=${RUNS:-10}
port=18752
work=$(mktemp -d /tmp/casedesk-reports.XXXXXX)
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "refused: $*" >&2
  exit 1
}

if [[ -n ${CASEDESK_BIN:-} ]]; then
  bin=$CASEDESK_BIN
else
  cargo build --release --quiet
  bin=target/release/casedesk
fi

# Waits (up to $2 s) until the command $1 succeeds.
wait_for() {
  local deadline=$((SECONDS + $2))
  until eval "$1" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
}

# Starts the server on database $1 and waits until it listens.
start_server() {
  : >"$work/serve.out"
  "$bin" serve --db "$1" --listen "127.0.0.1:$port" "${@:2}" >"$work/serve.out" 2>>"$work/serve.err" &
  server_pid=$!
  wait_for 'grep -q listening "$work/serve.out"' 7200 || {
    tail -20 "$work/serve.err" >&2
    fail "the server did not start"
  }
}

stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
}

# The seeded database: reused when present.
mkdir -p target/bench-data
name=demo-$cases-${days}d
seeded=target/bench-data/$name.db
if [[ ! -f $seeded ]]; then
  echo "== seeding $cases demo cases over $days days into $seeded"
  partial=$seeded.partial
  rm -f "$partial" "$partial-wal" "$partial-shm"
  start=$(date +%s.%N)
  start_server "$partial" --demo --demo-cases "$cases" --demo-days "$days" --seed 42
  end=$(date +%s.%N)
  stop_server
  took=$(printf '%.0f' "$(echo "$end - $start" | bc)")
  for ext in "" -wal -shm; do [[ -f $partial$ext ]] && mv "$partial$ext" "$seeded$ext"; done
  echo "$(date -u '+%Y-%m-%d %H:%M UTC') with seed 42 in $took s (casedesk serve --demo --demo-days $days)" \
    >"target/bench-data/$name.seeded"
fi
echo "== database: $seeded (seeded $(cat "target/bench-data/$name.seeded" 2>/dev/null || echo '?'))"

# One start on the seeded file itself: a database seeded by an older binary gets its
# migrations and report facts here, once, and the time it took is shown.
start=$(date +%s.%N)
start_server "$seeded"
end=$(date +%s.%N)
stop_server
printf '== server start on the seeded database (migrations, facts filled in if missing): %.1f s\n' \
  "$(echo "$end - $start" | bc)"

for ext in "" -wal -shm; do [[ -f $seeded$ext ]] && cp "$seeded$ext" "$work/bench.db$ext"; done
token=$("$bin" token create --db "$work/bench.db" --role lead --name reports-bench)
auth="Authorization: Bearer $token"
api="http://127.0.0.1:$port"

# The CLI's profile: the server above, the lead's token, a cache of its own.
home="$work/home"
mkdir -p "$home/config/casedesk"
cat >"$home/config/casedesk/config.toml" <<EOF
default_profile = "bench"
[profiles.bench]
server = "$api"
EOF
cli() { # cache-dir args...
  local cache=$1
  shift
  HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$cache" CASEDESK_TOKEN="$token" \
    "$bin" "$@"
}

# Dates are the server's business days (Asia/Tokyo); the year is a year ago to today.
today=$(TZ=Asia/Tokyo date +%F)
year_ago=$(TZ=Asia/Tokyo date -d "$today - 1 year" +%F)

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }

# One request: prints "status seconds"; the body to $work/body, the headers to $work/headers.
get() { # url [curl options...]
  curl -s -o "$work/body" -D "$work/headers" -w '%{http_code} %{time_total}\n' -H "$auth" "${@:2}" "$1"
}

# Wall time of one CLI run in ms; refuses a failed run or one that prints no JSON array.
cli_ms() { # cache-dir args...
  local start end
  start=$(date +%s%N)
  cli "$@" >"$work/cli.out" 2>"$work/cli.err" || {
    cat "$work/cli.err" >&2
    fail "casedesk ${*:2} failed"
  }
  end=$(date +%s%N)
  jq -e 'type == "array"' "$work/cli.out" >/dev/null || fail "casedesk ${*:2} printed no JSON array"
  awk -v n=$((end - start)) 'BEGIN { printf "%.1f", n / 1e6 }'
}

printf '\n%-8s %-9s %-6s %6s %9s %9s %9s %8s %10s %10s\n' report by period rows bytes cold_ms warm_ms 304_ms cli_first cli_cached
measure() { # kind by period
  local kind=$1 by=$2 period=$3 query="" args=()
  if [[ $period == year ]]; then
    query="from=$year_ago&to=$today"
    args+=(--from "$year_ago" --to "$today")
  fi
  if [[ $by != - ]]; then
    query="${query:+$query&}by=$by"
    args+=(--by "$by")
  fi
  local url="$api/v1/reports/$kind${query:+?$query}"

  start_server "$work/bench.db"
  local status secs cold warm etag not_modified rows bytes
  read -r status secs < <(get "$url")
  [[ $status == 200 ]] || fail "GET $url answered $status: $(head -c 300 "$work/body")"
  cold=$(ms "$secs")
  rows=$(jq '.rows | length' "$work/body")
  bytes=$(stat -c %s "$work/body")
  : >"$work/warm"
  for _ in $(seq "$runs"); do
    read -r status secs < <(get "$url")
    [[ $status == 200 ]] || fail "GET $url answered $status"
    ms "$secs" >>"$work/warm"
    echo >>"$work/warm"
  done
  warm=$(median <"$work/warm")
  etag=$(awk 'tolower($1) == "etag:" { sub(/\r$/, ""); print $2 }' "$work/headers")
  [[ -n $etag ]] || fail "GET $url answered without an ETag"
  read -r status secs < <(get "$url" -H "If-None-Match: $etag")
  [[ $status == 304 ]] || fail "GET $url with If-None-Match: $etag answered $status, not 304"
  not_modified=$(ms "$secs")

  local cache="$work/cache-$kind-$by-$period" first cached
  first=$(cli_ms "$cache" report "$kind" --json "${args[@]}")
  : >"$work/cli-runs"
  for _ in $(seq "$runs"); do
    cli_ms "$cache" report "$kind" --json "${args[@]}" >>"$work/cli-runs"
    echo >>"$work/cli-runs"
  done
  cached=$(median <"$work/cli-runs")
  stop_server
  printf '%-8s %-9s %-6s %6s %9s %9s %9s %8s %10s %10s\n' \
    "$kind" "$by" "$period" "$rows" "$bytes" "$cold" "$warm" "$not_modified" "$first" "$cached"
}

for period in year 7d; do
  for kind in sla response backlog; do
    for by in - priority week; do
      measure "$kind" "$by" "$period"
    done
  done
  measure load - "$period"
done
echo
echo "($cases cases over $days days; year = $year_ago to $today; warm and CLI cached: median of $runs;"
echo " times in ms; load average $(cut -d' ' -f1-3 /proc/loadavg))"
