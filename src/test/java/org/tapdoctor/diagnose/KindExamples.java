package org.tapdoctor.diagnose;

import static org.tapdoctor.diagnose.Wire.ACK;
import static org.tapdoctor.diagnose.Wire.RST;
import static org.tapdoctor.diagnose.Wire.SYN;

import java.time.Instant;
import java.util.List;

import org.tapdoctor.diagnose.kinds.CaptureDrops;
import org.tapdoctor.diagnose.kinds.LinkDown;
import org.tapdoctor.diagnose.kinds.LinkSpeed;
import org.tapdoctor.diagnose.kinds.LinkState;
import org.tapdoctor.diagnose.kinds.LinkUp;
import org.tapdoctor.track.TrackerConfig;
import org.tapdoctor.wire.SitePackets;
import org.tapdoctor.wire.TestPackets;

/**
 * One example of every kind, made the way the box makes it: a scripted capture through the real
 * engine, or for the box's own health its rule. A kind without an example fails {@link KindsTest}.
 */
final class KindExamples {
    static final String C = "192.0.2.10", S1 = "198.51.100.10", S2 = "198.51.100.20";

    private KindExamples() {
    }

    static Diagnosis of(Kind kind) {
        return switch (kind) {
            case NO_RESPONSE -> only(kind, new Wire().tcp(0, C, 40000, S2, 81, SYN, 7, 0).tcp(1000, C, 40000, S2, 81, SYN, 7, 0)
                    .idle(10_000));
            case REFUSED -> only(kind, new Wire().tcp(0, C, 40000, S1, 82, SYN, 7, 0).tcp(1, S1, 82, C, 40000, RST | ACK, 0, 8, 63, 0, 0));
            case UNREACHABLE -> only(kind, new Wire().tcp(0, C, 40000, S2, 83, SYN, 55, 0)
                    .frame(TestPackets.icmpUnreachable(Wire.EPOCH + Wire.MS, "192.0.2.1", 13, C, 40000, S2, 83, 55)));
            case NO_FINAL_ACK -> only(kind, new Wire().tcp(0, C, 40000, S1, 8080, SYN, 1, 0).tcp(1, S1, 8080, C, 40000, SYN | ACK, 7, 2)
                    .tcp(1000, S1, 8080, C, 40000, SYN | ACK, 7, 2).idle(10_000));
            case RESET -> only(kind, new Wire().handshake(0, C, 40000, S1, 8443, 64)
                    .tcp(12, S1, 8443, C, 40000, RST | ACK, 5001, 1001, 64, 0, 0));
            case SERVER_OVERLOADED -> only(kind, ServerOverloadedTest.queued(ServerOverloadedTest.queued(new Wire(), 0, C, 40000, 2),
                    100, C, 40001, 2).idle(20_000));
            case TLS_FAILURE -> only(kind, new Wire().handshake(0, C, 40000, S1, 4433, 63)
                    .frame(TestPackets.tcp(Wire.EPOCH + 20 * Wire.MS, C, 40000, S1, 4433, Wire.ACK | Wire.PSH, 1001, 5001, 64,
                            TestPackets.tlsClientHello("srv.example.test")))
                    .frame(TestPackets.tcp(Wire.EPOCH + 21 * Wire.MS, S1, 4433, C, 40000, Wire.ACK | Wire.PSH, 5001, 1001, 63,
                            TestPackets.tlsAlert(2, 70))));
            case SLOW_CONNECT -> only(kind, new Wire().tcp(0, C, 40000, S2, 8082, SYN, 7, 0).tcp(1000, C, 40000, S2, 8082, SYN, 7, 0)
                    .tcp(1002, S2, 8082, C, 40000, SYN | ACK, 9, 8).tcp(1003, C, 40000, S2, 8082, ACK, 8, 10));
            case HOST_UNREACHABLE -> only(kind, new Wire().handshake(0, C, 40000, S1, 80, 63)
                    .tcp(10, C, 40001, S2, 80, SYN, 10, 0).tcp(20, C, 40002, S2, 443, SYN, 20, 0).idle(10_000));
            case PORT_BLOCKED -> only(kind, new Wire().handshake(0, C, 40000, S1, 80, 64)
                    .tcp(100, C, 40001, S1, 6036, SYN, 10, 0).tcp(101, S1, 6036, C, 40001, RST | ACK, 0, 11, 64, 0, 0));
            case HOST_DOWN -> {
                Wire w = new Wire();
                for (int i = 0; i < 3; i++) {
                    w.frame(TestPackets.arpRequest(Wire.EPOCH + i * 1000 * Wire.MS, 0x020000000010L, C, "192.0.2.99"));
                }
                yield only(kind, w.idle(10_000));
            }
            case DUPLICATE_IP -> only(kind, new Wire()
                    .frame(TestPackets.arpReply(Wire.EPOCH, 0x020000000050L, "192.0.2.50", 0x020000000010L, C))
                    .frame(TestPackets.arpReply(Wire.EPOCH + Wire.MS, 0x020000000051L, "192.0.2.50", 0x020000000010L, C)));
            case DNS_FAILURE -> only(kind, new Wire()
                    .frame(TestPackets.dnsQuery(Wire.EPOCH, C, 5000, "198.51.100.53", 7, "missing.example.test", 1))
                    .frame(TestPackets.dnsResponse(Wire.EPOCH + Wire.MS, "198.51.100.53", C, 5000, 7, "missing.example.test", 1, 3, 0)));
            case ZERO_WINDOW -> only(kind, new Wire().handshake(0, C, 40000, S1, 9000, 64)
                    .tcp(100, S1, 9000, C, 40000, ACK, 5001, 1001, 64, 0, 0).tcp(3100, S1, 9000, C, 40000, ACK, 5001, 1001, 64, 4096, 0));
            case DHCP_FAILURE -> only(kind, new DhcpScript(new Wire()).discover(0, 0x020000000021L, 7)
                    .discover(2000, 0x020000000021L, 7).discover(4000, 0x020000000021L, 7).wire().idle(10_000));
            case DHCP_ROGUE_SERVER -> { // live: the site's lease came in on the network side, the rogue's OFFER on the client side
                Wire w = new DhcpScript(clientSideFirst()).lease(0, 0x020000000010L, 1, "192.0.2.2", "192.0.2.10", "192.0.2.1").wire();
                org.tapdoctor.wire.DecodedFrame offer = TestPackets.dhcp(Wire.EPOCH + 1000 * Wire.MS, 2, 0x020000000010L, 1,
                        "192.0.2.254", "255.255.255.255", "0.0.0.0", "192.0.2.200", "192.0.2.254", "192.0.2.254", 600, "0.0.0.0");
                offer.side(0);
                yield only(kind, w.frame(offer));
            }
            case NO_ADDRESS -> only(kind, new Wire().frame(TestPackets.arpRequest(Wire.EPOCH, 0x020000000024L,
                    "169.254.77.10", "169.254.77.10")));
            case MTU_PROBLEM -> only(kind, new Wire().handshake(0, C, 40000, S1, 9001, 63)
                    .tcp(20, C, 40000, S1, 9001, ACK, 1001, 5001, 64, 65535, 1448)
                    .frame(TestPackets.icmpTooBig(Wire.EPOCH + 21 * Wire.MS, "192.0.2.1", 1400, C, 40000, S1, 9001, 1001, 1500)));
            case MTU_BLACKHOLE -> {
                Wire w = new Wire().handshake(0, C, 40000, S1, 9001, 63)
                        .tcp(20, C, 40000, S1, 9001, ACK, 1001, 5001, 64, 65535, 41)
                        .tcp(21, S1, 9001, C, 40000, ACK, 5001, 1042)
                        .tcp(30, C, 40000, S1, 9001, ACK, 1042, 5001, 64, 65535, 1448)
                        .tcp(30, C, 40000, S1, 9001, ACK, 2490, 5001, 64, 65535, 1448);
                for (long ms : new long[] {230, 630, 1430}) {
                    w.tcp(ms, C, 40000, S1, 9001, ACK, 1042, 5001, 64, 65535, 1448);
                }
                yield only(kind, w);
            }
            case TABLE_FULL -> {
                Wire w = new Wire(TrackerConfig.defaults().withTables(16, 64, 64, 64, 64));
                for (int i = 0; i < 100; i++) {
                    w.tcp(i, "203.0.113." + (i % 250 + 1), 1024 + i, S2, 443, SYN, i, 0);
                }
                yield only(kind, w);
            }
            case IPV6_ROGUE_ROUTER -> { // live: the site's RA came in on the network side, the rogue's on the client side
                org.tapdoctor.wire.DecodedFrame site = SitePackets.ra(Wire.EPOCH, 0x0200_0000_bb01L, "fe80::ff:fe00:bb01", 1800, "2001:db8:a::", 64);
                site.side(1);
                org.tapdoctor.wire.DecodedFrame rogue = SitePackets.ra(Wire.EPOCH + 500 * Wire.MS, 0x0200_0000_0066L, "fe80::ff:fe00:66", 1800,
                        "2001:db8:bad::", 64);
                rogue.side(0);
                yield only(kind, clientSideFirst().frame(site).frame(rogue).idle(5_000));
            }
            case DOT1X_FAILURE -> only(kind, new Wire()
                    .frame(SitePackets.eap(Wire.EPOCH, 0x0200_0000_0010L, 0x0200_0000_bb01L, SitePackets.RESPONSE, SitePackets.IDENTITY, "alice"))
                    .frame(SitePackets.eap(Wire.EPOCH + Wire.MS, 0x0200_0000_bb01L, 0x0200_0000_0010L, SitePackets.FAILURE, -1, null)));
            case DOT1X_NO_SUPPLICANT -> {
                Wire w = new Wire();
                for (int i = 0; i < 3; i++) {
                    w.frame(SitePackets.eap(Wire.EPOCH + i * 3000 * Wire.MS, 0x0200_0000_bb01L, 0x0200_0000_0026L,
                            SitePackets.REQUEST, SitePackets.IDENTITY, null));
                }
                yield only(kind, w.idle(10_000));
            }
            case CAPTURE_DROPS -> new CaptureDrops.Watch(1).check("tapA", 10, 0, 5, 1_000_000_000L);
            case LINK_DOWN -> ((LinkDown) kind.rule()).diagnosis(new LinkState("tapB", "down"), Instant.EPOCH);
            case LINK_UP -> ((LinkUp) kind.rule()).diagnosis(new LinkState("tapB", "up 1G full"), Instant.EPOCH);
            case LINK_SPEED -> ((LinkSpeed) kind.rule()).diagnosis(
                    new LinkSpeed.Evidence("tapA", "up 1G full", "tapB", "up 100M full"), Instant.EPOCH);
        };
    }

    /** The one diagnosis of {@code kind} the capture gives, placed on two NICs as the live service would. */
    private static Diagnosis only(Kind kind, Wire w) {
        List<Diagnosis> ds = w.diagnoses().stream().filter(d -> d.kind() == kind).toList();
        if (ds.size() != 1) {
            throw new AssertionError("the example of " + kind + " gives " + ds);
        }
        return new Sides(List.of("tapA", "tapB")).place(ds.get(0), 0);
    }

    /** A live wire whose capture side 0 is the client-side NIC ({@code client_side} set). */
    private static Wire clientSideFirst() {
        return new Wire(TrackerConfig.defaults().withTables(1024, 1024, 1024, 1024, 1024)
                .withIpv6Dot1x(org.tapdoctor.track.Ipv6Dot1xConfig.defaults().withClientSide(0)));
    }
}
