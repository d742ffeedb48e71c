#!/usr/bin/env bash
# filter-cost-site.sh [OUTDIR [LOOPS]]     (a benchmark, not a test; as root)
#
# What the live capture filter and snaplen let into user space: the frames and bytes tcpdump
# receives from the kernel on the tap's client-side NIC (tapA, -Q in, -B 8192, --immediate-mode:
# the service's kernel buffer and mode, in which libpcap uses TPACKET_V2 and every frame takes a
# slot of the snaplen's size in the kernel's ring) while real traffic crosses the tap, for the filter before the site protocols
# (git HEAD~ of CaptureFilter, snaplen 256) and after (CaptureFilter.expression() of
# target/tapdoctor.jar, snaplen 256 / 640 / 1024), and with no filter at all. The traffic is
# a mix of real captures of the shared corpus (full-size frames: HTTP, TLS, Skype and IRC, an
# nmap run, DHCP through a relay, LLDP and CDP), replayed LOOPS times (default 20) by tcpreplay
# from the client namespace, once paced (20,000 frames/s: nothing dropped, the counts compare)
# and once at top speed (the kernel's drops compare). Each configuration runs ROUNDS times (3),
# alternated. Builds the appliance topology of src/test/scenarios/topology.sh; documentation
# addresses only on the namespaces' own interfaces (the replayed frames carry the corpus's
# addresses, flooded by the tap's bridge to the switch namespace, which drops them); namespaces
# tds<pid>-* are always deleted on exit. Prints a table (and writes OUTDIR/filter-cost-site.md).
#
# Then what the kernel buffer holds while the reader stalls (a GC pause, a slow disk): tcpdump
# (new filter, --immediate-mode) is stopped with SIGSTOP, STALL_SYNS (60,000) SYNs are sent
# through the tap with hping3, it is continued: the frames it then captures are the frames the
# ring held, per snaplen and kernel buffer (STALL_BUFFERS, KiB, default 8192: the service's
# default; in immediate mode every frame takes a snaplen-sized slot). RATES="" skips the replays.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUTDIR=${1:-/tmp/tapdoctor-filter-cost}
LOOPS=${2:-20}
ROUNDS=${ROUNDS:-3}
HERE="$ROOT/src/test/scenarios"
PCAPS=${PCAPS:-$ROOT/../shared/pcaps}
TD_NAME=filter-cost-site
TD_EXTRA_TOOLS="tcpreplay:tcpreplay mergecap:wireshark-common java:openjdk-17-jre-headless hping3:hping3"
# shellcheck source=../test/scenarios/topology.sh
. "$HERE/topology.sh"

check_prereqs
[ -r "$ROOT/target/tapdoctor.jar" ] || die "build target/tapdoctor.jar first (mvn -q -o package -DskipTests)"
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d /tmp/tapdoctor-filter-cost.XXXXXX)

NEW=$(java -cp "$ROOT/target/tapdoctor.jar" "$ROOT/src/bench/PrintFilter.java")
# the filter before the site protocols (CaptureFilter.UNTAGGED until issue 10)
U='arp or (udp port 53) or (icmp and (icmp[icmptype] == icmp-unreach or icmp[icmptype] == icmp-timxceed or icmp[icmptype] == icmp-paramprob)) or (icmp6 and ip6[40] < 128) or (ip and tcp and ((tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0) or tcp[14:2] == 0)) or (ip6 and ip6[6] == 6 and ((ip6[53] & 0x07 != 0) or ip6[54:2] == 0))'
OLD="($U) or (vlan and ($U))"

MIX_FILES=(ndpi_instagram_icmp_port_unreach_syn.pcap ws_Manolito2_icmp_unreach.pcap ppp_example2_vlan_mixed.pcap
           zk_wikipedia.pcap ws_SkypeIRC.cap zk_nmap-vsn.pcap cs_http_espn_ok.pcapng
           td_dhcp-rfc4388_relay_leasequery.pcap td_LLDP_and_CDP.pcap td_eapon1_eapol_eap-sim_dhcp_noreply.pcap)
args=()
for f in "${MIX_FILES[@]}"; do
    [ -r "$PCAPS/$f" ] || die "missing $PCAPS/$f (set PCAPS=DIR)"
    args+=("$PCAPS/$f")
done
mergecap -a -F pcap -w "$WORK/mix.pcap" "${args[@]}"
MIX_FRAMES=$(tcpdump -r "$WORK/mix.pcap" -n 2>/dev/null | wc -l)
MIX_BYTES=$(stat -c %s "$WORK/mix.pcap")

log "building topology (namespaces ${P}*)"
build_topology

# run NAME SNAPLEN FILTER RATE: one tcpdump on tapA while the mix is replayed; prints
# "captured dropped bytes_written sent seconds"
run() {
    local name=$1 snap=$2 filter=$3 rate=$4 pid t0 out sent us
    local f=$WORK/$name.pcap
    start_bg tap "tcpdump-$name" tcpdump -i tapA -Q in -s "$snap" -B 8192 --immediate-mode -n -Z root -w "$f" \
        ${filter:+"$filter"}
    pid=$LAST_PID
    wait_for_line "$WORK/tcpdump-$name.log" 'listening on tapA' 10
    sleep 0.3
    t0=${EPOCHREALTIME/./}
    if [ "$rate" = top ]; then
        out=$(nsx client timeout 300 tcpreplay -q -i eth0 --topspeed --loop="$LOOPS" "$WORK/mix.pcap" 2>&1 || true)
    else
        out=$(nsx client timeout 300 tcpreplay -q -i eth0 --pps="$rate" --loop="$LOOPS" "$WORK/mix.pcap" 2>&1 || true)
    fi
    us=$(( ${EPOCHREALTIME/./} - t0 ))
    sent=$(sed -nE 's/.*Actual: ([0-9]+) packets.*/\1/p' <<<"$out" | tail -1)
    sleep 1
    stop_pid "$pid" INT || true
    forget_pid "$pid"
    local c d
    c=$(sed -nE 's/^([0-9]+) packets captured.*/\1/p' "$WORK/tcpdump-$name.log")
    d=$(sed -nE 's/^([0-9]+) packets dropped by kernel.*/\1/p' "$WORK/tcpdump-$name.log")
    echo "${c:-?} ${d:-?} $(stat -c %s "$f") ${sent:-?} $us"
    rm -f "$f"
}

CONFIGS=("before,256,OLD" "after,256,NEW" "after,640,NEW" "after,1024,NEW" "none,640,NONE")
ROWS=()
for rate in ${RATES-20000 top}; do
    for round in $(seq "$ROUNDS"); do
        for c in "${CONFIGS[@]}"; do
            IFS=, read -r label snap which <<<"$c"
            case "$which" in OLD) filt=$OLD ;; NEW) filt=$NEW ;; NONE) filt="" ;; esac
            read -r cap drop bytes sent us < <(run "$label-$snap-$rate-$round" "$snap" "$filt" "$rate")
            row="| $rate | $round | $label | $snap | $sent | $(( sent * 1000000 / (us > 0 ? us : 1) )) | $cap | $drop | $bytes |"
            log "$row"
            ROWS+=("$row")
        done
    done
done

# stall SNAPLEN: frames the kernel ring holds with the reader stopped
STALL_SYNS=${STALL_SYNS:-60000}
stall() {
    local snap=$1 buf=$2 pid c d
    start_bg tap "tcpdump-stall-$snap" tcpdump -i tapA -Q in -s "$snap" -B "$buf" --immediate-mode -n -Z root \
        -w /dev/null "$NEW"
    pid=$LAST_PID
    wait_for_line "$WORK/tcpdump-stall-$snap.log" 'listening on tapA' 10
    sleep 0.3
    kill -STOP "$pid"
    nsx client timeout 120 hping3 -q -S -p 443 -a 203.0.113.200 -i u50 -c "$STALL_SYNS" 198.51.100.20 \
        >/dev/null 2>&1 || true
    kill -CONT "$pid"
    sleep 2
    stop_pid "$pid" INT || true
    forget_pid "$pid"
    c=$(sed -nE 's/^([0-9]+) packets captured.*/\1/p' "$WORK/tcpdump-stall-$snap.log")
    d=$(sed -nE 's/^([0-9]+) packets dropped by kernel.*/\1/p' "$WORK/tcpdump-stall-$snap.log")
    echo "${c:-?} ${d:-?}"
}
STALL_ROWS=()
for round in $(seq "$ROUNDS"); do
    for buf in ${STALL_BUFFERS:-8192}; do
        for snap in 256 640 1024; do
            read -r cap drop < <(stall "$snap" "$buf")
            row="| $round | $buf | $snap | $STALL_SYNS | $cap | $drop |"
            log "stall $row"
            STALL_ROWS+=("$row")
        done
    done
done

{
    echo "Mix: ${#MIX_FILES[@]} corpus captures, $MIX_FRAMES frames, $MIX_BYTES bytes per loop, $LOOPS loops;"
    echo "kernel $(uname -r), $(nproc) CPUs; tcpdump -i tapA -Q in -B 8192 --immediate-mode -w FILE (bytes written include the 16-byte record headers)"
    echo
    echo "| replay rate | round | filter | snaplen | sent | frames/s | captured | dropped by kernel | bytes written |"
    echo "|---|---:|---|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Reader stopped (SIGSTOP) while $STALL_SYNS SYNs cross the tap, new filter, --immediate-mode:"
    echo
    echo "| round | -B KiB | snaplen | SYNs sent | captured after SIGCONT (held by the ring) | dropped by kernel |"
    echo "|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${STALL_ROWS[@]}"
} | tee "$OUTDIR/filter-cost-site.md"
