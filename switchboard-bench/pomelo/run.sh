#!/usr/bin/env bash
# Pomelo side by side (issue 14, item 3): the bench's echo, broadcast and churn scenarios against NetEase Pomelo
# 2.2.7 serving the demo routes (handlers in the frontend; connector + one backend over Pomelo's RPC), then against
# Switchboard (--target standalone --fork, --target cluster), all in one run, and a summary table with the ratios.
#
#   switchboard-bench/pomelo/run.sh [--no-build] [--only SCENARIO]
#
# Needs node and npm (Node >= 18 is fine: the patch step below mends Pomelo's TCP write), a JDK 17 and Maven.
# Pomelo is installed with `npm ci` from the pinned package-lock.json into a scratch folder,
# $POMELO_SCRATCH (default switchboard-bench/target/pomelo-bench); node_modules is never committed.
# Pomelo listens on 127.0.0.1: clients 23010, RPC 23150/23151, master 23005 (game-server/config/*.json).
# POMELO_NODELAY=0 runs Pomelo with its default, Nagle's algorithm on (TCP_NODELAY off); the default here is on, as
# Switchboard's connections have it. WARMUP and DURATION (default 12s, 10s) set the bench's windows.
# Each bench run's report is written to $POMELO_SCRATCH/results/<scenario>-<target>.json and its text beside it.
# Not run in CI. Benchmarks share the machine: run one at a time.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SCRATCH="${POMELO_SCRATCH:-$ROOT/switchboard-bench/target/pomelo-bench}"
RESULTS="$SCRATCH/results"
JAR="$ROOT/switchboard-cli/target/switchboard.jar"
CLIENT_PORT=23010
WARMUP="${WARMUP:-12s}"
DURATION="${DURATION:-10s}"
BUILD=1
SCENARIOS=(echo broadcast churn)

while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --only) shift; SCENARIOS=("$1") ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

# The same flags as BENCHMARKS.md's Switchboard runs, with the longer warm-up the cluster needs.
flags_for() {
  case "$1" in
    echo) echo "--connections 50 --in-flight 8" ;;
    broadcast) echo "--rooms 1 --members 1000 --in-flight 16" ;;
    churn) echo "--connections 50 --rooms 10 --says 5" ;;
  esac
}

install_pomelo() {
  mkdir -p "$SCRATCH"
  rm -rf "$SCRATCH/game-server"
  cp -R "$HERE/game-server" "$SCRATCH/game-server"
  cp "$HERE/package.json" "$HERE/package-lock.json" "$SCRATCH/game-server/"
  (cd "$SCRATCH/game-server" && npm ci --no-audit --no-fund --loglevel=error)
  patch_pomelo "$SCRATCH/game-server/node_modules/pomelo"
}

# Pomelo 2.2.7's TCP socket passes the WebSocket send options ({binary: true}) as the encoding of net.Socket#write;
# Node >= 15 throws ERR_UNKNOWN_ENCODING for that, so no TCP client would get an answer. Drop the argument.
patch_pomelo() {
  local file="$1/lib/connectors/hybrid/tcpsocket.js"
  grep -q 'this._socket.write(msg, encode, cb);' "$file" \
    || { echo "Pomelo's tcpsocket.js is not the 2.2.7 one expected: $file" >&2; exit 1; }
  sed -i 's/this\._socket\.write(msg, encode, cb);/this._socket.write(msg, cb); \/\/ switchboard-bench: no encoding (Node >= 15)/' "$file"
}

POMELO_PID=""
POMELO_SERVERS=""
start_pomelo() {
  local layout="$1" log="$RESULTS/pomelo-$1.log"
  # The master, in its own process group; it spawns each server as a detached child of its own.
  (cd "$SCRATCH/game-server" && exec setsid node app.js env="$layout" >"$log" 2>&1) &
  POMELO_PID=$!
  local ports=("$CLIENT_PORT")
  [ "$layout" = split ] && ports+=(23151)
  for port in "${ports[@]}"; do
    for _ in $(seq 1 60); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue 2
      sleep 0.5
    done
    echo "Pomelo ($layout) did not listen on $port within 30 s; see $log" >&2
    stop_pomelo
    exit 1
  done
  sleep 3 # the connector learns its backends from the master after they listen
  POMELO_SERVERS="$(ps -o pid= --ppid "$POMELO_PID" | tr -d ' ' | tr '\n' ' ')"
}

# Ends the master and the servers it spawned (by their ids), nothing else.
stop_pomelo() {
  if [ -n "$POMELO_PID" ]; then
    POMELO_SERVERS="$POMELO_SERVERS $(ps -o pid= --ppid "$POMELO_PID" | tr -d ' ' | tr '\n' ' ')"
    for pid in $POMELO_SERVERS; do
      kill "$pid" 2>/dev/null || true
    done
    kill -- "-$POMELO_PID" 2>/dev/null || true
    wait "$POMELO_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do
      alive=""
      for pid in $POMELO_SERVERS; do kill -0 "$pid" 2>/dev/null && alive=1; done
      [ -z "$alive" ] && break
      sleep 0.5
    done
    POMELO_PID=""
    POMELO_SERVERS=""
  fi
}
trap stop_pomelo EXIT

bench() {
  local scenario="$1" name="$2"
  shift 2
  local out="$RESULTS/$scenario-$name"
  echo "== $scenario on $name: bench $scenario $* $(flags_for "$scenario") --warmup $WARMUP --duration $DURATION"
  # A run with problems (lost responses, failed cycles) exits 1: keep going, the report says so.
  java -jar "$JAR" bench "$scenario" "$@" $(flags_for "$scenario") --warmup "$WARMUP" --duration "$DURATION" \
    --json "$out.json" >"$out.txt" 2>&1 || echo "   (exit $?: see $out.txt)"
  grep -E 'requests_per_s|deliveries_per_s|cycles_per_s|^  p99_us|problem' "$out.txt" | sed 's/^/   /' || true
}

command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are needed" >&2; exit 1; }
if [ "$BUILD" = 1 ]; then
  (cd "$ROOT" && mvn -o -q -pl switchboard-cli -am package -DskipTests)
fi
[ -f "$JAR" ] || { echo "no $JAR: build it, or drop --no-build" >&2; exit 1; }
install_pomelo
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "commit: $(cd "$ROOT" && git rev-parse --short HEAD)$(cd "$ROOT" && git diff --quiet HEAD -- . ':!switchboard-bench/pomelo' || echo ' (with uncommitted changes)')"
  echo "pomelo TCP_NODELAY: $([ "${POMELO_NODELAY:-1}" = 0 ] && echo off || echo on)"
  echo "node: $(node --version), pomelo: $(node -p "require('$SCRATCH/game-server/node_modules/pomelo/package.json').version")"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "cpu: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
} | tee "$RESULTS/run.txt"

for scenario in "${SCENARIOS[@]}"; do
  for layout in frontend split; do
    start_pomelo "$layout"
    bench "$scenario" "pomelo-$layout" --target "tcp://127.0.0.1:$CLIENT_PORT"
    stop_pomelo
  done
  bench "$scenario" standalone --target standalone --fork
  bench "$scenario" cluster --target cluster
done

node "$HERE/summary.js" "$RESULTS" | tee "$RESULTS/summary.md"
