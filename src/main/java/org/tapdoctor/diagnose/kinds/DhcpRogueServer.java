package org.tapdoctor.diagnose.kinds;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Facts;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Problem;
import org.tapdoctor.diagnose.ProblemRule;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.wire.IpAddresses;

/**
 * {@code dhcp_rogue_server}: OFFERs or ACKs from two server identifiers or more within {@code
 * dhcp.server-window} (docs/diagnosis-rules.md section 4; decided by {@code DhcpTracker}). With
 * {@code dhcp.allowed-servers} every other server is the rogue; without it the server most
 * devices' leases come from (distinct device and address; SITE-NOTES S2) is the site's, the first
 * heard on a tie, and each other one is named: server = the rogue. When bindings move the site to
 * a server reported as a rogue, its report is taken back. Live, with {@code client_side} set, a
 * server whose OFFERs or ACKs come in on the client-side NIC is a rogue whatever its leases, alone
 * too ({@code heard_on}); it points {@code client_side}, a rogue heard on the other NIC {@code
 * beyond_tap}.
 */
public final class DhcpRogueServer extends ProblemRule<DhcpRogueServer.Evidence> {
    /**
     * the site's server (0 none); offers (bits 0-31) and bindings (32-63); the rogue's router; its
     * lease; 1 when it is the site's now; where its replies came in (TrackerListener.HEARD_*).
     */
    private static final int SITE = 0, COUNTS = 1, ROUTER = 2, LEASE = 3, NOW_SITE = 4, HEARD = 5;
    /** {@code heard_on} by TrackerListener.HEARD_* value. */
    private static final String[] HEARD_ON = {null, "client_side", "network_side"};

    /**
     * @param siteServer the site's server, or null when none is known (an allowed list no server of which replied)
     * @param offers the rogue's OFFERs
     * @param bindings devices (and addresses) it leased
     * @param router the router option it hands out, or null: the harm it does
     * @param leaseS the lease time it offers, or -1
     * @param heardOn "client_side" (its replies came in on the client-side NIC), "network_side", or null (not known: a file)
     */
    public record Evidence(String siteServer, long offers, long bindings, String router, long leaseS, String heardOn)
            implements org.tapdoctor.diagnose.Evidence {

        @Override
        public void write(EvidenceWriter w) {
            if (siteServer != null) {
                w.put("site_server", siteServer);
            }
            w.put("offers", offers);
            w.put("bindings", bindings);
            if (router != null) {
                w.put("router", router);
            }
            if (leaseS >= 0) {
                w.put("lease_s", leaseS);
            }
            if (heardOn != null) {
                w.put("heard_on", heardOn);
            }
        }
    }

    public DhcpRogueServer(Kind kind) {
        super(kind, Severity.WARNING, "a second DHCP server offers addresses on the segment", Evidence.class);
    }

    /** Records the server as it stands ({@code server == siteServer}: it is the site's now, not a rogue). */
    public void record(Problem p, int server, int siteServer, long offers, long bindings, int router, long leaseS,
                       int heardOn, long first, long last) {
        if (p.count() == 0) {
            p.occurrence(first, last, 0, 0, -1, -1);
        } else {
            p.touch(last);
        }
        p.value(NOW_SITE, server == siteServer ? 1 : 0);
        if (server == siteServer) {
            return;
        }
        p.value(SITE, siteServer & 0xFFFF_FFFFL);
        p.value(COUNTS, Math.min(offers, 0xFFFF_FFFFL) | Math.min(bindings, 0x7FFF_FFFFL) << 32);
        p.value(ROUTER, router & 0xFFFF_FFFFL);
        p.value(LEASE, leaseS);
        p.value(HEARD, heardOn);
    }

    /** {@code heard_on} of a stored TrackerListener.HEARD_* value. */
    static String heardOn(long v) {
        return v > 0 && v < HEARD_ON.length ? HEARD_ON[(int) v] : null;
    }

    /** Where a rogue heard on a NIC points: its side of the tap. */
    static Fault side(String heardOn) {
        return heardOn == null ? null : heardOn.equals("client_side") ? Fault.CLIENT_SIDE : Fault.BEYOND_TAP;
    }

    /** A server the bindings made the site's is no rogue. */
    @Override
    public boolean dismissed(Problem p, Facts facts) {
        return p.value(NOW_SITE) == 1;
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        int site = (int) p.value(SITE);
        int router = (int) p.value(ROUTER);
        return new Evidence(site == 0 ? null : IpAddresses.formatV4(site), p.value(COUNTS) & 0xFFFF_FFFFL,
                p.value(COUNTS) >>> 32, router == 0 ? null : IpAddresses.formatV4(router), p.value(LEASE),
                heardOn(p.value(HEARD)));
    }

    /** Server: the rogue; no client (every device on the segment may take its offers). */
    @Override
    public Diagnosis diagnosis(Problem p, Facts facts) {
        return diagnosis(key(p), null, Endpoint.host(IpAddresses.format(p.serverHi(), p.serverLo())), p.count(),
                time(p.first()), time(p.last()), evidence(p, facts));
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        String who = "client_side".equals(e.heardOn) ? "a DHCP server on the client side of the tap, "
                : "a second DHCP server, ";
        return who + server.ip() + ", offers addresses here" + (e.siteServer == null ? ""
                : " besides the site's " + e.siteServer) + " (" + e.offers + " offers, " + e.bindings + " leases"
                + (e.router == null ? "" : ", router " + e.router) + "): devices that take them get the wrong network";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "ROGUE DHCP";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e.offers + " offers " + e.bindings + " leases";
    }

    /**
     * Live, the rogue's side of the tap, where its replies came in: {@code client_side} (a server
     * among the devices behind the tap), {@code beyond_tap} (on the network: another port of the
     * switch, docs/diagnosis-rules.md section 4); not known in a file.
     */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return side(e.heardOn);
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return new FrameSelection(null, null, FrameSelection.ANY, d.server().ip(), 67, FrameSelection.UDP, null, false);
    }
}
