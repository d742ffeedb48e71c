#!/usr/bin/env bash
# Start-up on the Pi's userland, emulated (README, "Start-up: class-data sharing"): the package
# installed on an arm64 Debian root run under qemu-user (binfmt), and, through its own launcher,
# the whole-process time of `replay` of the bundled demo capture and the time from exec to
# sd_notify READY=1 of `run` (on a veth pair in a network namespace of its own), each with and
# without the class-data sharing archive that the package's postinst made there (make-cds-archive
# under qemu). Rounds interleaved, the order of the two variants alternating; medians. Before
# the rounds, one replay and one run with -Xlog:class+load count the classes that came from the
# archive (proof that it is used, not only mapped). Under qemu-user the ports never open (see
# "captures opened" in the output): READY=1 then comes after the service's bound on waiting for
# them, printed beside it and subtracted in "READY - bound".
#
# usage: sudo [ROUNDS=5] [DEB=target/tapdoctor_*_all.deb] [SUITE=bookworm] [MIRROR=URL]
#             [CACHE=/var/tmp/tapdoctor-qemu] [LIMIT=300] src/bench/qemu-startup.sh
# The root (mmdebstrap --variant=minbase --architectures=arm64 with the .deb's Depends, the .deb
# installed in a customize hook as image/build-image.sh does) is built once into CACHE, several
# minutes, and again only when the package list, suite or mirror changes. Every run installs the
# .deb again (dpkg -i in the root: the postinst makes the archive, timed). LIMIT bounds each
# emulated start, in seconds. Needs root, mmdebstrap, qemu-user-static and binfmt-support,
# python3, iproute2, util-linux (unshare); builds the .deb if missing.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
CACHE=${CACHE:-/var/tmp/tapdoctor-qemu}
LIMIT=${LIMIT:-300}
cd "$(dirname "$0")/../.."
[[ $(id -u) == 0 ]] || { echo "qemu-startup.sh: needs root (mmdebstrap, chroot, network namespace)" >&2; exit 2; }
[[ -n ${DEB:-} ]] || DEB=$(ls -t target/tapdoctor_*_all.deb 2>/dev/null | head -1 || true)
if [[ -z $DEB ]]; then
    mvn -q -o package -DskipTests
    DEB=$(ls -t target/tapdoctor_*_all.deb | head -1)
fi
DEB=$(realpath "$DEB")

if [[ $(uname -m) != aarch64 ]]; then
    mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    update-binfmts --enable qemu-aarch64 2>/dev/null || true
    [[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] || { echo "qemu-startup.sh: qemu-aarch64 binfmt not registered" >&2; exit 2; }
fi

# The .deb's Depends, one package per clause: the Java 17 JRE where it is an alternative (it is
# what default-jre-headless is on bookworm), else the first one; version constraints dropped.
deps=$(dpkg-deb -f "$DEB" Depends | sed 's/([^)]*)//g; s/:any//g; s/ //g' | tr ',' '\n' \
    | awk -F'|' '{ p = $1; for (i = 1; i <= NF; i++) if ($i == "openjdk-17-jre-headless") p = $i; print p }')
PACKAGES=$(printf '%s\n' openjdk-17-jre-headless libpcap0.8 $deps | sort -u | paste -sd,)

R=$CACHE/root-$SUITE
WANT="$SUITE $MIRROR $PACKAGES"
mkdir -p "$CACHE"
if [[ ! -x $R/usr/bin/tapdoctor ]] || [[ $(cat "$R.packages" 2>/dev/null) != "$WANT" ]]; then
    echo "building $R: mmdebstrap $SUITE arm64 minbase + $PACKAGES (log: $R.mmdebstrap.log)" >&2
    rm -rf "$R.new" "$R" "$R.packages"
    start=$(date +%s)
    timeout -k 30 3600 mmdebstrap --architectures=arm64 --variant=minbase --include="$PACKAGES" \
        --customize-hook="copy-in '$DEB' /tmp" \
        --customize-hook='chroot "$1" sh -c "dpkg -i /tmp/tapdoctor_*_all.deb && rm /tmp/tapdoctor_*_all.deb"' \
        "$SUITE" "$R.new" "$MIRROR" > "$R.mmdebstrap.log" 2>&1 \
        || { echo "qemu-startup.sh: mmdebstrap failed:" >&2; tail -20 "$R.mmdebstrap.log" >&2; exit 1; }
    echo "built in $(( $(date +%s) - start )) s" >> "$R.mmdebstrap.log"
    mv "$R.new" "$R"
    echo "$WANT" > "$R.packages"
fi

TMP=$(mktemp -d)
NS=tdqemu$$
SOCK=/run/$NS.notify # as the root's processes see it
cleanup() {
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$TMP" "$R$SOCK" "$R/tmp/$NS.deb" "$R/tmp/$NS.classes"
}
trap cleanup EXIT

# COMMAND... in the arm64 root, with a /proc and /sys of its own mounted in a private mount
# namespace (gone with the process, nothing left mounted); unshare, sh and chroot all exec, so the
# PID stays the JVM's (ready-time.py reads its CPU time).
IN_ROOT=(unshare --mount --propagation private sh -c \
    'mount -t proc proc "$0/proc" && mount -t sysfs sysfs "$0/sys" && mount --bind /dev "$0/dev" && exec chroot "$0" "$@"' "$R")

# This run's .deb, installed again: its postinst makes the archive under qemu.
cp "$DEB" "$R/tmp/$NS.deb"
start=$(date +%s%N)
"${IN_ROOT[@]}" dpkg -i "/tmp/$NS.deb" > "$TMP/install.log" 2>&1 \
    || { echo "qemu-startup.sh: dpkg -i in the root failed:" >&2; cat "$TMP/install.log" >&2; exit 1; }
install_ms=$(( ($(date +%s%N) - start) / 1000000 ))
rm -f "$R/tmp/$NS.deb"
CDS=/var/cache/tapdoctor-cds/tapdoctor.jsa
[[ -f $R$CDS ]] || { echo "qemu-startup.sh: the postinst made no archive under qemu:" >&2; cat "$TMP/install.log" >&2; exit 1; }
[[ -n $(ls "$R"/usr/lib/*-linux-gnu/libsystemd.so.0 2>/dev/null) ]] \
    || { echo "qemu-startup.sh: no libsystemd.so.0 in $R: run could not send READY=1" >&2; exit 2; }

# The unit's JVM options, with JNA's directory moved to one that exists without systemd.
UNIT=$(sed -n 's/^Environment=TAPDOCTOR_JAVA_OPTS="\(.*\)"$/\1/p' "$R/lib/systemd/system/tapdoctor.service" \
    | sed "s|-Djna.tmpdir=[^ ]*|-Djna.tmpdir=/tmp/jna|")
[[ -n $UNIT ]] || { echo "qemu-startup.sh: no TAPDOCTOR_JAVA_OPTS in the package's tapdoctor.service" >&2; exit 2; }
mkdir -p "$R/tmp/jna"

# name|TAPDOCTOR_CDS (the launcher's own switch: empty = no archive)
VARIANTS=("no archive|" "archive (the package's)|$CDS")

# time_replay I: `tapdoctor replay` of the demo capture as a user types it (the launcher's
# default JVM options); appends the wall and the CPU (user + system) milliseconds to $TMP/I.replay
time_replay() {
    local i=$1 archive
    IFS='|' read -r _ archive <<< "${VARIANTS[$i]}"
    TAPDOCTOR_CDS=$archive /usr/bin/time -f '%e %U %S' -o "$TMP/time" timeout -k 10 "$LIMIT" \
        "${IN_ROOT[@]}" /usr/bin/tapdoctor replay /usr/share/tapdoctor/site-visit.pcap > "$TMP/out.txt" 2> "$TMP/err.txt" \
        || { echo "qemu-startup.sh: replay failed (${VARIANTS[$i]}):" >&2; cat "$TMP/err.txt" >&2; exit 1; }
    grep -q '^frames ' "$TMP/out.txt" || { echo "qemu-startup.sh: no summary from replay" >&2; exit 1; }
    awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$TMP/time" >> "$TMP/$i.replay"
}

# time_ready I: exec to READY=1 of `run` as the service runs it (the unit's JVM options, the
# packaged configuration), then SIGTERM; appends milliseconds to $TMP/I.ready
time_ready() {
    local i=$1 archive
    IFS='|' read -r _ archive <<< "${VARIANTS[$i]}"
    TAPDOCTOR_CDS=$archive TAPDOCTOR_JAVA_OPTS=$UNIT python3 src/bench/ready-time.py "$R$SOCK" "$SOCK" "$TMP/run.log" "$LIMIT" \
        ip netns exec "$NS" "${IN_ROOT[@]}" /usr/bin/tapdoctor run --config /etc/tapdoctor/tapdoctor.conf \
        --interfaces d0,d1 --panel none >> "$TMP/$i.ready" \
        || { echo "qemu-startup.sh: no READY=1 (${VARIANTS[$i]}):" >&2; cat "$TMP/run.log" >&2; exit 1; }
}

ip netns add "$NS"
ip -n "$NS" link add d0 type veth peer name d1
ip -n "$NS" link set d0 up
ip -n "$NS" link set d1 up

# Whether the archive is used, not only mapped: one untimed replay and one untimed run with the
# archive and -Xlog:class+load, counting the classes that came from it ("shared objects file
# (top)": the dynamic archive; without "(top)": the JDK's own).
CLASSES=/tmp/$NS.classes
from_archive() {
    local f=$R$CLASSES
    echo "$(grep -c 'source: shared objects file (top)$' "$f" || true) of $(wc -l < "$f") classes from tapdoctor's archive, $(grep -c 'source: shared objects file$' "$f" || true) from the JDK's"
}
TAPDOCTOR_CDS=$CDS TAPDOCTOR_JAVA_OPTS="-Xlog:class+load=info:file=$CLASSES" timeout -k 10 "$LIMIT" \
    "${IN_ROOT[@]}" /usr/bin/tapdoctor replay /usr/share/tapdoctor/site-visit.pcap > /dev/null 2>&1 || true
used_replay=$(from_archive)
TAPDOCTOR_CDS=$CDS TAPDOCTOR_JAVA_OPTS="$UNIT -Xlog:class+load=info:file=$CLASSES" python3 src/bench/ready-time.py \
    "$R$SOCK" "$SOCK" "$TMP/run.log" "$LIMIT" ip netns exec "$NS" "${IN_ROOT[@]}" /usr/bin/tapdoctor run \
    --config /etc/tapdoctor/tapdoctor.conf --interfaces d0,d1 --panel none > /dev/null || true
used_run=$(from_archive)
rm -f "$R$CLASSES"
# Under qemu-user no capture opens: libpcap's pcap_create asks the NIC for its time stamp types
# (SIOCETHTOOL), an ioctl qemu-user does not translate (ENOSYS, which libpcap takes as fatal);
# the service then sends READY=1 after its bound on waiting for the ports to open.
if grep -q 'is not capturing yet' "$TMP/run.log"; then
    capture="no: $(sed -n 's/.* is not capturing yet (\(.*\)); it is retried .*/\1/p' "$TMP/run.log" | head -1)"
    OPEN_BOUND_MS=$(sed -n 's/.*waitForOpen(\([0-9_]*\)L).*/\1/p' src/main/java/org/tapdoctor/service/LiveService.java | tr -d _ | head -1)
    OPEN_BOUND_MS=$(( ${OPEN_BOUND_MS:-0} / 1000000 ))
else
    capture=yes
    OPEN_BOUND_MS=0
fi

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s)
for round in $(seq "$ROUNDS"); do
    cut -d' ' -f1 /proc/loadavg >> "$TMP/load"
    order=(0 1)
    (( round % 2 )) || order=(1 0)
    for i in "${order[@]}"; do
        time_replay "$i"
        time_ready "$i"
    done
done
took=$(( $(date +%s) - start ))

. src/bench/medians.sh
echo "arm64 root: $R ($SUITE, $(grep -h '^built in' "$R.mmdebstrap.log" | tail -1))"
echo "java: $("${IN_ROOT[@]}" java -version 2>&1 | sed -n 3p); $(qemu-aarch64-static --version | head -1)"
echo "host: $(nproc) cores; load at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg); rounds: $ROUNDS in $took s"
echo "postinst in mmdebstrap (root build): $(grep -h '^tapdoctor: ' "$R.mmdebstrap.log" | sed 's/ for .*//' | tail -1)"
echo "postinst by dpkg -i now: $(grep -h '^tapdoctor: ' "$TMP/install.log" | sed 's/ for .*//'); dpkg -i took $install_ms ms"
echo "archive used, replay: $used_replay; run: $used_run"
echo "captures opened under qemu-user: $capture"
echo "unit options (run): $UNIT"
echo "load (1 min) at each round's start: $(paste -sd' ' "$TMP/load")"
echo
echo "median milliseconds, wall / CPU (user + system, qemu's; for READY: the JVM's until READY=1)"
[[ $OPEN_BOUND_MS == 0 ]] || echo "READY - bound: the wall time less the service's ${OPEN_BOUND_MS} ms wait for ports that never opened"
printf '%-26s %15s %15s %14s   %s\n' variant "replay demo" "run READY" "READY - bound" "all runs, wall: replay / READY"
for i in "${!VARIANTS[@]}"; do
    ready_less=-
    [[ ! -s $TMP/$i.ready ]] || ready_less=$(( $(cut -d' ' -f1 "$TMP/$i.ready" | median) - OPEN_BOUND_MS ))
    printf '%-26s %15s %15s %14s   %s / %s\n' "${VARIANTS[$i]%%|*}" "$(col "$TMP/$i.replay")" "$(col "$TMP/$i.ready")" \
        "$ready_less" "$(runs "$TMP/$i.replay")" "$(runs "$TMP/$i.ready")"
done
