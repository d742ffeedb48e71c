#!/usr/bin/env bash
# make-misread.sh OUTDIR
# make-misread.sh --check     (only checks the prerequisites: exit 0 when all are there)
# make-misread.sh --live OUTDIR -- CMD [ARGS...]
#     (ONLY="name ..." in the environment runs only those scenarios)
#     Instead of capturing each scenario, runs CMD (the tapdoctor service) in the tap namespace
#     for the whole run, with 250 healthy connections alongside; CMD's stdout goes to
#     OUTDIR/live.out, its stderr to OUTDIR/live.log; CMD is stopped with SIGTERM at the end.
#
# The failures of issue 11 that tapdoctor misreads today, and the healthy traffic that must stay
# silent beside them, provoked with the kernel's own stacks (and openssl s_server, glibc's
# resolver, nft) in the appliance topology of topology.sh, extended by a second router and a far
# host behind a 1400-byte link:
#
#   router (rtr) --wan0, MTU 1400-- rtr2 --lan0-- far 203.0.113.130-131, 2001:db8:f::130-131
#        203.0.113.1/30, 2001:db8:12::1/64      203.0.113.129/25, 2001:db8:f::1/64
#   203.0.113.64/26 and 2001:db8:e::/64 are routed rtr -> rtr2 -> rtr ...: a routing loop.
#
# Every scenario is captured on the tap's bridge into OUTDIR/<scenario>.pcap and checked with
# tshark (checkmisread.py). See README.md next to this script ("Misread scenarios").
# Needs what make-scenarios.sh needs, plus openssl, getent (libc-bin), unshare (util-linux) and
# ping (iputils-ping). Documentation addresses only; namespaces tds<pid>-* always deleted on exit.
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
TD_NAME=make-misread
TD_EXTRA_TOOLS="openssl:openssl getent:libc-bin unshare:util-linux ping:iputils-ping timeout:coreutils hping3:hping3"
# the namespaces, the helpers, the cleanup trap, build_topology and start_services
# shellcheck source=topology.sh
. "$HERE/topology.sh"

FAR=203.0.113.130      # reached over the 1400-byte link, ICMP allowed
FAR_HOLE=203.0.113.131 # the same host, a second address: its path MTU is not cached yet
FAR6=2001:db8:f::130
FAR6_HOLE=2001:db8:f::131
LOOP=203.0.113.70
LOOP6=2001:db8:e::70
SRV1=198.51.100.10
SRV2=198.51.100.20
SCANNED=198.51.100.30  # filtered by the router (no such host)
REUSE_PORT=45678       # healthy_timewait_reuse's client port, bound twice

# ---------------------------------------------------------------- topology
build_misread() {
    local n
    for n in rtr2 far; do
        mkns "$n"
        nsx "$n" sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 \
            net.ipv6.conf.default.accept_ra=0
    done
    veth rtr wan0 02:00:00:00:dd:01 rtr2 wan0 02:00:00:00:dd:02
    veth rtr2 lan0 02:00:00:00:dd:03 far eth0 02:00:00:00:02:30
    # the far link: 1400 bytes between the two routers, 1500 everywhere else
    nsx rtr ip link set wan0 mtu 1400 up
    nsx rtr2 ip link set wan0 mtu 1400 up
    nsx rtr2 ip link set lan0 up
    nsx rtr ip addr add 203.0.113.1/30 dev wan0
    nsx rtr ip addr add 2001:db8:12::1/64 dev wan0 nodad
    nsx rtr2 ip addr add 203.0.113.2/30 dev wan0
    nsx rtr2 ip addr add 2001:db8:12::2/64 dev wan0 nodad
    nsx rtr2 ip addr add 203.0.113.129/25 dev lan0
    nsx rtr2 ip addr add 2001:db8:f::1/64 dev lan0 nodad
    nsx rtr2 sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
        net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.wan0.send_redirects=0
    nsx rtr sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.wan0.send_redirects=0
    nsx rtr ip route add 203.0.113.128/25 via 203.0.113.2
    nsx rtr ip -6 route add 2001:db8:f::/64 via 2001:db8:12::2
    # the loop: rtr sends these prefixes to rtr2, whose default route sends them back
    nsx rtr ip route add 203.0.113.64/26 via 203.0.113.2
    nsx rtr ip -6 route add 2001:db8:e::/64 via 2001:db8:12::2
    nsx rtr2 ip route add default via 203.0.113.1
    nsx rtr2 ip -6 route add default via 2001:db8:12::1
    wire_segments rtr wan0; wire_segments rtr2 wan0; wire_segments rtr2 lan0
    # healthy_timewait_reuse binds its port twice (SO_REUSEADDR): an earlier connection given the
    # same port as its ephemeral one (no SO_REUSEADDR; in TIME_WAIT for a minute) made that bind
    # fail with EADDRINUSE in CI. Reserved, the port is never handed out, and binds still work.
    nsx client sysctl -qw net.ipv4.ip_local_reserved_ports=$REUSE_PORT

    nsx far ip link set eth0 up
    for a in $FAR $FAR_HOLE; do nsx far ip addr add "$a/25" dev eth0; done
    for a in $FAR6 $FAR6_HOLE; do nsx far ip addr add "$a/64" dev eth0 nodad; done
    nsx far ip route add default via 203.0.113.129
    nsx far ip -6 route add default via 2001:db8:f::1
    wire_segments far eth0

    # the router's filters for these scenarios, beside make-scenarios' table (which is there too)
    local sni_off sni_len
    read -r sni_off sni_len < <("$PY" "$HERE/tlscli.py" --sni-offset blocked.example.test)
    nsx rtr nft -f - <<EOF
table inet tdsmis {
    set firstsyn {
        type ipv4_addr . inet_service
        flags dynamic, timeout
        timeout 60s
    }
    chain forward_filter {
        type filter hook forward priority -10; policy accept;
        # a web filter: resets a request for one host name (the Host header at a fixed offset)
        ip daddr $SRV2 tcp dport 8080 @ih,176,128 0x626c6f636b65642e6578616d706c652e @ih,304,32 0x74657374 reject with tcp reset
        # an SNI filter: resets a ClientHello for blocked.example.test (at byte $sni_off of this client's)
        ip daddr $SRV2 tcp dport 443 @ih,$((sni_off * 8)),128 0x626c6f636b65642e6578616d706c652e @ih,$(( (sni_off + 16) * 8 )),32 0x74657374 reject with tcp reset
        # a lossy path: the first SYN of every connection to srv2:8082 is lost
        ip daddr $SRV2 tcp dport 8082 tcp flags & (syn | ack) == syn ip saddr . tcp sport != @firstsyn add @firstsyn { ip saddr . tcp sport } drop
        # a host behind the router that is filtered entirely (a port scan meets silence)
        ip daddr $SCANNED drop
        # ping is blocked toward srv1, TCP is not
        ip daddr $SRV1 icmp type echo-request drop
    }
}
EOF
    [ "$sni_len" = 20 ] || die "unexpected SNI length $sni_len"
    # the DNS server never answers AAAA for ok.example.test (17 bytes in wire form: QTYPE at
    # UDP payload byte 12 + 17, i.e. bit (8 + 29) * 8 = 296 after the UDP header's start)
    nsx dns nft -f - <<'EOF'
table inet tdsmis {
    chain input_filter {
        type filter hook input priority -10; policy accept;
        udp dport 53 @th,296,16 28 drop
    }
}
EOF
}

start_misread_services() {
    # srv1: the overloaded listener, the stalled reader, the healthy ones, TLS servers
    start_bg srv1 srv1-8001 "$PY" "$HERE/tcpserve.py" --port 8001 --mode backlog --backlog 4
    start_bg srv1 srv1-9002 "$PY" "$HERE/tcpserve.py" --port 9002 --mode stall --rcvbuf 4096 --pause 3
    start_bg srv1 srv1-9003 "$PY" "$HERE/tcpserve.py" --port 9003 --mode reply
    start_bg srv1 srv1-9004 "$PY" "$HERE/tcpserve.py" --port 9004 --mode abort
    start_bg srv1 srv1-9005 "$PY" "$HERE/tcpserve.py" --port 9005 --mode banner
    start_bg srv1 srv1-9006 "$PY" "$HERE/tcpserve.py" --port 9006 --mode source --bytes $((1024 * 1024))
    start_bg srv2 srv2-8080 "$PY" "$HERE/tcpserve.py" --port 8080 --mode reply
    start_bg srv2 srv2-8082 "$PY" "$HERE/tcpserve.py" --port 8082 --mode reply
    start_bg far far-9001 "$PY" "$HERE/tcpsrv.py" --port 9001 --mode slow --pause 0
    local f
    for f in srv1-8001 srv1-9002 srv1-9003 srv1-9004 srv1-9005 srv1-9006 srv2-8080 srv2-8082 far-9001; do
        wait_for_line "$WORK/$f.log" '^ready' 10
    done

    # TLS: a certificate each for the names the servers know (made here, thrown away on exit)
    local name
    for name in srv good other; do
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
            -subj "/CN=$name.example.test" -keyout "$WORK/$name.key" -out "$WORK/$name.pem" 2>/dev/null
    done
    # srv1:4433 speaks TLS 1.3 only: a TLS 1.2 client gets a fatal protocol_version
    start_bg srv1 tls-4433 openssl s_server -quiet -accept 4433 -cert "$WORK/srv.pem" -key "$WORK/srv.key" -tls1_3
    # srv1:4434 knows good.example.test only, and refuses any other name with a fatal unrecognized_name
    start_bg srv1 tls-4434 openssl s_server -quiet -accept 4434 -cert "$WORK/other.pem" -key "$WORK/other.key" \
        -servername good.example.test -cert2 "$WORK/good.pem" -key2 "$WORK/good.key" -servername_fatal
    # srv2:443 accepts everything; the router's SNI filter stands in front of it
    start_bg srv2 tls-443 openssl s_server -quiet -accept 443 -cert "$WORK/srv.pem" -key "$WORK/srv.key"
    local spec i
    for spec in srv1:4433 srv1:4434 srv2:443; do
        for i in $(seq 50); do
            nsx "${spec%%:*}" ss -ltn | grep -q ":${spec#*:} " && break
            sleep 0.1
        done
        nsx "${spec%%:*}" ss -ltn | grep -q ":${spec#*:} " || die "s_server on $spec is not listening"
    done

    # preflight (not captured): the new paths work and the neighbour caches are warm
    # (the far host's own addresses are not touched: their path MTU must not be learnt before)
    tls 198.51.100.10 4433 --sni srv.example.test --expect ok
    tls 198.51.100.20 443 --sni ok.example.test --expect ok
    nsx client ping -q -c 1 -W 2 203.0.113.129 >/dev/null
    nsx client ping -q -c 1 -W 2 2001:db8:f::1 >/dev/null
    marker
    sleep 0.5
}

do_() { nsx client "$PY" "$HERE/tcpdo.py" "$@" >>"$WORK/clients.log"; }
tls() { nsx client "$PY" "$HERE/tlscli.py" "$@" >>"$WORK/clients.log"; }

# ---------------------------------------------------------------- capture
# capture NAME SNAPLEN FUNCTION: tcpdump on the tap's bridge while FUNCTION runs the traffic,
# then the marker (an answered ARP request) that makes the waits visible to a replay. As in
# make-scenarios.sh; snaplen 0 keeps whole frames (the TLS scenarios: every record for tshark).
capture() {
    local name=$1 snap=$2 fn=$3 pid rc=0
    if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then return; fi
    log "scenario $name"
    if [ ${#LIVE[@]} -gt 0 ]; then
        "$fn"
        marker
        SCENARIOS+=("$name")
        return
    fi
    start_bg tap "tcpdump-$name" tcpdump -i br0 -s "$snap" -U --immediate-mode -n -Z root -w "$WORK/$name.pcap"
    pid=$LAST_PID
    wait_for_line "$WORK/tcpdump-$name.log" 'listening on br0' 10
    sleep 0.2
    "$fn"
    marker
    sleep 0.3
    stop_pid "$pid" INT || rc=$?
    forget_pid "$pid"
    [ $rc = 0 ] || die "tcpdump for $name failed (exit $rc): $(cat "$WORK/tcpdump-$name.log")"
    SCENARIOS+=("$name")
}

parallel() {   # parallel CMD ARGS... -- CMD ARGS... [-- ...]: run them at once, fail if one fails
    local cmd=() pids=() x pid rc=0
    for x in "$@" --; do
        if [ "$x" = "--" ]; then "${cmd[@]}" & pids+=($!); cmd=(); else cmd+=("$x"); fi
    done
    for pid in "${pids[@]}"; do wait "$pid" || rc=$?; done
    [ $rc = 0 ] || die "a parallel client failed (exit $rc); see $WORK/clients.log"
}

# ---------------------------------------------------------------- scenarios
GET_BLOCKED='GET / HTTP/1.1\r\nHost: blocked.example.test\r\n\r\n'
GET_OK='GET / HTTP/1.1\r\nHost: ok.example.test\r\n\r\n'

sc_server_overloaded() {
    # srv1:8001 listens with a backlog of 4 and never accepts. 4 clients connect one after the
    # other: they sit in the accept queue (their request is acknowledged, never answered), which
    # is one short of full (Linux: full when it holds more than the backlog). Then a burst of 6
    # whose final ACKs come ~200 ms late (TCP_DEFER_ACCEPT on the clients: the round trip of a
    # real network; here it is ~0.1 ms): 4 of the SYNs fit the SYN queue (its limit is the
    # backlog too), 2 get SYN cookies. The first ACK makes the 5th child: the queue is full. For
    # the other 3 the kernel drops the final ACK and the request and retransmits its SYN/ACK
    # (tcp_synack_retries=2: ~1 s, ~3 s), then forgets them and resets their retransmitted
    # request; the cookies' ACKs are dropped. A later SYN is dropped (the accept queue is full)
    # and retransmitted until the client gives up. srv1:80 works meanwhile.
    local i pids=() rc=0
    for i in 1 2 3 4; do
        do_ "$SRV1" 8001 --request "$GET_OK" --timeout 11 --expect stalled & pids+=($!)
        sleep 0.2
    done
    sleep 0.3
    parallel do_ "$SRV1" 8001 --burst 6 --defer-ack 0.3 --request "$GET_OK" --timeout 10 \
            --expect 'stalled|reset|timeout' -- \
        sh -c "sleep 0.5; exec ip netns exec ${P}client $PY $HERE/tcpdo.py $SRV1 8001 --timeout 10 --expect timeout" -- \
        cli "$SRV1" 80 --expect ok --count 3
    for i in "${pids[@]}"; do wait "$i" || rc=$?; done
    [ $rc = 0 ] || die "the queued clients of srv1:8001 did not stall (exit $rc)"
    sleep 1
}
sc_routing_loop() {
    # the SYN circles rtr -> rtr2 -> rtr until its TTL / hop limit runs out at rtr2, which
    # answers ICMP time exceeded; the client's connect fails at once (EHOSTUNREACH)
    parallel do_ "$LOOP" 80 --expect unreachable -- do_ "$LOOP6" 80 --expect unreachable
    sleep 4
}
sc_parameter_problem() {
    # IPv4: a full timestamp option whose overflow counter is 14; rtr counts one more hop (15),
    # rtr2 cannot and answers parameter problem, pointer 23 (the overflow byte)
    # IPv6: a hop-by-hop option of unknown type 0x9e (action 10: discard and report); rtr answers
    # parameter problem code 2 (unrecognized option), pointer 42
    parallel do_ "$FAR" 9001 --ip-options 440809e000000000 --expect unreachable -- \
        do_ "$FAR6" 9001 --hopopts 00009e0400000000 --expect unreachable
    sleep 4
}
sc_content_filter_http() {
    # the router resets the request for blocked.example.test right after the client sends it;
    # the same request for ok.example.test is answered
    do_ "$SRV2" 8080 --request "$GET_OK" --expect ok
    do_ "$SRV2" 8080 --request "$GET_BLOCKED" --expect reset
    sleep 0.5
}
sc_tls_protocol_version() {
    tls "$SRV1" 4433 --sni srv.example.test --expect ok
    tls "$SRV1" 4433 --sni srv.example.test --max-tls12 --expect alert:protocol_version
    sleep 0.5
}
sc_tls_unrecognized_name() {
    tls "$SRV1" 4434 --sni good.example.test --expect ok
    tls "$SRV1" 4434 --sni unknown.example.test --expect alert:unrecognized_name
    sleep 0.5
}
sc_tls_sni_filter() {
    tls "$SRV2" 443 --sni ok.example.test --expect ok
    tls "$SRV2" 443 --sni blocked.example.test --expect reset
    sleep 0.5
}
sc_mtu_icmp() {
    # a 300-byte request, then 64 KB: the first full-size segments do not fit the 1400-byte
    # link; rtr answers fragmentation needed (next-hop MTU 1400) / packet too big, the client
    # sends smaller segments and the upload completes
    parallel do_ "$FAR" 9001 --request "$GET_OK" --pause 0.3 --send 65536 --expect ok -- \
        do_ "$FAR6" 9001 --request "$GET_OK" --pause 0.3 --send 65536 --expect ok
    sleep 0.3
}
sc_mtu_blackhole() {
    # the same with the router's ICMP errors dropped: the 300-byte request is acknowledged, the
    # full-size segments are retransmitted and never acknowledged; the client gives up after 6 s
    # (and resets the connection, so nothing is retransmitted after the capture)
    nsx rtr nft -f - <<'EOF'
table inet tdshole {
    chain output_filter {
        type filter hook output priority 0; policy accept;
        icmp type destination-unreachable icmp code frag-needed drop
        icmpv6 type packet-too-big drop
    }
}
EOF
    parallel do_ "$FAR_HOLE" 9001 --request "$GET_OK" --pause 0.3 --send 65536 --timeout 6 --expect stalled -- \
        do_ "$FAR6_HOLE" 9001 --request "$GET_OK" --pause 0.3 --send 65536 --timeout 6 --expect stalled
    nsx rtr nft delete table inet tdshole
    sleep 0.3
}
sc_slow_connect() {
    # the first SYN to srv2:8082 is lost beyond the tap: the handshake completes after the
    # client's retransmission, ~1 s late; srv2:80 answers the first SYN
    cli "$SRV2" 80 --expect ok
    do_ "$SRV2" 8082 --request 'hello\n' --expect ok
    sleep 0.3
}
sc_dns_aaaa_noanswer() {
    # glibc's resolver asks A and AAAA at once; the A answer comes, the AAAA never does: the
    # client waits out timeout:2 attempts:2 before getaddrinfo returns the A address
    printf 'nameserver 198.51.100.53\noptions timeout:2 attempts:2\n' >"$WORK/resolv.conf"
    nsx client unshare -m sh -c "mount --bind '$WORK/resolv.conf' /etc/resolv.conf && getent ahosts ok.example.test" \
        >"$WORK/getent.log" 2>&1 || die "getent ahosts failed: $(cat "$WORK/getent.log")"
    grep -q '198.51.100.10' "$WORK/getent.log" || die "getent did not return the A address: $(cat "$WORK/getent.log")"
    sleep 6
}
sc_zero_window_rst() {
    # srv1:9002 has a 4 KB receive buffer and never reads; after 3 s it closes with the data
    # unread, which the kernel turns into a RST; the client had sent data all along
    do_ "$SRV1" 9002 --send $((1024 * 1024)) --expect reset
    sleep 0.3
}
sc_healthy_keepalive() {
    # a request, its reply, then 4 s idle with a keep-alive probe every second, then FIN
    do_ "$SRV1" 9003 --request 'ping\n' --keepalive 4 --expect ok
    sleep 0.3
}
sc_healthy_abortive() {
    # the client resets after the reply; srv1:9004 resets after its reply
    do_ "$SRV1" 9003 --request 'ping\n' --abort --expect ok
    do_ "$SRV1" 9004 --request 'ping\n' --expect 'ok|reset'
    sleep 0.5
}
sc_healthy_timewait_reuse() {
    # srv1:9005 closes first and keeps the TIME_WAIT; the client connects again at once from the
    # same port: the same 4-tuple, a new ISN, accepted
    do_ "$SRV1" 9005 --bind-port $REUSE_PORT --expect ok
    do_ "$SRV1" 9005 --bind-port $REUSE_PORT --expect ok
    sleep 0.3
}
sc_healthy_echo_blocked() {
    # pings to srv1 are dropped by the router (no ICMP back), TCP to srv1 works
    nsx client ping -q -c 3 -i 0.5 -W 1 "$SRV1" >/dev/null 2>&1 && die "ping to srv1 was answered"
    cli "$SRV1" 80 --expect ok --count 2
    sleep 0.3
}
sc_healthy_download() {
    do_ "$SRV1" 9006 --request 'get\n' --min-bytes $((1024 * 1024)) --expect ok
    sleep 0.3
}
sc_healthy_tcp_traceroute() {
    # a TCP traceroute toward srv1:80 (hping3 -T: SYNs with TTL 1, then 2 until the target
    # answers, each from its own port; -n: no reverse lookups): the first dies at rtr (time
    # exceeded), the next ones reach srv1, whose SYN/ACK the client's kernel resets (hping3 owns no
    # socket). Probes, not failures: nothing must be reported
    nsx client timeout 20 hping3 -n -q -S -p 80 -T -c 3 -i 1 198.51.100.10 >"$WORK/hping3-tr.log" 2>&1 || true
    grep -q 'hop=1' "$WORK/hping3-tr.log" || die "hping3 traceroute printed no hop 1: $(cat "$WORK/hping3-tr.log")"
    sleep 4
}
sc_port_scan_filtered() {
    # 20 ports of a host the router filters entirely, all at once; SYNs at ~0, 1, 3 s each
    local args=() p
    for p in $(seq 2001 2020); do args+=(do_ "$SCANNED" "$p" --timeout 10 --expect timeout --); done
    parallel "${args[@]}"
    sleep 1.5
}

# ---------------------------------------------------------------- main
check_prereqs
for f in tcpserve.py tcpdo.py tlscli.py checkmisread.py; do
    [ -r "$HERE/$f" ] || die "missing helper $HERE/$f"
done
if [ "$OUTDIR" = "--check" ]; then
    echo "make-misread: all prerequisites present" >&2
    exit 0
fi
PY=$(python3 -c 'import sys; print(sys.executable)')
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d /tmp/tapdoctor-misread.XXXXXX)
SCENARIOS=()

log "building topology (namespaces ${P}*)"
build_topology
build_misread
start_services
start_misread_services
if [ ${#LIVE[@]} -gt 0 ]; then
    live_start "$OUTDIR" "${LIVE[@]}"
    # The box is plugged in before the fault happens: the first scenario starts after the service's
    # first second (a cold JVM's capture threads came round late then: CI once saw the routing
    # loop's SYN merged after its ICMP error, the first frames of the run).
    sleep 2
    ( for i in $(seq 25); do
          nsx client timeout 20 "$PY" "$HERE/tcpcli.py" 198.51.100.10 80 --expect ok --count 10 || exit 1
          sleep 2
      done ) &
    HEALTHY_PID=$!
    PIDS+=("$HEALTHY_PID")
fi

capture server_overloaded 256 sc_server_overloaded
capture routing_loop 256 sc_routing_loop
capture parameter_problem 256 sc_parameter_problem
capture content_filter_http 256 sc_content_filter_http
capture tls_protocol_version 0 sc_tls_protocol_version
capture tls_unrecognized_name 0 sc_tls_unrecognized_name
capture tls_sni_filter 0 sc_tls_sni_filter
capture mtu_icmp 256 sc_mtu_icmp
capture mtu_blackhole 256 sc_mtu_blackhole
capture slow_connect 256 sc_slow_connect
capture dns_aaaa_noanswer 256 sc_dns_aaaa_noanswer
capture zero_window_rst 96 sc_zero_window_rst
capture healthy_keepalive 256 sc_healthy_keepalive
capture healthy_abortive 256 sc_healthy_abortive
capture healthy_timewait_reuse 256 sc_healthy_timewait_reuse
capture healthy_echo_blocked 256 sc_healthy_echo_blocked
capture healthy_download 96 sc_healthy_download
capture healthy_tcp_traceroute 256 sc_healthy_tcp_traceroute
capture port_scan_filtered 256 sc_port_scan_filtered

if [ ${#LIVE[@]} -gt 0 ]; then
    log "waiting for the healthy connections and the last timeouts"
    wait "$HEALTHY_PID" || die "healthy connections alongside the faults failed"
    forget_pid "$HEALTHY_PID"
    sleep 6
    live_stop "$OUTDIR"
    cp "$WORK/clients.log" "$OUTDIR/clients.log"
    log "done: ${#SCENARIOS[@]} scenarios live, service output in $OUTDIR/live.out"
    exit 0
fi

log "checking captures"
failed=0
for name in "${SCENARIOS[@]}"; do
    "$PY" "$HERE/checkmisread.py" "$name" "$WORK/$name.pcap" || failed=1
done
if [ $failed != 0 ]; then
    mkdir -p "$OUTDIR/failed"
    for name in "${SCENARIOS[@]}"; do cp "$WORK/$name.pcap" "$OUTDIR/failed/"; done
    cp "$WORK/clients.log" "$OUTDIR/failed/"
    die "some captures do not contain what their scenario needs (all kept in $OUTDIR/failed/)"
fi
for name in "${SCENARIOS[@]}"; do
    cp "$WORK/$name.pcap" "$OUTDIR/$name.pcap"
done
log "done: ${#SCENARIOS[@]} captures in $OUTDIR"
