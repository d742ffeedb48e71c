package org.tapdoctor.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tapdoctor.site.Announcements.SWITCH_MAC;
import static org.tapdoctor.site.Announcements.decode;
import static org.tapdoctor.site.Announcements.lldp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tapdoctor.engine.Engine;

class SiteRecorderTest {
    private static final long S = 1_000_000_000L, EPOCH = 1_764_633_600L * S;
    private static final int[] MGMT = {192, 0, 2, 3};

    private static byte[] access(String port, int ttl) {
        return lldp(SWITCH_MAC, "sw-3f-access-01", port, null, ttl, 10, 20, MGMT);
    }

    @Test
    void shouldPrintTheRecordOnceForASwitchReSendingItsLldpdu() {
        Engine e = new Engine();
        for (int i = 0; i < 10; i++) {
            e.track(decode(access("Gi1/0/12", 120), EPOCH + i * 30 * S, -1));
        }
        e.finish();
        assertEquals(1, e.siteRecords().size());
        assertEquals("Gi1/0/12", e.siteRecords().get(0).switchPort().port());
        assertEquals(1, e.site().records(), "one record built: re-sending moves no counter");
    }

    @Test
    void shouldPrintTheRecordWhenThePortChangesAndWhenTheSwitchLeaves() {
        Engine e = new Engine();
        e.track(decode(access("Gi1/0/12", 120), EPOCH, -1));
        e.track(decode(access("Gi1/0/13", 120), EPOCH + S, -1));
        e.track(decode(access("Gi1/0/13", 0), EPOCH + 2 * S, -1)); // the port shuts down
        e.finish();
        List<String> ports = new ArrayList<>();
        for (SiteRecord r : e.siteRecords()) {
            ports.add(r.switchPort() == null ? "none" : r.switchPort().port());
        }
        assertEquals(List.of("Gi1/0/12", "Gi1/0/13", "none"), ports);
        assertTrue(e.siteRecord().isEmpty());
    }

    @Test
    void shouldNeverDateARecordBeforeTheFrameItShows() {
        // Live: the switch's LLDPDU at its kernel timestamp, then the engine's clock (behind the
        // wall clock by a second) moves time on while a link changes: that record shows the
        // switch, so it is dated no earlier than the LLDPDU.
        Engine e = new Engine();
        e.track(decode(access("Gi1/0/12", 120), EPOCH + 10 * S, -1));
        e.site().links(Map.of("tapA", "up"));
        e.advance(EPOCH + 9 * S);
        assertEquals(2, e.siteRecords().size());
        assertEquals(EPOCH + 10 * S, e.siteRecords().get(1).timeNanos());
    }

    @Test
    void shouldAgeTheSwitchOutOnTheEnginesClock() {
        Engine e = new Engine();
        e.track(decode(access("Gi1/0/12", 120), EPOCH, -1));
        e.advance(EPOCH + 60 * S);
        assertEquals(1, e.siteRecords().size());
        e.advance(EPOCH + 125 * S); // past the TTL and a sweep
        assertEquals(2, e.siteRecords().size());
        assertNull(e.siteRecord().switchPort());
    }

    @Test
    void shouldPrintNothingForACaptureWithoutSiteProtocols() {
        List<SiteRecord> printed = new ArrayList<>();
        SiteRecorder r = new SiteRecorder(List.of(new NeighbourTable()), () -> 0, printed::add);
        r.check(S);
        r.check(2 * S);
        assertEquals(List.of(), printed);
        r.links(Map.of("eth0", "up 1G full"));
        r.check(3 * S);
        assertEquals(List.of(), printed, "links alone are not a site");
    }

    @Test
    void shouldNotPrintACounterThatMovedButPrintACheckThatDid() {
        long[] answers = {0};
        NeighbourTable t = new NeighbourTable();
        List<SiteRecord> printed = new ArrayList<>();
        SiteRecorder r = new SiteRecorder(List.of(t), () -> answers[0], printed::add);
        t.onDiscovery(decode(access("Gi1/0/12", 120), S, -1));
        r.check(S);
        assertEquals(1, printed.size());
        answers[0] = 1; // the first DNS answer: the checklist's DNS is ok now
        r.check(2 * S);
        assertEquals(2, printed.size());
        assertEquals(SiteRecord.Check.OK, printed.get(1).checks().dns());
        answers[0] = 5;
        r.check(3 * S);
        assertEquals(2, printed.size(), "more answers change nothing a person reads");
    }
}
