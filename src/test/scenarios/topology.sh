#!/usr/bin/env bash
# topology.sh: sourced (not run) by make-scenarios.sh, live-link.sh, live-load.sh and
# src/bench/live-rate.sh. Builds the tapdoctor appliance topology in network namespaces:
#   client --- tap(br0: tapA | tapB) --- switch(swbr) --- router --- servers (sbr)
# (see README.md next to this file), and provides the helpers: nsx, start_bg, stop_pid,
# forget_pid, wait_for_line, cli, dnsq, marker, log, die.
#
# Before sourcing, the caller sets HERE (this directory) and may set TD_NAME (the prefix of
# its messages, default make-scenarios) and TD_EXTRA_TOOLS (more "command:package" pairs
# that check_prereqs requires). Sourcing installs the EXIT trap that stops every process in
# PIDS by PID and deletes every namespace in NSS, even on failure.
: "${HERE:?set HERE before sourcing topology.sh}"
TD_NAME=${TD_NAME:-make-scenarios}
TD_EXTRA_TOOLS=${TD_EXTRA_TOOLS:-}
P="tds$$-"            # namespace prefix, unique per run
NSS=()                # namespaces created (deleted on exit)
PIDS=()               # background processes started (stopped by PID on exit)
WORK=""
T0=${EPOCHREALTIME/./}

elapsed() { local us=$(( ${EPOCHREALTIME/./} - T0 )); printf '%d.%01d' $((us / 1000000)) $((us / 100000 % 10)); }
log() { printf '[%s %6ss] %s\n' "$TD_NAME" "$(elapsed)" "$*" >&2; }
die() { echo "$TD_NAME: ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
check_prereqs() {
    local missing=() c pkg
    [ "$(id -u)" = 0 ] || die "must run as root (network namespaces, nft, tcpdump)"
    for c in ip:iproute2 ss:iproute2 nft:nftables tcpdump:tcpdump tshark:tshark \
             python3:python3 arping:iputils-arping dnsmasq:dnsmasq-base \
             sysctl:procps $TD_EXTRA_TOOLS; do
        pkg=${c#*:}; c=${c%%:*}
        command -v "$c" >/dev/null 2>&1 || missing+=("$c (package $pkg)")
    done
    if command -v arping >/dev/null 2>&1 && ! arping -V 2>&1 | grep -q iputils; then
        missing+=("arping from iputils (package iputils-arping; another arping is installed)")
    fi
    if command -v python3 >/dev/null 2>&1 && \
       ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 8))' 2>/dev/null; then
        missing+=("python3 >= 3.8")
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        printf '%s: missing prerequisites:\n' "$TD_NAME" >&2
        printf '  - %s\n' "${missing[@]}" >&2
        exit 1
    fi
    local f
    for f in tcpsrv.py tcpcli.py dnsq.py garp.py checkpcap.py; do
        [ -r "$HERE/$f" ] || die "missing helper $HERE/$f"
    done
}

# ---------------------------------------------------------------- cleanup
stop_pid() {   # stop_pid PID [SIGNAL]: signal one process we started, wait at most ~5 s;
               # returns its exit status (137 if it had to be killed)
    local pid=$1 sig=${2:-TERM} i rc=0
    kill -s "$sig" "$pid" 2>/dev/null || return 0
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "$TD_NAME: PID $pid ignored SIG$sig, killing it" >&2
        kill -s KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || rc=$?
    return $rc
}

cleanup() {
    local rc=$? pid ns
    set +e
    trap - ERR
    for pid in "${PIDS[@]}"; do stop_pid "$pid" TERM; done
    PIDS=()
    for ns in "${NSS[@]}"; do ip netns del "$ns" 2>/dev/null; done
    [ -n "$WORK" ] && rm -rf "$WORK"
    if [ $rc -ne 0 ]; then echo "$TD_NAME: FAILED (exit $rc)" >&2; fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'echo "$TD_NAME: command failed: $BASH_COMMAND (in ${FUNCNAME[*]:-main})" >&2' ERR

# ---------------------------------------------------------------- helpers
nsx() { local ns=$1; shift; ip netns exec "$P$ns" "$@"; }

mkns() {
    ip netns add "$P$1"
    NSS+=("$P$1")
    nsx "$1" ip link set lo up
}

# veth NS1 IF1 MAC1 NS2 IF2 MAC2: a veth pair created directly inside both namespaces
veth() {
    ip link add "$2" netns "$P$1" address "$3" type veth \
        peer name "$5" netns "$P$4" address "$6"
}

# Stop the kernel from building TSO/GSO super-segments on a host interface, so the capture
# shows wire-sized segments as a real tap would.
# (Changing it needs Linux >= 5.19; older kernels keep GSO, which changes no diagnosis.)
wire_segments() {
    nsx "$1" ip link set dev "$2" gso_max_segs 1 2>/dev/null ||
        echo "$TD_NAME: note: cannot set gso_max_segs on $1/$2, captures may hold GSO frames" >&2
}

wait_for_line() {   # wait_for_line FILE REGEX SECONDS
    local i
    for i in $(seq $(( $3 * 10 ))); do
        grep -qE "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "--- $1:" >&2; cat "$1" >&2 || true
    die "timed out waiting for /$2/ in $1"
}

forget_pid() {   # forget_pid PID: a process we stopped ourselves
    local keep=() p
    for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

start_bg() {   # start_bg NS LOGNAME CMD...: run CMD in namespace NS in the background
    local ns=$1 name=$2; shift 2
    # a simple command (not a shell function) so that $! is the process itself:
    # ip netns exec execs the program in the same process
    ip netns exec "$P$ns" "$@" >"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
    LAST_PID=$!
}

PY=python3   # resolved to the interpreter's real path after the prerequisite check
cli() { nsx client "$PY" "$HERE/tcpcli.py" "$@"; }
dnsq() { nsx client "$PY" "$HERE/dnsq.py" "$@"; }
# refused_every N BASE: N refused connections from the client to 198.51.100.10, ports BASE+1..,
# 1.2 s apart, each a new problem (the live benchmarks' deciding frames)
refused_every() {
    local i
    for i in $(seq 1 "$1"); do
        nsx client timeout 10 "$PY" "$HERE/tcpcli.py" 198.51.100.10 $(( $2 + i )) --expect refused >/dev/null 2>&1 || true
        sleep 1.2
    done
}

# ---------------------------------------------------------------- topology
build_topology() {
    local n
    for n in client tap sw rtr srv1 srv2 dns dnsdead dupa dupb; do mkns "$n"; done

    # No IPv6 at all where it is not needed (tap and switch are pure layer 2): less noise.
    for n in tap sw dupa dupb dns dnsdead; do
        nsx "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    done
    # IPv6 hosts: no DAD delay, no router solicitations / advertisements.
    for n in client rtr srv1 srv2; do
        nsx "$n" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
            net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.default.accept_ra=0
    done

    # client -- tap(br0: tapA | tapB) -- switch(swbr) -- router
    veth client eth0  02:00:00:00:00:10  tap tapA  02:00:00:00:aa:01
    veth tap    tapB  02:00:00:00:aa:02  sw  swtap 02:00:00:00:bb:01   # as tapB_create
    veth sw     swrtr 02:00:00:00:bb:02  rtr lan0  02:00:00:00:00:01
    veth sw     swdupa 02:00:00:00:bb:03 dupa eth0 02:00:00:00:00:50
    veth sw     swdupb 02:00:00:00:bb:04 dupb eth0 02:00:00:00:00:51
    # router -- server LAN bridge sbr (in the router namespace) -- servers
    veth rtr ps1  02:00:00:00:cc:01 srv1    eth0 02:00:00:00:01:10
    veth rtr ps2  02:00:00:00:cc:02 srv2    eth0 02:00:00:00:01:20
    veth rtr pdns 02:00:00:00:cc:03 dns     eth0 02:00:00:00:01:53
    veth rtr pdd  02:00:00:00:cc:04 dnsdead eth0 02:00:00:00:01:54

    # the tap: bridge over its two ports, STP off, no address anywhere
    nsx tap ip link add br0 address 02:00:00:00:aa:00 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
    nsx tap ip link set tapA master br0
    nsx tap ip link set tapB master br0
    for n in tapA tapB br0; do nsx tap ip link set "$n" up; done

    nsx sw ip link add swbr address 02:00:00:00:bb:00 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
    for n in swtap swrtr swdupa swdupb; do nsx sw ip link set "$n" master swbr; nsx sw ip link set "$n" up; done
    nsx sw ip link set swbr up

    nsx rtr ip link add sbr address 02:00:00:00:01:01 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
    for n in ps1 ps2 pdns pdd; do nsx rtr ip link set "$n" master sbr; nsx rtr ip link set "$n" up; done
    nsx rtr ip link set sbr up
    nsx rtr ip link set lan0 up
    nsx rtr ip addr add 192.0.2.1/24 dev lan0
    nsx rtr ip addr add 2001:db8:a::1/64 dev lan0 nodad
    nsx rtr ip addr add 198.51.100.1/24 dev sbr
    nsx rtr ip addr add 2001:db8:b::1/64 dev sbr nodad
    nsx rtr sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    wire_segments rtr lan0; wire_segments rtr sbr

    nsx client ip link set eth0 up
    nsx client ip addr add 192.0.2.10/24 dev eth0
    nsx client ip addr add 2001:db8:a::10/64 dev eth0 nodad
    nsx client ip route add default via 192.0.2.1
    nsx client ip -6 route add default via 2001:db8:a::1
    # the client gives up quickly: SYNs at ~0, 1, 3 s, ETIMEDOUT at ~7 s (IPv6 shares it);
    # 3 broadcast ARP requests for an unresolved neighbour (the kernel default, made explicit)
    nsx client sysctl -qw net.ipv4.tcp_syn_retries=2 net.ipv4.neigh.eth0.mcast_solicit=3 \
        net.ipv4.neigh.eth0.app_solicit=0
    # Linux >= 6.5 retransmits the first SYNs at linear 1 s intervals
    # (tcp_syn_linear_timeouts, default 4): turn that off for the classic 0, 1, 3 s pattern
    if [ -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts ]; then
        nsx client sysctl -qw net.ipv4.tcp_syn_linear_timeouts=0
    fi
    wire_segments client eth0

    local spec ns a4 a6
    for spec in srv1:198.51.100.10:2001:db8:b::10 srv2:198.51.100.20:2001:db8:b::20 \
                dns:198.51.100.53: dnsdead:198.51.100.54:; do
        ns=${spec%%:*}; spec=${spec#*:}; a4=${spec%%:*}; a6=${spec#*:}
        nsx "$ns" ip link set eth0 up
        nsx "$ns" ip addr add "$a4/24" dev eth0
        nsx "$ns" ip route add default via 198.51.100.1
        if [ -n "$a6" ]; then
            nsx "$ns" ip addr add "$a6/64" dev eth0 nodad
            nsx "$ns" ip -6 route add default via 2001:db8:b::1
        fi
        wire_segments "$ns" eth0
    done
    # srv1 retransmits an unacknowledged SYN/ACK twice (at ~1 and ~3 s), then gives up
    nsx srv1 sysctl -qw net.ipv4.tcp_synack_retries=2

    # two hosts on the client LAN with the same address (IP conflict); dupa also owns .60
    for n in dupa dupb; do
        nsx "$n" ip link set eth0 up
        nsx "$n" ip addr add 192.0.2.50/24 dev eth0
    done
    nsx dupa ip addr add 192.0.2.60/24 dev eth0

    # router firewall: silent drop, middlebox RST, admin-prohibited
    nsx rtr nft -f - <<'EOF'
table inet tds {
    chain forward_filter {
        type filter hook forward priority 0; policy accept;
        ip daddr 198.51.100.20 tcp dport 81 drop
        ip6 daddr 2001:db8:b::20 tcp dport 81 drop
        ip daddr 198.51.100.10 tcp dport 85 reject with tcp reset
        ip daddr 198.51.100.20 tcp dport 83 reject with icmpx type admin-prohibited
    }
}
EOF
    # the dead DNS server drops DNS silently (no ICMP port unreachable)
    nsx dnsdead nft -f - <<'EOF'
table inet tds {
    chain input_filter {
        type filter hook input priority 0; policy accept;
        udp dport 53 drop
        tcp dport 53 drop
    }
}
EOF
}

start_services() {
    # srv1: 80, 8080 echo; 8443 accept-then-RST; 9000 slow reader (small receive buffer)
    start_bg srv1 srv1-80 "$PY" "$HERE/tcpsrv.py" --port 80 --mode echo
    start_bg srv1 srv1-8080 "$PY" "$HERE/tcpsrv.py" --port 8080 --mode echo
    start_bg srv1 srv1-8443 "$PY" "$HERE/tcpsrv.py" --port 8443 --mode rst
    start_bg srv1 srv1-9000 "$PY" "$HERE/tcpsrv.py" --port 9000 --mode slow --rcvbuf 4096 --pause 4
    start_bg srv2 srv2-80 "$PY" "$HERE/tcpsrv.py" --port 80 --mode echo
    start_bg dns dnsmasq dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file \
        --user=root --group=root --no-resolv --no-hosts --no-poll --bind-interfaces \
        --listen-address=198.51.100.53 --port=53 \
        --address=/ok.example.test/198.51.100.10 --local=/example.test/ --log-facility=-
    local f
    for f in srv1-80 srv1-8080 srv1-8443 srv1-9000 srv2-80; do
        wait_for_line "$WORK/$f.log" '^ready' 10
    done
    wait_for_line "$WORK/dnsmasq.log" 'started' 10
    local i
    for i in $(seq 50); do
        nsx dns ss -lun | grep -q '198.51.100.53:53 ' && break
        sleep 0.1
    done

    # preflight (not captured): the paths work and neighbour caches are warm
    cli 198.51.100.10 80 --expect ok
    cli 198.51.100.20 80 --expect ok
    cli 2001:db8:b::10 80 --expect ok
    cli 2001:db8:b::20 80 --expect ok
    dnsq 198.51.100.53 ok.example.test --expect NOERROR
    dnsq 198.51.100.53 missing.example.test --expect NXDOMAIN
    marker
    sleep 0.5
}

marker() { nsx client arping -c 1 -w 2 -I eth0 192.0.2.1 >/dev/null; }

# ---------------------------------------------------------------- the live service
wait_for_count() {   # wait_for_count FILE REGEX N SECONDS: until FILE has >= N lines matching
    local i n=0
    for i in $(seq $(( $4 * 10 ))); do
        n=$(grep -cE "$2" "$1" 2>/dev/null || true)
        [ "${n:-0}" -ge "$3" ] && return 0
        sleep 0.1
    done
    echo "--- $1:" >&2; tail -40 "$1" >&2 || true
    die "timed out waiting for $3 x /$2/ in $1 (saw ${n:-0})"
}

# live_start OUTDIR CMD...: runs CMD (the service) in the tap namespace, stdout to
# OUTDIR/live.out, stderr to OUTDIR/live.log; sets LIVE_PID; waits until both ports capture.
live_start() {
    local out=$1; shift
    log "starting the live service in the tap namespace: $*"
    ip netns exec "${P}tap" "$@" >"$out/live.out" 2>"$out/live.log" &
    LIVE_PID=$!
    PIDS+=("$LIVE_PID")
    wait_for_line "$out/live.log" 'capturing on tapA' 30
    wait_for_line "$out/live.log" 'capturing on tapB' 30
}

# live_stop OUTDIR: SIGTERM to the service; it must exit 0 or 143 (exit status in OUTDIR/live.rc)
live_stop() {
    local rc=0
    stop_pid "$LIVE_PID" TERM || rc=$?
    forget_pid "$LIVE_PID"
    echo "$rc" >"$1/live.rc"
    [ $rc = 0 ] || [ $rc = 143 ] || die "the live service exited with $rc: $(tail -5 "$1/live.log")"
    log "the live service stopped (exit $rc)"
}

# tapB_create: tapB's veth pair between the tap and the switch, attached to both bridges, up
tapB_create() {
    veth tap tapB 02:00:00:00:aa:02 sw swtap 02:00:00:00:bb:01
    nsx tap ip link set tapB master br0
    nsx sw ip link set swtap master swbr
    nsx tap ip link set tapB up
    nsx sw ip link set swtap up
}
