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
 * 53; each also when 802.1Q-tagged. IPv6 TCP is matched at the fixed header (no extension
 * headers), as libpcap's {@code tcp[]} offsets are IPv4-only.
 */
public final class CaptureFilter {
    private CaptureFilter() {
    }

    /** The filter for untagged frames; {@link #expression()} adds the same after a VLAN tag. */
    static final String UNTAGGED = "arp"
            + " or (udp port 53)"
            + " or (icmp and (icmp[icmptype] == icmp-unreach or icmp[icmptype] == icmp-timxceed"
            + " or icmp[icmptype] == icmp-paramprob))"
            + " or (icmp6 and ip6[40] < 128)"
            + " or (ip and tcp and ((tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0) or tcp[14:2] == 0))"
            + " or (ip6 and ip6[6] == 6 and ((ip6[53] & 0x07 != 0) or ip6[54:2] == 0))";

    /** The libpcap filter expression. */
    public static String expression() {
        return "(" + UNTAGGED + ") or (vlan and (" + UNTAGGED + "))";
    }
}
