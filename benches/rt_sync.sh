#!/usr/bin/env bash
# casedesk on Request Tracker (issue 18): the first sync of TICKETS tickets from a real RT 5, an
# idle minute of polling, and the TUI's first frame from the cache it left.
#
#   benches/rt_sync.sh [TICKETS]        (default 2000)
#
# RT is started with tests/fixtures/rt/start-rt.sh (installed by tests/fixtures/rt/install.sh
# when missing) in a temporary directory; the tickets are made with POST /tickets/bulk, 100 per
# request, a quarter of them resolved (those count for the "resolved in the last 30 days" pages).
# Measured:
#   first sync  — `casedesk sync` on an empty cache: wall time, requests, KiB (casedesk's count)
#   idle round  — `casedesk sync` again with nothing changed; an idle minute at the default
#                 poll_seconds = 5 is 12 such rounds
#   first frame — the TUI in a pty with RT stopped: time until the queue shows a ticket
# Needs: curl, jq, python3 (for the pty timing); a release build is made here.
set -euo pipefail
cd "$(dirname "$0")/.."

tickets=${1:-2000}
port=18790
work=$(mktemp -d /tmp/casedesk-rt-bench.XXXXXX)
cleanup() {
  tests/fixtures/rt/start-rt.sh stop "$work/rt" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

command -v jq >/dev/null || apt-get install -y -qq jq >/dev/null
tests/fixtures/rt/install.sh >&2
cargo build --release --quiet
bin=$PWD/target/release/casedesk

read -r url token < <(tests/fixtures/rt/start-rt.sh "$work/rt" "$port")
api="$url/REST/2.0"
rt() { # rt METHOD PATH [JSON]
  curl -sf -X "$1" -H "Authorization: token $token" -H 'Content-Type: application/json' \
    ${3:+--data-binary "$3"} "$api$2"
}

rt POST /queue '{"Name":"Support","SLADisabled":0}' >/dev/null
cf=$(rt POST /customfield '{"Name":"Severity","Type":"Select","MaxValues":1,"LookupType":"RT::Queue-RT::Ticket","Queue":"Support"}' | jq -r .id)
for p in P1 P2 P3 P4; do rt POST "/customfield/$cf/value" "{\"Name\":\"$p\"}" >/dev/null; done

echo "creating $tickets tickets ..." >&2
made=0
while [ "$made" -lt "$tickets" ]; do
  batch=$(( tickets - made < 100 ? tickets - made : 100 ))
  body=$(jq -nc --argjson from "$made" --argjson n "$batch" '[range($from; $from + $n) |
    {Queue: "Support", Subject: "Link flap on edge-\(.)", Requestor: "noc\(. % 40)@example.test",
     Content: "Interface xe-0/0/\(. % 48) flapping since 02:00. show log attached below.\n\(. * 7919 % 100000)",
     ContentType: "text/plain", Status: (if . % 4 == 3 then "resolved" else "open" end),
     CustomFields: {Severity: "P\(. % 4 + 1)"}}]')
  rt POST /tickets/bulk "$body" >/dev/null
  made=$(( made + batch ))
done

home="$work/home"
mkdir -p "$home/config/casedesk"
cat > "$home/config/casedesk/config.toml" <<EOF
default_profile = "rt"
[profiles.rt]
backend = "rt"
server = "$url"
queues = ["Support"]
EOF
export XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" CASEDESK_TOKEN="$token" HOME="$home"

start=$(date +%s.%N)
first=$("$bin" sync 2>&1 | tail -1)
end=$(date +%s.%N)
idle=$("$bin" sync 2>&1 | tail -1)
cache_kib=$(( $(stat -c %s "$home/cache/casedesk/rt.sqlite3") / 1024 ))

version=$(rt GET /rt | jq -r .Version)
tests/fixtures/rt/start-rt.sh stop "$work/rt" >/dev/null 2>&1
frame=$(python3 - "$bin" <<'PY'
import os, pty, select, sys, time
start = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm-256color"
    os.execv(sys.argv[1], [sys.argv[1]])
seen = b""
while time.monotonic() - start < 30:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            seen += os.read(fd, 65536)
        except OSError:
            break
        if b"Link flap" in seen:
            print(f"{(time.monotonic() - start) * 1000:.0f}")
            break
os.kill(pid, 9)
PY
)

printf 'tickets: %s (RT %s)\n' "$tickets" "$version"
printf 'first sync: %.1f s — %s\n' "$(echo "$end - $start" | bc -l)" "$first"
printf 'idle round: %s\n' "$idle"
printf 'cache: %s KiB\n' "$cache_kib"
printf 'TUI first frame from the cache (RT stopped, release): %s ms\n' "${frame:-none}"
