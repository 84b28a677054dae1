#!/usr/bin/env bash
# Property-based API test generated from the server's own OpenAPI document (schemathesis):
# every answer must be documented (status, content type, body schema, headers) and none may
# be a 5xx. Runs against a real `casedesk serve --demo` on a loopback port, once with an
# agent token and once with a viewer token.
#
# Usage: .ci/schemathesis.sh            (builds the debug binary if it is missing)
# Env:   CASEDESK_BIN          the binary to test (default ${CARGO_TARGET_DIR:-target}/debug/casedesk)
#        SCHEMATHESIS_EXAMPLES examples per operation and phase (default 10: about a minute per token on 2 idle cores)
#        SCHEMATHESIS_VENV     the virtualenv (default $HOME/.cache/casedesk-ci/venv)
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned, with every dependency (.ci/schemathesis-requirements.txt): the 3.x and 4.x command
# lines differ, a new release may add checks, and an unpinned hypothesis broke 4.3.
SCHEMATHESIS_VERSION=4.32.5
VENV=${SCHEMATHESIS_VENV:-$HOME/.cache/casedesk-ci/venv}
BIN=${CASEDESK_BIN:-${CARGO_TARGET_DIR:-target}/debug/casedesk}
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-10}

echo "== schemathesis $SCHEMATHESIS_VERSION in $VENV"
if [[ "$("$VENV/bin/schemathesis" --version 2>/dev/null || true)" != *"$SCHEMATHESIS_VERSION"* ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r .ci/schemathesis-requirements.txt
fi

if [[ ! -x "$BIN" ]]; then
    echo "== cargo build (no $BIN yet)"
    cargo build --locked
fi

work=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# A private config directory, so no developer's config or profile is read.
export XDG_CONFIG_HOME="$work/config"
db="$work/casedesk.db"

# A free loopback port: ask the kernel for one, then give it to the server.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"

echo "== casedesk serve --demo on $url"
"$BIN" serve --db "$db" --listen "127.0.0.1:$port" --demo --demo-cases 60 --seed 2026 \
    >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
    if curl -fsS "$url/healthz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$work/server.log"
        echo "the server exited before answering" >&2
        exit 1
    fi
    sleep 0.1
done
curl -fsS "$url/healthz" >/dev/null

agent=$("$BIN" token create --db "$db" --role agent --name "st-agent")
viewer=$("$BIN" token create --db "$db" --role viewer --name "st-viewer")

status=0
for who in agent viewer; do
    token=${!who}
    echo "== schemathesis run as $who ($EXAMPLES examples per operation)"
    "$VENV/bin/schemathesis" run "$url/v1/openapi.json" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
        --phases examples,coverage,fuzzing \
        --max-examples "$EXAMPLES" \
        --generation-deterministic \
        --request-timeout 20 \
        --workers 1 \
        --no-color \
        -H "Authorization: Bearer $token" || status=1
done

if [[ $status -ne 0 ]]; then
    echo "-- server log (last 40 lines)"
    tail -n 40 "$work/server.log"
fi
exit $status
