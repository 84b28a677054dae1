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

# Every request the client makes goes through a counting proxy (RT closes each connection after
# one answer, so a connection is a request): the idle minute is measured on the TUI itself.
proxy_port=18791
python3 - "$port" "$proxy_port" "$work/proxy.count" <<'PY' &
import socket, sys, threading
upstream, listen, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lock = threading.Lock()
count = {"requests": 0, "bytes": 0}
def pipe(a, b, counted):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            if counted:
                with lock:
                    count["bytes"] += len(data)
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
def serve(client):
    with lock:
        count["requests"] += 1
    try:
        rt = socket.create_connection(("127.0.0.1", upstream))
    except OSError:
        client.close()
        return
    threading.Thread(target=pipe, args=(client, rt, False), daemon=True).start()
    pipe(rt, client, True)
def report():
    while True:
        threading.Event().wait(0.5)
        with lock:
            open(out, "w").write(f"{count['requests']} {count['bytes']}\n")
threading.Thread(target=report, daemon=True).start()
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", listen))
server.listen(64)
while True:
    c, _ = server.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
proxy_pid=$!
trap 'kill $proxy_pid 2>/dev/null || true; cleanup' EXIT
sleep 0.5
counted() { cat "$work/proxy.count"; }

home="$work/home"
mkdir -p "$home/config/casedesk"
cat > "$home/config/casedesk/config.toml" <<EOF
default_profile = "rt"
[profiles.rt]
backend = "rt"
server = "http://127.0.0.1:$proxy_port"
queues = ["Support"]
EOF
export XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" CASEDESK_TOKEN="$token" HOME="$home"

start=$(date +%s.%N)
first=$("$bin" sync 2>&1 | tail -1)
end=$(date +%s.%N)
idle=$("$bin" sync 2>&1 | tail -1)
cache_kib=$(( $(stat -c %s "$home/cache/casedesk/rt.sqlite3") / 1024 ))

# The TUI following RT for a minute with nothing changing (poll_seconds = 5, the default).
tui_minute() {
  python3 - "$bin" "$1" <<'PY'
import fcntl, os, pty, select, struct, sys, termios, time
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm-256color"
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    os.execv(sys.argv[1], [sys.argv[1]])
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            os.read(fd, 65536)
        except OSError:
            break
os.kill(pid, 9)
PY
}
sleep 1; read -r r0 b0 <<<"$(counted)"
tui_minute 5            # start-up alone: the first frame and the first round
sleep 1; read -r r1 b1 <<<"$(counted)"
tui_minute 65           # start-up and then a minute of idle polling
sleep 1; read -r r2 b2 <<<"$(counted)"

version=$(rt GET /rt | jq -r .Version)
tests/fixtures/rt/start-rt.sh stop "$work/rt" >/dev/null 2>&1
frame=$(python3 - "$bin" <<'PY'
import fcntl, os, pty, select, struct, sys, termios, time
start = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm-256color"
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
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
printf 'idle CLI sync (also revalidates people and documents): %s\n' "$idle"
printf 'TUI start-up (5 s): %s requests, %s KiB; TUI for 65 s: %s requests, %s KiB\n' \
  "$((r1 - r0))" "$(((b1 - b0) / 1024))" "$((r2 - r1))" "$(((b2 - b1) / 1024))"
printf 'idle minute (65 s run minus start-up): %s requests, %s bytes\n' \
  "$(((r2 - r1) - (r1 - r0)))" "$(((b2 - b1) - (b1 - b0)))"
printf 'cache: %s KiB\n' "$cache_kib"
printf 'TUI first frame from the cache (RT stopped, release): %s ms\n' "${frame:-none}"
