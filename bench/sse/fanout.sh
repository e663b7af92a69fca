#!/usr/bin/env bash
# SSE fan-out benchmark (issue 4): how many /stream/market clients Sinmun holds while 95 % of
# broadcasts reach every client within 500 ms (the Hashrocket method), with delivery latency
# p50/p99 from the push to the client and the server's memory per connected client.
#
#   bench/sse/fanout.sh [seconds-per-step] ["client counts"] [pushes-per-second] [server-threads]
#   bench/sse/fanout.sh 20 "1000 2000 5000 10000" 4
#
# Everything runs on 127.0.0.1: `sinmun serve` on a fresh temporary database (not the demo, so
# only the benchmark's pushes cause events), an editor account and API token made with the CLI,
# and bench/sse/fanout_client.cpp (built here with g++), which ramps the client count step by
# step (connections stay open between steps), pushes quotes through POST /api/v1/market/quotes
# and times every push to every client. Each step is bounded (connect phase ≤ 60 s, push phase
# = seconds-per-step, 2 s grace); everything started here is killed on exit.
# SINMUN_BIN overrides the binary (default build/release/src/app/sinmun, built if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

SECONDS_PER_STEP="${1:-20}"
STEPS="${2:-1000 2000 5000 10000}"
RATE="${3:-4}"
THREADS="${4:-$(nproc)}"
BIN="${SINMUN_BIN:-$ROOT/build/release/src/app/sinmun}"
PORT="${SINMUN_BENCH_PORT:-18090}"

if [[ ! -x "$BIN" ]]; then scripts/build sinmun; fi
command -v g++ >/dev/null || { echo "g++ is required (apt-get install g++)" >&2; exit 1; }

# Tens of thousands of sockets on both ends (the server inherits this limit). Without
# CAP_SYS_RESOURCE the hard limit caps it (20000 on the project VM: at most ~19,900 clients).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
MAXCLIENTS=0
for c in $STEPS; do (( c > MAXCLIENTS )) && MAXCLIENTS=$c; done
if (( $(ulimit -n) < MAXCLIENTS + 64 )); then
  echo "open-files limit $(ulimit -n) (hard $(ulimit -Hn)) is too low for $MAXCLIENTS clients" >&2
  exit 1
fi

TMP=$(mktemp -d /tmp/sinmun-sse-bench.XXXXXX)
SERVER_PID=""
CLIENT_PID=""
cleanup() {
  [[ -n "$CLIENT_PID" ]] && kill "$CLIENT_PID" 2>/dev/null || true
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

g++ -O2 -std=c++20 -pthread -o "$TMP/fanout_client" bench/sse/fanout_client.cpp

DB="$TMP/bench.db"
cat >"$TMP/bench.toml" <<EOF
[server]
access_log = true
[paths]
media = "$TMP/media"
EOF
"$BIN" migrate --db "$DB" >/dev/null
printf '%s\n' "bench-password-$RANDOM$RANDOM" |
  "$BIN" user add --email bench@example.com --name 벤치 --role editor --db "$DB" >/dev/null
TOKEN=$("$BIN" token create --email bench@example.com --name sse-bench --db "$DB" 2>/dev/null | grep -o 'snm_[A-Za-z0-9_-]*' | head -1)
[[ -n "$TOKEN" ]] || { echo "could not create an API token" >&2; exit 1; }

"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --config "$TMP/bench.toml" \
  --threads "$THREADS" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; exit 1; }
  sleep 0.1
done

echo "SSE fan-out: sinmun serve (--threads $THREADS, non-demo, fresh DB) on 127.0.0.1:$PORT,"
echo "$RATE pushes/s of one stock quote for ${SECONDS_PER_STEP}s per step, clients ramped: $STEPS"
echo "$(nproc) cores shared by server, load client and pusher; $(uname -r); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
BOUND=$(( ( SECONDS_PER_STEP + 65 ) * $(wc -w <<<"$STEPS") + 30 ))
timeout "$BOUND" "$TMP/fanout_client" --port "$PORT" --token "$TOKEN" --steps "$STEPS" \
  --rate "$RATE" --seconds "$SECONDS_PER_STEP" --server-pid "$SERVER_PID" &
CLIENT_PID=$!
wait "$CLIENT_PID" || echo "load client exited with status $?" >&2
CLIENT_PID=""
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "FINDING: the server died during the run; last log lines:" >&2
  tail -20 "$TMP/server.log" >&2
fi
echo "server log: $(grep -c '' "$TMP/server.log") lines, $(grep -ci 'error\|exception' "$TMP/server.log" || true) with error/exception"
