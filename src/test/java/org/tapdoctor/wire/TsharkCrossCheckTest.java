package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tapdoctor.SharedPcaps;
import org.tapdoctor.Tshark;
import org.tapdoctor.capture.CaptureFileReader;

/**
 * The new fields of the decoders against Wireshark's dissectors, frame by frame, on the captures
 * of the shared corpus that MANIFEST.tsv lists for them (TLS fatal alerts, a ClientHello answered
 * in plain text, an injected RST, fragmentation needed and packet too big quoting TCP, a SYN/ACK
 * retransmitted after the client's ACK, a UDP traceroute answered by time exceeded). tshark runs
 * at test time ({@code tshark -n -r FILE -T fields -e ...}) and each frame's fields must agree:
 * <ul>
 * <li>every IPv4 frame: {@code ip.flags.df} = {@link DecodedFrame#dontFragment()}; every TCP
 *     segment: {@code tcp.len} = {@link DecodedFrame#payloadLength()};
 * <li>the first data segment each way of every connection, through {@link TlsDecoder} as the
 *     tracker will call it: the first {@code tls.record.content_type} and {@code
 *     tls.record.version}, the first {@code tls.handshake.type}, {@code tls.handshake.version},
 *     {@code tls.handshake.extensions_server_name}, the first non-GREASE {@code
 *     tls.handshake.extensions.supported_version}, the first {@code tls.alert_message.level} and
 *     {@code .desc}; no TLS in tshark means not TLS here (IGNORED);
 * <li>every ICMP/ICMPv6 error: {@code icmp.mtu}/{@code icmpv6.mtu}, {@code icmp.pointer}/{@code
 *     icmpv6.pointer}, the quoted {@code ip.len} (second occurrence) or {@code ipv6.plen} + 40, the
 *     quoted {@code tcp.flags}, the quoted ports.
 * </ul>
 * IPv6 in IPv4 (protocol 41, ndpi_6in4tunnel) is not decapsulated by the decoder; the test decodes
 * the inner packet itself (link type IPV6 at the outer payload) to reach the packet too big.
 * The headline values the MANIFEST names are asserted as well (last column), so the test fails if
 * a field goes absent on both sides. Skipped without the corpus or tshark, unless CI=true.
 */
class TsharkCrossCheckTest {
    private static final String[] FIELDS = {
        "frame.number", "ip.flags.df", "tcp.len", "tls.record.content_type", "tls.record.version",
        "tls.handshake.type", "tls.handshake.version", "tls.handshake.extensions_server_name",
        "tls.handshake.extensions.supported_version", "tls.alert_message.level", "tls.alert_message.desc",
        "icmp.type", "icmp.mtu", "icmp.pointer", "icmpv6.type", "icmpv6.mtu", "icmpv6.pointer", "ip.len",
        "ipv6.plen", "tcp.flags", "tcp.srcport", "udp.srcport", "tcp.dstport", "udp.dstport",
        "ip.proto", "tcp.stream",
    };
    private static Path pcaps;

    @BeforeAll
    static void prerequisites() {
        pcaps = SharedPcaps.dir();
        Tshark.require();
    }

    /** One frame as tshark dissects it: every occurrence of each field. */
    private record Dissected(String[][] values) {
        String first(String field) {
            String[] v = values[index(field)];
            return v.length == 0 ? "" : v[0];
        }

        String nth(String field, int n) {
            String[] v = values[index(field)];
            return v.length <= n ? "" : v[n];
        }

        String[] all(String field) {
            return values[index(field)];
        }

        private static int index(String field) {
            for (int i = 0; i < FIELDS.length; i++) {
                if (FIELDS[i].equals(field)) {
                    return i;
                }
            }
            throw new IllegalArgumentException(field);
        }
    }

    /** What the comparison covered, so that a file that compares nothing fails. */
    private static final class Counts {
        int df, tcpLength, tlsFirstSegments, tlsDecoded, icmpErrors;
        final List<String> headlines = new ArrayList<>();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # file                                                | TLS first segments | TLS records | ICMP errors | headlines (frame:what, as decoded here)
            zk_tls-1.2-handshake-failure.pcap                     | 2  | 2 | 0  | 4:client_hello sni=- version=- 0x0303;6:alert 2 handshake_failure
            zk_tls13draft16-aborted_protocol_version.pcap         | 4  | 4 | 0  | 4:client_hello sni=tls13.crypto.mozilla.org version=TLS 1.3 draft 16 0x0303;6:alert 2 protocol_version;14:client_hello sni=tls13.crypto.mozilla.org version=- 0x0303;16:alert 2 protocol_version
            zk_tls-early-alert_unrecognized_name.pcap             | 2  | 2 | 0  | 4:client_hello sni=jeffbryner.com version=- 0x0303;6:server_hello version=- 0x0303 alert 1 unrecognized_name
            sv_smtp-tls-protodetect_clienthello_plaintext_reply.pcap | 2 | 1 | 0 | 4:client_hello sni=- version=- 0x0303
            zk_tcp_rst-inject-rae.pcap                            | 1  | 0 | 0  | -
            sv_http-missing-protocol_synack_retx_after_ack.pcap   | 2  | 0 | 0  | -
            sv_bug-3616-smtp_icmp_fragneeded_tcp.pcap             | 2  | 0 | 4  | 26:icmp 3/4 mtu 1492 quoted 1500 flags 0x10 ports 1470>25;30:icmp 3/4 mtu 1492 quoted 1500 flags 0x10 ports 1470>25
            ndpi_6in4tunnel_icmpv6_ptb_tcp.pcap                   | 8  | 6 | 2  | 45:icmp 2/0 mtu 1460 quoted 1470 flags 0x10 ports 53234>443;3:icmp 1/3 mtu -1 quoted 118 flags 0x18 ports 993>60491
            rj_tracert_udp_ttl_exceeded.pcapng                    | 0  | 0 | 12 | 4:icmp 11/0 mtu -1 quoted 40 flags -1 ports 30005>33434;22:icmp 3/3 mtu -1 quoted 40 flags -1 ports 30005>33443
            ws_Manolito2_icmp_unreach.pcap                        | -1 | -1 | 87 | -
            """)
    void shouldAgreeWithTshark(String file, int tlsFirstSegments, int tlsRecords, int icmpErrors, String headlines)
            throws Exception {
        Path path = pcaps.resolve(file);
        assertTrue(Files.isRegularFile(path), path + " missing from the corpus");
        List<String> lines = Tshark.fields(path, null, FIELDS);
        Counts counts = new Counts();
        FrameDecoder decoder = new FrameDecoder();
        TlsDecoder tls = new TlsDecoder();
        DecodedFrame frame = new DecodedFrame();
        Set<String> dataSeen = new HashSet<>();
        int[] number = {0};
        List<String> failures = new ArrayList<>();

        new CaptureFileReader().read(path, (bytes, length, wire, time, linkType, side) -> {
            Dissected t = parse(lines.get(number[0]++));
            String where = file + " frame " + number[0];
            if (decoder.decode(bytes, 0, length, linkType, frame) != DecodeResult.OK) {
                return;
            }
            if (frame.ipVersion() == 4 && !t.first("ip.flags.df").isEmpty()) {
                counts.df++;
                check(failures, where + " DF", t.first("ip.flags.df").equals("1"), frame.dontFragment());
            }
            if (frame.ipVersion() == 4 && frame.ipProtocol() == 41) {
                // 6in4: decode the inner IPv6 packet, which tshark dissects
                int inner = frame.frameOffset() + 14 + (bytes[14] & 0x0F) * 4;
                if (decoder.decode(bytes, inner, length - inner, LinkTypes.IPV6, frame) != DecodeResult.OK) {
                    return;
                }
            }
            compareTransport(t, frame, where, tls, dataSeen, counts, failures, number[0]);
        });

        assertEquals(lines.size(), number[0], "frames read here and by tshark");
        assertEquals(List.of(), failures, "fields that differ from tshark's");
        assertTrue(counts.df > 0 || file.contains("6in4"), "DF compared");
        assertTrue(counts.tcpLength > 0 || file.contains("tracert"), "tcp.len compared");
        if (tlsFirstSegments >= 0) {
            assertEquals(tlsFirstSegments, counts.tlsFirstSegments, "first data segments compared");
            assertEquals(tlsRecords, counts.tlsDecoded, "first data segments that are TLS");
        }
        assertEquals(icmpErrors, counts.icmpErrors, "ICMP errors compared");
        if (!headlines.equals("-")) {
            for (String h : headlines.split(";")) {
                assertTrue(counts.headlines.contains(h), "expected " + h + " in\n" + String.join("\n", counts.headlines));
            }
        }
    }

    private static void compareTransport(Dissected t, DecodedFrame f, String where, TlsDecoder tls, Set<String> dataSeen,
            Counts counts, List<String> failures, int number) {
        boolean icmp = !t.first("icmp.type").isEmpty() || !t.first("icmpv6.type").isEmpty();
        if (f.type() == DecodedFrame.Type.TCP && !icmp) {
            counts.tcpLength++;
            check(failures, where + " tcp.len", Integer.parseInt(t.first("tcp.len")), f.payloadLength());
            if (f.payloadLength() > 0 && dataSeen.add(t.first("tcp.stream") + ":" + f.srcPort())) {
                counts.tlsFirstSegments++;
                compareTls(t, f, where, tls, counts, failures, number);
            }
        } else if (f.type() == DecodedFrame.Type.ICMP_ERROR) {
            counts.icmpErrors++;
            compareIcmp(t, f, where, counts, failures, number);
        }
    }

    private static void compareTls(Dissected t, DecodedFrame f, String where, TlsDecoder tls, Counts counts,
            List<String> failures, int number) {
        DecodeResult r = TlsDecoder.startsWithRecord(f) ? tls.decode(f) : DecodeResult.IGNORED;
        boolean tsharkTls = !t.first("tls.record.content_type").isEmpty();
        check(failures, where + " TLS or not", tsharkTls ? DecodeResult.OK : DecodeResult.IGNORED, r);
        if (!tsharkTls || r != DecodeResult.OK) {
            return;
        }
        counts.tlsDecoded++;
        check(failures, where + " content type", Integer.parseInt(t.first("tls.record.content_type")), f.tlsRecordType());
        check(failures, where + " record version", Integer.decode(t.first("tls.record.version")), f.tlsRecordVersion());
        check(failures, where + " handshake type", intOr(t.first("tls.handshake.type")), f.tlsHandshakeType());
        check(failures, where + " hello version", hexOr(t.first("tls.handshake.version")), f.tlsHelloVersion());
        check(failures, where + " server_name", t.first("tls.handshake.extensions_server_name"), sni(f));
        int version = -1;
        for (String v : t.all("tls.handshake.extensions.supported_version")) {
            if (!TlsDecoder.isGrease(Integer.decode(v))) {
                version = Integer.decode(v);
                break;
            }
        }
        check(failures, where + " supported_version", version, f.tlsVersion());
        check(failures, where + " alert level", intOr(t.first("tls.alert_message.level")), f.tlsAlertLevel());
        check(failures, where + " alert description", intOr(t.first("tls.alert_message.desc")), f.tlsAlertDescription());
        StringBuilder h = new StringBuilder().append(number).append(':');
        if (f.tlsClientHello()) {
            h.append("client_hello sni=").append(sni(f).isEmpty() ? "-" : sni(f)).append(" version=")
                    .append(f.tlsVersion() < 0 ? "-" : TlsVersion.label(f.tlsVersion()))
                    .append(String.format(" 0x%04x", f.tlsHelloVersion()));
        } else if (f.tlsServerHello()) {
            h.append("server_hello version=").append(f.tlsVersion() < 0 ? "-" : TlsVersion.label(f.tlsVersion()))
                    .append(String.format(" 0x%04x", f.tlsHelloVersion()));
        }
        if (f.tlsAlertLevel() >= 0) {
            h.append(h.charAt(h.length() - 1) == ':' ? "" : " ").append("alert ").append(f.tlsAlertLevel()).append(' ')
                    .append(TlsAlert.label(f.tlsAlertDescription()));
        }
        if (h.charAt(h.length() - 1) != ':') {
            counts.headlines.add(h.toString());
        }
    }

    private static void compareIcmp(Dissected t, DecodedFrame f, String where, Counts counts, List<String> failures,
            int number) {
        boolean v6 = f.ipVersion() == 6;
        check(failures, where + " mtu", intOr(t.first(v6 ? "icmpv6.mtu" : "icmp.mtu")), f.icmpMtu());
        check(failures, where + " pointer", intOr(t.first(v6 ? "icmpv6.pointer" : "icmp.pointer")), f.icmpPointer());
        // the quoted header is the second IP header of the frame (the first of IPv6 inside 6in4's IPv4)
        int quotedLength = v6 ? intOr(t.nth("ipv6.plen", 1)) + 40 : intOr(t.nth("ip.len", 1));
        check(failures, where + " quoted length", quotedLength, f.quotedLength());
        String flags = t.first("tcp.flags");
        int quotedFlags = flags.isEmpty() ? -1 : Integer.decode(flags) & 0xFF;
        check(failures, where + " quoted flags", quotedFlags, f.quotedTcpFlags());
        String srcPort = t.first("tcp.srcport").isEmpty() ? t.first("udp.srcport") : t.first("tcp.srcport");
        String dstPort = t.first("tcp.dstport").isEmpty() ? t.first("udp.dstport") : t.first("tcp.dstport");
        check(failures, where + " quoted ports", srcPort + ">" + dstPort, f.quotedSrcPort() + ">" + f.quotedDstPort());
        counts.headlines.add(number + ":icmp " + f.icmpType() + "/" + f.icmpCode() + " mtu " + f.icmpMtu() + " quoted "
                + f.quotedLength() + " flags " + (f.quotedTcpFlags() < 0 ? "-1" : String.format("0x%x", f.quotedTcpFlags()))
                + " ports " + f.quotedSrcPort() + ">" + f.quotedDstPort());
    }

    private static String sni(DecodedFrame f) {
        return f.tlsSniOffset() < 0 ? ""
                : new String(f.buffer(), f.tlsSniOffset(), f.tlsSniLength(), StandardCharsets.US_ASCII);
    }

    private static int intOr(String s) {
        return s.isEmpty() ? -1 : Integer.parseInt(s);
    }

    private static int hexOr(String s) {
        return s.isEmpty() ? -1 : Integer.decode(s);
    }

    private static void check(List<String> failures, String what, Object tshark, Object ours) {
        if (!tshark.equals(ours)) {
            failures.add(what + ": tshark " + tshark + ", here " + ours);
        }
    }

    private static Dissected parse(String line) {
        String[] columns = line.split("\t", -1);
        String[][] values = new String[FIELDS.length][];
        for (int i = 0; i < FIELDS.length; i++) {
            String c = i < columns.length ? columns[i] : "";
            values[i] = c.isEmpty() ? new String[0] : c.split(",");
        }
        return new Dissected(values);
    }
}
