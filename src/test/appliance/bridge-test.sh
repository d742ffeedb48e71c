#!/usr/bin/env bash
# bridge-test.sh [--check] - the appliance's bridge settings, read from systemd/network/*, applied
# to a namespace topology, and traffic through it captured. Run by BridgeConfigIT as root.
#
#   client 192.0.2.1  --veth--  [tapA  br0  tapB]  --veth--  server 192.0.2.2
#
# In the tap namespace br0 gets what 20-tapdoctor-br0.netdev asks (STP, GroupForwardMask,
# multicast snooping), the ports what 20-tapdoctor-tap?.network ask (Learning, no address) and
# the offloads what 10-tapdoctor-tap?.link ask (GRO/GSO/TSO/LRO), through ip, bridge and ethtool
# (systemd-networkd is not running in a namespace). Then it checks the kernel took each setting,
# that br0 and its ports carry no address, that a TCP connection from client to server works
# and that tcpdump on tapA sees its SYN and SYN/ACK. Documentation addresses only.
set -euo pipefail
cd "$(dirname "$0")/../../.."
NET=systemd/network

if [ "${1:-}" = --check ]; then
    missing=""
    for tool in ip bridge ethtool tcpdump python3; do
        command -v "$tool" >/dev/null || missing="$missing $tool"
    done
    [ -z "$missing" ] || { echo "missing:$missing (packages iproute2, ethtool, tcpdump, python3)"; exit 1; }
    exit 0
fi

setting() { # file key: the value of 'key=' in a systemd ini file (last one wins)
    sed -n "s/^$2=//p" "$1" | tail -1
}
bool() { case "$1" in yes|true|on|1) echo 1 ;; no|false|off|0) echo 0 ;; *) echo "bad boolean '$1'" >&2; exit 1 ;; esac; }
on_off() { [ "$(bool "$1")" = 1 ] && echo on || echo off; }

stp=$(bool "$(setting $NET/20-tapdoctor-br0.netdev STP)")
mask=$(setting $NET/20-tapdoctor-br0.netdev GroupForwardMask)
snooping=$(bool "$(setting $NET/20-tapdoctor-br0.netdev MulticastSnooping)")
echo "br0 from 20-tapdoctor-br0.netdev: stp_state $stp group_fwd_mask $mask mcast_snooping $snooping"
[ "$stp" = 0 ] && [ "$mask" = 0x4008 ] || { echo "unexpected br0 settings"; exit 1; }

suffix=$$
C=tdbc$suffix T=tdbt$suffix S=tdbs$suffix
out=$(mktemp -d)
cleanup() {
    for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
    ip netns del "$C" 2>/dev/null || true
    ip netns del "$T" 2>/dev/null || true
    ip netns del "$S" 2>/dev/null || true
    rm -rf "$out"
}
trap cleanup EXIT
for ns in $C $T $S; do ip netns add "$ns"; ip -n "$ns" link set lo up; done

ip link add c0 netns "$C" type veth peer name tapA netns "$T"
ip link add s0 netns "$S" type veth peer name tapB netns "$T"
ip -n "$T" link add br0 type bridge stp_state "$stp" group_fwd_mask "$mask" mcast_snooping "$snooping"
for side in A B; do
    port=tap$side
    link=$NET/10-tapdoctor-$port.link
    network=$NET/20-tapdoctor-$port.network
    [ "$(setting "$network" Bridge)" = br0 ] || { echo "$network: not a port of br0"; exit 1; }
    learning=$(on_off "$(setting "$network" Learning)")
    ip -n "$T" link set "$port" master br0
    ip netns exec "$T" bridge link set dev "$port" learning "$learning"
    # As tapdoctor-offloads@.service does: -K is allowed to fail for features the driver fixes.
    ip netns exec "$T" ethtool -K "$port" \
        gro "$(on_off "$(setting "$link" GenericReceiveOffload)")" \
        gso "$(on_off "$(setting "$link" GenericSegmentationOffload)")" \
        tso "$(on_off "$(setting "$link" TCPSegmentationOffload)")" \
        lro "$(on_off "$(setting "$link" LargeReceiveOffload)")" 2>&1 || true
    # LinkLocalAddressing=no: networkd sets addr_gen_mode none, so no fe80:: address appears.
    [ "$(setting "$network" LinkLocalAddressing)" = no ] || { echo "$network: link-local addressing on"; exit 1; }
    ip -n "$T" link set "$port" addrgenmode none
    ip -n "$T" link set "$port" up
done
[ "$(setting $NET/20-tapdoctor-br0.network LinkLocalAddressing)" = no ] || { echo "br0.network: link-local addressing on"; exit 1; }
ip -n "$T" link set br0 addrgenmode none
ip -n "$T" link set br0 up
ip -n "$C" addr add 192.0.2.1/24 dev c0
ip -n "$S" addr add 192.0.2.2/24 dev s0
ip -n "$C" link set c0 up
ip -n "$S" link set s0 up

echo "--- what the kernel took"
details=$(ip -n "$T" -d link show br0)
echo "$details" | grep -o 'stp_state [0-9]*\|group_fwd_mask 0x[0-9a-f]*\|mcast_snooping [0-9]*'
echo "$details" | grep -q "stp_state 0" || { echo "STP is on"; exit 1; }
echo "$details" | grep -q "group_fwd_mask 0x4008" || { echo "group_fwd_mask is not 0x4008"; exit 1; }
for port in tapA tapB; do
    ip netns exec "$T" bridge -d link show dev "$port" | grep -q "learning off" \
        || { echo "$port: learning is on"; ip netns exec "$T" bridge -d link show dev "$port"; exit 1; }
    features=$(ip netns exec "$T" ethtool -k "$port")
    for feature in generic-receive-offload generic-segmentation-offload tcp-segmentation-offload large-receive-offload; do
        echo "$features" | grep -q "^$feature: off" \
            || { echo "$port: $feature is not off: $(echo "$features" | grep "^$feature")"; exit 1; }
    done
    echo "$port: learning off, gro gso tso lro off"
done
sleep 2 # IPv6 would have configured a link-local address by now
if ip -n "$T" addr show | grep -v ' lo$' | grep -q 'inet.* scope global\|inet6 fe80'; then
    echo "the tap has an address on the in-line path:"; ip -n "$T" addr show; exit 1
fi
echo "tap namespace: no IPv4 or IPv6 address on br0, tapA or tapB"

echo "--- traffic through the bridge, captured on tapA"
ip netns exec "$T" tcpdump -Z root --immediate-mode -i tapA -nn -U -w "$out/tapA.pcap" 'tcp port 8080' 2>"$out/tcpdump.err" &
for _ in $(seq 50); do grep -q "listening on" "$out/tcpdump.err" && break; sleep 0.1; done
ip netns exec "$S" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.2", 8080)); s.listen(1); s.settimeout(20)
c, _ = s.accept(); c.sendall(c.recv(100).upper()); c.close()' &
server=$!
sleep 0.5
reply=$(ip netns exec "$C" python3 -c '
import socket
s = socket.create_connection(("192.0.2.2", 8080), timeout=10)
s.sendall(b"through the tap"); print(s.recv(100).decode()); s.close()')
wait "$server"
echo "client got: $reply"
[ "$reply" = "THROUGH THE TAP" ] || { echo "no reply through the bridge"; exit 1; }
sleep 1.5 # libpcap hands packets over in blocks: let the last one out before stopping tcpdump
kill %1 2>/dev/null || true; wait %1 2>/dev/null || true
cat "$out/tcpdump.err"
decoded=$(tcpdump -r "$out/tapA.pcap" -nn 2>&1) || { echo "$decoded"; cat "$out/tcpdump.err"; exit 1; }
echo "$decoded" | head -4
echo "$decoded" | grep -q '192.0.2.1\.[0-9]* > 192.0.2.2\.8080: Flags \[S\]' || { echo "no SYN captured on tapA"; exit 1; }
echo "$decoded" | grep -q '192.0.2.2\.8080 > 192.0.2.1\.[0-9]*: Flags \[S\.\]' || { echo "no SYN/ACK captured on tapA"; exit 1; }
echo "bridge ok: SYN and SYN/ACK captured on tapA"
