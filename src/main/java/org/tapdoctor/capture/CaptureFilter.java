package org.tapdoctor.capture;

/**
 * The kernel BPF filter of live capture: only what the engine needs crosses into user space.
 * On a busy link most frames are data segments and pure ACKs, which the engine does not need:
 * handshakes are judged from SYNs, SYN/ACKs, RSTs, FINs and the SYN/ACK retransmissions (a
 * server that does not retransmit its SYN/ACK got the ACK), zero windows from the segments that
 * advertise them.
 *
 * <p>Kept: TCP segments with SYN, FIN or RST, or a zero window; ICMP destination unreachable
 * (fragmentation needed included), time exceeded and parameter problem; ICMPv6 errors (types
 * below 128: packet too big included); ARP; DNS over UDP port 53; the site protocols: DHCP (UDP
 * ports 67 and 68), ICMPv6 neighbour discovery (types 133-137: router and neighbour
 * solicitations and advertisements, redirects), LLDP (EtherType 0x88CC), EAPOL (0x888E) and CDP
 * (by its LLC/SNAP header, {@link #CDP}); each also when 802.1Q-tagged.
 * And the first data of a connection where it can be told from its first bytes alone: a TLS
 * handshake or alert record (RFC 8446 section 5.1: type 22 or 21, version 3.x; a ClientHello,
 * ServerHello or plaintext alert), and an HTTP/1 request line or status line (RFC 9112 section
 * 3 and 4: {@code GET }, {@code POST}, {@code HEAD}, {@code PUT }, {@code DELE}, {@code OPTI},
 * {@code PATC}, {@code CONN}, {@code HTTP}). Those carry what the content-filter, TLS-failure and
 * overloaded-server rules of issue 11 need to see live (the request the client had sent, its
 * server name, the alert that answered it), at the cost of a few frames per connection; the data
 * segments of a transfer still stay in the kernel, so an MTU black hole (full-size segments
 * never acknowledged) is not visible live unless {@code capture.path-mtu} keeps every TCP
 * segment ({@link #expression(boolean)}; src/bench/README.md has the measured costs). ICMP
 * fragmentation needed and packet too big always pass: {@code mtu_problem} is decided live.
 *
 * <p>The site frames are rare on a busy link (a switch announces itself every 30 s, a client asks
 * DHCP every few hours, routers advertise every few minutes); the snaplen must hold their
 * options ({@code capture.snaplen}, 640 by default: a DHCP message is at most 576 octets of IP
 * unless the client says otherwise, RFC 2131 section 2).
 *
 * <p>IPv6 TCP and ICMPv6 are matched at the fixed header (no extension headers), as libpcap's
 * {@code tcp[]} offsets are IPv4-only; neighbour discovery never has extension headers (RFC 4861
 * messages are sent with hop limit 255, alone). The payload clauses come last: a BPF load past
 * the end of a packet ends the filter with "drop", so they must only be reached by packets
 * nothing else keeps (a segment without payload is then dropped, as it should be).
 */
public final class CaptureFilter {
    private CaptureFilter() {
    }

    /** The first two bytes of an IPv4 TCP segment's payload (after the header and its options). */
    private static final String V4_PAYLOAD_2 = "tcp[((tcp[12] & 0xf0) >> 2):2]";
    private static final String V4_PAYLOAD_4 = "tcp[((tcp[12] & 0xf0) >> 2):4]";
    /** The same for IPv6 TCP right after the fixed header (the TCP data offset is at byte 40 + 12). */
    private static final String V6_PAYLOAD_2 = "ip6[(40 + ((ip6[52] & 0xf0) >> 2)):2]";
    private static final String V6_PAYLOAD_4 = "ip6[(40 + ((ip6[52] & 0xf0) >> 2)):4]";
    /** Handshake (0x16) and alert (0x15) records, major version 3 (SSL 3.0 to TLS 1.3). */
    private static final int[] TLS_RECORD_STARTS = {0x1603, 0x1503};
    /** "GET ", "POST", "HEAD", "PUT ", "DELE", "OPTI", "PATC", "CONN", and "HTTP" (a response). */
    private static final int[] HTTP_STARTS = {
        0x47455420, 0x504f5354, 0x48454144, 0x50555420, 0x44454c45, 0x4f505449, 0x50415443, 0x434f4e4e, 0x48545450,
    };
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
            + " or (ip6 and ip6[6] == 6 and ((ip6[53] & 0x07 != 0) or ip6[54:2] == 0))"
            + " or (ip and tcp and (" + firstData(V4_PAYLOAD_2, V4_PAYLOAD_4) + "))"
            + " or (ip6 and ip6[6] == 6 and (" + firstData(V6_PAYLOAD_2, V6_PAYLOAD_4) + "))";

    /**
     * What {@code capture.path-mtu} adds: every TCP segment, IPv4 and IPv6 (any extension headers
     * too, as libpcap's {@code tcp} matches them). An MTU black hole is only visible in the data
     * segments and the ACKs that never come: the sender's full-size segment retransmitted while its
     * peer's ack stands still, after a smaller segment's ACK. No stateless filter tells those from
     * a healthy transfer's, so the option takes them all (src/bench/README.md has the cost).
     */
    static final String ALL_TCP = "tcp";

    /** The libpcap filter expression (the default: {@code capture.path-mtu} off). */
    public static String expression() {
        return expression(false);
    }

    /**
     * The libpcap filter expression.
     * @param pathMtu also keep every TCP segment, so that {@code mtu_blackhole} can be decided live
     */
    public static String expression(boolean pathMtu) {
        String untagged = pathMtu ? ALL_TCP + " or " + UNTAGGED : UNTAGGED;
        return "(" + untagged + ") or (vlan and (" + untagged + "))";
    }

    /** A TLS record or an HTTP/1 message at the start of the payload. */
    private static String firstData(String payload2, String payload4) {
        StringBuilder s = new StringBuilder();
        for (int start : TLS_RECORD_STARTS) {
            s.append(s.length() == 0 ? "" : " or ").append(payload2).append(" == 0x").append(Integer.toHexString(start));
        }
        for (int start : HTTP_STARTS) {
            s.append(" or ").append(payload4).append(" == 0x").append(Integer.toHexString(start));
        }
        return s.toString();
    }

    /** Prints the expression ({@code --path-mtu}: with every TCP segment), for scripts that run tcpdump with it (src/bench). */
    public static void main(String[] args) {
        System.out.println(expression(args.length > 0 && args[0].equals("--path-mtu")));
    }
}
