package org.tapdoctor.capture;

/**
 * The kernel BPF filter of live capture: only what the engine needs crosses into user space.
 * On a busy link most frames are data segments and pure ACKs, which the engine does not need:
 * handshakes are judged from SYNs, SYN/ACKs, RSTs, FINs and the SYN/ACK retransmissions (a
 * server that does not retransmit its SYN/ACK got the ACK), zero windows from the segments that
 * advertise them.
 *
 * <p>Kept: TCP segments with SYN, FIN or RST, or a zero window; ICMP destination unreachable,
 * time exceeded and parameter problem; ICMPv6 errors (types below 128); ARP; DNS over UDP port
 * 53; and the site protocols: DHCP (UDP ports 67 and 68), ICMPv6 neighbour discovery (types
 * 133-137: router and neighbour solicitations and advertisements, redirects), LLDP (EtherType
 * 0x88CC), EAPOL (0x888E) and CDP (by its LLC/SNAP header, {@link #CDP}); each also when
 * 802.1Q-tagged. IPv6 TCP and ICMPv6 are matched at the fixed
 * header (no extension headers), as libpcap's {@code tcp[]} offsets are IPv4-only; neighbour
 * discovery never has extension headers (RFC 4861 messages are sent with hop limit 255, alone).
 *
 * <p>These frames are rare on a busy link (a switch announces itself every 30 s, a client asks
 * DHCP every few hours, routers advertise every few minutes); the snaplen must hold their
 * options ({@code capture.snaplen}, 640 by default: a DHCP message is at most 576 octets of IP
 * unless the client says otherwise, RFC 2131 section 2).
 */
public final class CaptureFilter {
    private CaptureFilter() {
    }

    /**
     * CDP: an 802.3 frame (length, not type) with LLC/SNAP AA AA 03, OUI 00-00-0C, PID 0x2000,
     * untagged or behind one 802.1Q tag. Matched on its bytes, not on the destination: routers'
     * subinterfaces send CDP to 01:00:0C:CD:CD:D0 as well as 01:00:0C:CC:CC:CC
     * (ppp_example2_vlan_mixed), and {@code ether[]} offsets do not move after libpcap's
     * {@code vlan}, so the tagged form is spelt out. A kernel that strips the tag into metadata
     * shows the untagged form.
     */
    static final String CDP = "(ether[12:2] <= 1500 and ether[14:4] == 0xaaaa0300 and ether[18:4] == 0x000c2000)"
            + " or (ether[12:2] == 0x8100 and ether[16:2] <= 1500 and ether[18:4] == 0xaaaa0300"
            + " and ether[22:4] == 0x000c2000)";

    /** The filter for untagged frames; {@link #expression()} adds the same after a VLAN tag. */
    static final String UNTAGGED = "arp"
            + " or (udp port 53)"
            + " or (udp port 67 or udp port 68)"
            + " or (icmp and (icmp[icmptype] == icmp-unreach or icmp[icmptype] == icmp-timxceed"
            + " or icmp[icmptype] == icmp-paramprob))"
            + " or (icmp6 and (ip6[40] < 128 or (ip6[40] >= 133 and ip6[40] <= 137)))"
            + " or ether proto 0x88cc or ether proto 0x888e"
            + " or " + CDP
            + " or (ip and tcp and ((tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0) or tcp[14:2] == 0))"
            + " or (ip6 and ip6[6] == 6 and ((ip6[53] & 0x07 != 0) or ip6[54:2] == 0))";

    /** The libpcap filter expression. */
    public static String expression() {
        return "(" + UNTAGGED + ") or (vlan and (" + UNTAGGED + "))";
    }
}
