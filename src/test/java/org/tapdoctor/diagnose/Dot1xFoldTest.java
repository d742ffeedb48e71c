package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tapdoctor.diagnose.Wire.EPOCH;
import static org.tapdoctor.diagnose.Wire.MS;
import static org.tapdoctor.wire.DeviceFrames.ACK;
import static org.tapdoctor.wire.DeviceFrames.DISCOVER;
import static org.tapdoctor.wire.DeviceFrames.OFFER;
import static org.tapdoctor.wire.DeviceFrames.REQUEST;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.engine.Engine;
import org.tapdoctor.engine.EngineSettings;
import org.tapdoctor.wire.DeviceFrames;
import org.tapdoctor.wire.LinkTypes;

/**
 * A device on an 802.1X port without a supplicant gets no DHCP lease and takes a 169.254/16
 * address because the port stays closed: one root cause, {@code dot1x_no_supplicant}, with the
 * DHCP failure and the address in its evidence (docs/diagnosis-rules.md section 4), in replay and
 * live (where the {@code dhcp_failure}, decided first, is withdrawn). Beside it a device that
 * authenticates and gets its lease says nothing. Frames built byte by byte ({@link DeviceFrames})
 * and decoded by the engine as a capture's; times in ms.
 */
class Dot1xFoldTest {
    static final long SWITCH = 0x0200_0000_bb01L, SILENT = 0x0200_0000_0026L, ALICE = 0x0200_0000_0010L,
            SERVER_MAC = 0x0200_0000_bb02L;

    /** What the live service would have streamed: each publication and withdrawal, in order. */
    static final class Stream implements DiagnosisListener {
        final List<String> events = new ArrayList<>();
        final java.util.Map<String, Diagnosis> current = new java.util.LinkedHashMap<>();

        @Override
        public void diagnosis(Diagnosis d) {
            events.add("+" + d.kind().label());
            current.put(d.key(), d);
        }

        @Override
        public void withdrawn(Diagnosis d) {
            events.add("-" + d.kind().label());
            current.remove(d.key());
        }

        @Override
        public void revised(Diagnosis d) {
            current.put(d.key(), d);
        }
    }

    private final List<Engine> engines = new ArrayList<>();

    private void frame(long ms, byte[] bytes) {
        for (Engine e : engines) {
            e.onFrame(bytes, bytes.length, bytes.length, EPOCH + ms * MS, LinkTypes.ETHERNET, -1);
        }
    }

    private void idle(long ms) {
        for (Engine e : engines) {
            e.advance(EPOCH + ms * MS);
        }
    }

    /** Alice (or {@code device}) authenticates (Request, Response, Success), then DISCOVER, OFFER, REQUEST, ACK. */
    private void healthyDevice(long ms) {
        healthyDevice(ms, ALICE);
    }

    private void healthyDevice(long ms, long device) {
        frame(ms, DeviceFrames.requestIdentity(SWITCH, device, 1));
        frame(ms + 1, DeviceFrames.responseIdentity(device, 1, "alice"));
        frame(ms + 2, DeviceFrames.success(SWITCH, device, 2));
        frame(ms + 10, DeviceFrames.dhcp(DISCOVER, device, 0x1010, 0, "0.0.0.0", null));
        frame(ms + 11, DeviceFrames.dhcp(OFFER, device, 0x1010, SERVER_MAC, "192.0.2.10", "192.0.2.2"));
        frame(ms + 12, DeviceFrames.dhcp(REQUEST, device, 0x1010, 0, "192.0.2.10", "192.0.2.2"));
        frame(ms + 13, DeviceFrames.dhcp(ACK, device, 0x1010, SERVER_MAC, "192.0.2.10", "192.0.2.2"));
    }

    /** The silent device: Request/Identity at 0, 3 s, 9 s; DISCOVERs at 0, 2, 4, 6 s (as dot1x_no_supplicant.pcap). */
    private void silentDevice(long dhcpAt) {
        frame(1, DeviceFrames.requestIdentity(SWITCH, SILENT, 1));
        frame(3000, DeviceFrames.requestIdentity(SWITCH, SILENT, 2));
        frame(9000, DeviceFrames.requestIdentity(SWITCH, SILENT, 3));
        for (long ms : new long[] {0, 2000, 4000, 6000}) {
            frame(dhcpAt + ms, DeviceFrames.dhcp(DISCOVER, SILENT, 0x4ffd6149, 0, "0.0.0.0", null));
        }
    }

    @Test
    @KindTest(Kind.DOT1X_NO_SUPPLICANT)
    void shouldFoldTheClosedPortsDhcpFailureAndSelfAssignedAddressIntoOneDiagnosis() {
        Engine replay = new Engine(EngineSettings.defaults());
        Stream live = new Stream();
        engines.add(replay);
        engines.add(new Engine(EngineSettings.defaults(), null, live));
        healthyDevice(500);
        silentDevice(0);
        idle(10_500); // the DHCP failure is decided (6 s + dhcp.timeout 4 s), the requests not yet (9 s + 3 s)
        frame(11_000, DeviceFrames.arpAnnouncement(SILENT, "169.254.26.1"));
        idle(11_500); // its address is said
        idle(12_500); // the requests are judged: the port is closed
        healthyDevice(15_000); // a re-authentication and renewal: still nothing
        idle(30_000);
        engines.forEach(Engine::finish);

        List<Diagnosis> ds = replay.diagnoses();
        assertEquals(1, ds.size(), ds.toString());
        Diagnosis d = ds.get(0);
        assertEquals(Kind.DOT1X_NO_SUPPLICANT, d.kind());
        assertEquals("02:00:00:00:00:26", d.client().mac());
        assertEquals("169.254.26.1", d.client().ip());
        assertEquals(null, d.server());
        assertEquals(3L, d.evidence().get("requests"));
        assertEquals(4L, ((Number) d.evidence().get("dhcp_discovers")).longValue());
        assertEquals(0L, ((Number) d.evidence().get("dhcp_requests")).longValue());
        assertEquals("169.254.26.1", d.evidence().get("address"));
        assertEquals(ProblemRule.time(EPOCH), d.first(), "from its first DISCOVER");
        assertTrue(d.summary().contains("4 DISCOVERs unanswered") && d.summary().contains("169.254.26.1"), d.summary());
        assertEquals("802.1X NO SUPP", d.kind().rule().lcdTag(d));

        // Live: its DHCP failure and its address were said first, then taken back by the one root cause.
        assertEquals(5, live.events.size(), live.events.toString());
        assertEquals(List.of("+dhcp_failure", "+no_address"), live.events.subList(0, 2));
        assertEquals(java.util.Set.of("-dhcp_failure", "-no_address"), java.util.Set.copyOf(live.events.subList(2, 4)),
                live.events.toString());
        assertEquals("+dot1x_no_supplicant", live.events.get(4));
        assertEquals(List.of(d.key()), List.copyOf(live.current.keySet()));
    }

    @Test
    void shouldKeepADhcpFailureLongAfterTheUnansweredRequestsOnItsOwn() {
        Engine replay = new Engine(EngineSettings.defaults());
        engines.add(replay);
        silentDevice(300_000); // its DHCP fails 5 min after the switch stopped asking: not the same episode
        idle(320_000);
        replay.finish();
        assertEquals(List.of("dot1x_no_supplicant -", "dhcp_failure -"), Wire.summary(replay.diagnoses()));
        Diagnosis d = replay.diagnoses().get(0);
        assertEquals(null, d.evidence().get("dhcp_discovers"));
    }

    @Test
    void shouldStaySilentOnAnAuthenticatedDeviceWithANormalDhcpExchange() {
        Engine replay = new Engine(EngineSettings.defaults());
        engines.add(replay);
        healthyDevice(0);
        healthyDevice(30_000);
        idle(60_000);
        replay.finish();
        assertEquals(List.of(), replay.diagnoses());
    }

    @Test
    @KindTest(Kind.DOT1X_FAILURE)
    void shouldFoldTheDhcpFailureOfARefusedDeviceIntoItsDot1xFailure() {
        Engine replay = new Engine(EngineSettings.defaults());
        engines.add(replay);
        healthyDevice(20_000, 0x0200_0000_0011L); // bob authenticates and gets his lease beside it
        for (long ms : new long[] {1000, 6000}) {
            frame(ms, DeviceFrames.requestIdentity(SWITCH, SILENT, 1));
            frame(ms + 1, DeviceFrames.responseIdentity(SILENT, 1, "carol"));
            frame(ms + 2, DeviceFrames.eap(SILENT, DeviceFrames.PAE_GROUP, 2, 2, 4, null)); // an MD5 answer
            frame(ms + 3, DeviceFrames.eap(SWITCH, SILENT, 4, 2, -1, null)); // EAP-Failure
        }
        for (long ms : new long[] {0, 2000, 4000, 6000}) {
            frame(ms, DeviceFrames.dhcp(DISCOVER, SILENT, 0x26, 0, "0.0.0.0", null));
        }
        idle(40_000);
        replay.finish();
        List<Diagnosis> ds = replay.diagnoses();
        assertEquals(1, ds.size(), ds.toString());
        Diagnosis d = ds.get(0);
        assertEquals(Kind.DOT1X_FAILURE, d.kind());
        assertEquals("carol", d.evidence().get("identity"));
        assertEquals(2L, d.evidence().get("failures"));
        assertEquals(4L, ((Number) d.evidence().get("dhcp_discovers")).longValue());
        assertEquals(null, d.evidence().get("address"));
        assertTrue(d.summary().endsWith("; so its DHCP got no lease (4 DISCOVERs unanswered)"), d.summary());
    }
}
