package org.tapdoctor.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tapdoctor.wire.TestPackets.arpReply;
import static org.tapdoctor.wire.TestPackets.arpRequest;
import static org.tapdoctor.wire.TestPackets.v4;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArpTableTest {
    private static final long MS = 1_000_000L;
    private static final long MAC_A = 0x02_00_00_00_00_0AL, MAC_B = 0x02_00_00_00_00_0BL, MAC_C = 0x02_00_00_00_00_0CL;
    private static final String ROUTER = "192.0.2.1", PRINTER = "192.0.2.50", LAPTOP = "192.0.2.23";

    private final TrackerConfig config = TrackerConfig.defaults();
    private final RecordingListener listener = new RecordingListener();
    private final ArpTable arp = new ArpTable(config, listener);
    private final long timeout = config.arpTimeoutNanos();

    @Test
    void shouldReportTwoMacsClaimingOneAddress() {
        arp.onArp(arpRequest(0, MAC_A, LAPTOP, ROUTER));
        arp.onArp(arpRequest(10 * MS, MAC_A, LAPTOP, ROUTER));
        assertTrue(listener.duplicates.isEmpty());

        arp.onArp(arpReply(20 * MS, MAC_B, LAPTOP, MAC_C, ROUTER));

        assertEquals(List.of(new RecordingListener.DuplicateIp(v4(LAPTOP), MAC_A, MAC_B, 2, 1, 20 * MS)),
                listener.duplicates);
        assertEquals(0, arp.firstClaim(arp.slotOf(v4(LAPTOP))));
    }

    @Test
    void shouldNotTakeAGratuitousArpStormFromOneMacForAConflict() {
        for (int n = 0; n < 50; n++) {
            arp.onArp(arpRequest(n * 20 * MS, MAC_A, PRINTER, PRINTER)); // sender == target: gratuitous
        }
        arp.expire(50 * 20 * MS + 10 * timeout);

        assertTrue(listener.duplicates.isEmpty());
        assertTrue(listener.hostsDown.isEmpty());
        int i = arp.slotOf(v4(PRINTER));
        assertEquals(50, arp.claims1(i));
        assertEquals(0, arp.claims2(i));
        assertEquals(1, arp.size());
    }

    @Test
    void shouldReportAHostDownAfterThreeUnansweredRequests() {
        arp.onArp(arpRequest(0, MAC_A, LAPTOP, PRINTER));
        arp.onArp(arpRequest(1000 * MS, MAC_B, ROUTER, PRINTER)); // a second asker: the first one is kept
        arp.onArp(arpRequest(2000 * MS, MAC_A, LAPTOP, PRINTER));

        arp.expire(2000 * MS + timeout);

        assertEquals(List.of(new RecordingListener.HostDown(v4(PRINTER), 3, v4(LAPTOP), 0, 2000 * MS)),
                listener.hostsDown);
        arp.expire(2000 * MS + 10 * timeout);
        assertEquals(1, listener.hostsDown.size(), "reported once");
    }

    @Test
    void shouldReportExactlyAtTheTimeoutAfterTheLastRequest() {
        long last = 5000 * MS;
        for (long t = last - 2000 * MS; t <= last; t += 1000 * MS) {
            arp.onArp(arpRequest(t, MAC_A, LAPTOP, PRINTER));
        }

        arp.expire(last + timeout - 1);
        assertTrue(listener.hostsDown.isEmpty(), "one nanosecond early");

        arp.expire(last + timeout);
        assertEquals(1, listener.hostsDown.size());
        assertEquals(3, listener.hostsDown.get(0).requests());
    }

    @Test
    void shouldAddUpUnansweredRetriesWithinTheWindow() {
        arp.onArp(arpRequest(0, MAC_A, LAPTOP, PRINTER));
        arp.onArp(arpRequest(10_000 * MS, MAC_A, LAPTOP, PRINTER));
        arp.expire(10_000 * MS + timeout);
        arp.onArp(arpRequest(20_000 * MS, MAC_A, LAPTOP, PRINTER)); // an ARP cache asks again when it needs to
        arp.expire(20_000 * MS + timeout);
        assertEquals(1, listener.hostsDown.size());
    }

    @Test
    void shouldNotReportTwoRequestsOnly() {
        arp.onArp(arpRequest(0, MAC_A, LAPTOP, PRINTER));
        arp.onArp(arpRequest(1000 * MS, MAC_A, LAPTOP, PRINTER));

        arp.expire(1000 * MS + timeout);
        arp.onArp(arpRequest(60_000 * MS, MAC_A, LAPTOP, PRINTER)); // outside the 60 s window: starts afresh
        arp.expire(60_000 * MS + timeout);

        assertTrue(listener.hostsDown.isEmpty());
    }

    @Test
    void shouldForgetRequestsAnsweredByAReply() {
        arp.onArp(arpRequest(0, MAC_A, LAPTOP, PRINTER));
        arp.onArp(arpRequest(1000 * MS, MAC_A, LAPTOP, PRINTER));
        arp.onArp(arpReply(1001 * MS, MAC_C, PRINTER, MAC_A, LAPTOP));
        arp.onArp(arpRequest(2000 * MS, MAC_A, LAPTOP, PRINTER));
        arp.onArp(arpRequest(3000 * MS, MAC_A, LAPTOP, PRINTER));

        arp.expire(3000 * MS + timeout);

        assertTrue(listener.hostsDown.isEmpty(), "2 requests since the reply");
    }

    @Test
    void shouldTakeAnyArpFromTheAddressForASignOfLife() {
        arp.onArp(arpRequest(0, MAC_A, LAPTOP, PRINTER));
        arp.onArp(arpRequest(1000 * MS, MAC_A, LAPTOP, PRINTER));
        arp.onArp(arpRequest(1500 * MS, MAC_C, PRINTER, ROUTER)); // the printer asks for the router
        arp.onArp(arpRequest(2000 * MS, MAC_A, LAPTOP, PRINTER));

        arp.expire(2000 * MS + timeout);

        assertTrue(listener.hostsDown.isEmpty());
    }

    @Test
    void shouldIgnoreArpProbes() {
        for (int n = 0; n < 5; n++) {
            // RFC 5227 probes: sender 0.0.0.0, from two hosts wanting the same address
            arp.onArp(arpRequest(n * 100 * MS, n % 2 == 0 ? MAC_A : MAC_B, "0.0.0.0", PRINTER));
        }
        arp.expire(500 * MS + timeout);

        assertTrue(listener.hostsDown.isEmpty());
        assertTrue(listener.duplicates.isEmpty());
        assertEquals(-1, arp.slotOf(0), "0.0.0.0 claims nothing");
        assertEquals(-1, arp.slotOf(v4(PRINTER)), "probes are not requests");
    }

    @Test
    void shouldReportEachHostOfManyOnce() {
        for (int host = 1; host <= 100; host++) {
            for (int n = 0; n < 3; n++) {
                arp.onArp(arpRequest(n * 1000 * MS + host, MAC_A, LAPTOP, "198.51.100." + host));
            }
        }
        arp.expire(2000 * MS + 100 + timeout);

        assertEquals(100, listener.hostsDown.size());
        assertEquals(100, listener.hostsDown.stream().map(RecordingListener.HostDown::ip).distinct().count());
        assertTrue(listener.hostsDown.stream().allMatch(h -> h.requests() == 3 && h.requesterIp() == v4(LAPTOP)));
    }
}
