#!/usr/bin/env bash
# bridge-8021x-test.sh [--check] [MASK] - does a bridge configured as the appliance's let a client
# authenticate with 802.1X, and the switch's LLDP through? Run by Bridge8021xIT as root.
#
#   client: wpa_supplicant -Dwired  --veth--  [tapA  br0  tapB]  --veth--  switch: hostapd driver=wired
#                                                                                 (internal EAP server)
#                                                                          lldpd -l (LLDP every second)
#
# MASK: "appliance" (default) gives br0 the GroupForwardMask of systemd/network/20-tapdoctor-br0.netdev
# (and its STP and multicast snooping settings); a number (e.g. 0) gives br0 that mask instead,
# to show what a bridge that does not forward EAPOL and LLDP does. The script reports, and exits 0
# either way; the test judges:
#   802.1X: authenticated | 802.1X: not authenticated
#   LLDP: N frames crossed (system name sw-8021x-test) | LLDP: none crossed
# Daemon settings as in src/test/scenarios/make-site-scenarios.sh. Documentation addresses only;
# namespaces named per run and deleted; only the processes started here are stopped, by PID.
set -euo pipefail
cd "$(dirname "$0")/../../.."
NET=systemd/network

if [ "${1:-}" = --check ]; then
    missing=""
    for tool in ip bridge tcpdump hostapd wpa_supplicant lldpd; do
        command -v "$tool" >/dev/null || missing="$missing $tool"
    done
    [ -z "$missing" ] || { echo "missing:$missing (packages iproute2, tcpdump, hostapd, wpasupplicant, lldpd)"; exit 1; }
    exit 0
fi
want=${1:-appliance}

setting() { sed -n "s/^$2=//p" "$1" | tail -1; }
bool() { case "$1" in yes|true|on|1) echo 1 ;; no|false|off|0) echo 0 ;; *) echo "bad boolean '$1'" >&2; exit 1 ;; esac; }
stp=$(bool "$(setting $NET/20-tapdoctor-br0.netdev STP)")
snooping=$(bool "$(setting $NET/20-tapdoctor-br0.netdev MulticastSnooping)")
mask=$(setting $NET/20-tapdoctor-br0.netdev GroupForwardMask)
[ "$want" = appliance ] || mask=$want
[ -n "$mask" ] || { echo "no GroupForwardMask in 20-tapdoctor-br0.netdev"; exit 1; }
echo "br0: stp_state $stp group_fwd_mask $mask mcast_snooping $snooping ($want)"

suffix=$$
C=td8c$suffix T=td8t$suffix S=td8s$suffix
out=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    ip netns del "$C" 2>/dev/null || true
    ip netns del "$T" 2>/dev/null || true
    ip netns del "$S" 2>/dev/null || true
    rm -rf "$out"
}
trap cleanup EXIT
for ns in $C $T $S; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip link add c0 netns "$C" address 02:00:00:00:00:10 type veth peer name tapA netns "$T"
ip link add s0 netns "$S" address 02:00:00:00:bb:01 type veth peer name tapB netns "$T"
ip -n "$T" link add br0 type bridge stp_state "$stp" group_fwd_mask "$mask" mcast_snooping "$snooping"
for port in tapA tapB; do
    ip -n "$T" link set "$port" master br0
    ip netns exec "$T" bridge link set dev "$port" learning off
    ip -n "$T" link set "$port" addrgenmode none
    ip -n "$T" link set "$port" up
done
ip -n "$T" link set br0 addrgenmode none
ip -n "$T" link set br0 up
ip -n "$T" -d link show br0 | grep -o 'group_fwd_mask 0x[0-9a-f]*' || echo "group_fwd_mask 0x0"
ip -n "$C" link set c0 up
ip -n "$S" link set s0 up

# the switch: an 802.1X authenticator (EAP-MD5, internal server) and LLDP
cat >"$out/eap_user" <<'EOU'
"alice" MD5 "correct-horse"
EOU
cat >"$out/hostapd.conf" <<EOH
interface=s0
driver=wired
logger_stdout=-1
logger_stdout_level=1
ieee8021x=1
eapol_version=2
eap_server=1
eap_user_file=$out/eap_user
use_pae_group_addr=0
eap_reauth_period=0
EOH
ip netns exec "$S" hostapd "$out/hostapd.conf" >"$out/hostapd.log" 2>&1 &
pids+=($!)
cat >"$out/lldpd.conf" <<'EOL'
configure system hostname sw-8021x-test
configure lldp tx-interval 1
EOL
mkdir -p "$out/lldpd"
chmod 755 "$out" "$out/lldpd" # lldpd drops privileges: its control socket must be reachable
ip netns exec "$S" lldpd -d -l -M 4 -I s0 -u "$out/lldpd/ctl" -O "$out/lldpd.conf" >"$out/lldpd.log" 2>&1 &
pids+=($!)

# the client: a capture of what reaches it, then the supplicant
ip netns exec "$C" tcpdump -Z root --immediate-mode -i c0 -nn -U -w "$out/c0.pcap" 'ether proto 0x88cc' \
    2>"$out/tcpdump.err" &
pids+=($!)
for _ in $(seq 50); do grep -q "listening on" "$out/tcpdump.err" && break; sleep 0.1; done
cat >"$out/wpa.conf" <<'EOW'
ap_scan=0
network={
    key_mgmt=IEEE8021X
    eap=MD5
    identity="alice"
    password="correct-horse"
    eapol_flags=0
}
EOW
sleep 1 # hostapd's interface up
ip netns exec "$C" wpa_supplicant -Dwired -ic0 -c "$out/wpa.conf" >"$out/wpa.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "CTRL-EVENT-EAP-SUCCESS" "$out/wpa.log" && break; sleep 0.1; done
sleep 3 # LLDP: three more transmit intervals
if grep -q "CTRL-EVENT-EAP-SUCCESS" "$out/wpa.log"; then
    echo "802.1X: authenticated"
else
    echo "802.1X: not authenticated"
fi
grep -E "CTRL-EVENT-EAP|EAPOL" "$out/wpa.log" | head -5 || true
grep -E "IEEE 802.1X|EAP" "$out/hostapd.log" | head -5 || true
kill "${pids[2]}" 2>/dev/null || true; wait "${pids[2]}" 2>/dev/null || true
frames=$(tcpdump -r "$out/c0.pcap" -nn 2>/dev/null | wc -l)
if [ "$frames" -gt 0 ]; then
    name=$(tcpdump -r "$out/c0.pcap" -nn -v 2>/dev/null | sed -n 's/.*System Name TLV (5), length [0-9]*: //p' | head -1)
    echo "LLDP: $frames frames crossed (system name $name)"
else
    echo "LLDP: none crossed"; sed -n 1,15p "$out/lldpd.log"; cat "$out/tcpdump.err"
fi
