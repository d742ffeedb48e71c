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
import org.tapdoctor.wire.WireText;

/**
 * {@code dot1x_failure}: the authenticator sent EAP-Failure (RFC 3748 4.2) to a device, and that
 * is its last outcome (docs/diagnosis-rules.md section 4, {@code track.Dot1xTable}): the switch port
 * stays unauthorized, the device has no network. An EAP-Success after it clears it (a mistyped
 * password, then the right one, is no site problem). A device refusing every method with a Nak
 * and no Failure is not this kind (SITE-NOTES S6). The problem is held per device MAC; client =
 * the device, no server (the authenticator is in the evidence). The port it closed is the root
 * cause of the device's {@code dhcp_failure} and {@code no_address} nearby: folded in ({@link ClosedPort}).
 */
public final class Dot1xFailure extends DeviceRule<Dot1xFailure.Evidence> implements ClosedPort.Closes {
    /** Failures so far, the EAP method it failed with, its authenticator, cleared by a later success (1). */
    private static final int FAILURES = 0, METHOD = 1, AUTHENTICATOR = 2, CLEARED = 3;

    /**
     * @param identity its Response/Identity, or null when none was seen
     * @param failures EAP-Failures it got
     * @param method the EAP method it answered last (MD5-Challenge, PEAP, ...), or null when none
     * @param authenticator the MAC of the switch port that refused it
     * @param folded the device's DHCP failure and self-assigned address folded in
     */
    public record Evidence(String identity, long failures, String method, String authenticator, ClosedPort folded)
            implements org.tapdoctor.diagnose.Evidence {
        public Evidence(String identity, long failures, String method, String authenticator) {
            this(identity, failures, method, authenticator, ClosedPort.NONE);
        }

        @Override
        public void write(EvidenceWriter w) {
            if (identity != null) {
                w.put("identity", identity);
            }
            w.put("failures", failures);
            if (method != null) {
                w.put("method", method);
            }
            w.put("authenticator", authenticator);
            folded.write(w);
        }
    }

    public Dot1xFailure(Kind kind) {
        super(kind, Severity.CRITICAL, "the 802.1X authenticator refused the device (EAP-Failure)", Evidence.class);
    }

    /** Records one EAP-Failure to the problem's device. */
    public void record(Problem p, long device, int failures, int method, long authenticator, byte[] identity,
            int identityOffset, int identityLength, long time) {
        p.occurrence(time, time, 0, 0, -1, -1);
        p.value(FAILURES, failures);
        p.value(METHOD, method);
        p.value(AUTHENTICATOR, authenticator);
        p.value(CLEARED, 0);
        if (identityLength >= 0) {
            p.name(identity, identityOffset, identityLength);
        }
    }

    /** An EAP-Success to the device after its failures: its last outcome is no failure. */
    public void cleared(Problem p, long time) {
        p.value(CLEARED, 1);
        p.touch(time);
    }

    @Override
    public boolean dismissed(Problem p, Facts facts) {
        return p.value(CLEARED) == 1;
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        String identity = p.nameLength() > 0
                ? WireText.text(p.names(), p.nameOffset(), p.nameLength()) : null;
        return new Evidence(identity == null || identity.isEmpty() ? null : identity, Math.max(0, p.value(FAILURES)),
                method((int) p.value(METHOD)), IpAddresses.formatMac(p.value(AUTHENTICATOR)));
    }

    /** The problem as a diagnosis with the device's DHCP failure and address folded in; the client has that address. */
    @Override
    public Diagnosis diagnosis(Problem p, ClosedPort folded, long first, long last) {
        Evidence own = evidence(p, null);
        Evidence e = new Evidence(own.identity, own.failures, own.method, own.authenticator, folded);
        return diagnosis(key(p), Endpoint.device(mac(p), folded.address()), null, p.count(), time(first), time(last), e);
    }

    /** RFC 3748 5 and the IANA EAP registry's common methods; another type by its number; null for none. */
    static String method(int type) {
        return switch (type) {
            case -1 -> null;
            case 4 -> "MD5-Challenge";
            case 5 -> "OTP";
            case 6 -> "GTC";
            case 13 -> "TLS";
            case 18 -> "SIM";
            case 21 -> "TTLS";
            case 23 -> "AKA";
            case 25 -> "PEAP";
            case 26 -> "MSCHAPv2";
            case 43 -> "FAST";
            case 50 -> "AKA'";
            default -> Integer.toString(type);
        };
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return "802.1X refused " + client.mac() + (e.identity == null ? "" : " (identity " + e.identity + ")")
                + (e.method == null ? "" : " with " + e.method) + ": the switch port stays closed, the device has no network"
                + e.folded.summary();
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "802.1X FAIL";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e.identity != null ? e.identity : d.client().mac();
    }

    /** The authenticator is the switch port beyond the tap; the credentials are the device's: no side. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return null;
    }

    /**
     * The device's EAPOL frames (to or from its MAC), from before its first Failure: the Start,
     * Request/Identity, Response and method exchange that led to it, and the Failures; and what was
     * folded in ({@link ClosedPort#frames}).
     */
    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return e.folded.frames(d.client().mac());
    }
}
