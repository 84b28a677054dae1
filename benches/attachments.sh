#!/usr/bin/env bash
# Attachment throughput of the case API (issue 17): a real `casedesk serve` (release build) on a
# fresh database; a 50 MiB generated log uploaded with curl (POST /v1/cases/{n}/attachments,
# streamed to disk while hashed) and downloaded back (GET /v1/attachments/{id}, streamed from
# disk), each RUNS times; MiB/s each way (best and median), the content checked by SHA-256,
# and the server's memory: VmRSS before, VmHWM (peak) after. The server must stream: its peak
# should grow by far less than the file's size.
#
# Usage: benches/attachments.sh [MIB] [RUNS]      (defaults: 50 MiB, 5 runs)
# Needs: curl, jq, sha256sum.
set -euo pipefail
cd "$(dirname "$0")/.."

mib=${1:-50}
runs=${2:-5}
port=18760
work=$(mktemp -d /tmp/casedesk-bench-files.XXXXXX)
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --quiet
bin=target/release/casedesk

# A syslog-like text file of $mib MiB.
log=$work/messages.log
awk -v bytes=$((mib * 1024 * 1024)) 'BEGIN {
  n = 0; size = 0
  while (size < bytes) {
    line = sprintf("Nov 26 %02d:%02d:%02d rtr1 %%LINK-3-UPDOWN: Interface TenGigabitEthernet0/0/%d, changed state to %s (event %d)", (n / 3600) % 24, (n / 60) % 60, n % 60, n % 48, (n % 2 ? "up" : "down"), n)
    print line; size += length(line) + 1; n++
  }
}' | head -c $((mib * 1024 * 1024)) >"$log"

cat >"$work/serve.toml" <<EOF
[attachments]
max_file = "1GiB"
max_case = "100GiB"
EOF
"$bin" serve --db "$work/bench.db" --listen "127.0.0.1:$port" --config "$work/serve.toml" \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 200); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
grep -q listening "$work/serve.out" || { cat "$work/serve.err" >&2; exit 1; }
token=$("$bin" token create --db "$work/bench.db" --role agent --name files-bench)
auth="Authorization: Bearer $token"
base=http://127.0.0.1:$port
number=$(curl -sf -H "$auth" -H 'Content-Type: application/json' \
  -d '{"subject":"Link flaps every night","priority":"P3"}' "$base/v1/cases" | jq -r .number)

kib() { awk '/^'"$1"':/ {print $2}' "/proc/$server_pid/status"; }
rss_before=$(kib VmRSS)

mibs() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.0f", b / 1048576 / t }'; }
ups=(); downs=()
for run in $(seq 1 "$runs"); do
  # A different last byte each run, so every upload is new content (no shared file).
  printf '%08d\n' "$run" >>"$log"
  up=$(curl -sf -o "$work/up.json" -w '%{time_total} %{size_upload}' -H "$auth" \
    -H 'Content-Type: application/octet-stream' --data-binary @"$log" \
    "$base/v1/cases/$number/attachments?name=messages-$run.log")
  id=$(jq -r .id "$work/up.json")
  [[ $(jq -r .sha256 "$work/up.json") == $(sha256sum "$log" | cut -d' ' -f1) ]] || { echo "upload $run: sha256 differs" >&2; exit 1; }
  down=$(curl -sf -o "$work/down.log" -w '%{time_total} %{size_download}' -H "$auth" "$base/v1/attachments/$id")
  cmp -s "$log" "$work/down.log" || { echo "download $run: content differs" >&2; exit 1; }
  read -r t bytes <<<"$up"; ups+=("$(mibs "$bytes" "$t")")
  read -r t bytes <<<"$down"; downs+=("$(mibs "$bytes" "$t")")
  echo "run $run: upload ${ups[-1]} MiB/s, download ${downs[-1]} MiB/s"
done
hwm=$(kib VmHWM)
rss_after=$(kib VmRSS)

summary() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {printf "best %d, median %d", a[NR], a[int((NR + 1) / 2)]}'; }
echo "== $mib MiB log, $runs runs, loopback, curl"
echo "upload   MiB/s: $(summary "${ups[@]}")"
echo "download MiB/s: $(summary "${downs[@]}")"
echo "server memory: VmRSS $((rss_before / 1024)) MiB before, $((rss_after / 1024)) MiB after; peak (VmHWM) $((hwm / 1024)) MiB: grew $(((hwm - rss_before) / 1024)) MiB for $mib MiB files"
