package org.tapdoctor.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnoses;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.RstOrigin;
import org.tapdoctor.diagnose.kinds.Dot1xNoSupplicant;
import org.tapdoctor.diagnose.kinds.Refused;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.SitePackets;
import org.tapdoctor.wire.TestPackets;

/**
 * {@link FrameSelector#matches} allocates nothing (by the JVM's per-thread allocation counter):
 * live, it runs over every frame of the recent-frames ring for each diagnosis written. Selections
 * by a device's MAC (EAPOL; DHCP, ARP, ND), by ARP address and by IP 4-tuple, over a mix of
 * EAPOL, DHCP, ARP, neighbour discovery, TCP and ICMP errors of the device and of others.
 */
class FrameSelectorAllocationTest {
    private static final long EPOCH = 1_795_219_200_000_000_000L, MS = 1_000_000L;
    private static final long DEVICE = 0x0200_0000_0026L, OTHER = 0x0200_0000_0027L, SWITCH = 0x0200_0000_bb01L;
    private static final int ROUNDS = 20_000;
    private static final long MAX_BYTES = 1024;

    @Test
    void shouldAllocateNothingPerFrameMatched() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counting not supported");
        threads.setThreadAllocatedMemoryEnabled(true);

        Instant t = Instant.ofEpochSecond(0, EPOCH);
        Diagnosis device = Diagnoses.of(Kind.DOT1X_NO_SUPPLICANT, Endpoint.device("02:00:00:00:00:26", null), null, 1, t,
                t.plusSeconds(9), new Dot1xNoSupplicant.Evidence(3, "02:00:00:00:bb:01"));
        Diagnosis refused = Diagnoses.of(Kind.REFUSED, new Endpoint("192.0.2.10", 40000), new Endpoint("198.51.100.10", 82),
                1, t, t.plusMillis(100), new Refused.Evidence(1, RstOrigin.judge(64, -1), new Clients(1, false)));
        List<FrameSelector> selectors = List.of(
                FrameSelector.of(device, EvidenceWriter.AFTER_LAST_NANOS),
                FrameSelector.of(device, FrameSelection.device("02:00:00:00:00:26",
                        FrameSelection.DHCP | FrameSelection.ARP | FrameSelection.ND).withArp("169.254.26.1").sinceStart(),
                        EvidenceWriter.AFTER_LAST_NANOS),
                FrameSelector.of(refused, EvidenceWriter.AFTER_LAST_NANOS));
        DecodedFrame[] frames = {
                SitePackets.eap(EPOCH, SWITCH, DEVICE, 1, 1, null),
                SitePackets.eap(EPOCH + MS, OTHER, 0x0180_C200_0003L, 2, 1, "bob"),
                TestPackets.dhcp(EPOCH + 2 * MS, 1, DEVICE, 7, "0.0.0.0", "255.255.255.255", "0.0.0.0", "0.0.0.0",
                        "0.0.0.0", "0.0.0.0", -1, "0.0.0.0"),
                TestPackets.dhcp(EPOCH + 3 * MS, 1, OTHER, 8, "0.0.0.0", "255.255.255.255", "0.0.0.0", "0.0.0.0",
                        "0.0.0.0", "0.0.0.0", -1, "0.0.0.0"),
                TestPackets.arpRequest(EPOCH + 4 * MS, DEVICE, "169.254.26.1", "169.254.26.1"),
                TestPackets.arpRequest(EPOCH + 5 * MS, OTHER, "192.0.2.27", "192.0.2.1"),
                SitePackets.ns(EPOCH + 6 * MS, DEVICE, "::", "2001:db8:a::26"),
                TestPackets.tcp(EPOCH + 7 * MS, "192.0.2.10", 40000, "198.51.100.10", 82, DecodedFrame.SYN, 1, 0, 64,
                        65535, 0),
                TestPackets.icmpUnreachable(EPOCH + 8 * MS, "203.0.113.1", 13, "192.0.2.10", 40000, "198.51.100.10", 82)};

        long[] matched = new long[1];
        for (int warm = 0; warm < 3; warm++) {
            run(selectors, frames, matched);
        }
        matched[0] = 0;
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        run(selectors, frames, matched);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // per round: EAPOL to it; its DHCP, ARP, ND; the SYN and the ICMP error quoting it
        assertEquals(6L * ROUNDS, matched[0]);
        assertTrue(allocated < MAX_BYTES, allocated + " bytes allocated by " + ROUNDS * frames.length * selectors.size()
                + " matches (expected: < " + MAX_BYTES + ")");
    }

    private static void run(List<FrameSelector> selectors, DecodedFrame[] frames, long[] matched) {
        for (int r = 0; r < ROUNDS; r++) {
            for (DecodedFrame f : frames) {
                for (int s = 0; s < selectors.size(); s++) {
                    if (selectors.get(s).matches(f)) {
                        matched[0]++;
                    }
                }
            }
        }
    }
}
