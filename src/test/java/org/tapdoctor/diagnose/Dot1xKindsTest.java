package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tapdoctor.diagnose.Wire.EPOCH;
import static org.tapdoctor.diagnose.Wire.MS;
import static org.tapdoctor.wire.SitePackets.FAILURE;
import static org.tapdoctor.wire.SitePackets.IDENTITY;
import static org.tapdoctor.wire.SitePackets.MD5;
import static org.tapdoctor.wire.SitePackets.PAE_GROUP;
import static org.tapdoctor.wire.SitePackets.REQUEST;
import static org.tapdoctor.wire.SitePackets.RESPONSE;
import static org.tapdoctor.wire.SitePackets.SUCCESS;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.wire.SitePackets;

/**
 * The 802.1X kinds (docs/diagnosis-rules.md section 4): {@code dot1x_failure} for a device whose
 * last outcome is an EAP-Failure, {@code dot1x_no_supplicant} for a device that never answers its
 * switch port's identity requests; beside them, a device that authenticates, one that fails then
 * succeeds, and one that answers and then stops. Authenticator 02:00:00:00:bb:01; times in ms.
 */
class Dot1xKindsTest {
    static final long SWITCH = 0x0200_0000_bb01L, ALICE = 0x0200_0000_0010L, BOB = 0x0200_0000_0011L,
            SILENT = 0x0200_0000_0026L;

    private static Wire eap(Wire w, long ms, long src, long dst, int code, int type, String data) {
        return w.frame(SitePackets.eap(EPOCH + ms * MS, src, dst, code, type, data));
    }

    /** One exchange: Request/Identity, Response/Identity, MD5 challenge and answer, then the outcome. */
    private static Wire exchange(Wire w, long ms, long device, String identity, int outcome) {
        eap(w, ms, SWITCH, device, REQUEST, IDENTITY, null);
        eap(w, ms + 1, device, SWITCH, RESPONSE, IDENTITY, identity);
        eap(w, ms + 2, SWITCH, device, REQUEST, MD5, null);
        eap(w, ms + 3, device, SWITCH, RESPONSE, MD5, null);
        return eap(w, ms + 4, SWITCH, device, outcome, -1, null);
    }

    @Test
    @KindTest(Kind.DOT1X_FAILURE)
    void shouldReportADeviceWhoseLastOutcomeIsAFailure() {
        Wire w = new Wire();
        exchange(w, 0, ALICE, "alice", FAILURE);
        exchange(w, 1000, BOB, "bob", SUCCESS);
        exchange(w, 5000, ALICE, "alice", FAILURE);
        List<Diagnosis> ds = w.idle(20_000).diagnoses();
        assertEquals(1, ds.size(), ds.toString());
        Diagnosis d = ds.get(0);
        assertEquals(Kind.DOT1X_FAILURE, d.kind());
        assertEquals("02:00:00:00:00:10", d.client().mac());
        assertEquals(null, d.server());
        assertEquals("alice", d.evidence().get("identity"));
        assertEquals(2L, d.evidence().get("failures"));
        assertEquals("MD5-Challenge", d.evidence().get("method"));
        assertEquals("02:00:00:00:bb:01", d.evidence().get("authenticator"));
        assertEquals("alice", d.kind().rule().lcdDetail(d));
    }

    @Test
    void shouldClearAFailureThatASuccessFollows() {
        Wire w = new Wire();
        exchange(w, 0, ALICE, "alice", FAILURE);
        exchange(w, 6600, ALICE, "alice", SUCCESS);
        assertEquals(List.of(), w.idle(20_000).diagnoses());
    }

    @Test
    void shouldTakeAFailureToTheGroupAddressForTheDeviceThatLastResponded() {
        Wire w = new Wire();
        eap(w, 0, SWITCH, PAE_GROUP, REQUEST, IDENTITY, null);
        eap(w, 1, BOB, PAE_GROUP, RESPONSE, IDENTITY, "bob");
        eap(w, 2, SWITCH, PAE_GROUP, FAILURE, -1, null);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(1, ds.size(), ds.toString());
        assertEquals("02:00:00:00:00:11", ds.get(0).client().mac());
    }

    @Test
    @KindTest(Kind.DOT1X_NO_SUPPLICANT)
    void shouldReportADeviceThatNeverAnswersItsPortsIdentityRequests() {
        Wire w = new Wire();
        for (long ms : new long[] {0, 3000, 9000}) {
            eap(w, ms, SWITCH, SILENT, REQUEST, IDENTITY, null);
        }
        exchange(w, 100, ALICE, "alice", SUCCESS);
        List<Diagnosis> ds = w.idle(20_000).diagnoses();
        assertEquals(1, ds.size(), ds.toString());
        Diagnosis d = ds.get(0);
        assertEquals(Kind.DOT1X_NO_SUPPLICANT, d.kind());
        assertEquals("02:00:00:00:00:26", d.client().mac());
        assertEquals(3L, d.evidence().get("requests"));
        assertEquals("802.1X NO SUPP", d.kind().rule().lcdTag(d));
    }

    @Test
    void shouldStaySilentOnADeviceThatAnsweredOnceAndOnRequestsToTheGroupAddress() {
        Wire w = new Wire();
        eap(w, 0, SWITCH, ALICE, REQUEST, IDENTITY, null);
        eap(w, 1, ALICE, SWITCH, RESPONSE, IDENTITY, "alice");
        eap(w, 2, SWITCH, ALICE, REQUEST, MD5, null);
        eap(w, 3, ALICE, SWITCH, RESPONSE, SitePackets.NAK, null); // refuses MD5: no Failure, no diagnosis
        for (long ms : new long[] {30_000, 60_000, 90_000}) {
            eap(w, ms, SWITCH, ALICE, REQUEST, IDENTITY, null); // it stopped answering: it has a supplicant
            eap(w, ms, SWITCH, PAE_GROUP, REQUEST, IDENTITY, null);
        }
        for (long ms : new long[] {0, 1000, 2000}) {
            eap(w, 200_000 + ms, SWITCH, SILENT, REQUEST, IDENTITY, null); // three, but within 2 s
        }
        assertEquals(List.of(), w.idle(300_000).diagnoses());
    }
}
