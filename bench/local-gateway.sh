#!/usr/bin/env bash
# Local gateway benchmark: the same closed-loop ping load against
#   echo                           a Kestrel WebSocket echo server (the ceiling on this machine),
#   realtime-local                 Realtime's offline host (src/Realtime.Local), when it builds and serves,
#   serverless-offline-inprocess   the same ping route in Node on serverless-offline --useInProcess (its fastest mode),
#   serverless-offline-workers     the same on serverless-offline's default, a worker thread per concurrent
#                                  invocation (not in the default list: cold, it cannot keep up with 50 connections
#                                  inside the timeout; give it WARMUP=20 TIMEOUT=30),
# and prints one table. Every server listens on a free loopback port and is stopped when its runs are done.
#
# Settings (environment): CONNECTIONS="50 200" PRIME=5 WARMUP=2 DURATION=8 DEPTH=1 TIMEOUT=10
#                         SERVERS="echo realtime-local serverless-offline-inprocess"
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

CONNECTIONS="${CONNECTIONS:-50 200}"
PRIME="${PRIME:-5}"
WARMUP="${WARMUP:-2}"
DURATION="${DURATION:-8}"
DEPTH="${DEPTH:-1}"
TIMEOUT="${TIMEOUT:-10}"
SERVERS="${SERVERS:-echo realtime-local serverless-offline-inprocess}"

work="$(mktemp -d)"
summary="$work/summary.tsv"
: > "$summary"
started=()   # every process this script started; only these are ever stopped
load_at_start="$(cut -d ' ' -f 1-3 /proc/loadavg)"

# The process and everything it started, deepest first (dotnet run starts the app as a child).
tree() {
  local pid="$1" child
  for child in $(pgrep -P "$pid" 2>/dev/null || true); do
    tree "$child"
  done
  echo "$pid"
}

stop() {
  local pid="$1" pids
  pids="$(tree "$pid" | tr '\n' ' ')"
  kill -TERM $pids 2>/dev/null || true
  alive() { local p; for p in $pids; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
  for _ in $(seq 1 40); do
    alive || break
    sleep 0.25
  done
  kill -KILL $pids 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${started[@]}"; do
    stop "$pid"
  done
  started=()
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

skip() { # server reason
  printf '%s\t-\t-\tskipped: %s\n' "$1" "$2" >> "$summary"
  echo "$1: skipped: $2"
}

echo "== building the load driver (Release)"
dotnet build bench/LocalGateway/LocalGateway.csproj -c Release -nologo -v q -clp:NoSummary > "$work/build-driver.log" 2>&1 \
  || { cat "$work/build-driver.log"; exit 1; }
driver=(dotnet "$root/bench/LocalGateway/bin/Release/net10.0/LocalGateway.dll")
# Socket continuations run on the driver's event loop thread: fewer thread hops, more of the CPU left to the server.
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1

# Starts "$@" in the background with its output in $work/$name.log; sets $pid.
launch() { # name command...
  local name="$1"
  shift
  "$@" > "$work/$name.log" 2>&1 &
  pid=$!
  started+=("$pid")
}

# Waits until a ping gets its answer; false if the server exits or does not answer within the limit.
await_ready() { # name pid url expect seconds
  local name="$1" pid="$2" url="$3" expect="$4" limit="$5" start=$SECONDS
  while (( SECONDS - start < limit )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      return 1
    fi
    if "${driver[@]}" probe --url "$url" --expect "$expect" --timeout 2 > /dev/null 2>&1; then
      echo "$name: ready in $(( SECONDS - start )) s at $url"
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# User and system CPU, in clock ticks, of a process and everything it started.
cpu_ticks() { # pid
  local p total=0 ticks
  for p in $(tree "$1"); do
    # Past the ")" that ends the command name, utime and stime are the 12th and 13th fields.
    ticks="$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || true)"
    total=$(( total + ${ticks:-0} ))
  done
  echo "$total"
}

measure() { # name pid url expect
  local c before after answered per
  # One unrecorded run first with the most connections, so that every server is measured with its code compiled
  # by the JIT (.NET's tiering, V8's) rather than while compiling it.
  if [[ "$PRIME" != 0 ]]; then
    c="$(tr ' ' '\n' <<< "$CONNECTIONS" | sort -n | tail -n 1)"
    echo "$1: priming with $c connections for $PRIME s"
    "${driver[@]}" drive --url "$3" --expect "$4" --connections "$c" --depth "$DEPTH" --warmup 0 --duration "$PRIME" \
      --timeout "$TIMEOUT" --label "$1" > /dev/null 2>&1 || true
  fi
  for c in $CONNECTIONS; do
    before="$(cpu_ticks "$2")"
    if "${driver[@]}" drive --url "$3" --expect "$4" --connections "$c" --depth "$DEPTH" \
      --warmup "$WARMUP" --duration "$DURATION" --timeout "$TIMEOUT" --label "$1" --summary "$summary"; then
      # The server's CPU per answered ping: what it costs, whatever else the machine was doing.
      after="$(cpu_ticks "$2")"
      answered="$(tail -n 1 "$summary" | cut -f 9)"
      per="$(awk -v ticks=$(( after - before )) -v n="$answered" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { if (n > 0) printf "%.0f", ticks / hz * 1e6 / n; else print "-" }')"
      sed -i "\$ s/\$/\t$per/" "$summary"
    else
      printf '%s\t%s\t%s\tfailed: see the output above\n' "$1" "$c" "$DEPTH" >> "$summary"
    fi
  done
}

finish() { # pid
  stop "$1"
  local kept=() p
  for p in "${started[@]}"; do
    [[ "$p" == "$1" ]] || kept+=("$p")
  done
  started=("${kept[@]+"${kept[@]}"}")
}

run_echo() {
  local port
  port="$(free_port)"
  launch echo "${driver[@]}" echo --port "$port"
  if await_ready echo "$pid" "ws://127.0.0.1:$port/local" echo 30; then
    measure echo "$pid" "ws://127.0.0.1:$port/local" echo
  else
    tail -20 "$work/echo.log"
    skip echo "did not start"
  fi
  finish "$pid"
}

run_realtime_local() {
  local project=src/Realtime.Local/Realtime.Local.csproj port
  if [[ ! -f "$project" ]]; then
    skip realtime-local "not built (no $project)"
    return
  fi
  echo "== building Realtime.Local (Release)"
  if ! dotnet build "$project" -c Release -nologo -v q -clp:NoSummary > "$work/build-local.log" 2>&1; then
    tail -20 "$work/build-local.log"
    skip realtime-local "not built (build failed)"
    return
  fi
  port="$(free_port)"
  # Anonymous like the serverless-offline peer, which has no authorizer; quiet, since a line per event would
  # measure the console rather than the gateway.
  launch realtime-local dotnet run --project src/Realtime.Local -c Release --no-build -- \
    --port "$port" --allow-anonymous --quiet
  if await_ready realtime-local "$pid" "ws://127.0.0.1:$port/local" pong 60; then
    measure realtime-local "$pid" "ws://127.0.0.1:$port/local" pong
  else
    tail -5 "$work/realtime-local.log"
    skip realtime-local "does not answer a ping at ws://127.0.0.1:PORT/local"
  fi
  finish "$pid"
}

install_peer() {
  local dir=bench/serverless-offline
  if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
    return 1
  fi
  # node_modules is installed from the lock file, and again whenever the lock file changes.
  local lock
  lock="$(sha256sum "$dir/package-lock.json" | cut -d ' ' -f 1)"
  if [[ ! -x "$dir/node_modules/.bin/serverless" || "$(cat "$dir/node_modules/.installed-from" 2>/dev/null)" != "$lock" ]]; then
    echo "== installing serverless and serverless-offline (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) > "$work/npm.log" 2>&1 || { tail -20 "$work/npm.log"; return 1; }
    echo "$lock" > "$dir/node_modules/.installed-from"
  fi
}

run_serverless_offline() { # name extra-args...
  local name="$1" port
  shift
  if ! install_peer; then
    skip "$name" "node/npm or the npm install failed"
    return
  fi
  port="$(free_port)"
  # No AWS account: dummy credentials, no telemetry, nothing that reaches out.
  (
    cd bench/serverless-offline
    export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 \
      SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off SLS_DEPRECATION_DISABLE='*' \
      WEBSOCKET_PORT="$port" HTTP_PORT="$(free_port)" LAMBDA_PORT="$(free_port)"
    exec node node_modules/.bin/serverless offline start "$@"
  ) > "$work/$name.log" 2>&1 &
  pid=$!
  started+=("$pid")
  if await_ready "$name" "$pid" "ws://127.0.0.1:$port/local" pong 60; then
    measure "$name" "$pid" "ws://127.0.0.1:$port/local" pong
  else
    grep -v -i -E 'node ?>=|NodeVersionSupport|aws sdk|a\.co/|trace-warnings|^$' "$work/$name.log" | tail -20 || true
    skip "$name" "did not start"
  fi
  finish "$pid"
}

for server in $SERVERS; do
  echo "== $server"
  case "$server" in
    echo) run_echo ;;
    realtime-local) run_realtime_local ;;
    serverless-offline-workers) run_serverless_offline serverless-offline-workers ;;
    serverless-offline-inprocess) run_serverless_offline serverless-offline-inprocess --useInProcess ;;
    *) skip "$server" "unknown server" ;;
  esac
done

echo
echo "== local gateway: depth $DEPTH, warm-up ${WARMUP} s, measured ${DURATION} s, $(nproc) cores shared by driver and server"
echo "   load average before the run: $load_at_start (other work on the machine: figures compare only when it is near 0)"
awk -F '\t' '
  BEGIN { printf "%-30s %11s %9s %9s %9s %9s %7s %12s\n", "server", "connections", "msg/s", "p50 ms", "p99 ms", "max ms", "errors", "CPU us/msg" }
  NF == 4 { printf "%-30s %11s %s\n", $1, $2, $4; next }
  { printf "%-30s %11s %9s %9s %9s %9s %7s %12s\n", $1, $2, $4, $5, $6, $7, $8, $10 }
' "$summary"
echo "   CPU us/msg: the server's own CPU time (user + system) per answered ping, warm-up included"
