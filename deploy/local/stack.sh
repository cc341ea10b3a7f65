#!/usr/bin/env bash
# The no-Docker local stack: Kafka (KRaft), FerretDB (SQLite), Redis and maildev on 127.0.0.1.
#
#   bash deploy/local/stack.sh up|down|status|restart-redis
#   bash deploy/local/stack.sh stop-part <part> [--kill] | start-part <part>
#
# Downloads and builds are cached in ${CONTINUUM_CACHE:-~/.cache/continuum}; data, logs and pid files
# live in <repo>/.stack/ (CONTINUUM_STACK_STATE: another folder, for a second stack on other ports,
# as `npm run chaos` runs). See docs/local-stack.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/deploy/local"
CACHE="${CONTINUUM_CACHE:-$HOME/.cache/continuum}"
STATE="${CONTINUUM_STACK_STATE:-$ROOT/.stack}"
LOGS="$STATE/logs"
PIDS="$STATE/pids"

export KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
export MONGO_PORT="${MONGO_PORT:-27017}"
export REDIS_PORT="${REDIS_PORT:-6379}"
export SMTP_PORT="${SMTP_PORT:-1025}"
export MAILDEV_WEB_PORT="${MAILDEV_WEB_PORT:-1080}"

MAILDEV_VERSION="3.0.0"
PARTS=(kafka ferretdb redis maildev)

# How long each part may take to answer after its process started (seconds).
WAIT_KAFKA="${STACK_WAIT_KAFKA:-120}"
WAIT_OTHERS="${STACK_WAIT_OTHERS:-60}"

# Go lives outside PATH on some machines of this kind.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  PATH="/usr/local/go/bin:$PATH"
fi

say() { echo "[stack] $*"; }
die() {
  echo "[stack] ERROR: $*" >&2
  exit 1
}

SUDO=""
APT_UPDATED=""
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: $*"
    SUDO="sudo"
  fi
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install these yourself: $*"
  if [ -z "$APT_UPDATED" ]; then
    say "apt-get update (once)"
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# Prerequisites, fetched and built once into the cache

KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/kafka/pom.xml")"
KAFKA_HOME="$CACHE/kafka-$KAFKA_VERSION-$(sha256sum "$HERE/kafka/pom.xml" | cut -c1-10)"
# The FerretDB build inputs: the wrapper module and the patches applied to its vendored tree, in order.
ferretdb_inputs() {
  local f
  for f in "$HERE"/ferretdb/{go.mod,go.sum,main.go} "$HERE"/ferretdb/*.patch; do
    if [ -f "$f" ]; then
      echo "== ${f##*/}"
      cat "$f"
    fi
  done
}
FERRETDB_BIN="$CACHE/ferretdb/ferretdb-v1.24.2-$(ferretdb_inputs | sha256sum | cut -c1-10)"
MAILDEV_HOME="$CACHE/maildev-$MAILDEV_VERSION"
MAILDEV_BIN="$MAILDEV_HOME/node_modules/maildev/dist/bin/maildev.js"

need_java() {
  if ! command -v java >/dev/null 2>&1; then apt_install openjdk-17-jre-headless; fi
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [ "${major%%.*}" -ge 17 ] 2>/dev/null || die "Kafka $KAFKA_VERSION needs Java 17 or newer; found '${major:-none}'"
}

need_redis() {
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || apt_install redis-server
}

# Prints one line every N downloaded/compiled items so a first start visibly moves, and passes
# through the lines that look like errors.
progress() {
  local label="$1" pattern="$2" every="$3" errors="$4" n=0 line
  while IFS= read -r line; do
    if [[ "$line" =~ $pattern ]]; then
      n=$((n + 1))
      if ((n % every == 0)); then say "$label: $n so far ..."; fi
    elif [[ "$line" =~ $errors ]]; then
      echo "[stack] $label: $line"
    fi
  done
  say "$label: $n in total"
}

fetch_kafka() {
  [ -f "$KAFKA_HOME/.complete" ] && return 0
  command -v mvn >/dev/null 2>&1 || apt_install maven
  say "kafka: fetching Apache Kafka $KAFKA_VERSION and its runtime jars from Maven Central (first time only, ~90 MB)"
  rm -rf "$KAFKA_HOME"
  mkdir -p "$KAFKA_HOME"
  # Maven writes target/ beside the pom, so it runs on a copy in the cache, not in the work tree.
  cp "$HERE/kafka/pom.xml" "$KAFKA_HOME/pom.xml"
  local repo_opt=()
  if [ -n "${MAVEN_REPO_LOCAL:-}" ]; then repo_opt=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL"); fi
  if ! mvn -B "${repo_opt[@]}" -f "$KAFKA_HOME/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME/libs" 2>&1 |
    tee "$LOGS/kafka-fetch.log" | progress "kafka: files downloaded" 'Downloaded from' 25 '^\[ERROR\]'; then
    tail -n 30 "$LOGS/kafka-fetch.log" >&2
    die "fetching Kafka failed (full log: $LOGS/kafka-fetch.log)"
  fi
  local jars
  jars="$(find "$KAFKA_HOME/libs" -name '*.jar' | wc -l)"
  [ "$jars" -gt 20 ] || die "fetching Kafka gave only $jars jars (log: $LOGS/kafka-fetch.log)"
  say "kafka: $jars jars in $KAFKA_HOME/libs"
  touch "$KAFKA_HOME/.complete"
}

build_ferretdb() {
  [ -x "$FERRETDB_BIN" ] && return 0
  command -v go >/dev/null 2>&1 ||
    die "Go is missing. FerretDB v1.24.2 is built from source and needs Go >= 1.24 (Debian 12's golang is too old): install it from go.dev into /usr/local/go and run again"
  local want have
  want="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$HERE/ferretdb/go.mod")"
  have="$(go env GOVERSION | sed 's/^go//')"
  if [ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -n1)" != "$want" ]; then
    die "FerretDB v1.24.2 needs Go >= $want, found $have ($(command -v go)); install a newer Go and run again"
  fi
  command -v patch >/dev/null 2>&1 || apt_install patch
  say "ferretdb: building FerretDB v1.24.2 (SQLite backend) with Go $have from the Go module proxy (first time only, ~1-2 min)"
  # The build runs on a copy of the wrapper module in the cache: `go mod vendor` puts FerretDB's source
  # beside it (~230 MB, removed again afterwards), deploy/local/ferretdb/*.patch are applied to that
  # source, and nothing lands in the work tree.
  local src="$FERRETDB_BIN.src" log="$LOGS/ferretdb-build.log" p
  rm -rf "$src" "$FERRETDB_BIN.tmp"
  mkdir -p "$src"
  cp "$HERE"/ferretdb/{go.mod,go.sum,main.go} "$src/"
  # GOTOOLCHAIN=local: build with the Go that is here rather than fetching another toolchain.
  if ! (cd "$src" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go mod vendor 2>&1) |
    tee "$log" | progress "ferretdb: modules fetched" '^go: downloading' 40 '(^go: .*(error|cannot|invalid|verifying)|SECURITY)'; then
    tail -n 30 "$log" >&2
    rm -rf "$src"
    die "fetching FerretDB's modules failed (full log: $log)"
  fi
  for p in "$HERE"/ferretdb/*.patch; do
    [ -f "$p" ] || continue
    # --fuzz=0 and no reject files: a patch that does not apply exactly stops the build.
    if ! patch -d "$src" -p1 --forward --batch --fuzz=0 --no-backup-if-mismatch -r - <"$p" >>"$log" 2>&1; then
      tail -n 30 "$log" >&2
      rm -rf "$src"
      die "ferretdb: ${p##*/} does not apply to the vendored FerretDB source; fix or drop the patch (full log: $log)"
    fi
    say "ferretdb: applied ${p##*/}"
  done
  if ! (cd "$src" && GOTOOLCHAIN=local GOFLAGS="-mod=vendor -buildvcs=false" go build -v -trimpath -o "$FERRETDB_BIN.tmp" . 2>&1) |
    tee -a "$log" | progress "ferretdb: packages compiled" '^[a-z0-9.-]+/' 40 '(\.go:[0-9]+|^go: .*(error|cannot|invalid)|^#)'; then
    tail -n 30 "$log" >&2
    rm -rf "$src"
    die "building FerretDB failed (full log: $log)"
  fi
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$src"
  say "ferretdb: built $FERRETDB_BIN"
}

install_maildev() {
  [ -f "$MAILDEV_BIN" ] && return 0
  say "maildev: installing maildev@$MAILDEV_VERSION from npm into $MAILDEV_HOME (first time only, ~20 s)"
  rm -rf "$MAILDEV_HOME"
  mkdir -p "$MAILDEV_HOME"
  if ! npm install --prefix "$MAILDEV_HOME" --no-audit --no-fund --loglevel=error "maildev@$MAILDEV_VERSION" \
    >"$LOGS/maildev-install.log" 2>&1; then
    tail -n 30 "$LOGS/maildev-install.log" >&2
    die "installing maildev failed (full log: $LOGS/maildev-install.log)"
  fi
  [ -f "$MAILDEV_BIN" ] || die "maildev installed but $MAILDEV_BIN is missing"
  say "maildev: installed"
}

# Fetches and builds whatever the cache lacks; the slow parts run side by side.
prepare() {
  mkdir -p "$CACHE" "$LOGS" "$PIDS"
  need_java
  need_redis
  local jobs=()
  if [ ! -f "$KAFKA_HOME/.complete" ]; then
    fetch_kafka &
    jobs+=("$!")
  fi
  if [ ! -f "$MAILDEV_BIN" ]; then
    install_maildev &
    jobs+=("$!")
  fi
  local failed=0
  build_ferretdb || failed=1
  for job in "${jobs[@]}"; do wait "$job" || failed=1; done
  [ "$failed" = 0 ] || die "preparing the stack failed (see the messages above)"
}

# ---------------------------------------------------------------------------------------------
# Processes

port_of() {
  case "$1" in
  kafka) echo "$KAFKA_PORT" ;;
  ferretdb) echo "$MONGO_PORT" ;;
  redis) echo "$REDIS_PORT" ;;
  maildev) echo "$MAILDEV_WEB_PORT" ;;
  esac
}

# A word that the command line of our own process contains, so a recycled pid is not mistaken for it.
marker_of() {
  case "$1" in
  kafka) echo "kafka.Kafka" ;;
  ferretdb) echo "ferretdb" ;;
  redis) echo "redis-server" ;;
  maildev) echo "maildev" ;;
  esac
}

# Prints the pid of the part when its pid file names a live process of ours; drops a stale pid file.
live_pid() {
  local file="$PIDS/$1.pid" pid
  [ -f "$file" ] || return 1
  pid="$(cat "$file" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$(marker_of "$1")"; then
    echo "$pid"
    return 0
  fi
  rm -f "$file"
  return 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

answers() {
  case "$1" in
  kafka) node "$HERE/probe.js" kafka "${2:-0}" ;;
  ferretdb) node "$HERE/probe.js" mongo "${2:-0}" ;;
  maildev) node "$HERE/probe.js" maildev "${2:-0}" ;;
  redis)
    local deadline=$((SECONDS + ${2:-0}))
    until [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; do
      [ "$SECONDS" -lt "$deadline" ] || return 1
      sleep 0.3
    done
    ;;
  esac
}

# Runs a command in its own session (so Ctrl-C in a terminal does not reach it) and records its pid.
launch() {
  local name="$1"
  shift
  echo "---- $(date -Is) start" >>"$LOGS/$name.log"
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo "$!" >"$PIDS/$name.pid"
}

start_kafka() {
  local dir="$STATE/kafka"
  mkdir -p "$dir/data"
  cat >"$dir/server.properties" <<EOF
# Written by deploy/local/stack.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
EOF
  local java_opts=(-Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=file:$HERE/kafka/log4j2.properties")
  if [ ! -f "$dir/data/meta.properties" ]; then
    # A cluster id is 16 random bytes in base64url; one that starts with '-' would be read by the
    # storage tool as an option (as Kafka's own random-uuid does, such ids are drawn again).
    if [ ! -f "$dir/cluster-id" ] || [ "$(head -c 1 "$dir/cluster-id")" = "-" ]; then
      node -e "let id; do { id = require('crypto').randomBytes(16).toString('base64url'); } while (id.startsWith('-')); process.stdout.write(id)" >"$dir/cluster-id"
    fi
    say "kafka: formatting the log directory (cluster $(cat "$dir/cluster-id"))"
    java "${java_opts[@]}" -cp "$KAFKA_HOME/libs/*" kafka.tools.StorageTool format \
      -t "$(cat "$dir/cluster-id")" -c "$dir/server.properties" --ignore-formatted >>"$LOGS/kafka.log" 2>&1 ||
      { tail -n 30 "$LOGS/kafka.log" >&2; die "formatting the Kafka log directory failed"; }
  fi
  launch kafka java "${java_opts[@]}" -cp "$KAFKA_HOME/libs/*" kafka.Kafka "$dir/server.properties"
}

start_ferretdb() {
  mkdir -p "$STATE/ferretdb"
  launch ferretdb "$FERRETDB_BIN" -listen "127.0.0.1:$MONGO_PORT" -data "$STATE/ferretdb"
}

start_redis() {
  mkdir -p "$STATE/redis"
  redis_server_in "$STATE/redis" "$PIDS/redis.pid" "$LOGS/redis.log"
}

# Redis daemonizes itself and writes the pid file; its append-only file lives in the data directory.
redis_server_in() {
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --pidfile "$2" \
    --dir "$1" --appendonly yes --maxmemory-policy noeviction \
    --logfile "$3" >/dev/null
}

# Restarts the Redis that answers on REDIS_PORT in place, whichever checkout started it: SHUTDOWN
# (it writes its append-only file and exits), then the same data directory, pid file and log, so it
# reads its data back and the stack that started it still tracks it. For the "Redis restarts, no
# queued job is lost" scenario; `up` from another checkout would start an empty Redis instead.
restart_redis() {
  local dir pidfile logfile deadline
  dir="$(redis-cli -p "$REDIS_PORT" CONFIG GET dir 2>/dev/null | sed -n 2p)"
  [ -n "$dir" ] || die "no Redis answers on 127.0.0.1:$REDIS_PORT"
  pidfile="$(redis-cli -p "$REDIS_PORT" CONFIG GET pidfile | sed -n 2p)"
  logfile="$(redis-cli -p "$REDIS_PORT" CONFIG GET logfile | sed -n 2p)"
  redis-cli -p "$REDIS_PORT" SHUTDOWN >/dev/null 2>&1 || true
  deadline=$((SECONDS + 30))
  while port_open "$REDIS_PORT"; do
    [ "$SECONDS" -lt "$deadline" ] || die "Redis on 127.0.0.1:$REDIS_PORT did not stop within 30s"
    sleep 0.1
  done
  redis_server_in "$dir" "$pidfile" "$logfile"
  answers redis "$WAIT_OTHERS" || die "Redis did not answer again on 127.0.0.1:$REDIS_PORT (log: $logfile)"
  say "redis: restarted in place ($dir)"
}

start_maildev() {
  launch maildev node "$MAILDEV_BIN" --ip 127.0.0.1 --web-ip 127.0.0.1 \
    --smtp "$SMTP_PORT" --web "$MAILDEV_WEB_PORT"
}

# Starts one part unless it already runs; returns 0 when a wait is needed, 1 when nothing was started.
start_part() {
  local name="$1" port pid
  port="$(port_of "$name")"
  if pid="$(live_pid "$name")"; then
    say "$name: already running (pid $pid)"
    return 1
  fi
  if port_open "$port"; then
    if answers "$name" 0; then
      say "$name: something not started from this checkout already answers on 127.0.0.1:$port; using it"
      return 1
    fi
    die "$name: port $port is in use by another program that is not a working $name. Free it (ss -ltnp 'sport = :$port') or choose another port (see docs/local-stack.md)"
  fi
  if [ "$name" = kafka ] && port_open "$KAFKA_CONTROLLER_PORT"; then
    die "kafka: controller port $KAFKA_CONTROLLER_PORT is in use; free it or set KAFKA_CONTROLLER_PORT"
  fi
  say "$name: starting on 127.0.0.1:$port"
  "start_$name"
  return 0
}

wait_part() {
  local name="$1" limit="$WAIT_OTHERS" started=$SECONDS
  [ "$name" = kafka ] && limit="$WAIT_KAFKA"
  if ! answers "$name" "$limit"; then
    echo "[stack] ---- last lines of $LOGS/$name.log" >&2
    tail -n 40 "$LOGS/$name.log" >&2 || true
    die "$name did not answer on 127.0.0.1:$(port_of "$name") within ${limit}s"
  fi
  if ! live_pid "$name" >/dev/null; then
    die "$name answers but the process we started is gone; is another $name on port $(port_of "$name")? See $LOGS/$name.log"
  fi
  say "$name: up ($((SECONDS - started))s)"
}

up() {
  local began=$SECONDS
  prepare
  local started=()
  for name in "${PARTS[@]}"; do
    if start_part "$name"; then started+=("$name"); fi
  done
  for name in "${started[@]}"; do wait_part "$name"; done
  say "stack is up in $((SECONDS - began))s: kafka 127.0.0.1:$KAFKA_PORT, mongodb://127.0.0.1:$MONGO_PORT, redis://127.0.0.1:$REDIS_PORT, smtp://127.0.0.1:$SMTP_PORT, http://127.0.0.1:$MAILDEV_WEB_PORT"
}

stop_part() {
  local name="$1" signal="${2:-TERM}" pid
  if ! pid="$(live_pid "$name")"; then
    say "$name: not running"
    return 0
  fi
  kill "-$signal" "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "$name: still running after 60s, killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$PIDS/$name.pid"
  say "$name: stopped (pid $pid)"
}

is_part() {
  local name
  for name in "${PARTS[@]}"; do [ "$name" = "${1:-}" ] && return 0; done
  return 1
}

down() {
  mkdir -p "$PIDS"
  # Reverse order: the clients of Kafka go first.
  for ((i = ${#PARTS[@]} - 1; i >= 0; i--)); do stop_part "${PARTS[$i]}"; done
}

status() {
  local bad=0 name pid port state
  for name in "${PARTS[@]}"; do
    port="$(port_of "$name")"
    if pid="$(live_pid "$name")"; then
      if answers "$name" 0; then state="up      (pid $pid)"; else
        state="STARTING/NOT ANSWERING (pid $pid)"
        bad=1
      fi
    elif port_open "$port" && answers "$name" 0; then
      state="up      (not started from this checkout)"
    else
      state="DOWN"
      bad=1
    fi
    printf '%-9s 127.0.0.1:%-6s %s\n' "$name" "$port" "$state"
  done
  return "$bad"
}

case "${1:-}" in
up) up ;;
down) down ;;
status) status ;;
restart-redis) restart_redis ;;
# One part of the stack this state folder started, by its pid file (never another checkout's):
# `stop-part kafka --kill` ends it with SIGKILL as a crash would; `start-part kafka` starts it again
# on its data and waits until it answers.
stop-part)
  is_part "${2:-}" || die "usage: $0 stop-part kafka|ferretdb|redis|maildev [--kill]"
  if [ "${3:-}" = --kill ]; then stop_part "$2" KILL; else stop_part "$2"; fi
  ;;
start-part)
  is_part "${2:-}" || die "usage: $0 start-part kafka|ferretdb|redis|maildev"
  mkdir -p "$LOGS" "$PIDS"
  if start_part "$2"; then wait_part "$2"; fi
  ;;
# The browser the console's tests drive: Debian's Chromium (a test tool's own browser download does
# not reach every machine). Installed once; prints where it is.
browser)
  if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then apt_install chromium; fi
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || die "chromium is not at ${CHROMIUM_PATH:-/usr/bin/chromium} after installing it"
  say "browser: ${CHROMIUM_PATH:-/usr/bin/chromium} ($("${CHROMIUM_PATH:-/usr/bin/chromium}" --version 2>/dev/null | head -n1))"
  ;;
*)
  echo "usage: $0 up|down|status|restart-redis|stop-part <part> [--kill]|start-part <part>|browser" >&2
  exit 2
  ;;
esac
