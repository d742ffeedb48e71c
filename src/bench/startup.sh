#!/usr/bin/env bash
# Start-up levers side by side in one run (README, "Start-up"): the whole-process time of
# `replay` (the bundled demo capture and a large generated one) and the time from exec to
# sd_notify READY=1 of `run` (live on the two ends of a veth pair in a network namespace of its
# own), each through the package's launcher (src/deb/bin/tapdoctor) with and without the
# class-data sharing archive that make-cds-archive makes, and with JIT/GC flags. Every round runs
# every variant once, in turn, so the noise of a shared machine falls on all alike; medians.
#
# usage: [ROUNDS=5] [PACKETS=834101] [BASE_JAR=other/tapdoctor.jar] src/bench/startup.sh
# (root: the READY part needs a network namespace; without, it is left out)
# Needs: java, python3, iproute2; builds target/tapdoctor.jar if missing.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
PACKETS=${PACKETS:-834101}
cd "$(dirname "$0")/../.."
ROOT=$PWD
JAR=$ROOT/target/tapdoctor.jar
LAUNCHER=$ROOT/src/deb/bin/tapdoctor
DEMO=$ROOT/src/test/resources/demo/site-visit.pcap
[[ -f $JAR ]] || mvn -q -o package -DskipTests

TMP=$(mktemp -d)
NS=tdstart$$
cleanup() {
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

# The unit's JVM options, with JNA's directory moved to a place this run may write.
UNIT=$(sed -n 's/^Environment=TAPDOCTOR_JAVA_OPTS="\(.*\)"$/\1/p' systemd/tapdoctor.service \
    | sed "s|-Djna.tmpdir=[^ ]*|-Djna.tmpdir=$TMP/jna|")
[[ -n $UNIT ]] || { echo "startup.sh: no TAPDOCTOR_JAVA_OPTS in systemd/tapdoctor.service" >&2; exit 2; }
mkdir -p "$TMP/jna"

export TAPDOCTOR_JAR=$JAR TAPDOCTOR_LAUNCHER=$LAUNCHER TAPDOCTOR_CDS_TRAINING=$DEMO
CDS=$TMP/cds/tapdoctor.jsa
start=$(date +%s%N)
TAPDOCTOR_CDS=$CDS src/deb/bin/make-cds-archive 2> "$TMP/make.log"
make_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[[ -f $CDS ]] || { echo "startup.sh: make-cds-archive made no archive:" >&2; cat "$TMP/make.log" >&2; exit 1; }

python3 src/bench/gen-capture.py -n "$PACKETS" "$TMP/large.pcap"

# name|jar|archive (or -)|JVM options
VARIANTS=(
    "default JVM, no archive|$JAR|-|"
    "default JVM + CDS|$JAR|$CDS|"
    "unit options, no archive|$JAR|-|$UNIT"
    "unit options + CDS|$JAR|$CDS|$UNIT"
    "unit + CDS + C1 only|$JAR|$CDS|$UNIT -XX:TieredStopAtLevel=1"
)
# BASE_JAR=FILE: another build (e.g. main's) beside it, without and with its own archive
if [[ -n ${BASE_JAR:-} ]]; then
    BASE_JAR=$(realpath "$BASE_JAR")
    TAPDOCTOR_JAR=$BASE_JAR TAPDOCTOR_CDS=$TMP/base-cds/tapdoctor.jsa src/deb/bin/make-cds-archive 2>/dev/null
    VARIANTS+=("BASE_JAR, unit options|$BASE_JAR|-|$UNIT" "BASE_JAR, unit + CDS|$BASE_JAR|$TMP/base-cds/tapdoctor.jsa|$UNIT")
fi

# time_replay I PCAP NAME: appends the wall and the CPU (user + system) milliseconds to $TMP/I.NAME
time_replay() {
    local i=$1 pcap=$2 name=$3 jar archive opts
    IFS='|' read -r _ jar archive opts <<< "${VARIANTS[$i]}"
    TAPDOCTOR_JAR=$jar launch_timed "$archive" "$opts" replay "$pcap" > "$TMP/out.txt" 2> "$TMP/err.txt" \
        || { echo "startup.sh: replay failed (${VARIANTS[$i]}):" >&2; cat "$TMP/err.txt" >&2; exit 1; }
    awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$TMP/time" >> "$TMP/$i.$name"
    grep -q '^frames ' "$TMP/out.txt" || { echo "startup.sh: no summary from replay" >&2; exit 1; }
}

launch_timed() {
    local archive=$1 opts=$2
    shift 2
    if [[ $archive == - ]]; then archive=; fi
    TAPDOCTOR_CDS=$archive TAPDOCTOR_JAVA_OPTS=$opts /usr/bin/time -f '%e %U %S' -o "$TMP/time" "$LAUNCHER" "$@"
}

# time_ready I: exec to READY=1 of `run` in the namespace, then SIGTERM; appends milliseconds
time_ready() {
    local i=$1 jar archive opts
    IFS='|' read -r _ jar archive opts <<< "${VARIANTS[$i]}"
    [[ $archive == - ]] && archive=
    TAPDOCTOR_JAR=$jar TAPDOCTOR_CDS=$archive TAPDOCTOR_JAVA_OPTS=$opts python3 src/bench/ready-time.py \
        "$TMP/notify.sock" "$TMP/notify.sock" "$TMP/run.log" 60 \
        ip netns exec "$NS" "$LAUNCHER" run --config "$ROOT/board/tapdoctor.conf" --interfaces d0,d1 --panel none \
        >> "$TMP/$i.ready"
}

ready=yes
if [[ $(id -u) != 0 ]] || ! ip netns add "$NS" 2>/dev/null; then
    ready="no (needs root and a network namespace)"
else
    ip -n "$NS" link add d0 type veth peer name d1
    ip -n "$NS" link set d0 up
    ip -n "$NS" link set d1 up
fi

for round in $(seq "$ROUNDS"); do
    for i in "${!VARIANTS[@]}"; do
        time_replay "$i" "$DEMO" demo
        time_replay "$i" "$TMP/large.pcap" large
        if [[ $ready == yes ]]; then
            time_ready "$i"
        fi
    done
done

. src/bench/medians.sh

echo "java: $(java -version 2>&1 | sed -n 3p); cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "archive: $(stat -c %s "$CDS") bytes, made in ${make_ms} ms ($(sed 's/ for .*//' "$TMP/make.log"))"
echo "unit options: $UNIT"
echo "large capture: $PACKETS packets (gen-capture.py); $ROUNDS rounds, variants interleaved; READY: $ready"
echo
echo "median milliseconds, wall / CPU (user + system; for READY: the JVM's until READY=1)"
printf '%-26s %13s %13s %13s   %s\n' variant "replay demo" "replay large" "run READY" "all runs, wall: demo / large / READY"
for i in "${!VARIANTS[@]}"; do
    name=${VARIANTS[$i]%%|*}
    printf '%-26s %13s %13s %13s   %s / %s / %s\n' "$name" "$(col "$TMP/$i.demo")" "$(col "$TMP/$i.large")" \
        "$(col "$TMP/$i.ready")" "$(runs "$TMP/$i.demo")" "$(runs "$TMP/$i.large")" "$(runs "$TMP/$i.ready")"
done
