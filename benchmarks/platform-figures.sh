#!/usr/bin/env bash
# Measures two figures on the assembled distribution (build it first: mvn -B -DskipTests package):
#   1. time from launching bin/switchboard to its ready line (median of RUNS launches), and
#   2. ListBackends latency with 100 backends, with wrk, against the same route with no backends as the
#      baseline measured in the same run (the machine is noisy: compare the ratio, not the milliseconds).
# Only talks to 127.0.0.1. Needs wrk (Debian package wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
HOME_DIR=distribution/target/switchboard
RUNS=${RUNS:-5}
DURATION=${DURATION:-10s}
PORT=${PORT:-7911}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

start_server() {
  "$HOME_DIR/bin/switchboard" --port "$PORT" --data-dir "$work/data" > "$work/out.txt" 2>&1 &
  pid=$!
  until grep -q "^Switchboard listening on" "$work/out.txt"; do sleep 0.01; done
}
stop_server() { kill -TERM "$pid"; wait "$pid" || true; }

echo "== launch to ready line ($RUNS runs)"
times=()
for _ in $(seq "$RUNS"); do
  rm -rf "$work/data"
  t0=$(date +%s%N); start_server; t1=$(date +%s%N)
  times+=($(( (t1 - t0) / 1000000 )))
  stop_server
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "ready after: median %d ms (min %d, max %d)\n", a[int((NR+1)/2)], a[1], a[NR]}'

echo "== ListBackends latency"
rm -rf "$work/data"; start_server
api="http://127.0.0.1:$PORT/API"
session=$(curl -s -H 'Content-Type: application/json' -d '{}' "$api/GetNewSession" | sed 's/.*"session_id":"\([0-9a-f]*\)".*/\1/')
cat > "$work/list.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"session_id":"$session"}'
LUA
measure() { wrk -t2 -c8 -d"$DURATION" --latency -s "$work/list.lua" "$api/ListBackends" | grep -E "Requests/sec|50%|99%"; }
echo "-- baseline: 0 backends"; measure
for _ in $(seq 100); do
  curl -s -o /dev/null -H 'Content-Type: application/json' -d "{\"session_id\":\"$session\",\"type_id\":\"comfyui_api\"}" "$api/AddNewBackend"
done
echo "-- 100 backends ($(curl -s -H 'Content-Type: application/json' -d "{\"session_id\":\"$session\"}" "$api/ListBackends" | wc -c) bytes per answer)"; measure
stop_server
