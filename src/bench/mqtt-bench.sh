#!/usr/bin/env bash
# MQTT sink throughput and latency against a real local Mosquitto (README "MQTT", src/bench/README.md).
#   bash src/bench/mqtt-bench.sh [burst] [rate] [seconds] [buffer-dir|-] [ha]
# Builds target/benchmarks.jar (-Pbench) unless BENCH_JAR points to one, starts mosquitto on a
# free loopback port with a configuration in a temporary directory, runs MqttBench, stops it by PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=${BENCH_JAR:-target/benchmarks.jar}
[[ -f $jar ]] || mvn -q -o -Pbench package -DskipTests
tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user_line=""; [[ $(id -u) == 0 ]] && user_line="user root"
cat > "$tmp/mosquitto.conf" <<CONF
$user_line
listener $port 127.0.0.1
allow_anonymous true
max_queued_messages 1000000
max_inflight_messages 1000
CONF
/usr/sbin/mosquitto -c "$tmp/mosquitto.conf" > "$tmp/mosquitto.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
echo "mosquitto $(/usr/sbin/mosquitto -h | head -1 | awk '{print $3}') on 127.0.0.1:$port; $(nproc) cores; $(java -version 2>&1 | head -1)"
java -cp "$jar" org.tapdoctor.bench.MqttBench "tcp://127.0.0.1:$port" "$@" 2> "$tmp/bench.err" || { cat "$tmp/bench.err"; exit 1; }
