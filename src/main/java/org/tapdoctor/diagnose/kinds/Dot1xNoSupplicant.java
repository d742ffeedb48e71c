package org.tapdoctor.diagnose.kinds;

import org.tapdoctor.diagnose.DeviceRule;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Facts;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Problem;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.wire.IpAddresses;

/**
 * {@code dot1x_no_supplicant}: the authenticator's EAP-Request/Identity to a device went
 * unanswered at least {@code dot1x.min-requests} times over at least 3 s, with no EAPOL at all from
 * the device (docs/diagnosis-rules.md section 4, {@code track.Dot1xTable}): the switch port wants
 * 802.1X and the device is not set up for it, so the port stays closed. A device that answered
 * before is never this kind (SITE-NOTES S6).
 *
 * <p>The closed port is the one root cause of what follows for that device: its {@code
 * dhcp_failure} and {@code no_address} nearby are folded into this line ({@link ClosedPort}).
 */
public final class Dot1xNoSupplicant extends DeviceRule<Dot1xNoSupplicant.Evidence> implements ClosedPort.Closes {
    private static final int REQUESTS = 0, AUTHENTICATOR = 1;

    /**
     * @param requests Request/Identity frames nobody answered
     * @param authenticator the MAC of the switch port asking
     * @param folded the device's DHCP failure and self-assigned address folded in
     */
    public record Evidence(long requests, String authenticator, ClosedPort folded)
            implements org.tapdoctor.diagnose.Evidence {
        public Evidence(long requests, String authenticator) {
            this(requests, authenticator, ClosedPort.NONE);
        }

        @Override
        public void write(EvidenceWriter w) {
            w.put("requests", requests);
            w.put("authenticator", authenticator);
            folded.write(w);
        }
    }

    public Dot1xNoSupplicant(Kind kind) {
        super(kind, Severity.CRITICAL, "the 802.1X authenticator's identity requests to a device went unanswered",
                Evidence.class);
    }

    /** Records one round of unanswered requests to the problem's device. */
    public void record(Problem p, long device, int requests, long authenticator, long first, long last) {
        p.occurrence(first, last, 0, 0, -1, -1);
        p.value(REQUESTS, Math.max(0, p.value(REQUESTS)) + requests);
        p.value(AUTHENTICATOR, authenticator);
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Evidence(Math.max(0, p.value(REQUESTS)), IpAddresses.formatMac(p.value(AUTHENTICATOR)));
    }

    /** The problem as a diagnosis with the device's DHCP failure and address folded in; the client has that address. */
    @Override
    public Diagnosis diagnosis(Problem p, ClosedPort folded, long first, long last) {
        Evidence e = new Evidence(Math.max(0, p.value(REQUESTS)), IpAddresses.formatMac(p.value(AUTHENTICATOR)), folded);
        return diagnosis(key(p), Endpoint.device(mac(p), folded.address()), null, p.count(), time(first), time(last), e);
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return "the switch port (" + e.authenticator + ") asked " + client.mac() + " for its 802.1X identity "
                + e.requests + " times without an answer: the device has no 802.1X supplicant, the port stays closed"
                + e.folded.summary();
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "802.1X NO SUPP";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return d.client().mac();
    }

    /** The device is not set up for what its port requires: no side of the box is at fault. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return null;
    }

    /** The device's EAPOL (the Requests nobody answered) and what was folded in ({@link ClosedPort#frames}). */
    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return e.folded.frames(d.client().mac());
    }
}
