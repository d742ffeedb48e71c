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
 * <p>The closed port is the one root cause of what follows for that device: its DHCP failing
 * ({@code dhcp_failure}) and its self-assigned address ({@code no_address}) within {@link
 * #FOLD_WINDOW_NANOS} of the unanswered requests are folded into this line by the group's
 * verdicts ({@code HostVerdicts}), their figures in its evidence, not said on their own: the
 * engineer sees one diagnosis, as {@code server_overloaded} takes its port's unanswered SYNs.
 */
public final class Dot1xNoSupplicant extends DeviceRule<Dot1xNoSupplicant.Evidence> {
    /**
     * The device's DHCP failure or 169.254/16 address this close to its unanswered requests (before
     * the first, after the last) is the closed port's doing: a switch asks again every 30 s (txPeriod,
     * IEEE 802.1X-2004 8.2.4.1.2) and a device starts DHCP at link-up, with the first request.
     */
    public static final long FOLD_WINDOW_NANOS = 60_000_000_000L;
    private static final int REQUESTS = 0, AUTHENTICATOR = 1;

    /**
     * @param requests Request/Identity frames nobody answered
     * @param authenticator the MAC of the switch port asking
     * @param dhcpDiscovers the DISCOVERs of its {@code dhcp_failure} folded in, -1 when none was
     * @param dhcpRequests the unanswered REQUESTs of that {@code dhcp_failure}, -1 when none was
     * @param address the 169.254/16 address of its {@code no_address} folded in, or null
     */
    public record Evidence(long requests, String authenticator, int dhcpDiscovers, int dhcpRequests, String address)
            implements org.tapdoctor.diagnose.Evidence {
        public Evidence(long requests, String authenticator) {
            this(requests, authenticator, -1, -1, null);
        }

        @Override
        public void write(EvidenceWriter w) {
            w.put("requests", requests);
            w.put("authenticator", authenticator);
            if (dhcpDiscovers >= 0) {
                w.put("dhcp_discovers", dhcpDiscovers);
                w.put("dhcp_requests", dhcpRequests);
            }
            if (address != null) {
                w.put("address", address);
            }
        }

        /** Whether a {@code dhcp_failure} was folded in. */
        public boolean dhcpFolded() {
            return dhcpDiscovers >= 0;
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

    /** Whether the same device's problem from {@code first} to {@code last} is this one's doing. */
    public static boolean explains(Problem p, long first, long last) {
        return last >= p.first() - FOLD_WINDOW_NANOS && first <= p.last() + FOLD_WINDOW_NANOS;
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Evidence(Math.max(0, p.value(REQUESTS)), IpAddresses.formatMac(p.value(AUTHENTICATOR)));
    }

    /**
     * The problem as a diagnosis with the device's {@code dhcp_failure} and {@code no_address}
     * folded in (either may be null), spanning {@code first} to {@code last} (theirs too); the
     * client has the 169.254/16 address when there is one.
     */
    public Diagnosis diagnosis(Problem p, DhcpFailure.Evidence dhcp, NoAddress.Evidence address, long first, long last) {
        Evidence e = new Evidence(Math.max(0, p.value(REQUESTS)), IpAddresses.formatMac(p.value(AUTHENTICATOR)),
                dhcp == null ? -1 : dhcp.discovers(), dhcp == null ? -1 : dhcp.requests(),
                address == null ? null : address.address());
        return diagnosis(key(p), Endpoint.device(mac(p), e.address), null, p.count(), time(first), time(last), e);
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        StringBuilder s = new StringBuilder("the switch port (").append(e.authenticator).append(") asked ")
                .append(client.mac()).append(" for its 802.1X identity ").append(e.requests)
                .append(" times without an answer: the device has no 802.1X supplicant, the port stays closed");
        if (e.dhcpFolded()) {
            s.append("; so its DHCP got no lease (")
                    .append(e.dhcpDiscovers >= e.dhcpRequests ? e.dhcpDiscovers + " DISCOVERs" : e.dhcpRequests + " REQUESTs")
                    .append(" unanswered)");
        }
        if (e.address != null) {
            s.append(e.dhcpFolded() ? " and" : "; so").append(" it took the self-assigned ").append(e.address);
        }
        return s.toString();
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

    /**
     * The device's EAPOL frames (the Request/Identity frames nobody answered), from before the first
     * one; with what was folded in, its DHCP messages and the replies to it, and its ARP and the ARP
     * about its 169.254/16 address (as {@code no_address} selects them).
     */
    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        int frames = FrameSelection.EAPOL | (e.dhcpFolded() ? FrameSelection.DHCP : 0)
                | (e.address != null ? FrameSelection.ARP : 0);
        FrameSelection s = FrameSelection.device(d.client().mac(), frames).sinceStart();
        return e.address == null ? s : s.withArp(e.address);
    }
}
