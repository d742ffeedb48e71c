#!/bin/sh
# site-dhcp-script.sh: the event script of the site scenarios' DHCP clients (ISC dhclient's
# -sf and busybox udhcpc's -s), in place of the distributions' scripts, which would write the
# host's /etc/resolv.conf from inside a network namespace. It only configures the address and
# the default route on the namespace's own interface, and logs every event on stdout.
#   dhclient: $reason and $interface, $new_ip_address, $new_subnet_mask, $new_routers
#   udhcpc:   $1 (deconfig, bound, renew, leasefail, nak) and $interface, $ip, $mask, $router
set -e
PATH=/usr/sbin:/usr/bin:/sbin:/bin

prefix_of() {   # prefix_of 255.255.255.0 -> 24 (a dotted mask or already a length)
    case "$1" in
        *.*) n=0; for o in $(echo "$1" | tr . ' '); do
                 case "$o" in 255) n=$((n + 8));; 254) n=$((n + 7));; 252) n=$((n + 6));;
                      248) n=$((n + 5));; 240) n=$((n + 4));; 224) n=$((n + 3));;
                      192) n=$((n + 2));; 128) n=$((n + 1));; esac
             done; echo "$n";;
        *) echo "${1:-24}";;
    esac
}

configure() {   # configure ADDRESS MASK ROUTER
    ip -4 addr flush dev "$interface"
    ip addr add "$1/$(prefix_of "$2")" dev "$interface"
    router=${3%% *}
    if [ -n "$router" ]; then
        ip route replace default via "$router" dev "$interface"
    fi
}

if [ -n "${reason:-}" ]; then
    echo "dhclient $reason ${new_ip_address:-} router ${new_routers:-}"
    case "$reason" in
        PREINIT) ip link set dev "$interface" up ;;
        BOUND|RENEW|REBIND|REBOOT) configure "$new_ip_address" "$new_subnet_mask" "${new_routers:-}" ;;
        EXPIRE|FAIL|RELEASE|STOP) ip -4 addr flush dev "$interface" ;;
    esac
else
    echo "udhcpc $1 ${ip:-} router ${router:-}"
    case "$1" in
        deconfig) ip link set dev "$interface" up; ip -4 addr flush dev "$interface" ;;
        bound|renew) configure "$ip" "${subnet:-${mask:-24}}" "${router:-}" ;;
    esac
fi
exit 0
