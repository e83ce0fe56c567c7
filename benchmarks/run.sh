#!/usr/bin/env bash
# Switchboard's benchmark suite: builds the distribution, measures it against the ceiling of its own stack
# (a bare Undertow server replaying Switchboard's captured answers) and prints one table.
#
#   benchmarks/run.sh [--quick] [--skip-build] [--rows all|base|scale]
#
# --quick       a short smoke run (seconds instead of minutes; the figures are rough)
# --skip-build  use the distribution and benchmark classes already built
# --rows        all (default); base: the rows before issue 21; scale: only the rows at scale (scale-rows.sh)
# Environment: MVN_ARGS (extra Maven arguments, e.g. -Dmaven.repo.local=...), DURATION (wrk time per run,
# e.g. 5s), WARMUP (wrk time on each server before a figure's rounds, not counted), ROUNDS (pairs of adjacent
# Switchboard and ceiling runs per figure; the throughput ratio is the median of the pairs' ratios),
# MUTATION_SECONDS (length of the durable-mutation load and of the fsync limit beside it), PORT (first of the
# ports used), PIN (1, the default where taskset and two or more cores exist: the throughput figures run the
# server under test on the last core and wrk on the others; 0: no pinning), DISPATCH_CONCURRENCY (jobs at once and
# stand-ins of the dispatch-overhead figure), DISPATCH_SECONDS, DISPATCH_WARMUP (its run and warm-up lengths in
# seconds), DISPATCH_ROUNDS (its pairs; ROUNDS by default), FAIR_BIG, FAIR_SMALL (the fairness figure's jobs of the
# big session and of each of the three small ones), FAIR_STEP_MS (the time a fairness job takes at a stand-in),
# SCALE_COUNTS, SCALE_DISPATCH_COUNTS and SCALE_JOBS (the rows at scale; see scale-rows.sh).
# Needs a JDK 17+, Maven, wrk and curl. Only talks to 127.0.0.1. See benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=false
build=true
rows_wanted=all
usage="usage: benchmarks/run.sh [--quick] [--skip-build] [--rows all|base|scale]"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --skip-build) build=false ;;
    --rows) rows_wanted=${2:-}; shift ;;
    --rows=*) rows_wanted=${1#--rows=} ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
case "$rows_wanted" in all|base|scale) ;; *) echo "$usage" >&2; exit 2 ;; esac
run_base=true
run_scale=true
[ "$rows_wanted" = scale ] && run_base=false
[ "$rows_wanted" = base ] && run_scale=false
if $quick; then
  DURATION=${DURATION:-3s}; ROUNDS=${ROUNDS:-1}; STARTS=${STARTS:-1}; SAMPLES=${SAMPLES:-1}; WARMUP=${WARMUP:-2s}
  MUTATION_SECONDS=${MUTATION_SECONDS:-3}
  DISPATCH_SECONDS=${DISPATCH_SECONDS:-2}; DISPATCH_WARMUP=${DISPATCH_WARMUP:-2}
  SCALE_COUNTS=${SCALE_COUNTS-100 1000 10000}; SCALE_DISPATCH_COUNTS=${SCALE_DISPATCH_COUNTS-10 1000}
  SCALE_JOBS=${SCALE_JOBS:-10000}; SCALE_WAIT=${SCALE_WAIT:-300}
else
  DURATION=${DURATION:-5s}; ROUNDS=${ROUNDS:-10}; STARTS=${STARTS:-3}; SAMPLES=${SAMPLES:-5}; WARMUP=${WARMUP:-30s}
  MUTATION_SECONDS=${MUTATION_SECONDS:-15}
  DISPATCH_SECONDS=${DISPATCH_SECONDS:-5}; DISPATCH_WARMUP=${DISPATCH_WARMUP:-20}
  SCALE_COUNTS=${SCALE_COUNTS-100 1000 10000}; SCALE_DISPATCH_COUNTS=${SCALE_DISPATCH_COUNTS-10 100 1000 10000}
  SCALE_JOBS=${SCALE_JOBS:-100000}; SCALE_WAIT=${SCALE_WAIT:-900}
fi
DISPATCH_CONCURRENCY=${DISPATCH_CONCURRENCY:-8}; DISPATCH_ROUNDS=${DISPATCH_ROUNDS:-$ROUNDS}
FAIR_BIG=${FAIR_BIG:-700}; FAIR_SMALL=${FAIR_SMALL:-100}; FAIR_STEP_MS=${FAIR_STEP_MS:-100}
PORT=${PORT:-7931}
# Of the 10,000 backends, how many get a stand-in's address (the rest have none and stay disabled):
# chosen when each running backend had a scheduler thread of its own (now one shared pool; see README).
RUNNING_10K=${RUNNING_10K:-100}
CEILING_PORT=$((PORT + 1))
# Throughput is measured with the server under test (Switchboard or the ceiling, in turn) alone on the last
# core and wrk on the others: the figure is then what one core of server achieves, not how the scheduler
# shares two cores between the load generator and the server's threads, which made runs differ by a third.
server_pin=()
wrk_pin=()
if [ "${PIN:-1}" = 1 ] && command -v taskset > /dev/null && [ "$(nproc)" -ge 2 ]; then
  last=$(( $(nproc) - 1 ))
  server_pin=(taskset -c "$last")
  wrk_pin=(taskset -c "0-$(( last - 1 ))")
fi
pinned=()
wrk_pinned=()
CONNS=32
THREADS=2
for tool in wrk curl java; do
  command -v "$tool" >/dev/null || { echo "run.sh needs $tool (Debian: apt-get install $tool)" >&2; exit 2; }
done

if $build; then
  echo "== building (mvn -DskipTests package)" >&2
  # shellcheck disable=SC2086
  mvn -B -q -ntp ${MVN_ARGS:-} -DskipTests package
fi
HOME_DIR=$root/distribution/target/switchboard
CP=$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")

work=$(mktemp -d)
# The launcher's class data archive (see bin/switchboard) is made by this run's first start, in a folder of
# its own, so every run measures the same thing: starts of an installation that has started once before.
export SWITCHBOARD_CDS_DIR=$work/cds
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
log() { echo "-- $*" >&2; }

# ---------------------------------------------------------------- helpers
# exec: a background "bench_java ... &" is then the JVM itself, so its pid is the one to kill.
bench_java() { exec java -Xmx256m -cp "$CP" "$@"; }

# The backends file for N comfyui_api backends; the first R (default all) have an address among the
# stand-ins' ports and become running, the others have none and stay disabled.
# EXTRA (optional) is added to each running backend's settings, e.g. ,"OverQueue":0.
write_backends() { # count data-dir [running] [extra-settings]
  mkdir -p "$2"
  awk -v n="$1" -v r="${3:-$1}" -v ports="${standin_ports[*]}" -v extra="${4:-}" 'BEGIN {
    split(ports, p, " "); k = length(p);
    printf "{\"schema_version\":1,\"next_id\":%d,\"backends\":[", n;
    for (i = 0; i < n; i++) {
      address = i < r ? "http://127.0.0.1:" p[(i % k) + 1] : "";
      printf "%s{\"id\":%d,\"type\":\"comfyui_api\",\"title\":\"GPU %d\",\"enabled\":true,\"settings\":{\"Address\":\"%s\"%s}}",
        (i ? "," : ""), i, i, address, (i < r ? extra : "");
    }
    print "]}" }' > "$2/backends.json"
  chmod 600 "$2/backends.json"
}

server_pid=
ready_ms=
server_args=() # more options of the next start
start_server() { # data-dir; sets server_pid and ready_ms (launch to ready line)
  local out=$work/server.out t0 t1
  : > "$out"
  t0=$(date +%s%N)
  "${pinned[@]}" "$HOME_DIR/bin/switchboard" --port "$PORT" --data-dir "$1" "${server_args[@]}" > "$out" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  until grep -q "^Switchboard listening on" "$out"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$out" >&2; echo "Switchboard did not start" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  ready_ms=$(( (t1 - t0) / 1000000 ))
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; }

api=http://127.0.0.1:$PORT/API
ceiling_api=http://127.0.0.1:$CEILING_PORT/API
post() { curl -s -H 'Content-Type: application/json' -d "$2" "$api/$1"; }
new_session() { post GetNewSession '{}' | sed 's/.*"session_id":"\([0-9a-f]*\)".*/\1/'; }

# Waits until COUNT backends are running and none is still waiting or loading (the view is then stable).
await_running() { # count session
  local deadline=$(( $(date +%s) + 600 )) running answer
  while :; do
    answer=$(post ListBackends "{\"session_id\":\"$2\"}")
    running=$(grep -o '"status":"running"' <<< "$answer" | wc -l || true)
    if [ "$running" -ge "$1" ] && ! grep -q '"status":"\(waiting\|loading\)"' <<< "$answer"; then
      return 0
    fi
    [ "$(date +%s)" -gt "$deadline" ] && { echo "only $running of $1 backends became running" >&2; exit 1; }
    sleep 0.2
  done
}

rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# wrk against a URL with a POST body; prints "requests_per_second p50_ms p99_ms".
wrk_run() { # url body connections threads
  local script=$work/wrk-$RANDOM.lua
  printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' \
    "'$2'" > "$script"
  "${wrk_pinned[@]}" wrk -t"$4" -c"$3" -d"$DURATION" --latency -s "$script" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec/ { rps = $2 }
    $1 == "50.000%" || $1 == "50%" { p50 = ms($2) }
    $1 == "99.000%" || $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END {
      # An error answer is not a measurement of the route: such a run counts as 0 requests/s.
      if (bad > 0) { print "wrk: " bad " non-2xx answers; this run counts as 0 req/s" > "/dev/stderr"; rps = 0 }
      printf "%s %s %s\n", rps, p50, p99 }'
}

# Runs wrk on Switchboard and the ceiling in ROUNDS adjacent pairs (Switchboard first in odd pairs, the ceiling
# first in even ones, so a machine that speeds up or slows down during a figure favours neither) and prints
# "sb_rps sb_p50 sb_p99 ceiling_rps ceiling_p50 ceiling_p99 median_pair_ratio lowest-highest": the means of each
# server's rounds, and the median and range of the pairs' throughput ratios. This VM's speed drifts by a fifth
# within a minute; a pair's two rounds, seconds apart, see nearly the same machine. Both servers are first
# warmed up (WARMUP of the same load, not counted), so neither is measured while its JIT compiler is still at
# work.
compare() { # route body connections threads
  local sb=() ce=() ratios=() i a b
  DURATION=$WARMUP wrk_run "$api/$1" "$2" "$3" "$4" > /dev/null
  DURATION=$WARMUP wrk_run "$ceiling_api/$1" "$2" "$3" "$4" > /dev/null
  for i in $(seq "$ROUNDS"); do
    if [ $((i % 2)) = 1 ]; then
      a=$(wrk_run "$api/$1" "$2" "$3" "$4")
      b=$(wrk_run "$ceiling_api/$1" "$2" "$3" "$4")
    else
      b=$(wrk_run "$ceiling_api/$1" "$2" "$3" "$4")
      a=$(wrk_run "$api/$1" "$2" "$3" "$4")
    fi
    sb+=("$a")
    ce+=("$b")
    ratios+=("$(awk -v x="${a%% *}" -v y="${b%% *}" 'BEGIN { printf "%.4f", (y > 0 ? x / y : 0) }')")
  done
  log "$1: pair ratios ${ratios[*]}"
  {
    printf '%s\n' "${sb[@]}" | awk '{r+=$1; a+=$2; b+=$3} END {printf "%.1f %.3f %.3f ", r/NR, a/NR, b/NR}'
    printf '%s\n' "${ce[@]}" | awk '{r+=$1; a+=$2; b+=$3} END {printf "%.1f %.3f %.3f ", r/NR, a/NR, b/NR}'
    printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END {
      printf "%.2fx %.2f-%.2f\n", (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2), v[1], v[NR] }'
  }
}

ceiling_pid=
start_ceiling() { # answers-dir
  # Emptied here, not only by the redirection in the background child: the wait below could otherwise still
  # read the last ceiling's "listening" line before the child truncates the file (seen on a loaded machine).
  : > "$work/ceiling.out"
  "${pinned[@]}" java -Xmx256m -cp "$CP" dev.switchboard.benchmarks.ceiling.CeilingServer "$CEILING_PORT" "$1" \
    > "$work/ceiling.out" 2>&1 &
  ceiling_pid=$!
  pids+=("$ceiling_pid")
  until grep -q "^ceiling listening" "$work/ceiling.out"; do
    kill -0 "$ceiling_pid" 2>/dev/null || { cat "$work/ceiling.out" >&2; echo "the ceiling did not start" >&2; exit 1; }
    sleep 0.05
  done
}
stop_ceiling() { kill "$ceiling_pid"; wait "$ceiling_pid" 2>/dev/null || true; }

capture() { # session answers-dir: Switchboard's own answers, replayed by the ceiling
  mkdir -p "$2"
  post ListBackends "{\"session_id\":\"$1\"}" > "$2/ListBackends.json"
  post ListBackendTypes "{\"session_id\":\"$1\"}" > "$2/ListBackendTypes.json"
  post GetNewSession '{}' > "$2/GetNewSession.json"
}

# One throughput row (target: 0.9x the ceiling) from compare; leaves both servers' p99 in sb_p99 and ce_p99.
throughput_row() { # label route body
  local sb_rps sb_p50 ce_rps ce_p50 pair_ratio pair_range
  read -r sb_rps sb_p50 sb_p99 ce_rps ce_p50 ce_p99 pair_ratio pair_range < <(compare "$2" "$3" $CONNS $THREADS)
  row "$1, $CONNS conns: req/s (pair ratios $pair_range)" "$sb_rps" "$ce_rps" "$pair_ratio" \
    ">= 0.9x" "$(at_least "${pair_ratio%x}" 0.9)"
}

rows=()
row() { rows+=("$(printf '%s|%s|%s|%s|%s|%s' "$@")"); log "${rows[-1]}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b ? "yes" : "NO") }'; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? "yes" : "NO") }'; }

# ---------------------------------------------------------------- stand-ins
log "starting ComfyUI stand-ins"
mkfifo "$work/standin.in"
# A heap of its own: at scale it serves 2,000 health probes a second (scale-rows.sh).
java -Xmx1g -cp "$CP" dev.switchboard.benchmarks.standin.StandInHost 4 < "$work/standin.in" > "$work/standin.out" 2>&1 &
pids+=("$!")
exec 9> "$work/standin.in"
until grep -q "^ready" "$work/standin.out"; do
  kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/standin.out" >&2; echo "the stand-ins did not start" >&2; exit 1; }
  sleep 0.05
done
mapfile -t standin_ports < <(awk '/^standin/ {print $2}' "$work/standin.out")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Starts Switchboard STARTS times with a fresh folder of N backends; sets start_median (ms, launch to ready line).
median_start() { # backends
  local times=()
  for _ in $(seq "$STARTS"); do
    rm -rf "$work/start"
    if [ "$1" -gt 0 ]; then write_backends "$1" "$work/start"; fi
    start_server "$work/start"
    times+=("$ready_ms")
    stop_server
  done
  start_median=$(printf '%s\n' "${times[@]}" | median)
}

# shellcheck source=benchmarks/scale-rows.sh
. "$root/benchmarks/scale-rows.sh"

# The rows before issue 21 (not indented, to keep their history readable).
if $run_base; then
# ---------------------------------------------------------------- 100 backends: throughput and latency
log "100 backends: ListBackends, GetNewSession, ListBackendTypes (${DURATION} per run, $ROUNDS round(s))"
write_backends 100 "$work/d100"
pinned=("${server_pin[@]}")
wrk_pinned=("${wrk_pin[@]}")
start_server "$work/d100"
session=$(new_session)
await_running 100 "$session"
capture "$session" "$work/answers100"
start_ceiling "$work/answers100"
list_body="{\"session_id\":\"$session\"}"
throughput_row "ListBackends, 100 backends" ListBackends "$list_body"
row "ListBackends, 100 backends, $CONNS conns: p99 ms" "$sb_p99" "$ce_p99" "$(ratio "$sb_p99" "$ce_p99")" \
  "< 20 ms" "$(below "$sb_p99" 20)"
throughput_row "ListBackendTypes (session-checked)" ListBackendTypes "$list_body"
# Last: it creates sessions by the hundred thousand, and the oldest (the one above) are dropped at the cap.
throughput_row GetNewSession GetNewSession '{}'
stop_ceiling

log "status propagation ($SAMPLES sample(s), each waits for the idle monitor's 5 s probe)"
prop=$(bench_java dev.switchboard.benchmarks.load.StatusPropagation "http://127.0.0.1:$PORT" "$SAMPLES")
prop_median=$(awk '/propagation_ms_median/ {print $2}' <<< "$prop")
prop_max=$(awk '/propagation_ms_max/ {print $2}' <<< "$prop")
row "Status change -> visible in ListBackends: ms (median; max $prop_max)" "$prop_median" "-" "-" "< 50 ms" \
  "$(below "$prop_median" 50)"
stop_server
# Start-up, memory and the other figures run unpinned, as the server runs in use.
pinned=()
wrk_pinned=()

# ---------------------------------------------------------------- durable mutations
log "durable mutations, 16 clients"
mkdir -p "$work/dmut"
start_server "$work/dmut"
mut=$(bench_java dev.switchboard.benchmarks.load.DurableMutationLoad "http://127.0.0.1:$PORT" 16 "$MUTATION_SECONDS")
mut_rate=$(awk '/mutations_per_second/ {print $2}' <<< "$mut")
mut_errors=$(awk '/^errors/ {print $2}' <<< "$mut")
file_bytes=$(stat -c %s "$work/dmut/backends.json")
stop_server
fsync=$(bench_java dev.switchboard.benchmarks.load.FsyncLimit "$work/fsync" "$file_bytes" "$MUTATION_SECONDS")
fsync_rate=$(awk '/saves_per_second/ {print $2}' <<< "$fsync")
row "Durable mutations/s, 16 clients ($mut_errors errors) vs saves/s one thread can fsync" "$mut_rate" \
  "$fsync_rate" "$(ratio "$mut_rate" "$fsync_rate")" "report" "-"

# ---------------------------------------------------------------- dispatch
# A dispatch benchmark hosts its own stand-ins (it drives them directly and reads their counters): it prints their
# ports and "ready", this starts Switchboard with one comfyui_api backend per stand-in (OverQueue 0: max_usages 1)
# and tells it "go <url> <pid>"; its result lines ("name value...") land in $work/<name>.out.
dispatch_bench() { # name main-class args...
  local name=$1 main=$2 bench
  shift 2
  mkfifo "$work/$name.in"
  bench_java "dev.switchboard.benchmarks.dispatch.$main" "$@" < "$work/$name.in" > "$work/$name.out" &
  bench=$!
  pids+=("$bench")
  exec 8> "$work/$name.in"
  until grep -q "^ready" "$work/$name.out"; do
    kill -0 "$bench" 2>/dev/null || { cat "$work/$name.out" >&2; echo "$main did not start" >&2; exit 1; }
    sleep 0.05
  done
  local -a standin_ports
  mapfile -t standin_ports < <(awk '/^standin/ {print $2}' "$work/$name.out")
  write_backends "${#standin_ports[@]}" "$work/$name" "${#standin_ports[@]}" ',"OverQueue":0'
  start_server "$work/$name"
  await_running "${#standin_ports[@]}" "$(new_session)"
  echo "go http://127.0.0.1:$PORT $server_pid" >&8
  wait "$bench" || { exec 8>&-; echo "$main failed" >&2; exit 1; }
  exec 8>&-
  stop_server
}
field() { awk -v k="$1" -v n="${2:-2}" '$1 == k {print $n}' "$work/$3.out"; }

log "dispatch overhead: $DISPATCH_CONCURRENCY jobs at once on $DISPATCH_CONCURRENCY stand-ins, then 1 at a time" \
  "(${DISPATCH_SECONDS}s runs, $DISPATCH_ROUNDS pair(s) each, after ${DISPATCH_WARMUP}s of each way)"
dispatch_bench overhead DispatchOverhead "$DISPATCH_CONCURRENCY" "$DISPATCH_CONCURRENCY" "$DISPATCH_WARMUP" \
  "$DISPATCH_SECONDS" "$DISPATCH_ROUNDS"
read -r _ d_sb d_direct d_ratio d_low d_high < <(grep '^throughput ' "$work/overhead.out")
read -r _ l_sb l_direct l_added _ _ l_added99 < <(grep '^latency ' "$work/overhead.out")
read -r _ cpu_sb cpu_own_sb cpu_own_direct cpu_sb_idle < <(grep '^cpu_ms_per_job ' "$work/overhead.out")
d_errors=$(field errors 2 overhead)
d_most=$(field most_at_once 3 overhead)
d_held=$(field most_at_once 2 overhead)
row "Dispatch, zero-time jobs, $DISPATCH_CONCURRENCY at once: jobs/s via Switchboard vs the stand-ins driven directly ($d_errors errors; pair ratios $d_low-$d_high)" \
  "$d_sb" "$d_direct" "${d_ratio}x" ">= 0.8x" "$(at_least "$d_ratio" 0.8)"
row "Dispatch, 1 job at a time: p50 ms per job (ratio column: added, median of the pairs; p99 added $l_added99 ms)" \
  "$l_sb" "$l_direct" "+$l_added ms" "< 3 ms added" "$(below "$l_added" 3)"
row "Dispatch: CPU ms per job, Switchboard's process (baseline: the benchmark JVM's own, direct; via Switchboard it spent $cpu_own_sb; Switchboard idle beside the direct runs: $cpu_sb_idle)" \
  "$cpu_sb" "$cpu_own_direct" "$(ratio "$cpu_sb" "$cpu_own_direct")" "report" "-"
row "Dispatch: most prompts any stand-in held unfinished at once (max_usages 1; counted until the prompt's last message instead: $d_held)" "$d_most" "-" "-" "<= 1" \
  "$(awk -v m="$d_most" -v e="$d_errors" 'BEGIN { print (m <= 1 && e == 0 ? "yes" : "NO") }')"

log "fairness: $((FAIR_BIG + 3 * FAIR_SMALL)) jobs from 4 sessions ($FAIR_BIG, then 3 x $FAIR_SMALL) over 16 stand-ins," \
  "${FAIR_STEP_MS} ms each"
dispatch_bench fairness Fairness 16 "$FAIR_STEP_MS" "$FAIR_BIG" "$FAIR_SMALL" 3
read -r _ f_done f_asked < <(grep '^jobs ' "$work/fairness.out")
f_errors=$(field errors 2 fairness)
f_prompts=$(field prompts 2 fairness)
f_most=$(field most_at_once 3 fairness)
f_held=$(field most_at_once 2 fairness)
f_jain=$(field jain 2 fairness)
f_rates=$(grep '^rates ' "$work/fairness.out" | cut -d' ' -f2-)
f_window=$(field window_s 2 fairness)
read -r _ f_small f_fair < <(grep '^small_done_s ' "$work/fairness.out")
row "Fairness, $f_asked jobs ($FAIR_BIG + 3 x $FAIR_SMALL) over 16 backends: jobs completed ($f_errors errors, $f_prompts prompts at the stand-ins); most prompts a stand-in held unfinished at once (until its last message: $f_held)" \
  "$f_done; $f_most" "$f_asked; max_usages 1" "-" "all; <= 1" \
  "$(awk -v d="$f_done" -v a="$f_asked" -v m="$f_most" -v e="$f_errors" 'BEGIN { print (d == a && m <= 1 && e == 0 ? "yes" : "NO") }')"
row "Fairness: Jain's index over per-session jobs/s while all 4 have work (${f_window} s; jobs/s $f_rates)" \
  "$f_jain" "-" "-" ">= 0.95" "$(at_least "$f_jain" 0.95)"
row "Fairness: slowest small session, request to last image: s (vs an even split of the window's rate)" \
  "$f_small" "$f_fair" "$(ratio "$f_small" "$f_fair")" "report" "-"

# ---------------------------------------------------------------- start-up
log "start-up: launch to ready line, $STARTS start(s) each with 0, 100 and 1000 backends"
declare -A ready
for n in 0 100 1000; do
  median_start "$n"
  ready[$n]=$start_median
done
row "Start-up, 0 backends: launch to ready ms" "${ready[0]}" "-" "-" "-" "-"
row "Start-up, 100 backends: launch to ready ms" "${ready[100]}" "${ready[0]}" "$(ratio "${ready[100]}" "${ready[0]}")" "-" "-"
row "Start-up, 1000 backends: launch to ready ms (vs 0 backends)" "${ready[1000]}" "${ready[0]}" \
  "$(ratio "${ready[1000]}" "${ready[0]}")" "< 1500 ms" "$(below "${ready[1000]}" 1500)"
SWITCHBOARD_CDS=off median_start 1000
nocds=$start_median
row "Start-up, 1000 backends, without the class data archive: launch to ready ms (vs with it)" "$nocds" \
  "${ready[1000]}" "$(ratio "$nocds" "${ready[1000]}")" "-" "-"

# ---------------------------------------------------------------- 10,000 backends
log "10000 backends ($RUNNING_10K running): ListBackends latency (1 connection) and resident memory"
rm -rf "$work/start"
mkdir -p "$work/d0"
start_server "$work/d0"
sleep 2
rss_empty=$(rss_mb "$server_pid")
stop_server
write_backends 10000 "$work/d10k" "$RUNNING_10K"
start_server "$work/d10k"
session=$(new_session)
await_running "$RUNNING_10K" "$session"
capture "$session" "$work/answers10k"
start_ceiling "$work/answers10k"
list_body="{\"session_id\":\"$session\"}"
read -r sb_rps sb_p50 sb_p99 ce_rps ce_p50 ce_p99 _ _ < <(compare ListBackends "$list_body" 1 1)
row "ListBackends, 10000 backends ($RUNNING_10K running), 1 conn: p50 ms ($(stat -c %s "$work/answers10k/ListBackends.json") bytes)" \
  "$sb_p50" "$ce_p50" "$(ratio "$sb_p50" "$ce_p50")" "< 50 ms" "$(below "$sb_p50" 50)"
stop_ceiling
rss_peak=$(rss_mb "$server_pid")
sleep 25 # the launcher's periodic GC (after 10 s idle) returns the heap the start-up and load made grow
rss=$(rss_mb "$server_pid")
row "Resident memory, 10000 backends ($RUNNING_10K running), 25 s after load: MB (vs 0 backends; right after load: $rss_peak MB)" \
  "$rss" "$rss_empty" "$(ratio "$rss" "$rss_empty")" "< 300 MB" "$(below "$rss" 300)"
stop_server
fi # run_base

if $run_scale; then
  scale_rows
fi

# ---------------------------------------------------------------- the table
exec 9>&-
echo
echo "Switchboard benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
  "$(awk '/MemTotal/ {printf "%.1f GB RAM", $2 / 1048576}' /proc/meminfo), $(java -version 2>&1 | head -1);" \
  "load average before the table: $(cut -d' ' -f1-3 /proc/loadavg); wrk $DURATION x $ROUNDS round(s) after $WARMUP;" \
  "$([ ${#server_pin[@]} -gt 0 ] && echo "throughput: server on CPU ${server_pin[2]}, wrk on CPU ${wrk_pin[2]}" || echo "no pinning")"
echo
echo "| figure | Switchboard | ceiling / baseline | ratio | target | met? |"
echo "| --- | --- | --- | --- | --- | --- |"
for r in "${rows[@]}"; do
  echo "| ${r//|/ | } |"
done
print_growth
