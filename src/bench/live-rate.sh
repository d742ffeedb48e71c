#!/usr/bin/env bash
# live-rate.sh [OUTDIR [COUNT]] [-- CMD [ARGS...]]     (a benchmark, not a test; as root)
#
# The highest SYN rate the live service follows without a kernel drop, beside tcpdump on the
# same NIC. Builds the appliance topology in namespaces (src/test/scenarios/topology.sh) and, for
# each hping3 interval (u100, u50, u20, u10, u5, u2, u1: -i uN, COUNT SYNs per step, default
# 200000, each hping3 under timeout 120; -i u0 sends one SYN and stalls, so it is no step),
# sends SYNs from the client namespace through the tap
# toward srv2 (198.51.100.20:443), from the documentation source 203.0.113.200 (the source port
# increments per packet, so every SYN is a new attempt). Each step runs twice, alone each time:
#   - the service (CMD; default: java -Xmx256m -jar target/tapdoctor.jar run --interfaces tapA,tapB
#     --client-side tapA --format jsonl), freshly started, stopped with SIGTERM: frames and drops
#     of tapA from its "final stats" log line, and whether it published capture_drops;
#   - tcpdump -i tapA -Q in -s $SNAPLEN -B <KiB> (the service's snaplen, default 640, and default kernel buffer, from board/tapdoctor.conf) with the
#     service's BPF filter, writing to /dev/null: its "captured" and "dropped by kernel" lines.
# Prints a table (and writes it to OUTDIR/live-rate.md). Uses documentation addresses only;
# namespaces tds<pid>-* are always deleted on exit.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUTDIR=/tmp/tapdoctor-live-rate
COUNT=200000
if [ $# -gt 0 ] && [ "$1" != "--" ]; then OUTDIR=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" != "--" ]; then COUNT=$1; shift; fi
if [ $# -gt 0 ]; then
    [ "$1" = "--" ] && [ $# -ge 2 ] || { echo "usage: $0 [OUTDIR [COUNT]] [-- CMD [ARGS...]]" >&2; exit 2; }
    shift
    SERVICE=("$@")
else
    SERVICE=(java -Xmx256m -jar "$ROOT/target/tapdoctor.jar" run --interfaces tapA,tapB --client-side tapA
             --format jsonl)
fi
INTERVALS=${INTERVALS:-"u100 u50 u20 u10 u5 u2 u1"}
HERE="$ROOT/src/test/scenarios"
TD_NAME=live-rate
TD_EXTRA_TOOLS="hping3:hping3 timeout:coreutils"
# shellcheck source=../test/scenarios/topology.sh
. "$HERE/topology.sh"

# the service's kernel filter, from the jar (org.tapdoctor.capture.CaptureFilter.expression())
BUFFER=$(sed -nE 's/^#?capture\.buffer = ([0-9]+)$/\1/p' "$ROOT/board/tapdoctor.conf")
[ -n "$BUFFER" ] || { echo "live-rate: no capture.buffer in $ROOT/board/tapdoctor.conf" >&2; exit 1; }
BUFFER_KB=$(( BUFFER / 1024 ))   # tcpdump -B: the service's default capture.buffer
FILTER=$(java -cp "$ROOT/target/tapdoctor.jar" org.tapdoctor.capture.CaptureFilter) ||
    { echo "live-rate: cannot read the filter from $ROOT/target/tapdoctor.jar (mvn package first)" >&2; exit 1; }

check_prereqs
PY=$(python3 -c 'import sys; print(sys.executable)')
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d /tmp/tapdoctor-live-rate.XXXXXX)

# flood INTERVAL: COUNT SYNs at -i INTERVAL; prints "sent seconds"
flood() {
    local t0=${EPOCHREALTIME/./} out sent
    out=$(nsx client timeout 120 hping3 -q -S -p 443 -a 203.0.113.200 -i "$1" -c "$COUNT" 198.51.100.20 2>&1 || true)
    sent=$(sed -nE 's/^([0-9]+) packets transmitted.*/\1/p' <<<"$out" | tail -1)
    echo "${sent:-0} $(( ${EPOCHREALTIME/./} - t0 ))"
}

log "building topology (namespaces ${P}*)"
build_topology
start_services

ROWS=()
BEST_SVC=0; BEST_SVC_IV=-; BEST_TCPD=0; BEST_TCPD_IV=-
for iv in $INTERVALS; do
    # ---- the service
    d="$OUTDIR/$iv"; mkdir -p "$d"
    live_start "$d" "${SERVICE[@]}"
    sleep 1
    read -r sent us < <(flood "$iv")
    sleep 2
    live_stop "$d"
    st=$(grep -o 'final stats.*' "$d/live.log" | tail -1)
    sf=$(sed -nE 's/.* tapA [^|]*frames ([0-9]+) drops ([0-9]+) \|.*/\1/p' <<<"$st")
    sd=$(sed -nE 's/.* tapA [^|]*frames ([0-9]+) drops ([0-9]+) \|.*/\2/p' <<<"$st")
    cd_=$(grep -c '"kind":"capture_drops"' "$d/live.out" || true)
    pps=$(( sent * 1000000 / (us > 0 ? us : 1) ))
    # ---- tcpdump, same traffic, same NIC, same filter, snaplen and buffer
    start_bg tap "tcpdump-$iv" tcpdump -i tapA -Q in -s "${SNAPLEN:-640}" -B "$BUFFER_KB" -n -Z root -w /dev/null "$FILTER"
    tpid=$LAST_PID
    wait_for_line "$WORK/tcpdump-$iv.log" 'listening on tapA' 10
    sleep 0.5
    read -r sent2 us2 < <(flood "$iv")
    sleep 2
    stop_pid "$tpid" INT || true
    forget_pid "$tpid"
    cp "$WORK/tcpdump-$iv.log" "$d/tcpdump.log"
    tc=$(sed -nE 's/^([0-9]+) packets captured.*/\1/p' "$d/tcpdump.log")
    td=$(sed -nE 's/^([0-9]+) packets dropped by kernel.*/\1/p' "$d/tcpdump.log")
    pps2=$(( sent2 * 1000000 / (us2 > 0 ? us2 : 1) ))
    row="| -i $iv | $sent | $pps | ${sf:-?} | ${sd:-?} | $cd_ | $sent2 | $pps2 | ${tc:-?} | ${td:-?} |"
    log "$row"
    ROWS+=("$row")
    if [ "${sd:-1}" = 0 ] && [ "$cd_" = 0 ] && [ "$pps" -gt "$BEST_SVC" ]; then BEST_SVC=$pps; BEST_SVC_IV=$iv; fi
    if [ "${td:-1}" = 0 ] && [ "$pps2" -gt "$BEST_TCPD" ]; then BEST_TCPD=$pps2; BEST_TCPD_IV=$iv; fi
done

{
    echo "SYNs toward 198.51.100.20:443 through the tap, $COUNT per step; kernel $(uname -r), $(nproc) CPUs"
    echo
    echo "| hping3 | service: sent | SYN/s | tapA frames | drops | capture_drops | tcpdump: sent | SYN/s | captured | dropped by kernel |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "highest rate with zero drops: service $BEST_SVC SYN/s (-i $BEST_SVC_IV), tcpdump $BEST_TCPD SYN/s (-i $BEST_TCPD_IV)"
} | tee "$OUTDIR/live-rate.md"
