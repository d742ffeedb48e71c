#!/usr/bin/env bash
# make-scenarios.sh OUTDIR
# make-scenarios.sh --check     (only checks the prerequisites: exit 0 when all are there)
# make-scenarios.sh --live OUTDIR -- CMD [ARGS...]
#     Instead of capturing each scenario with tcpdump, runs CMD (the tapdoctor service) in the
#     tap namespace for the whole run, with 250 healthy connections alongside the faults;
#     CMD's stdout goes to OUTDIR/live.out and its stderr to OUTDIR/live.log; CMD is stopped
#     with SIGTERM at the end (it must exit 0 or 143).
#
# Builds the tapdoctor appliance topology in network namespaces, provokes each fault with the
# kernel's own TCP/IP stacks and captures every scenario on the tap's bridge into its own
# classic pcap file OUTDIR/<scenario>.pcap. Every capture is then checked with tshark and
# summarised in one line. See README.md next to this script for the topology and scenarios.
#
# Needs root, iproute2 (ip netns), nftables, tcpdump, tshark, python3, iputils-arping
# and dnsmasq (dnsmasq-base). Uses documentation addresses only, no route leaves
# the namespaces. Namespaces are named tds<pid>-* and always deleted on exit.
set -Eeuo pipefail

usage() { echo "usage: $0 OUTDIR | --check | --live OUTDIR -- CMD [ARGS...]" >&2; exit 2; }
LIVE=()
if [ "${1:-}" = "--live" ]; then
    [ $# -ge 4 ] && [ "$3" = "--" ] || usage
    OUTDIR=$2
    shift 3
    LIVE=("$@")
else
    [ $# -eq 1 ] || usage
    OUTDIR=$1
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TD_NAME=make-scenarios
# the namespaces, the helpers, the cleanup trap, build_topology and start_services
# shellcheck source=topology.sh
. "$HERE/topology.sh"

# ---------------------------------------------------------------- capture
# capture NAME SNAPLEN FUNCTION: tcpdump on the tap's bridge while FUNCTION runs the traffic.
# The capture ends with a marker, one answered ARP request from the client for the router
# (no diagnosis can follow from it): a replay's end is its last packet, so the marker makes
# the waits inside FUNCTION visible to the engine.

capture() {
    local name=$1 snap=$2 fn=$3 pid
    log "scenario $name"
    if [ ${#LIVE[@]} -gt 0 ]; then
        "$fn"
        marker
        SCENARIOS+=("$name")
        return
    fi
    start_bg tap "tcpdump-$name" tcpdump -i br0 -s "$snap" -U --immediate-mode -n -Z root \
        -w "$WORK/$name.pcap"
    pid=$LAST_PID
    wait_for_line "$WORK/tcpdump-$name.log" 'listening on br0' 10
    sleep 0.2
    "$fn"
    marker
    sleep 0.3
    local rc=0
    stop_pid "$pid" INT || rc=$?
    forget_pid "$pid"
    [ $rc = 0 ] || die "tcpdump for $name failed (exit $rc): $(cat "$WORK/tcpdump-$name.log")"
    SCENARIOS+=("$name")
}

both() {   # both CMD1 -- CMD2: run two client commands in parallel, fail if either fails
    local a=() b=() seen=0 x pa pb ra=0 rb=0
    for x in "$@"; do
        if [ "$x" = "--" ]; then seen=1; elif [ $seen = 0 ]; then a+=("$x"); else b+=("$x"); fi
    done
    "${a[@]}" & pa=$!
    "${b[@]}" & pb=$!
    wait "$pa" || ra=$?
    wait "$pb" || rb=$?
    [ $ra = 0 ] && [ $rb = 0 ] || die "parallel clients failed ($ra, $rb)"
}

# ---------------------------------------------------------------- scenarios
sc_healthy() {
    cli 198.51.100.10 80 --expect ok --count 10
    cli 198.51.100.10 8080 --expect ok --count 10
    cli 2001:db8:b::10 80 --expect ok --count 3
    cli 2001:db8:b::10 8080 --expect ok --count 2
    dnsq 198.51.100.53 ok.example.test --expect NOERROR
    sleep 0.3
}
sc_no_response() {
    # router drops silently; SYNs at ~0, 1, 3 s; connect fails at ~7 s
    cli 198.51.100.20 81 --expect timeout
    sleep 0.8
}
sc_refused() {
    cli 198.51.100.10 82 --expect refused
    cli 198.51.100.20 80 --expect ok
    sleep 0.3
}
sc_port_blocked() {
    cli 198.51.100.10 80 --expect ok --count 2
    cli 198.51.100.10 6036 --expect refused
    sleep 0.3
}
sc_middlebox_rst() {
    cli 198.51.100.10 80 --expect ok --count 2
    cli 198.51.100.10 85 --expect refused
    sleep 0.3
}
sc_admin_prohibited() {
    cli 198.51.100.20 83 --expect unreachable
    sleep 0.3
}
sc_host_gone() {
    cli 198.51.100.10 80 --expect ok --count 2
    # nobody has .99 on the server LAN: the router's ARP fails, ICMP host unreachable ~3 s later
    both cli 198.51.100.99 80 --expect unreachable -- cli 198.51.100.99 443 --expect unreachable
    # The router still holds SYNs queued for .99 while it resolves it and answers each with an
    # ICMP when its ARP gives up (~3 s): wait for those here, or they land in the next capture.
    sleep 3.5
}
sc_client_fw_synack() {
    nsx client nft -f - <<'EOF'
table inet tdsclient {
    chain input_filter {
        type filter hook input priority 0; policy accept;
        ip saddr 198.51.100.10 tcp sport 8080 tcp flags & (syn | ack) == (syn | ack) drop
    }
}
EOF
    # SYN/ACKs reach the tap but not the client's TCP: srv1 retransmits them, no final ACK
    cli 198.51.100.10 8080 --expect timeout
    sleep 1.5
    nsx client nft delete table inet tdsclient
}
sc_accept_then_rst() {
    cli 198.51.100.10 8443 --expect reset
    sleep 0.3
}
sc_duplicate_ip() {
    # both hosts answer the broadcast requests (kept broadcasting with -b)
    # (iputils arping exits 1 here although both hosts answer: judge by its output, and
    # checkpcap.py checks the two MACs in the capture)
    nsx client arping -b -c 2 -i 1 -I eth0 192.0.2.50 >"$WORK/arping-dup.log" 2>&1 || true
    grep -q 'Received [1-9]' "$WORK/arping-dup.log" ||
        die "arping 192.0.2.50 got no answer: $(cat "$WORK/arping-dup.log")"
    sleep 0.3
}
sc_gratuitous_storm() {
    # 25 gratuitous ARP requests for 192.0.2.60 from dupa's one MAC, 50 ms apart
    nsx dupa "$PY" "$HERE/garp.py" eth0 192.0.2.60 25 0.05
    sleep 0.3
}
sc_host_down() {
    # nobody has 192.0.2.99 on the client LAN: the kernel's 3 ARP requests at ~0, 1, 2 s go
    # unanswered and the SYN never leaves the client. The application gives up after 2.5 s
    # (otherwise each SYN retransmission would start another round of 3 requests).
    cli 192.0.2.99 80 --expect timeout --timeout 2.5
    sleep 3.5
}
sc_dns_nxdomain() {
    dnsq 198.51.100.53 missing.example.test --expect NXDOMAIN
    sleep 0.3
}
sc_dns_noanswer() {
    # queries at ~0, 1, 3 s (same port and id), gives up at ~4 s; the engine needs 5 s more
    dnsq 198.51.100.54 www.example.test --expect no_response --waits 1,2,1
    sleep 5.5
}
sc_ipv6_refused_noresponse() {
    both cli 2001:db8:b::10 82 --expect refused -- cli 2001:db8:b::20 81 --expect timeout
    sleep 0.8
}
sc_zero_window() {
    # srv1:9000 has a ~4 KB receive buffer and does not read for 4 s: window 0
    cli 198.51.100.10 9000 --expect ok --send $((1024 * 1024))
    sleep 0.3
}

# ---------------------------------------------------------------- main
check_prereqs
if [ "$OUTDIR" = "--check" ]; then
    echo "make-scenarios: all prerequisites present" >&2
    exit 0
fi
PY=$(python3 -c 'import sys; print(sys.executable)')
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d /tmp/tapdoctor-scenarios.XXXXXX)
SCENARIOS=()

log "building topology (namespaces ${P}*)"
build_topology
start_services
if [ ${#LIVE[@]} -gt 0 ]; then
    live_start "$OUTDIR" "${LIVE[@]}"
    # healthy connections alongside the faults: 25 rounds of 10, bounded in count and time
    ( for i in $(seq 25); do
          nsx client timeout 20 "$PY" "$HERE/tcpcli.py" 198.51.100.10 80 --expect ok --count 10 || exit 1
          sleep 2
      done ) &
    HEALTHY_PID=$!
    PIDS+=("$HEALTHY_PID")
fi

capture healthy 256 sc_healthy
capture no_response 256 sc_no_response
capture refused 256 sc_refused
capture port_blocked 256 sc_port_blocked
capture middlebox_rst 256 sc_middlebox_rst
capture admin_prohibited 256 sc_admin_prohibited
capture host_gone 256 sc_host_gone
capture client_fw_synack 256 sc_client_fw_synack
capture accept_then_rst 256 sc_accept_then_rst
capture duplicate_ip 256 sc_duplicate_ip
capture gratuitous_storm 256 sc_gratuitous_storm
capture host_down 256 sc_host_down
capture dns_nxdomain 256 sc_dns_nxdomain
capture dns_noanswer 256 sc_dns_noanswer
capture ipv6_refused_noresponse 256 sc_ipv6_refused_noresponse
capture zero_window 96 sc_zero_window

if [ ${#LIVE[@]} -gt 0 ]; then
    log "waiting for the healthy connections and the last timeouts"
    wait "$HEALTHY_PID" || die "healthy connections alongside the faults failed"
    forget_pid "$HEALTHY_PID"
    sleep 6
    live_stop "$OUTDIR"
    log "done: ${#SCENARIOS[@]} scenarios live, service output in $OUTDIR/live.out"
    exit 0
fi

log "checking captures"
failed=0
for name in "${SCENARIOS[@]}"; do
    "$PY" "$HERE/checkpcap.py" "$name" "$WORK/$name.pcap" || failed=1
done
if [ $failed != 0 ]; then
    mkdir -p "$OUTDIR/failed"
    for name in "${SCENARIOS[@]}"; do cp "$WORK/$name.pcap" "$OUTDIR/failed/"; done
    die "some captures do not contain what their scenario needs (all kept in $OUTDIR/failed/)"
fi
for name in "${SCENARIOS[@]}"; do
    cp "$WORK/$name.pcap" "$OUTDIR/$name.pcap"
done
log "done: ${#SCENARIOS[@]} captures in $OUTDIR"
