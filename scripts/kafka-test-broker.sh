#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker+controller) on loopback for
# the tests. No Docker: the broker's jars come from Maven Central (scripts/kafka/pom.xml) and
# run on the machine's Java 17.
#
# Usage:
#   bash scripts/kafka-test-broker.sh start     # last stdout line: KAFKA_BROKERS=127.0.0.1:<port>
#   bash scripts/kafka-test-broker.sh stop      # SIGTERM the saved PID, SIGKILL it after 20 s
#   bash scripts/kafka-test-broker.sh status    # exit 0 if the saved PID is a live broker
#   bash scripts/kafka-test-broker.sh clean     # (broker stopped) delete old .kafka/run-* dirs
#
# State lives in .kafka/ at the repository root (gitignored; override with KAFKA_TEST_STATE_DIR):
#   .kafka/lib/        the broker classpath (fetched once, re-fetched when the pom changes)
#   .kafka/run-<ts>/   one run: server.properties, log4j2.properties, data/, broker.log
#   .kafka/broker.pid  PID of the running broker      .kafka/brokers   127.0.0.1:<port>
#   .kafka/run-dir     the run directory of the broker last started
# Progress and errors go to stderr; stdout carries only the final KAFKA_BROKERS= line.
#
# Environment:
#   KAFKA_TEST_PORT / KAFKA_TEST_CONTROLLER_PORT  ports to use (default: 19092/19093 when both
#                       are free, otherwise two free ephemeral ports on 127.0.0.1)
#   KAFKA_TEST_START_TIMEOUT  seconds to wait for "Kafka Server started" (default 60)
#   KAFKA_TEST_REUSE_DIR=<dir>  restart a broker on the SAME run directory, data and ports.
#       If <dir>/server.properties exists, start neither writes config nor formats storage:
#       the topics, messages and committed offsets of the earlier run are all still there, and
#       the broker listens on the same port as before (it is read back from server.properties,
#       KAFKA_TEST_PORT is ignored). If <dir> is missing or empty, a fresh broker is set up in
#       it, so a test can name its directory up front. A "stop the broker mid-stream, restart
#       it, nothing lost" test does:
#           out=$(bash scripts/kafka-test-broker.sh start)      # fresh run dir
#           dir=$(cat .kafka/run-dir)
#           ... produce ...; bash scripts/kafka-test-broker.sh stop
#           KAFKA_TEST_REUSE_DIR="$dir" bash scripts/kafka-test-broker.sh start   # same port, same data
#
# The broker's stdout/stderr go to <run dir>/broker.log (appended to on a reuse), never to the
# caller's pipes, so `start` returns even when run under execSync/$(...).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
POM="$SCRIPT_DIR/kafka/pom.xml"
STATE_DIR="${KAFKA_TEST_STATE_DIR:-$REPO_DIR/.kafka}"
[[ "$STATE_DIR" == /* ]] || STATE_DIR="$PWD/$STATE_DIR"
LIB_DIR="$STATE_DIR/lib"
PID_FILE="$STATE_DIR/broker.pid"
BROKERS_FILE="$STATE_DIR/brokers"
RUN_DIR_FILE="$STATE_DIR/run-dir"
START_TIMEOUT="${KAFKA_TEST_START_TIMEOUT:-60}"
STOP_TIMEOUT=20
HEAP_OPTS=(-Xms256m -Xmx512m)

log() { printf '[kafka-test-broker] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- process helpers ----------------------------------------------------------------------

# True if $1 is a live process whose command line is our broker (guards against PID reuse).
is_broker_pid() {
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  fi
  return 0
}

saved_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] || return 1
  printf '%s\n' "$pid"
}

# --- ports ------------------------------------------------------------------------------------

# Exit 0 if 127.0.0.1:$1 can be bound right now.
port_free() {
  node -e '
    const s = require("net").createServer();
    s.once("error", () => process.exit(1));
    s.listen({ host: "127.0.0.1", port: Number(process.argv[1]), exclusive: true }, () => s.close(() => process.exit(0)));
  ' "$1" 2>/dev/null
}

# Print two distinct free ports, bound at the same time so they differ.
two_free_ports() {
  node -e '
    const net = require("net");
    const a = net.createServer(), b = net.createServer();
    a.listen(0, "127.0.0.1", () => b.listen(0, "127.0.0.1", () => {
      console.log(a.address().port + " " + b.address().port);
      a.close(); b.close();
    }));
  '
}

# --- jars ---------------------------------------------------------------------------------------

pom_stamp() { sha256sum "$POM" | cut -c1-16; }

ensure_lib() {
  local stamp
  stamp="$(pom_stamp)"
  if [[ -f "$LIB_DIR/.fetched-$stamp" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (needed once to fetch the Kafka jars)"
  log "fetching the Kafka broker jars into $LIB_DIR (mvn dependency:copy-dependencies) ..."
  local t0=$SECONDS tmp="$STATE_DIR/lib.tmp.$$"
  rm -rf "$tmp"
  # mvn's output goes to stderr, without the ANSI resets that Maven 3.8 prints even with -q.
  local mvn_log="$STATE_DIR/mvn-fetch.log" rc=0
  mvn -B -q -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$mvn_log" 2>&1 || rc=$?
  sed 's/\x1b\[[0-9;]*m//g' "$mvn_log" | grep -v '^[[:space:]]*$' >&2 || true
  if ((rc != 0)); then
    rm -rf "$tmp"
    die "mvn could not fetch the Kafka jars (exit $rc, see above)"
  fi
  ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || { rm -rf "$tmp"; die "no kafka_2.13 jar was fetched"; }
  touch "$tmp/.fetched-$stamp"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  log "fetched $(find "$LIB_DIR" -maxdepth 1 -name "*.jar" | wc -l) jars in $((SECONDS - t0)) s"
}

# --- config files -------------------------------------------------------------------------------

write_server_properties() { # dir port cport
  local dir="$1" port="$2" cport="$3"
  cat >"$dir/server.properties" <<EOF
# Written by scripts/kafka-test-broker.sh: single-node KRaft test broker on loopback.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
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
auto.create.topics.enable=true
# After a kill -9 the restarted broker waits for its old registration's session to expire
# (default 9 s) before it starts; shorter here so crash-restart tests stay quick.
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=3000
EOF
}

write_log4j2_properties() { # dir
  cat >"$1/log4j2.properties" <<'EOF'
# Written by scripts/kafka-test-broker.sh (Kafka 4.x logs through log4j2).
status = warn
# Kafka stops its own components on SIGTERM; log4j2's hook would stop logging under them.
shutdownHook = disable
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
# "Kafka Server started" is logged at INFO by this one.
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = INFO
# Requests refused for their API version ("unsupported version", closed connections) show here.
logger.processor.name = kafka.network.Processor
logger.processor.level = INFO
EOF
}

prop() { # file key -> value
  sed -n "s/^$2=//p" "$1" | tail -n 1
}

# --- commands -------------------------------------------------------------------------------------

cmd_start() {
  local t0=$SECONDS
  mkdir -p "$STATE_DIR"
  local old
  if old="$(saved_pid)" && is_broker_pid "$old"; then
    die "a broker is already running (PID $old, $(cat "$BROKERS_FILE" 2>/dev/null)); run '$0 stop' first"
  fi
  rm -f "$PID_FILE"

  command -v java >/dev/null || die "java not found (Kafka 4 needs Java 17+)"
  command -v node >/dev/null || die "node not found (used to probe free ports)"
  ensure_lib

  local run_dir port cport reuse=0
  if [[ -n "${KAFKA_TEST_REUSE_DIR:-}" ]]; then
    mkdir -p "$KAFKA_TEST_REUSE_DIR"
    run_dir="$(cd "$KAFKA_TEST_REUSE_DIR" && pwd)"
    [[ -f "$run_dir/server.properties" ]] && reuse=1
  else
    run_dir="$STATE_DIR/run-$(date +%Y%m%d-%H%M%S)-$$"
    mkdir -p "$run_dir"
  fi

  if ((reuse)); then
    port="$(prop "$run_dir/server.properties" advertised.listeners | sed 's/.*://')"
    cport="$(prop "$run_dir/server.properties" controller.quorum.voters | sed 's/.*://')"
    [[ "$port" =~ ^[0-9]+$ && "$cport" =~ ^[0-9]+$ ]] || die "cannot read the ports from $run_dir/server.properties"
    [[ -f "$run_dir/data/meta.properties" ]] || die "$run_dir/data is not formatted; not a run directory of this script?"
    port_free "$port" || die "port $port (from $run_dir) is in use"
    port_free "$cport" || die "controller port $cport (from $run_dir) is in use"
    log "reusing $run_dir (its data and ports $port/$cport)"
  else
    if [[ -n "${KAFKA_TEST_PORT:-}" || -n "${KAFKA_TEST_CONTROLLER_PORT:-}" ]]; then
      port="${KAFKA_TEST_PORT:-19092}"
      cport="${KAFKA_TEST_CONTROLLER_PORT:-$((port + 1))}"
      [[ "$port" =~ ^[0-9]+$ && "$cport" =~ ^[0-9]+$ && "$port" != "$cport" ]] || die "bad ports: $port/$cport"
      port_free "$port" || die "KAFKA_TEST_PORT $port is in use"
      port_free "$cport" || die "KAFKA_TEST_CONTROLLER_PORT $cport is in use"
    elif port_free 19092 && port_free 19093; then
      port=19092 cport=19093
    else
      read -r port cport < <(two_free_ports)
    fi
    write_server_properties "$run_dir" "$port" "$cport"
    write_log4j2_properties "$run_dir"
    # A Kafka cluster id is a 16-byte UUID in URL-safe base64 without padding (22 chars). One that
    # starts with '-' is taken by the tool's argument parser for an option (1 run in 64 failed so),
    # so, as Kafka's own Uuid.randomUuid does, such an id is drawn again.
    local cluster_id="-"
    while [[ "$cluster_id" == -* ]]; do
      cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    done
    log "formatting storage in $run_dir/data (cluster id $cluster_id) ..."
    if ! java "${HEAP_OPTS[@]}" -Dlog4j2.configurationFile="$run_dir/log4j2.properties" \
        -cp "$LIB_DIR/*" kafka.tools.StorageTool format \
        -t "$cluster_id" -c "$run_dir/server.properties" >"$run_dir/format.log" 2>&1; then
      cat "$run_dir/format.log" >&2
      die "kafka.tools.StorageTool format failed"
    fi
  fi

  local broker_log="$run_dir/broker.log"
  touch "$broker_log"
  # Only look at what this start appends (a reused run dir already has older lines).
  local offset
  offset=$(($(wc -c <"$broker_log") + 1))
  {
    printf '\n===== start %s (pid %s) =====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$$"
  } >>"$broker_log"

  # stdin/stdout/stderr detached from the caller, so command substitution does not hang.
  # Run from the run dir (a JVM crash file lands there); the exec chain keeps $! = java's PID.
  (
    cd "$run_dir"
    exec nohup java "${HEAP_OPTS[@]}" -XX:+UseG1GC -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$run_dir/log4j2.properties" \
      -Dkafka.logs.dir="$run_dir" \
      -cp "$LIB_DIR/*" kafka.Kafka "$run_dir/server.properties"
  ) </dev/null >>"$broker_log" 2>&1 &
  local pid=$!
  printf '%s\n' "$pid" >"$PID_FILE"
  printf '127.0.0.1:%s\n' "$port" >"$BROKERS_FILE"
  printf '%s\n' "$run_dir" >"$RUN_DIR_FILE"
  log "broker PID $pid, log $broker_log; waiting up to ${START_TIMEOUT}s for it to start ..."

  local deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if tail -c "+$offset" "$broker_log" | grep -q 'Kafka Server started'; then
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      log "the broker exited before it started; last lines of $broker_log:"
      tail -n 60 "$broker_log" >&2
      rm -f "$PID_FILE" "$BROKERS_FILE"
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      log "the broker did not start within ${START_TIMEOUT}s; last lines of $broker_log:"
      tail -n 60 "$broker_log" >&2
      stop_pid "$pid"
      rm -f "$PID_FILE" "$BROKERS_FILE"
      exit 1
    fi
    sleep 0.2
  done
  log "started in $((SECONDS - t0)) s (run dir $run_dir)"
  printf 'KAFKA_BROKERS=127.0.0.1:%s\n' "$port"
}

stop_pid() { # pid
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < STOP_TIMEOUT * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  log "PID $pid still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  die "PID $pid survived SIGKILL"
}

cmd_stop() {
  local pid
  if ! pid="$(saved_pid)"; then
    log "no broker PID saved in $PID_FILE; nothing to stop"
    return 0
  fi
  if is_broker_pid "$pid"; then
    local t0=$SECONDS
    stop_pid "$pid"
    log "stopped broker PID $pid in $((SECONDS - t0)) s"
  else
    log "saved PID $pid is not a running broker; nothing to stop"
  fi
  rm -f "$PID_FILE" "$BROKERS_FILE"
}

cmd_status() {
  local pid
  if pid="$(saved_pid)" && is_broker_pid "$pid"; then
    log "running: PID $pid, brokers $(cat "$BROKERS_FILE" 2>/dev/null), run dir $(cat "$RUN_DIR_FILE" 2>/dev/null)"
    return 0
  fi
  log "not running"
  return 1
}

cmd_clean() {
  if cmd_status 2>/dev/null; then
    die "a broker is running; stop it first"
  fi
  local d n=0
  shopt -s nullglob
  for d in "$STATE_DIR"/run-*/; do
    rm -rf "$d"
    n=$((n + 1))
  done
  rm -f "$RUN_DIR_FILE"
  log "removed $n run directories (kept $LIB_DIR)"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  clean) cmd_clean ;;
  *)
    echo "usage: $0 start|stop|status|clean" >&2
    exit 2
    ;;
esac
