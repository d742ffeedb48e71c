package org.tapdoctor.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic, realistic mix of Ethernet frames as a tap sees them, built byte by byte, headers
 * only (as a capture with snaplen 96): payload lengths are declared in the IP header, not present.
 * The same mix as {@code src/bench/gen-capture.py}, which writes it to a pcap file.
 *
 * <p>Conversations (share of conversations started):
 * <ul>
 * <li>84 % TCP connections that complete (10 % of them over IPv6): SYN, SYN/ACK, ACK, a request, 2 to
 *     12 server data segments with client ACKs, FIN, FIN/ACK, ACK;
 * <li>3 % refused (SYN, RST/ACK), 2 % unanswered (SYN and one retransmission), 1 % a SYN answered by
 *     an ICMP(v6) destination unreachable from a router, which quotes it;
 * <li>7 % DNS query and response (5 % of the responses NXDOMAIN), 3 % ARP (request and reply; one in
 *     twenty requests unanswered).
 * </ul>
 * Up to 48 conversations are open at once and interleave at random, each with a fresh 4-tuple
 * (clients 192.0.2.0/24 and 2001:db8:c::/64 with increasing ephemeral ports; servers in
 * 198.51.100.0/24, 203.0.113.0/24 and 2001:db8:5::/64, documentation ranges of RFC 5737 and 3849).
 */
final class TrafficMix {
    static final int SNAPLEN = 96;
    private static final int CONCURRENT = 48;
    private static final long ROUTER_MAC = 0x02_00_00_00_FF_FEL;
    private static final int SERVERS_V4 = 64;
    private static final int SERVERS_V6 = 16;

    /** The frames (captured bytes) and their lengths on the wire. */
    final byte[][] frames;
    final int[] wireLengths;

    private final SplittableRandom random;
    private final int[] nextPort = new int[256];

    private TrafficMix(int count, long seed) {
        frames = new byte[count][];
        wireLengths = new int[count];
        random = new SplittableRandom(seed);
        Arrays.fill(nextPort, 32768);
        List<ArrayDeque<Frame>> open = new ArrayList<>();
        for (int n = 0; n < count; ) {
            while (open.size() < CONCURRENT) {
                open.add(conversation());
            }
            int k = random.nextInt(open.size());
            Frame f = open.get(k).poll();
            frames[n] = f.bytes;
            wireLengths[n] = f.wireLength;
            n++;
            if (open.get(k).isEmpty()) {
                open.set(k, open.get(open.size() - 1));
                open.remove(open.size() - 1);
            }
        }
    }

    static TrafficMix generate(int count, long seed) {
        return new TrafficMix(count, seed);
    }

    record Frame(byte[] bytes, int wireLength) {
    }

    private ArrayDeque<Frame> conversation() {
        ArrayDeque<Frame> q = new ArrayDeque<>();
        int r = random.nextInt(100);
        if (r < 84) {
            completeConnection(q, random.nextInt(10) == 0);
        } else if (r < 87) {
            refused(q);
        } else if (r < 89) {
            unanswered(q);
        } else if (r < 90) {
            unreachable(q);
        } else if (r < 97) {
            dns(q);
        } else {
            arp(q);
        }
        return q;
    }

    // --- endpoints ---------------------------------------------------------------------------

    /** A client endpoint: address (v4 as 4 bytes, v6 as 16) and a fresh ephemeral port. */
    private record End(byte[] ip, long mac, int port) {
    }

    private End client(boolean v6) {
        int host = 1 + random.nextInt(250);
        int port = nextPort[host];
        nextPort[host] = port == 60999 ? 32768 : port + 1;
        byte[] ip = v6 ? v6(0x0c, host) : v4(192, 0, 2, host);
        return new End(ip, 0x02_00_00_00_00_00L | host, port);
    }

    private End server(boolean v6, int port) {
        if (v6) {
            return new End(v6(0x05, 1 + random.nextInt(SERVERS_V6)), ROUTER_MAC, port);
        }
        int s = random.nextInt(SERVERS_V4);
        byte[] ip = s < SERVERS_V4 / 2 ? v4(198, 51, 100, 10 + s) : v4(203, 0, 113, 10 + s);
        return new End(ip, ROUTER_MAC, port);
    }

    private int serverPort() {
        int r = random.nextInt(100);
        return r < 70 ? 443 : r < 90 ? 80 : r < 95 ? 22 : 8080;
    }

    private static byte[] v4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    /** 2001:db8:{net}::{host}. */
    private static byte[] v6(int net, int host) {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[5] = (byte) net;
        a[14] = (byte) (host >>> 8);
        a[15] = (byte) host;
        return a;
    }

    // --- conversations -----------------------------------------------------------------------

    private void completeConnection(ArrayDeque<Frame> q, boolean v6) {
        End c = client(v6);
        End s = server(v6, serverPort());
        long cs = random.nextLong() & 0xFFFF_FFFFL;
        long ss = random.nextLong() & 0xFFFF_FFFFL;
        q.add(tcp(c, s, cs, 0, SYN, 64240, 0, true));
        q.add(tcp(s, c, ss, cs + 1, SYN | ACK, 65160, 0, true));
        cs++;
        ss++;
        q.add(tcp(c, s, cs, ss, ACK, 502, 0, false));
        int request = 200 + random.nextInt(400);
        q.add(tcp(c, s, cs, ss, PSH | ACK, 502, request, false));
        cs += request;
        int segments = 2 + random.nextInt(11);
        for (int i = 1; i <= segments; i++) {
            int len = i == segments ? 1 + random.nextInt(1448) : 1448;
            q.add(tcp(s, c, ss, cs, i == segments ? PSH | ACK : ACK, 509, len, false));
            ss += len;
            if (i % 2 == 0 || i == segments) {
                q.add(tcp(c, s, cs, ss, ACK, 501, 0, false));
            }
        }
        q.add(tcp(c, s, cs, ss, FIN | ACK, 501, 0, false));
        cs++;
        q.add(tcp(s, c, ss, cs, FIN | ACK, 509, 0, false));
        ss++;
        q.add(tcp(c, s, cs, ss, ACK, 501, 0, false));
    }

    private void refused(ArrayDeque<Frame> q) {
        End c = client(false);
        End s = server(false, 5432);
        long cs = random.nextLong() & 0xFFFF_FFFFL;
        q.add(tcp(c, s, cs, 0, SYN, 64240, 0, true));
        q.add(tcp(s, c, 0, cs + 1, RST | ACK, 0, 0, false));
    }

    private void unanswered(ArrayDeque<Frame> q) {
        End c = client(false);
        End s = new End(v4(203, 0, 113, 200 + random.nextInt(8)), ROUTER_MAC, 8443);
        long cs = random.nextLong() & 0xFFFF_FFFFL;
        q.add(tcp(c, s, cs, 0, SYN, 64240, 0, true));
        q.add(tcp(c, s, cs, 0, SYN, 64240, 0, true));
    }

    private void unreachable(ArrayDeque<Frame> q) {
        boolean v6 = random.nextInt(4) == 0;
        End c = client(v6);
        End s = v6 ? new End(v6(0x0d, 1 + random.nextInt(4)), ROUTER_MAC, 443)
                : new End(v4(203, 0, 113, 220 + random.nextInt(4)), ROUTER_MAC, 443);
        long cs = random.nextLong() & 0xFFFF_FFFFL;
        Frame syn = tcp(c, s, cs, 0, SYN, 64240, 0, true);
        q.add(syn);
        q.add(icmpUnreachable(c, v6, syn.bytes));
    }

    private void dns(ArrayDeque<Frame> q) {
        End c = client(false);
        End s = new End(v4(198, 51, 100, 53), ROUTER_MAC, 53);
        int id = random.nextInt(0x10000);
        String name = "host" + random.nextInt(2000) + ".example.com";
        int rcode = random.nextInt(20) == 0 ? 3 : 0;
        q.add(dnsMessage(c, s, id, 0x0100, name, 0));
        q.add(dnsMessage(s, c, id, 0x8180 | rcode, name, rcode == 0 ? 1 : 0));
    }

    private void arp(ArrayDeque<Frame> q) {
        int asker = 1 + random.nextInt(250);
        boolean answered = random.nextInt(20) != 0;
        int target = answered ? 1 + random.nextInt(250) : 251 + random.nextInt(3);
        if (target == asker) {
            target = asker % 250 + 1;
        }
        long askerMac = 0x02_00_00_00_00_00L | asker;
        long targetMac = 0x02_00_00_00_00_00L | target;
        q.add(arpFrame(1, askerMac, v4(192, 0, 2, asker), 0, v4(192, 0, 2, target), 0xFFFF_FFFF_FFFFL));
        if (answered) {
            q.add(arpFrame(2, targetMac, v4(192, 0, 2, target), askerMac, v4(192, 0, 2, asker), askerMac));
        }
    }

    // --- frames --------------------------------------------------------------------------------

    static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;

    /**
     * A TCP segment: SYNs carry MSS, SACK permitted, timestamps, NOP, window scale (40-byte header);
     * other segments NOP, NOP, timestamps (32 bytes). {@code payload} bytes are declared, not captured.
     */
    private Frame tcp(End from, End to, long seq, long ack, int flags, int window, int payload, boolean synOptions) {
        int tcpLength = synOptions ? 40 : 32;
        Writer w = new Writer();
        Writer.Mark ip = ipHeader(w, from, to, 6, tcpLength + payload);
        w.u16(from.port).u16(to.port).u32(seq).u32(ack)
         .u8((tcpLength / 4) << 4).u8(flags).u16(window).u16(0).u16(0);
        if (synOptions) {
            w.u8(2).u8(4).u16(1460)       // MSS 1460
             .u8(4).u8(2)                 // SACK permitted
             .u8(8).u8(10).u32(random.nextLong()).u32(0) // timestamps
             .u8(1)                       // NOP
             .u8(3).u8(3).u8(7);          // window scale 7
        } else {
            w.u8(1).u8(1).u8(8).u8(10).u32(random.nextLong()).u32(random.nextLong());
        }
        return w.frame(ip, tcpLength + payload);
    }

    /** Ethernet + IPv4 (20 bytes, DF) or IPv6 (40 bytes) header; returns where the IP header starts. */
    private Writer.Mark ipHeader(Writer w, End from, End to, int protocol, int payloadLength) {
        boolean v6 = from.ip.length == 16;
        w.u48(to.mac).u48(from.mac).u16(v6 ? 0x86DD : 0x0800);
        int start = w.size();
        if (v6) {
            w.u32(0x6000_0000L).u16(payloadLength).u8(protocol).u8(from.mac == ROUTER_MAC ? 56 : 64)
             .bytes(from.ip).bytes(to.ip);
        } else {
            w.u8(0x45).u8(0).u16(20 + payloadLength).u16(random.nextInt(0x10000)).u16(0x4000)
             .u8(from.mac == ROUTER_MAC ? 56 : 64).u8(protocol).u16(0).bytes(from.ip).bytes(to.ip);
        }
        return new Writer.Mark(start, v6 ? 40 : 20);
    }

    /** A router's destination unreachable (ICMP host unreachable, ICMPv6 address unreachable) quoting {@code syn}. */
    private Frame icmpUnreachable(End client, boolean v6, byte[] syn) {
        End router = v6 ? new End(v6(0x0d, 0xfe), ROUTER_MAC, 0) : new End(v4(203, 0, 113, 254), ROUTER_MAC, 0);
        byte[] quoted = Arrays.copyOfRange(syn, 14, v6 ? syn.length : 14 + 28); // IPv4: header + 8 bytes (RFC 792)
        Writer w = new Writer();
        Writer.Mark ip = ipHeader(w, router, new End(client.ip, client.mac, 0), v6 ? 58 : 1, 8 + quoted.length);
        w.u8(v6 ? 1 : 3).u8(v6 ? 3 : 1).u16(0).u32(0).bytes(quoted);
        return w.frame(ip, 8 + quoted.length);
    }

    private Frame dnsMessage(End from, End to, int id, int flags, String name, int answers) {
        Writer w = new Writer();
        int qnameLength = name.length() + 2;
        int answerLength = answers * 16; // name pointer, type, class, TTL, length, IPv4 address
        int udpLength = 8 + 12 + qnameLength + 4 + answerLength;
        Writer.Mark ip = ipHeader(w, from, to, 17, udpLength);
        w.u16(from.port).u16(to.port).u16(udpLength).u16(0)
         .u16(id).u16(flags).u16(1).u16(answers).u16(0).u16(0);
        for (String label : name.split("\\.")) {
            w.u8(label.length());
            for (int i = 0; i < label.length(); i++) {
                w.u8(label.charAt(i));
            }
        }
        w.u8(0).u16(1).u16(1); // QTYPE A, QCLASS IN
        for (int i = 0; i < answers; i++) {
            w.u16(0xC00C).u16(1).u16(1).u32(300).u16(4).u32(0xC6336400L | random.nextInt(256));
        }
        return w.frame(ip, udpLength);
    }

    private static Frame arpFrame(int op, long senderMac, byte[] senderIp, long targetMac, byte[] targetIp, long dstMac) {
        Writer w = new Writer();
        w.u48(dstMac).u48(senderMac).u16(0x0806)
         .u16(1).u16(0x0800).u8(6).u8(4).u16(op)
         .u48(senderMac).bytes(senderIp).u48(targetMac).bytes(targetIp)
         .zeros(18); // padding to the 60-byte minimum frame
        byte[] b = w.toArray();
        return new Frame(b, b.length);
    }

    /** Big-endian byte writer. */
    private static final class Writer {
        record Mark(int ipStart, int ipHeaderLength) {
        }

        private byte[] b = new byte[160];
        private int n;

        Writer u8(int v) {
            b[n++] = (byte) v;
            return this;
        }

        Writer u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Writer u32(long v) {
            return u16((int) (v >>> 16)).u16((int) v);
        }

        Writer u48(long v) {
            return u16((int) (v >>> 32)).u32(v);
        }

        Writer bytes(byte[] a) {
            System.arraycopy(a, 0, b, n, a.length);
            n += a.length;
            return this;
        }

        Writer zeros(int count) {
            n += count;
            return this;
        }

        int size() {
            return n;
        }

        byte[] toArray() {
            return Arrays.copyOf(b, n);
        }

        /** The frame cut at the snaplen; its wire length counts the declared IP payload. */
        Frame frame(Mark ip, int ipPayloadLength) {
            int wire = Math.max(60, ip.ipStart + ip.ipHeaderLength + ipPayloadLength);
            return new Frame(Arrays.copyOf(b, Math.min(n, SNAPLEN)), wire);
        }
    }
}
