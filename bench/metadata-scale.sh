#!/usr/bin/env bash
# Metadata scale (issue 7, part 5): a cache of BLOCKS blocks (default 1,000,000) against its peer,
# the same measurement on an empty cache (or, for lookups, a 1,000-block cache), in one run.
#
#   bench/metadata-scale.sh [BLOCKS]
#
# stdout: markdown table rows  | metric | Strata | peer | ratio | target |
# stderr: progress and the raw figures. Cache directories are generated once under
# $STRATA_METADATA_DIR (default $TMPDIR/strata-metadata-scale) and reused; delete it to regenerate.
# STRATA_JAR picks another Strata jar (a before/after comparison), STRATA_JAVA_OPTS adds JVM
# options to its runs, STRATA_METADATA_RUNS sets the runs per cache-open figure (median; 3).
# Needs: java 17+, curl, jcmd, awk. Builds the bench and proxy modules (offline if it can).
set -euo pipefail
cd "$(dirname "$0")/.."

BLOCKS=${1:-1000000}
WORK=${STRATA_METADATA_DIR:-${TMPDIR:-/tmp}/strata-metadata-scale}
RUNS=${STRATA_METADATA_RUNS:-3}
JAR=${STRATA_JAR:-proxy/target/strata.jar}
JAVA_OPTS=${STRATA_JAVA_OPTS:-} # JVM options for the Strata jar runs, e.g. heap sizing
mkdir -p "$WORK"
log() { echo "[metadata-scale] $*" >&2; }

# ---- build: the bench jar, its runtime classpath, and the Strata jar ----
MVN_OFFLINE=-o
mvn -B -q -o -pl bench -am validate >/dev/null 2>&1 || MVN_OFFLINE=
mvn -B -q $MVN_OFFLINE -pl bench -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
[ -f "$JAR" ] || mvn -B -q $MVN_OFFLINE package -DskipTests >&2
CP="$PWD/$(ls bench/target/strata-bench-*.jar | head -1):$(cat bench/target/classpath.txt)"
bench() { java -cp "$CP" "$@"; }

# ---- cache directories: empty, 1k (lookup peer), BLOCKS ----
generate() { # NAME BLOCKS
  local dir="$WORK/$1"
  if [ ! -f "$dir/generated" ]; then
    rm -rf "$dir"
    log "generating $dir ($2 blocks, sparse files)"
    bench io.strata.bench.metadata.MetadataScale generate "$dir" "$2" files 2>/dev/null >&2
    touch "$dir/generated"
  fi
}
generate blocks-0 0
generate blocks-1000 1000
generate "blocks-$BLOCKS" "$BLOCKS"

# ---- (a, b) the cache opening alone, in a fresh JVM each time; median of RUNS ----
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { tr ' ' '\n' | awk -F= -v k="$1" '$1==k {print $2}'; }
probe() { # NAME -> "openMillis openCpuMillis heapHeldBytes rssBytes" (medians)
  local out=()
  for _ in $(seq "$RUNS"); do
    out+=("$(bench io.strata.bench.metadata.MetadataScale open "$WORK/$1" 2>/dev/null)")
  done
  log "open $1: ${out[*]}"
  local k
  for k in openMillis openCpuMillis heapHeldBytes rssBytes; do
    printf '%s\n' "${out[@]}" | field "$k" | median
  done | paste -sd' '
}
read -r O_MS O_CPU O_HEAP O_RSS <<<"$(probe "blocks-$BLOCKS")"
read -r E_MS E_CPU E_HEAP E_RSS <<<"$(probe blocks-0)"

# ---- (a) the whole Strata jar: start to /health/ready, RSS after ready and after a GC ----
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)); }
jar_run() { # NAME -> "readyMillis rssReadyKiB rssGcKiB heapUsedKiB"
  local dir="$WORK/$1" s3 admin pid start ready code rss1 rss2 heap
  s3=$(free_port); admin=$(free_port)
  start=$(date +%s%N)
  STRATA_CACHE_DIR="$dir" STRATA_CACHE_MAX_SIZE=1000TiB STRATA_CACHE_PROJECT_MAX_SIZE=1000TiB \
  STRATA_UPSTREAM_ENDPOINT=http://127.0.0.1:9 STRATA_AUTH_ACCESS_KEY=bench \
  STRATA_AUTH_SECRET_KEY=bench-secret-bench-secret STRATA_S3_PORT="$s3" MICRONAUT_SERVER_PORT="$admin" \
    java $JAVA_OPTS -jar "$JAR" >"$WORK/jar-$1.log" 2>&1 &
  pid=$!
  ready=
  for _ in $(seq 1200); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin/health/ready" || true)
    if [ "$code" = 200 ]; then ready=$(( ($(date +%s%N) - start) / 1000000 )); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$ready" ]; then
    log "Strata did not become ready on $dir; see $WORK/jar-$1.log"; kill "$pid" 2>/dev/null || true
    echo "NaN NaN NaN NaN"; return
  fi
  sleep 2 # let start-up work queued behind readiness settle
  rss1=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  jcmd "$pid" GC.run >/dev/null
  sleep 1
  rss2=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  # Live objects only: the histogram runs a full GC and sums what survived (bytes -> KiB).
  heap=$(jcmd "$pid" GC.class_histogram | awk '/^Total/ {printf "%d", $3 / 1024}')
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  log "jar $1: ready ${ready} ms, RSS ${rss1} KiB after ready, ${rss2} KiB after GC, heap used ${heap} KiB"
  echo "$ready $rss1 $rss2 ${heap:-NaN}"
}
read -r J_MS J_RSS J_RSSGC J_HEAP <<<"$(jar_run "blocks-$BLOCKS")"
read -r JE_MS JE_RSS JE_RSSGC JE_HEAP <<<"$(jar_run blocks-0)"

# ---- (c) block lookup cost at BLOCKS vs 1,000 blocks (JMH) ----
JMH_CSV="$WORK/lookup.csv"
bench org.openjdk.jmh.Main 'io.strata.bench.metadata.BlockLookupBenchmark' -p blocks="1000,$BLOCKS" \
  -jvmArgsAppend "-Dstrata.bench.metadata.dir=$WORK" -rf csv -rff "$JMH_CSV" >&2
score() { # BENCH BLOCKS
  awk -F, -v b="\"io.strata.bench.metadata.BlockLookupBenchmark.$1\"" -v n="$2" \
    '{sub(/\r$/, "")} $1==b && $8==n {print $5}' "$JMH_CSV"
}

# ---- table rows ----
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b+0 == 0) print "n/a"; else printf "%.2f", a/b }'; }
ns() { awk -v v="$1" 'BEGIN { printf "%.0f ns", v }'; }
mb() { awk -v v="$1" -v unit="$2" 'BEGIN { printf "%.0f MB", v*unit/1048576 }'; } # VALUE BYTES-PER-UNIT
n=$(printf "%'d" "$BLOCKS" 2>/dev/null || echo "$BLOCKS")
row() { echo "| $1 | $2 | $3 | $4 | $5 |"; }
row "Cache open (DiskBlockCache), $n blocks vs empty: wall" "${O_MS} ms" "${E_MS} ms" "$(ratio "$O_MS" "$E_MS")" "≤ 2 s"
row "Cache open, $n blocks vs empty: CPU of the opening thread" "${O_CPU} ms" "${E_CPU} ms" "$(ratio "$O_CPU" "$E_CPU")" "—"
row "Heap held by the open cache after GC, $n blocks vs empty" "$(mb "$O_HEAP" 1)" "$(mb "$E_HEAP" 1)" "$(ratio "$O_HEAP" "$E_HEAP")" "—"
row "Strata jar, $n blocks vs empty: start to /health/ready" "${J_MS} ms" "${JE_MS} ms" "$(ratio "$J_MS" "$JE_MS")" "≤ 2 s"
row "Strata jar, $n blocks vs empty: RSS after ready" "$(mb "$J_RSS" 1024)" "$(mb "$JE_RSS" 1024)" "$(ratio "$J_RSS" "$JE_RSS")" "≤ 300 MB"
row "Strata jar, $n blocks vs empty: RSS after a full GC" "$(mb "$J_RSSGC" 1024)" "$(mb "$JE_RSSGC" 1024)" "$(ratio "$J_RSSGC" "$JE_RSSGC")" "≤ 300 MB"
row "Strata jar, $n blocks vs empty: live heap (class histogram)" "$(mb "$J_HEAP" 1024)" "$(mb "$JE_HEAP" 1024)" "$(ratio "$J_HEAP" "$JE_HEAP")" "—"
for b in contains openBlock; do
  big=$(score "$b" "$BLOCKS"); small=$(score "$b" 1000)
  row "Block lookup \`$b\` (JMH), $n vs 1,000 blocks" "$(ns "$big")" "$(ns "$small")" "$(ratio "$big" "$small")" "—"
done
