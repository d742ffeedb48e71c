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
 * {@code no_address}: a device uses a 169.254/16 address (RFC 3927 2.1: 169.254.1.0 to
 * 169.254.254.255), seen in an ARP announcement (sender = target) or as an IP packet's source:
 * its DHCP did not work (docs/diagnosis-rules.md section 4). ARP probes alone (sender 0.0.0.0)
 * are not enough: the device is still trying. One per device; client = its MAC and address.
 */
public final class NoAddress extends DeviceRule<NoAddress.Evidence> {
    private static final int ADDRESS = 0, DISCOVERS = 1;

    /**
     * @param address the 169.254/16 address it uses
     * @param dhcpAttempts its DISCOVERs of the current run with no lease (0: none seen)
     */
    public record Evidence(String address, int dhcpAttempts) implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put("address", address);
            w.put("dhcp_attempts", dhcpAttempts);
        }
    }

    public NoAddress(Kind kind) {
        super(kind, Severity.CRITICAL, "a device uses a 169.254/16 address: its DHCP did not work", Evidence.class);
    }

    /** Records the device's link-local address at {@code time} (one occurrence per device; later signs touch it). */
    public void record(Problem p, int ip, int dhcpDiscovers, long time) {
        if (p.count() == 0) {
            p.occurrence(time, time, 0, 0, -1, -1);
        } else {
            p.touch(time);
        }
        p.value(ADDRESS, ip & 0xFFFF_FFFFL);
        p.value(DISCOVERS, Math.max(dhcpDiscovers, Math.max(0, p.value(DISCOVERS))));
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Evidence(IpAddresses.formatV4((int) p.value(ADDRESS)), (int) Math.max(0, p.value(DISCOVERS)));
    }

    /** Client: the device, its MAC and its 169.254/16 address; no server. */
    @Override
    protected String address(Problem p, Evidence e) {
        return e.address;
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return "device " + client.mac() + " uses " + e.address + ", a self-assigned address: it got no DHCP lease"
                + (e.dhcpAttempts > 0 ? " (" + e.dhcpAttempts + " DISCOVERs unanswered)" : "")
                + " and cannot reach anything beyond the link";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "169.254 ADDR";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e.address;
    }

    /** The device's own state, no side of the box. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return null;
    }

    /**
     * How it came to the address: its DHCP messages and any reply (chaddr), its ARP (by its MAC: the
     * probes before it took the address, its announcements) and the ARP about the address, from
     * before it was first seen using it. Not its IP frames from the address: a Windows device's
     * NetBIOS and SSDP chatter on 169.254/16 (td_eapon1: 50 frames) says nothing more.
     */
    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.device(d.client().mac(), FrameSelection.ARP | FrameSelection.DHCP).withArp(e.address)
                .sinceStart();
    }
}
