#!/usr/bin/env bash
# filter-cost.sh [OUTDIR [ROUNDS]]     (a benchmark, not a test; as root)
# FILTER_SET=path-mtu filter-cost.sh ...: compares instead the service's default filter ("before")
# with capture.path-mtu=true ("after": CaptureFilter --path-mtu, every TCP segment too).
# FLOOD_SYNS=N: SYNs of the flood (default 200,000; ~10,000/s here, so 100,000 keeps it ~10 s).
#
# What the live capture filter lets into user space, and what it costs the kernel, for three
# filters side by side in one run: "before" (the filter of main before issue 11, written out
# below), "after" (target/tapdoctor.jar's CaptureFilter: plus the first TLS record / HTTP/1 line
# of a connection) and "all-tcp" (after, plus every TCP segment: what an MTU black-hole rule would
# need live). For each filter and round, tcpdump -Q in -s 256 -B 8192 -w /dev/null runs on both
# ports of the tap (tapA, tapB; the service's snaplen and buffer) while
#   - bulk: the client downloads 256 MiB from srv1 with an HTTP GET (tcpserve.py source, one
#     connection, timeout 60 s);
#   - flood: hping3 sends 200,000 SYNs at -i u1 (as fast as it goes here) from 203.0.113.200
#     toward srv2:443 (as live-rate.sh's last step).
# Reported per filter: frames captured (both ports), frames per second reaching user space,
# kernel drops, and the download's duration (the filter runs in the forwarding path's softirq).
# Medians over ROUNDS (default 3), the filters alternated within each round. Writes
# OUTDIR/filter-cost.md. Documentation addresses only; namespaces tds<pid>-* deleted on exit.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUTDIR=${1:-/tmp/tapdoctor-filter-cost}
ROUNDS=${2:-3}
HERE="$ROOT/src/test/scenarios"
TD_NAME=filter-cost
TD_EXTRA_TOOLS="hping3:hping3 timeout:coreutils java:openjdk-17-jre-headless"
# shellcheck source=../test/scenarios/topology.sh
. "$HERE/topology.sh"

BEFORE_U='arp or (udp port 53) or (icmp and (icmp[icmptype] == icmp-unreach or icmp[icmptype] == icmp-timxceed or icmp[icmptype] == icmp-paramprob)) or (icmp6 and ip6[40] < 128) or (ip and tcp and ((tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0) or tcp[14:2] == 0)) or (ip6 and ip6[6] == 6 and ((ip6[53] & 0x07 != 0) or ip6[54:2] == 0))'
declare -A FILTERS
FILTERS[before]="($BEFORE_U) or (vlan and ($BEFORE_U))"
FILTERS[after]=$(java -cp "$ROOT/target/tapdoctor.jar" org.tapdoctor.capture.CaptureFilter) ||
    die "cannot read the filter from $ROOT/target/tapdoctor.jar (mvn package first)"
# tcp first: libpcap's "vlan" shifts the offsets of everything after it
FILTERS[all-tcp]="tcp or (${FILTERS[after]})"
NAMES=(before after all-tcp)
if [[ ${FILTER_SET:-} == path-mtu ]]; then
    FILTERS[before]=${FILTERS[after]}
    FILTERS[after]=$(java -cp "$ROOT/target/tapdoctor.jar" org.tapdoctor.capture.CaptureFilter --path-mtu)
    NAMES=(before after)
fi
FLOOD_SYNS=${FLOOD_SYNS:-200000}

check_prereqs
PY=$(python3 -c 'import sys; print(sys.executable)')
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d /tmp/tapdoctor-filter-cost.XXXXXX)

# capture_start NAME: tcpdump with filter NAME on both ports; sets TPIDS
capture_start() {
    local nic
    TPIDS=()
    for nic in tapA tapB; do
        start_bg tap "tcpdump-$1-$nic" tcpdump -i "$nic" -Q in -s 256 -B 8192 -n -Z root -w /dev/null "${FILTERS[$1]}"
        TPIDS+=("$LAST_PID")
        wait_for_line "$WORK/tcpdump-$1-$nic.log" "listening on $nic" 10
    done
    sleep 0.3
}

# capture_stop NAME: prints "captured dropped" summed over both ports
capture_stop() {
    local pid nic c=0 d=0 x
    for pid in "${TPIDS[@]}"; do stop_pid "$pid" INT || true; forget_pid "$pid"; done
    for nic in tapA tapB; do
        x=$(sed -nE 's/^([0-9]+) packets captured.*/\1/p' "$WORK/tcpdump-$1-$nic.log"); c=$((c + ${x:-0}))
        x=$(sed -nE 's/^([0-9]+) packets dropped by kernel.*/\1/p' "$WORK/tcpdump-$1-$nic.log"); d=$((d + ${x:-0}))
    done
    echo "$c $d"
}

bulk() {   # prints the download's duration in µs
    local t0=${EPOCHREALTIME/./}
    nsx client timeout 60 "$PY" "$HERE/tcpdo.py" 198.51.100.10 9100 --request 'GET / HTTP/1.1\r\nHost: srv1\r\n\r\n' \
        --min-bytes $((256 * 1024 * 1024)) --timeout 30 --expect ok >/dev/null
    echo $(( ${EPOCHREALTIME/./} - t0 ))
}

flood() {  # prints the flood's duration in µs
    local t0=${EPOCHREALTIME/./}
    nsx client timeout 120 hping3 -q -S -p 443 -a 203.0.113.200 -i u1 -c "$FLOOD_SYNS" 198.51.100.20 >/dev/null 2>&1 || true
    echo $(( ${EPOCHREALTIME/./} - t0 ))
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

log "building topology (namespaces ${P}*)"
build_topology
start_services
start_bg srv1 srv1-9100 "$PY" "$HERE/tcpserve.py" --port 9100 --mode source --bytes $((256 * 1024 * 1024))
wait_for_line "$WORK/srv1-9100.log" '^ready' 10
for n in "${NAMES[@]}"; do echo "$(tcpdump -d "${FILTERS[$n]}" 2>/dev/null | wc -l)" >"$WORK/$n.insns"; done

for r in $(seq "$ROUNDS"); do
    for n in "${NAMES[@]}"; do
        for what in bulk flood; do
            capture_start "$n"
            us=$("$what")
            sleep 1
            read -r c d < <(capture_stop "$n")
            log "round $r $n $what: ${us} us, captured $c, dropped $d"
            echo "$us $c $d" >>"$WORK/$n-$what.runs"
        done
    done
done

{
    echo "Live filter cost, $ROUNDS rounds (medians), kernel $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| filter | BPF insns | bulk 256 MiB: s | frames to user space | frames/s | drops | SYN flood $FLOOD_SYNS: frames | frames/s | drops |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in "${NAMES[@]}"; do
        bs=$(cut -d' ' -f1 "$WORK/$n-bulk.runs" | median); bc=$(cut -d' ' -f2 "$WORK/$n-bulk.runs" | median)
        bd=$(cut -d' ' -f3 "$WORK/$n-bulk.runs" | median)
        fs=$(cut -d' ' -f1 "$WORK/$n-flood.runs" | median); fc=$(cut -d' ' -f2 "$WORK/$n-flood.runs" | median)
        fd=$(cut -d' ' -f3 "$WORK/$n-flood.runs" | median)
        printf '| %s | %s | %.2f | %s | %d | %s | %s | %d | %s |\n' "$n" "$(cat "$WORK/$n.insns")" \
            "$(awk -v u="$bs" 'BEGIN {print u / 1e6}')" "$bc" $(( bc * 1000000 / bs )) "$bd" "$fc" $(( fc * 1000000 / fs )) "$fd"
    done
    echo
    echo "every run (us captured dropped):"
    for n in "${NAMES[@]}"; do for what in bulk flood; do echo "  $n $what: $(tr '\n' ';' <"$WORK/$n-$what.runs")"; done; done
} | tee "$OUTDIR/filter-cost.md"
