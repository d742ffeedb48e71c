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
 * {@code dhcp_failure}: a device's DISCOVERs (at least {@code dhcp.min-attempts}, any xid) got no
 * lease, or its REQUESTs neither ACK nor NAK, and {@code dhcp.timeout} passed after its last one;
 * or it was NAKed and got no lease within {@code dhcp.nak-window} (docs/diagnosis-rules.md
 * section 4; decided by {@code DhcpTracker}). A NAK followed by a lease is DHCP working after a
 * move; a renewal from an address the device still holds is no attempt. Client: the device's MAC
 * (and its address if it has one); server: the server named by the replies to it or its own
 * messages, when known. Held per device.
 */
public final class DhcpFailure extends DeviceRule<DhcpFailure.Evidence> {
    /** discovers, requests, naks, offers in 16 bits each; server (bits 0-31) and relay (32-63); its address; the run's first attempt. */
    private static final int COUNTS = 0, SERVER_RELAY = 1, ADDRESS = 2, RUN = 3;

    /**
     * @param discovers DISCOVERs of the run
     * @param requests REQUESTs that got neither ACK nor NAK
     * @param naks NAKs to it
     * @param offers OFFERs to it (0: nothing answered it)
     * @param server the server named, or null
     * @param relay the relay (giaddr), or null
     */
    public record Evidence(int discovers, int requests, int naks, int offers, String server, String relay)
            implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put("discovers", discovers);
            w.put("requests", requests);
            w.put("naks", naks);
            w.put("offers", offers);
            if (server != null) {
                w.put("server", server);
            }
            if (relay != null) {
                w.put("relay", relay);
            }
        }
    }

    public DhcpFailure(Kind kind) {
        super(kind, Severity.CRITICAL, "a device's DHCP DISCOVERs or REQUESTs got no lease", Evidence.class);
    }

    /** Records a failed run of the problem's device (again, with its figures as they stand, while the run goes on). */
    public void record(Problem p, int ip, int server, int relay, int discovers, int requests, int naks, int offers,
                       long first, long last) {
        if (p.count() == 0 || p.value(RUN) != first) {
            p.occurrence(first, last, 0, 0, -1, -1);
            p.value(RUN, first);
        } else {
            p.touch(last);
        }
        p.value(COUNTS, c16(discovers) | c16(requests) << 16 | c16(naks) << 32 | c16(offers) << 48);
        p.value(SERVER_RELAY, (server & 0xFFFF_FFFFL) | (long) relay << 32);
        p.value(ADDRESS, ip & 0xFFFF_FFFFL);
    }

    private static long c16(int n) {
        return Math.min(Math.max(n, 0), 0xFFFF);
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        long c = p.value(COUNTS);
        int server = (int) p.value(SERVER_RELAY);
        int relay = (int) (p.value(SERVER_RELAY) >>> 32);
        return new Evidence((int) (c & 0xFFFF), (int) (c >>> 16 & 0xFFFF), (int) (c >>> 32 & 0xFFFF), (int) (c >>> 48 & 0xFFFF),
                server == 0 ? null : IpAddresses.formatV4(server), relay == 0 ? null : IpAddresses.formatV4(relay));
    }

    /** The address it holds (a lease it renews), when it has one. */
    @Override
    protected String address(Problem p, Evidence e) {
        int ip = (int) p.value(ADDRESS);
        return ip == 0 ? null : IpAddresses.formatV4(ip);
    }

    /** The server named by the replies to it or its own messages, when known. */
    @Override
    protected Endpoint server(Evidence e) {
        return e.server == null ? null : Endpoint.host(e.server);
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        String from = server == null ? "" : " (server " + server.ip() + ")";
        if (e.naks > 0 && e.discovers + e.requests == 0) {
            return "device " + client.mac() + " was refused its address (" + e.naks + " NAK" + from
                    + ") and got no lease after: it cannot join this network";
        }
        if (e.offers > 0) {
            return "device " + client.mac() + " got " + e.offers + " DHCP offers" + from + " but no lease after "
                    + e.discovers + " DISCOVERs and " + e.requests + " REQUESTs: its replies are lost or it refuses the offers";
        }
        String what = e.discovers >= e.requests ? e.discovers + " DHCP DISCOVERs got no offer"
                : e.requests + " DHCP REQUESTs got no answer";
        return "device " + client.mac() + ": " + what + from + ": no DHCP server answers it (none reachable, or it ignores this device)";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return e.offers > 0 ? "DHCP NO LEASE" : e.naks > 0 && e.discovers + e.requests == 0 ? "DHCP NAK" : "DHCP NO OFFER";
    }

    /** The MAC in the dotted form of switches' MAC tables (fits 16 columns), and the attempts. */
    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        String hex = d.client().mac().replace(":", "");
        return hex.substring(0, 4) + "." + hex.substring(4, 8) + "." + hex.substring(8) + " x" + (e.discovers + e.requests);
    }

    /** Nothing came back through the tap: beyond it; offers went toward the device and it kept asking: its side. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return e.offers > 0 ? Fault.CLIENT_SIDE : Fault.BEYOND_TAP;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.dhcp(d.client().mac());
    }
}
