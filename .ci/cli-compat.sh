#!/usr/bin/env bash
# End-to-end compatibility of two unmodified S3 command-line clients, the AWS CLI v2 and s3cmd,
# with the runnable jar: ls, cp up (single and multipart) and down, sync both ways, presigned
# URLs, ranged and HEAD requests, delete; then an offline read through a second Strata whose
# upstream (the first Strata) is stopped.
#
#   .ci/cli-compat.sh [path/to/strata.jar]      (default: proxy/target/strata.jar, from mvn package)
#
# Needs java, curl, sha256sum, md5sum, /usr/bin/aws (Debian's awscli; another `aws` earlier on
# PATH may be v1) and s3cmd. Everything runs on 127.0.0.1 in a temp directory that is removed at
# the end; ~/.aws and ~/.s3cfg are never read or written. Each step prints `ok <step>`; the first
# step whose result differs stops the script with `FAIL <step>: <what differed>` and status 1.
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${1:-proxy/target/strata.jar}
AWS_BIN=${AWS_BIN:-/usr/bin/aws}
S3CMD_BIN=${S3CMD_BIN:-s3cmd}
BUCKET=well-logs                      # the --demo data set's bucket (WellLogDataset.BUCKET)
DEMO_KEY=wells/alder-1/logs.parquet   # its first well, ~17 MB: big enough for ranged downloads

fail() { echo "FAIL $1: $2" >&2; exit 1; }
ok() { echo "ok $1"; }

for tool in java curl sha256sum md5sum dd "$AWS_BIN" "$S3CMD_BIN"; do
  command -v "$tool" >/dev/null || fail setup "$tool not found"
done
[ -f "$JAR" ] || fail setup "$JAR not found (build it with: mvn -B package -DskipTests)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/strata-cli-compat.XXXXXX")
PIDS=()
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  rm -rf "$WORK"
}
# SIGTERM first, so the cache closes cleanly; SIGKILL if it has not ended after 30 s.
stop_pid() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 300); do
    kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM
# A client command that fails outright (set -e) names itself rather than ending the script silently.
trap 'fail "line $LINENO" "exit status $? from: $BASH_COMMAND"' ERR

sha() { sha256sum "$1" | cut -d' ' -f1; }
same_file() { # step expected actual
  cmp -s "$2" "$3" || fail "$1" "$3 differs from $2 (sha256 $(sha "$2") vs $(sha "$3"))"
}
random_secret() { head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9'; }

# A port that nothing listens on now. Strata may still lose it to another process before it
# binds; start_strata then tries another.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# start_strata NAME VAR=VALUE...: starts the jar with a clean environment (no STRATA_* or AWS_*
# from the caller) plus the given settings, the S3 port chosen by Strata itself, and waits for
# /health/ready. Sets STARTED_PID, STARTED_ADMIN and STARTED_S3 (the endpoint from /health/ready).
start_strata() {
  local name=$1 admin ready
  shift
  mkdir -p "$WORK/$name/tmp"
  for _ in 1 2 3; do
    admin=$(free_port) || fail "start $name" "no free port found"
    env -i PATH="$PATH" HOME="$WORK/$name" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
      AWS_EC2_METADATA_DISABLED=true \
      STRATA_S3_PORT=0 MICRONAUT_SERVER_PORT="$admin" \
      STRATA_CACHE_DIR="$WORK/$name/cache" "$@" \
      java -Djava.io.tmpdir="$WORK/$name/tmp" -jar "$JAR" --demo >"$WORK/$name.log" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
    # the demo seeds ~80 MB of Parquet on first start: allow two minutes on a slow machine
    for _ in $(seq 1200); do
      if ready=$(curl -sf "http://127.0.0.1:$admin/health/ready" 2>/dev/null); then
        STARTED_ADMIN="http://127.0.0.1:$admin"
        STARTED_S3=$(sed -n 's/.*"s3" *: *"\([^"]*\)".*/\1/p' <<<"$ready")
        [ -n "$STARTED_S3" ] || fail "start $name" "/health/ready gave no S3 endpoint: $ready"
        return 0
      fi
      kill -0 "$STARTED_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$STARTED_PID" 2>/dev/null; then
      fail "start $name" "not ready after 120 s; log: $(tail -5 "$WORK/$name.log")"
    fi
    grep -q "Address already in use" "$WORK/$name.log" \
      || fail "start $name" "exited: $(tail -5 "$WORK/$name.log")"
    echo "port $admin was taken; trying another" >&2
  done
  fail "start $name" "no port could be bound after 3 attempts"
}

started=$SECONDS
ACCESS_KEY=cli-compat
SECRET_KEY=$(random_secret)
start_strata strata STRATA_AUTH_ACCESS_KEY="$ACCESS_KEY" STRATA_AUTH_SECRET_KEY="$SECRET_KEY"
S3=$STARTED_S3
ORIGIN_PID=$STARTED_PID
ok "start: strata.jar --demo ready at $S3 (admin $STARTED_ADMIN) after $((SECONDS - started)) s"

# --- AWS CLI -------------------------------------------------------------------------------
mkdir -p "$WORK/aws"
printf '[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n' >"$WORK/aws/config"
: >"$WORK/aws/credentials"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 \
  AWS_CA_BUNDLE AWS_MAX_ATTEMPTS AWS_RETRY_MODE
export AWS_CONFIG_FILE="$WORK/aws/config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws/credentials" \
  AWS_ACCESS_KEY_ID="$ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$SECRET_KEY" AWS_DEFAULT_REGION=us-east-1 \
  AWS_EC2_METADATA_DISABLED=true AWS_PAGER="" AWS_DEFAULT_OUTPUT=json AWS_CLI_AUTO_PROMPT=off
awscli() { "$AWS_BIN" --endpoint-url "$S3" "$@"; }

awscli s3 ls >"$WORK/buckets.txt" || fail "aws s3 ls" "exit status $?"
grep -qE " $BUCKET\$" "$WORK/buckets.txt" || fail "aws s3 ls" "no $BUCKET in: $(cat "$WORK/buckets.txt")"
ok "aws s3 ls (buckets)"

awscli s3 ls "s3://$BUCKET/wells/" --recursive >"$WORK/objects.txt"
count=$(wc -l <"$WORK/objects.txt")
[ "$count" -eq 8 ] || fail "aws s3 ls --recursive" "expected the demo's 8 objects, got $count: $(cat "$WORK/objects.txt")"
grep -q " $DEMO_KEY\$" "$WORK/objects.txt" || fail "aws s3 ls --recursive" "no $DEMO_KEY"
ok "aws s3 ls --recursive (8 demo objects)"

# A file above the CLI's 8 MiB multipart threshold: the CLI downloads it as parallel ranged GETs.
awscli s3 cp --quiet "s3://$BUCKET/$DEMO_KEY" "$WORK/demo.parquet"
demo_size=$(awscli s3api head-object --bucket "$BUCKET" --key "$DEMO_KEY" --query ContentLength --output text)
[ "$(stat -c %s "$WORK/demo.parquet")" = "$demo_size" ] \
  || fail "aws s3 cp down" "downloaded $(stat -c %s "$WORK/demo.parquet") bytes, HEAD says $demo_size"
if [ "$(head -c 4 "$WORK/demo.parquet")" != PAR1 ] || [ "$(tail -c 4 "$WORK/demo.parquet")" != PAR1 ]; then
  fail "aws s3 cp down" "$DEMO_KEY does not start and end with PAR1"
fi
ok "aws s3 cp down ($DEMO_KEY, $demo_size bytes, PAR1 at both ends)"

mkdir -p "$WORK/up" "$WORK/down"
head -c 1234567 /dev/urandom >"$WORK/up/small.bin"
head -c $((20 * 1024 * 1024 + 123)) /dev/urandom >"$WORK/up/big.bin"   # 3 parts of 8 MiB
awscli s3 cp --quiet "$WORK/up/small.bin" "s3://$BUCKET/cli-compat/small.bin"
awscli s3 cp --quiet "$WORK/up/big.bin" "s3://$BUCKET/cli-compat/big.bin"
small_etag=$(awscli s3api head-object --bucket "$BUCKET" --key cli-compat/small.bin --query ETag --output text)
[ "$small_etag" = "\"$(md5sum <"$WORK/up/small.bin" | cut -d' ' -f1)\"" ] \
  || fail "aws s3 cp up" "small.bin ETag $small_etag is not its MD5"
big_etag=$(awscli s3api head-object --bucket "$BUCKET" --key cli-compat/big.bin --query ETag --output text)
[[ $big_etag == *-3\" ]] || fail "aws s3 cp up" "big.bin ETag $big_etag: expected a 3-part multipart ETag"
grep -q "POST /$BUCKET/cli-compat/big.bin?uploads.* 200 " "$WORK/strata.log" \
  || fail "aws s3 cp up" "no CreateMultipartUpload for big.bin in the access log"
ok "aws s3 cp up (1234567 bytes single PUT, ETag = MD5; 20 MiB multipart, ETag $big_etag)"

awscli s3 cp --quiet "s3://$BUCKET/cli-compat/small.bin" "$WORK/down/small.bin"
awscli s3 cp --quiet "s3://$BUCKET/cli-compat/big.bin" "$WORK/down/big.bin"
same_file "aws s3 cp down" "$WORK/up/small.bin" "$WORK/down/small.bin"
same_file "aws s3 cp down" "$WORK/up/big.bin" "$WORK/down/big.bin"
ok "aws s3 cp down (sha256 equal: $(sha "$WORK/down/big.bin" | head -c 16)…)"

length=$(awscli s3api head-object --bucket "$BUCKET" --key cli-compat/big.bin --query ContentLength --output text)
[ "$length" = $((20 * 1024 * 1024 + 123)) ] || fail "aws s3api head-object" "ContentLength $length"
ok "aws s3api head-object (ContentLength $length)"

# A range across the first 8 MiB part boundary of the multipart object, and a suffix range.
awscli s3api get-object --bucket "$BUCKET" --key cli-compat/big.bin --range bytes=8388000-8389999 \
  "$WORK/range.bin" >"$WORK/range.json"
dd if="$WORK/up/big.bin" of="$WORK/range.expected" iflag=skip_bytes,count_bytes skip=8388000 count=2000 status=none
same_file "aws s3api get-object --range" "$WORK/range.expected" "$WORK/range.bin"
grep -q '"ContentRange": "bytes 8388000-8389999/20971643"' "$WORK/range.json" \
  || fail "aws s3api get-object --range" "ContentRange: $(grep ContentRange "$WORK/range.json")"
awscli s3api get-object --bucket "$BUCKET" --key cli-compat/small.bin --range bytes=-100 "$WORK/suffix.bin" >/dev/null
tail -c 100 "$WORK/up/small.bin" >"$WORK/suffix.expected"
same_file "aws s3api get-object --range" "$WORK/suffix.expected" "$WORK/suffix.bin"
ok "aws s3api get-object --range (bytes=8388000-8389999 across a part boundary, bytes=-100)"

url=$(awscli s3 presign "s3://$BUCKET/cli-compat/small.bin" --expires-in 300)
status=$(curl -s -o "$WORK/presigned.bin" -w '%{http_code}' "$url")
[ "$status" = 200 ] || fail "aws s3 presign" "curl got $status: $(head -c 300 "$WORK/presigned.bin")"
same_file "aws s3 presign" "$WORK/up/small.bin" "$WORK/presigned.bin"
# The signature covers the key: the same query string on another key must be refused.
status=$(curl -s -o "$WORK/forged.xml" -w '%{http_code}' "${url/small.bin/big.bin}")
if [ "$status" != 403 ] || ! grep -q "<Code>SignatureDoesNotMatch</Code>" "$WORK/forged.xml"; then
  fail "aws s3 presign" "a presigned URL moved to another key got $status: $(head -c 300 "$WORK/forged.xml")"
fi
ok "aws s3 presign + curl (bytes equal; the URL on another key gets 403 SignatureDoesNotMatch)"

mkdir -p "$WORK/tree/logs/2024" "$WORK/tree/notes"
head -c 70000 /dev/urandom >"$WORK/tree/logs/2024/run 1.las"
head -c 5 /dev/urandom >"$WORK/tree/logs/2024/run-2.las"
echo "strata sync check" >"$WORK/tree/notes/readme.txt"
: >"$WORK/tree/notes/empty.txt"
head -c 300000 /dev/urandom >"$WORK/tree/top.bin"
# sync uploads a file whose local mtime is newer than the listing's LastModified, which has whole
# seconds (as S3's): a file written in the second of its upload would look changed next time.
find "$WORK/tree" -type f -exec touch -d '1 hour ago' {} +
awscli s3 sync --only-show-errors "$WORK/tree" "s3://$BUCKET/cli-compat/tree"
awscli s3 sync --only-show-errors "s3://$BUCKET/cli-compat/tree" "$WORK/tree-back"
diff -r "$WORK/tree" "$WORK/tree-back" >"$WORK/sync.diff" || fail "aws s3 sync" "trees differ: $(cat "$WORK/sync.diff")"
again=$(awscli s3 sync "$WORK/tree" "s3://$BUCKET/cli-compat/tree")
[ -z "$again" ] || fail "aws s3 sync" "a second sync up of an unchanged tree transferred: $again"
echo "changed" >>"$WORK/tree/notes/readme.txt"
changed=$(awscli s3 sync --no-progress "$WORK/tree" "s3://$BUCKET/cli-compat/tree")
# one line, "upload: <path, relative or not>/tree/notes/readme.txt to s3://…/readme.txt"
[[ $changed == "upload: "*"/tree/notes/readme.txt to s3://$BUCKET/cli-compat/tree/notes/readme.txt" ]] \
  || fail "aws s3 sync" "after changing readme.txt, sync transferred: $changed"
ok "aws s3 sync up and down (5 files, diff -r equal; again: nothing, then only the changed file)"

awscli s3 rm --quiet "s3://$BUCKET/cli-compat/tree/notes/empty.txt"
if awscli s3 ls "s3://$BUCKET/cli-compat/tree/notes/" | grep -q empty.txt; then
  fail "aws s3 rm" "empty.txt still listed after rm"
fi
ok "aws s3 rm (gone from the listing)"

# --- s3cmd ---------------------------------------------------------------------------------
cat >"$WORK/s3cfg" <<EOF
[default]
access_key = $ACCESS_KEY
secret_key = $SECRET_KEY
host_base = ${S3#http://}
host_bucket = ${S3#http://}
use_https = False
signature_v2 = False
bucket_location = us-east-1
EOF
s3c() { "$S3CMD_BIN" -c "$WORK/s3cfg" --no-progress "$@"; }

s3c ls >"$WORK/s3cmd-buckets.txt"
grep -q "s3://$BUCKET\$" "$WORK/s3cmd-buckets.txt" || fail "s3cmd ls" "no $BUCKET in: $(cat "$WORK/s3cmd-buckets.txt")"
s3c ls "s3://$BUCKET/cli-compat/" >"$WORK/s3cmd-ls.txt"
grep -q "s3://$BUCKET/cli-compat/big.bin\$" "$WORK/s3cmd-ls.txt" || fail "s3cmd ls" "big.bin not listed: $(cat "$WORK/s3cmd-ls.txt")"
grep -q "DIR.*s3://$BUCKET/cli-compat/tree/\$" "$WORK/s3cmd-ls.txt" || fail "s3cmd ls" "tree/ not a prefix: $(cat "$WORK/s3cmd-ls.txt")"
ok "s3cmd ls (buckets; objects and a common prefix)"

head -c 654321 /dev/urandom >"$WORK/up/s3cmd.bin"
s3c put --quiet "$WORK/up/s3cmd.bin" "s3://$BUCKET/cli-compat/s3cmd.bin" >/dev/null
s3c get --quiet "s3://$BUCKET/cli-compat/s3cmd.bin" "$WORK/down/s3cmd.bin" >/dev/null
same_file "s3cmd put/get" "$WORK/up/s3cmd.bin" "$WORK/down/s3cmd.bin"
# Across clients: what the AWS CLI uploaded as multipart, s3cmd downloads intact.
s3c get --quiet "s3://$BUCKET/cli-compat/big.bin" "$WORK/down/big-s3cmd.bin" >/dev/null
same_file "s3cmd get" "$WORK/up/big.bin" "$WORK/down/big-s3cmd.bin"
ok "s3cmd put/get (sha256 equal; the AWS CLI's multipart object too)"

s3c del "s3://$BUCKET/cli-compat/s3cmd.bin" >/dev/null
if s3c ls "s3://$BUCKET/cli-compat/" | grep -q "s3cmd.bin"; then fail "s3cmd del" "s3cmd.bin still listed"; fi
status=$(curl -s -o /dev/null -w '%{http_code}' "$(awscli s3 presign "s3://$BUCKET/cli-compat/s3cmd.bin")")
[ "$status" = 404 ] || fail "s3cmd del" "GET after delete gave $status, expected 404"
ok "s3cmd del (gone from the listing, GET 404)"

# --- offline ------------------------------------------------------------------------------
# The demo upstream lives inside the first Strata, so nothing outside can take it away. A second
# Strata ("edge") uses the first as its upstream; stopping the first is the network going away.
EDGE_SECRET=$(random_secret)
start_strata edge STRATA_UPSTREAM_ENDPOINT="$S3" \
  STRATA_UPSTREAM_ACCESS_KEY="$ACCESS_KEY" STRATA_UPSTREAM_SECRET_KEY="$SECRET_KEY" \
  STRATA_UPSTREAM_CONNECT_TIMEOUT=1s STRATA_AUTH_ACCESS_KEY=edge STRATA_AUTH_SECRET_KEY="$EDGE_SECRET"
EDGE=$STARTED_S3
EDGE_ADMIN=$STARTED_ADMIN
edge() { AWS_ACCESS_KEY_ID=edge AWS_SECRET_ACCESS_KEY="$EDGE_SECRET" "$AWS_BIN" --endpoint-url "$EDGE" "$@"; }
edge s3 cp --quiet "s3://$BUCKET/$DEMO_KEY" "$WORK/edge-online.parquet"
same_file "offline" "$WORK/demo.parquet" "$WORK/edge-online.parquet"
edge s3 ls "s3://$BUCKET/wells/" --recursive >"$WORK/edge-online.txt"

stop_pid "$ORIGIN_PID"
# Never read through the edge: S3's retryable 503, at once (one attempt, no CLI retries). This
# first request to the stopped upstream is also what makes the edge notice that it is offline.
if AWS_MAX_ATTEMPTS=1 edge s3api get-object --bucket "$BUCKET" --key wells/birch-2/logs.parquet \
    "$WORK/never.bin" >/dev/null 2>"$WORK/never.err"; then
  fail "offline" "an object never read was served while offline"
fi
grep -q "ServiceUnavailable" "$WORK/never.err" || fail "offline" "unread object: $(cat "$WORK/never.err")"
curl -sf "$EDGE_ADMIN/api/status" | grep -q '"online" *: *false' \
  || fail "offline" "the edge does not report itself offline: $(curl -s "$EDGE_ADMIN/api/status" | head -c 300)"
edge s3 cp --quiet "s3://$BUCKET/$DEMO_KEY" "$WORK/edge-offline.parquet" \
  || fail "offline" "a file read before the upstream stopped cannot be read: $(tail -3 "$WORK/edge.log")"
same_file "offline" "$WORK/demo.parquet" "$WORK/edge-offline.parquet"
edge s3 ls "s3://$BUCKET/wells/" --recursive >"$WORK/edge-offline.txt" || fail "offline" "listing failed"
diff "$WORK/edge-online.txt" "$WORK/edge-offline.txt" >/dev/null \
  || fail "offline" "listing differs: $(diff "$WORK/edge-online.txt" "$WORK/edge-offline.txt")"
ok "offline (upstream stopped: an unread object is 503 ServiceUnavailable, status offline; the file read before and the listing are served, equal)"

echo "all CLI compatibility checks passed in $((SECONDS - started)) s"
