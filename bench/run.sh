#!/usr/bin/env bash
# The whole-system benchmark: Strata vs an nginx slice cache vs the bare upstream, side by side in
# one run, on loopback. Installs nginx if it is missing (Debian), builds Strata, starts the
# upstream (s3proxy, filesystem backend), Strata and nginx in front of it, runs the scenarios of
# io.strata.bench.BenchMain, prints the table and writes bench/results/<date>.md.
# See docs/performance.md for what is measured and how to read it.
#
# Environment:
#   BENCH_SCALE=full|smoke     size of the run (default full, about 6 minutes after the build)
#   BENCH_OUT=FILE             where the Markdown goes (default bench/results/YYYY-MM-DD.md)
#   BENCH_SKIP_BUILD=1         reuse proxy/target/strata.jar and bench/target (no mvn)
#   BENCH_STRATA_JAR=FILE      measure another Strata jar (a before/after comparison)
#   STRATA_JAVA_OPTS=...       extra JVM options for Strata (e.g. -XX:StartFlightRecording=...)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN="$ROOT/bench/target/run"
SCALE=${BENCH_SCALE:-full}
OUT=${BENCH_OUT:-$ROOT/bench/results/$(date +%F).md}
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi

log() { printf '\n== %s\n' "$*"; }

# --- what the run needs ----------------------------------------------------------------------
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  log "installing nginx (Debian)"
  $SUDO apt-get update -q
  # Debian's package starts a system nginx on port 80; the benchmark runs its own on a free port.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q nginx
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
NGINX_BUILD=$("$NGINX" -V 2>&1)
case "$NGINX_BUILD" in
  *--with-http_slice_module*) ;;
  *) echo "this nginx lacks the slice module (--with-http_slice_module)" >&2; exit 1 ;;
esac
command -v java >/dev/null || { echo "java (17+) is required" >&2; exit 1; }

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  command -v mvn >/dev/null || { echo "mvn is required to build Strata" >&2; exit 1; }
  log "building Strata and the harness (mvn package -DskipTests)"
  (cd "$ROOT" && mvn -B -q package -DskipTests)
fi
JAR=${BENCH_STRATA_JAR:-$ROOT/proxy/target/strata.jar}
CP="$ROOT/bench/target/classes:$ROOT/bench/target/lib/*"
[ -f "$JAR" ] || { echo "missing $JAR" >&2; exit 1; }
[ -d "$ROOT/bench/target/lib" ] || { echo "missing bench/target/lib (run without BENCH_SKIP_BUILD)" >&2; exit 1; }

# --- processes --------------------------------------------------------------------------------
rm -rf "$RUN"
mkdir -p "$RUN"
# nginx's workers drop to an unprivileged user when started as root: give it a directory of its
# own that such a user can reach (the clone may live under a private home directory).
NGINX_DIR=$(mktemp -d /tmp/strata-bench-nginx.XXXXXX)
chmod 755 "$NGINX_DIR"
PIDS=()

cleanup() {
  set +e
  if [ -f "$NGINX_DIR/nginx.pid" ]; then
    "$NGINX" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -s stop 2>/dev/null
  fi
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null
  done
  # The caches and the upstream hold a few GiB of benchmark objects: keep only the logs.
  rm -rf "$NGINX_DIR" "$RUN/upstream-data" "$RUN/strata-cache" "$RUN/work"
}
trap cleanup EXIT

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local port=$1
  while port_open "$port"; do port=$((port + 1)); done
  echo "$port"
}

wait_port() { # PORT NAME LOGFILE
  for _ in $(seq 1 600); do
    if port_open "$1"; then return 0; fi
    sleep 0.1
  done
  echo "$2 did not open port $1; its log:" >&2
  tail -n 40 "$3" >&2
  exit 1
}

UPSTREAM_PORT=$(free_port 19300)
COUNTER_PORT=$(free_port $((UPSTREAM_PORT + 1)))
STRATA_PORT=$(free_port $((COUNTER_PORT + 1)))
ADMIN_PORT=$(free_port $((STRATA_PORT + 1)))
NGINX_PORT=$(free_port $((ADMIN_PORT + 1)))

log "starting the upstream (s3proxy, filesystem backend) on $UPSTREAM_PORT"
java -Xmx1g -cp "$CP" io.strata.bench.UpstreamMain "$RUN/upstream-data" "$UPSTREAM_PORT" "$COUNTER_PORT" \
  >"$RUN/upstream.log" 2>&1 &
PIDS+=($!)
wait_port "$UPSTREAM_PORT" upstream "$RUN/upstream.log"
wait_port "$COUNTER_PORT" "upstream counter" "$RUN/upstream.log"

log "starting Strata on $STRATA_PORT (admin $ADMIN_PORT)"
# shellcheck disable=SC2086 # STRATA_JAVA_OPTS is a list of options
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE \
  STRATA_UPSTREAM_ENDPOINT="http://127.0.0.1:$UPSTREAM_PORT" \
  STRATA_AUTH_ANONYMOUS=true \
  STRATA_S3_PORT="$STRATA_PORT" \
  MICRONAUT_SERVER_PORT="$ADMIN_PORT" \
  STRATA_CACHE_DIR="$RUN/strata-cache" \
  STRATA_CACHE_MAX_SIZE=20GiB \
  STRATA_CACHE_PROJECT_MAX_SIZE=20GiB \
  AWS_EC2_METADATA_DISABLED=true \
  LOGGER_LEVELS_STRATA_ACCESS=WARN \
  java ${STRATA_JAVA_OPTS:-} -jar "$JAR" >"$RUN/strata.log" 2>&1 &
PIDS+=($!)
wait_port "$STRATA_PORT" Strata "$RUN/strata.log"

log "starting nginx (slice 1m + proxy_cache) on $NGINX_PORT"
java -cp "$CP" io.strata.bench.NginxConfig "$NGINX_DIR" "$NGINX_PORT" "$UPSTREAM_PORT"
cp "$NGINX_DIR/nginx.conf" "$RUN/nginx.conf"
"$NGINX" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf"
wait_port "$NGINX_PORT" nginx "$NGINX_DIR/error.log"

# --- the scenarios ---------------------------------------------------------------------------
log "running the scenarios (scale $SCALE); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx2g -cp "$CP" io.strata.bench.BenchMain \
  strata="http://127.0.0.1:$STRATA_PORT" nginx="http://127.0.0.1:$NGINX_PORT" \
  upstream="http://127.0.0.1:$UPSTREAM_PORT" counter="http://127.0.0.1:$COUNTER_PORT" \
  work="$RUN/work" out="$OUT" scale="$SCALE" nginxVersion="$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"

# Scenario 5 (metadata scale) has its own script; it prints Markdown rows.
{
  printf '\n## Scenario 5: metadata scale\n\n'
  if [ -f "$ROOT/bench/metadata-scale.sh" ]; then
    printf '| metric | Strata | peer | ratio | target |\n|---|---|---|---|---|\n'
    STRATA_JAR="$JAR" bash "$ROOT/bench/metadata-scale.sh"
  else
    echo "Not run: bench/metadata-scale.sh is not in this checkout."
  fi
} | tee -a "$OUT"
log "results: $OUT"
