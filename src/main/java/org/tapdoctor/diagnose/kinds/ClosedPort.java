package org.tapdoctor.diagnose.kinds;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Problem;

/**
 * What a closed 802.1X port did to its device, folded into the 802.1X kind that closed it ({@code
 * dot1x_no_supplicant}, {@code dot1x_failure}) by the device's group verdicts ({@code HostVerdicts}):
 * its {@code dhcp_failure} and its {@code no_address} (a closed port passes no DHCP, so the device
 * gets no lease and may take a 169.254/16 address), when they come within {@link #WINDOW_NANOS} of
 * the 802.1X problem. One root cause, one line, as {@code server_overloaded} takes its port's
 * unanswered SYNs. Immutable.
 *
 * @param dhcpDiscovers the DISCOVERs of the {@code dhcp_failure} folded in, -1 when none was
 * @param dhcpRequests its unanswered REQUESTs, -1 when none was
 * @param address the 169.254/16 address of the {@code no_address} folded in, or null
 */
public record ClosedPort(int dhcpDiscovers, int dhcpRequests, String address) {
    /** Nothing folded in. */
    public static final ClosedPort NONE = new ClosedPort(-1, -1, null);
    /**
     * The device's DHCP failure or 169.254/16 address this close to its 802.1X problem (before its
     * first, after its last) is the closed port's doing: a switch asks again every 30 s (txPeriod,
     * IEEE 802.1X-2004 8.2.4.1.2) and a device starts DHCP at link-up, with the first request.
     */
    public static final long WINDOW_NANOS = 60_000_000_000L;

    /** The 802.1X kinds whose problem closes the device's port. */
    public interface Closes {
        /** The problem as a diagnosis with {@code folded} in, spanning {@code first} to {@code last}. */
        Diagnosis diagnosis(Problem p, ClosedPort folded, long first, long last);
    }

    /** What the folded {@code dhcp_failure} and {@code no_address} (either may be null) say. */
    public static ClosedPort of(DhcpFailure.Evidence dhcp, NoAddress.Evidence address) {
        return new ClosedPort(dhcp == null ? -1 : dhcp.discovers(), dhcp == null ? -1 : dhcp.requests(),
                address == null ? null : address.address());
    }

    /** Whether the same device's problem from {@code first} to {@code last} is the doing of 802.1X problem {@code p}. */
    public static boolean explains(Problem p, long first, long last) {
        return last >= p.first() - WINDOW_NANOS && first <= p.last() + WINDOW_NANOS;
    }

    /** Whether a {@code dhcp_failure} was folded in. */
    public boolean dhcp() {
        return dhcpDiscovers >= 0;
    }

    void write(EvidenceWriter w) {
        if (dhcp()) {
            w.put("dhcp_discovers", dhcpDiscovers);
            w.put("dhcp_requests", dhcpRequests);
        }
        if (address != null) {
            w.put("address", address);
        }
    }

    /** The summary's tail: "; so its DHCP got no lease (4 DISCOVERs unanswered) and it took ...", or "". */
    String summary() {
        StringBuilder s = new StringBuilder();
        if (dhcp()) {
            s.append("; so its DHCP got no lease (")
                    .append(dhcpDiscovers >= dhcpRequests ? dhcpDiscovers + " DISCOVERs" : dhcpRequests + " REQUESTs")
                    .append(" unanswered)");
        }
        if (address != null) {
            s.append(dhcp() ? " and" : "; so").append(" it took the self-assigned ").append(address);
        }
        return s.toString();
    }

    /**
     * The device's EAPOL (to or from its MAC) from the capture's start; with what was folded in, its
     * DHCP messages and the replies to it (chaddr), its ARP and the ARP about its 169.254/16 address.
     */
    FrameSelection frames(String mac) {
        int frames = FrameSelection.EAPOL | (dhcp() ? FrameSelection.DHCP : 0) | (address != null ? FrameSelection.ARP : 0);
        FrameSelection s = FrameSelection.device(mac, frames).sinceStart();
        return address == null ? s : s.withArp(address);
    }
}
