# The rows of issue 21 (Switchboard at scale), sourced by run.sh, which defines the helpers used here (start_server,
# write_backends, compare, row, ...) and calls scale_rows. See benchmarks/README.md, "At scale (issue 21)".
#
# 1. SCALE_COUNTS (default "100 1000 10000") running comfyui_api backends, spread over the stand-ins: the server's
#    threads (most seen while they start, when all run, and 25 s later), its open file descriptors, its resident
#    memory 25 s after the load, ListBackends' p50 against the ceiling's replay of the same bytes, start-up to the
#    ready line against 0 backends, and the time from launch until all of them are running.
# 2. The dispatcher through the real server: SCALE_DISPATCH_COUNTS (default "10 100 1000 10000") running
#    example_echo backends (one slot, StepMillis 0: a job takes no time at the backend), and SCALE_JOBS (default
#    100000) zero-time jobs queued at once from 10 sessions (QueuedJobs): jobs/s against the 10-backend run, the
#    process's peak resident memory (VmHWM, reset once the backends run) and Jain's index over the sessions' rates.
# Each count's figures also go to the growth table printed after the main one.

growth=()
grow() { growth+=("$(printf '%s|%s|%s|%s|%s|%s|%s|%s' "$@")"); log "growth: ${growth[-1]}"; }

proc_field() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; } # pid field (Threads, VmRSS, VmHWM in kB)
open_fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

# Waits until COUNT backends are running, none still waiting or loading, sampling the server's threads meanwhile;
# sets most_threads (the most seen, kept from any earlier value). Gives up after SCALE_WAIT seconds, or once none is
# waiting or loading any more but some are not running (errored: a machine too busy to answer their health probes
# in time); sets not_running to what they are then ("" when all run).
await_running_sampling() { # count session
  local deadline=$(( $(date +%s) + SCALE_WAIT )) running answer now
  not_running=
  while :; do
    now=$(proc_field "$server_pid" Threads)
    if [ "${now:-0}" -gt "$most_threads" ]; then most_threads=$now; fi
    answer=$(post ListBackends "{\"session_id\":\"$2\"}")
    running=$(grep -o '"status":"running"' <<< "$answer" | wc -l || true)
    if ! grep -q '"status":"\(waiting\|loading\)"' <<< "$answer"; then
      [ "$running" -ge "$1" ] && return 0
      if grep -q '"status":"errored"' <<< "$answer"; then break; fi
    fi
    [ "$(date +%s)" -gt "$deadline" ] && break
    sleep 0.2
  done
  not_running=$(grep -o '"status":"[a-z]*"' <<< "$answer" | sort | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}' | tr -d '"')
  log "not all $1 running: $not_running; first errored message: $(grep -o '"status":"errored","status_message":"[^"]*"' <<< "$answer" | head -1)"
}

# With SCALE_DIAG=1: the server's threads by name, its sockets, and its live heap (a full GC: after the figures).
diagnose() { # label
  [ "${SCALE_DIAG:-0}" = 1 ] || return 0
  log "diagnosis, $1: threads by name (digits dropped), then sockets, then the heap's largest classes after a full GC"
  jcmd "$server_pid" Thread.print 2>/dev/null | awk '/^"/ { n = $0; sub(/^"/, "", n); sub(/".*/, "", n); gsub(/[0-9]+/, "#", n); print n }' \
    | sort | uniq -c | sort -rn | head -15 >&2
  log "sockets: $(find "/proc/$server_pid/fd" -mindepth 1 -maxdepth 1 -lname 'socket:*' 2>/dev/null | wc -l)"
  jcmd "$server_pid" GC.class_histogram 2>/dev/null | head -16 >&2
  log "resident after that full GC: $(rss_mb "$server_pid") MB"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in clock ticks

# Sleeps SECONDS while sampling the server's threads into most_threads.
sleep_sampling() { # seconds
  local i now
  for i in $(seq "$1"); do
    sleep 1
    now=$(proc_field "$server_pid" Threads)
    if [ "${now:-0}" -gt "$most_threads" ]; then most_threads=$now; fi
  done
}

scale_running() {
  local n cores bound ready0 launch all_ms th_all fd_all p50_sb p50_ce rss rss_load th_after fd_after bytes ticks cpu
  cores=$(nproc)
  bound=$((64 + cores))
  log "at scale: start-up with 0 backends ($STARTS start(s))"
  median_start 0 # the run's first start makes the class data archive; not measured
  median_start 0
  ready0=$start_median
  for n in $SCALE_COUNTS; do
    log "at scale: $n running comfyui_api backends on ${#standin_ports[@]} stand-ins"
    median_start "$n"
    rm -rf "$work/sc$n"
    write_backends "$n" "$work/sc$n"
    most_threads=0
    launch=$(date +%s%N)
    start_server "$work/sc$n"
    session=$(new_session)
    await_running_sampling "$n" "$session"
    all_ms=$(( ($(date +%s%N) - launch) / 1000000 ))
    th_all=$(proc_field "$server_pid" Threads)
    [ -n "$not_running" ] && all_ms="not all ($not_running after $all_ms ms)"
    fd_all=$(open_fds "$server_pid")
    capture "$session" "$work/answers-sc$n"
    bytes=$(stat -c %s "$work/answers-sc$n/ListBackends.json")
    start_ceiling "$work/answers-sc$n"
    read -r _ p50_sb _ _ p50_ce _ _ _ < <(compare ListBackends "{\"session_id\":\"$session\"}" 1 1)
    stop_ceiling
    rss_load=$(rss_mb "$server_pid")
    ticks=$(cpu_ticks "$server_pid")
    sleep_sampling 25 # the launcher's periodic GC (after 10 s idle) gives back what the start and load grew
    rss=$(rss_mb "$server_pid")
    # The server's CPU over those 25 s idle (health probes every 5 s per backend), in % of one core.
    cpu=$(awk -v a="$ticks" -v b="$(cpu_ticks "$server_pid")" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (b - a) / hz / 25 * 100 }')
    th_after=$(proc_field "$server_pid" Threads)
    fd_after=$(open_fds "$server_pid")
    diagnose "$n running comfyui_api"
    stop_server
    grow "$n running comfyui_api" "$most_threads / $th_all / $th_after" "$fd_all / $fd_after" "$rss" \
      "$(ratio "$p50_sb" "$p50_ce") ($p50_sb ms)" "$(ratio "$start_median" "$ready0") ($start_median ms)" \
      "$all_ms" "$cpu %"
    if [ "$n" = "$(awk '{print $NF}' <<< "$SCALE_COUNTS")" ]; then
      row "At scale, $n running comfyui_api backends: server threads, most while starting (when all ran: $th_all; 25 s later: $th_after)" \
        "$most_threads" "$bound" "-" "< 64 + $cores cores" "$(below "$most_threads" "$bound")"
      row "At scale, $n running: open file descriptors when all ran (25 s later: $fd_after; ${#standin_ports[@]} stand-ins)" \
        "$fd_all" "-" "-" "report" "-"
      row "At scale, $n running: resident memory 25 s after load, MB (right after load: $rss_load)" "$rss" "-" "-" \
        "< 400 MB" "$(below "$rss" 400)"
      row "At scale, $n running: ListBackends p50 ms, 1 conn ($bytes bytes), vs the ceiling's replay" "$p50_sb" \
        "$p50_ce" "$(ratio "$p50_sb" "$p50_ce")" "<= 1.1x" \
        "$(awk -v a="$p50_sb" -v b="$p50_ce" 'BEGIN { print (b > 0 && a / b <= 1.1 ? "yes" : "NO") }')"
      row "At scale, $n running: start-up, launch to ready ms (vs 0 backends)" "$start_median" "$ready0" \
        "$(ratio "$start_median" "$ready0")" "<= 1.5x" \
        "$(awk -v a="$start_median" -v b="$ready0" 'BEGIN { print (b > 0 && a / b <= 1.5 ? "yes" : "NO") }')"
      row "At scale, $n running: launch until all are running, ms" "$all_ms" "-" "-" "report" "-"
      row "At scale, $n running: the server's CPU over the 25 s idle, % of one core (health probes)" "$cpu" "-" "-" \
        "report" "-"
    fi
  done
}

# The packaged example-echo plugin beside the shipped ones (it draws an image in no time, in-process).
echo_plugins() {
  local zip
  zip=$(ls "$root"/plugins/example-echo/target/switchboard-plugin-example-echo-*.zip | head -1)
  rm -rf "$work/plugins-echo"
  cp -r "$HOME_DIR/plugins" "$work/plugins-echo"
  mkdir -p "$work/plugins-echo/example-echo"
  (cd "$work/plugins-echo/example-echo" && jar xf "$zip")
}

write_echo_backends() { # count data-dir
  mkdir -p "$2"
  awk -v n="$1" 'BEGIN {
    printf "{\"schema_version\":1,\"next_id\":%d,\"backends\":[", n;
    for (i = 0; i < n; i++)
      printf "%s{\"id\":%d,\"type\":\"example_echo\",\"title\":\"Echo %d\",\"enabled\":true,\"settings\":{\"Greeting\":\"hi\",\"Slots\":1,\"StepMillis\":0}}",
        (i ? "," : ""), i, i;
    print "]}" }' > "$2/backends.json"
  chmod 600 "$2/backends.json"
}

scale_dispatch() {
  local n out base="" rate errors done asked jain rates window peak th_end per_session
  per_session=$((SCALE_JOBS / 10))
  echo_plugins
  for n in $SCALE_DISPATCH_COUNTS; do
    log "at scale: $SCALE_JOBS zero-time jobs from 10 sessions on $n example_echo backends"
    rm -rf "$work/sd$n"
    write_echo_backends "$n" "$work/sd$n"
    server_args=(--plugins-dir "$work/plugins-echo")
    start_server "$work/sd$n"
    server_args=()
    await_running "$n" "$(new_session)"
    echo 5 > "/proc/$server_pid/clear_refs" # VmHWM from here on: the peak of the queue and its draining
    out=$(bench_java dev.switchboard.benchmarks.dispatch.QueuedJobs "http://127.0.0.1:$PORT" 10 "$per_session" \
      echo/gradient.safetensors)
    peak=$(( $(proc_field "$server_pid" VmHWM) / 1024 ))
    th_end=$(proc_field "$server_pid" Threads)
    diagnose "$n example_echo after the jobs"
    stop_server
    rate=$(awk '$1 == "jobs_per_s" {print $2}' <<< "$out")
    read -r _ done asked < <(grep '^jobs ' <<< "$out")
    errors=$(awk '$1 == "errors" {print $2}' <<< "$out")
    jain=$(awk '$1 == "jain" {print $2}' <<< "$out")
    rates=$(grep '^rates ' <<< "$out" | cut -d' ' -f2-)
    window=$(awk '$1 == "window_s" {print $2}' <<< "$out")
    [ -z "$base" ] && base=$rate
    grow "$n example_echo, $SCALE_JOBS jobs queued" "$th_end (at the end)" "-" "$peak (peak)" "-" "-" "-" \
      "$rate jobs/s, $(ratio "$rate" "$base") of $(awk '{print $1}' <<< "$SCALE_DISPATCH_COUNTS"); Jain $jain"
    row "At scale, dispatcher: $SCALE_JOBS zero-time jobs from 10 sessions on $n running backends: jobs/s ($done of $asked done, $errors errors; vs $(awk '{print $1}' <<< "$SCALE_DISPATCH_COUNTS") backends)" \
      "$rate" "$base" "$(ratio "$rate" "$base")" ">= 0.8x at 1000" \
      "$([ "$n" = 1000 ] && at_least "$(ratio "$rate" "$base" | tr -d x)" 0.8 || echo -)"
    row "At scale, dispatcher, $n backends: peak resident memory MB while the jobs queue and drain; Jain's index over the sessions' jobs/s while all had work (${window} s; $rates)" \
      "$peak; $jain" "-" "-" "report; Jain >= 0.95" "$(at_least "$jain" 0.95)"
  done
}

scale_rows() {
  scale_running
  scale_dispatch
}

print_growth() {
  [ ${#growth[@]} -gt 0 ] || return 0
  echo
  echo "How the figures grow with the backends:"
  echo
  echo "| backends | threads: most / all running / 25 s later | open fds: all running / 25 s later | RSS MB 25 s after | ListBackends p50 vs ceiling | start-up vs 0 backends | launch to all running ms | CPU idle / dispatch |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  for r in "${growth[@]}"; do
    echo "| ${r//|/ | } |"
  done
}
