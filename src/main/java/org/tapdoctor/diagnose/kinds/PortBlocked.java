package org.tapdoctor.diagnose.kinds;

import static org.tapdoctor.diagnose.EvidenceNames.ATTEMPTS;
import static org.tapdoctor.diagnose.EvidenceNames.FAILURE;
import static org.tapdoctor.diagnose.EvidenceNames.OK_PORTS;
import static org.tapdoctor.diagnose.EvidenceNames.SYN;

import java.time.Instant;
import java.util.List;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.IcmpReport;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.KindRule;
import org.tapdoctor.diagnose.Lcd;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.RstOrigin;
import org.tapdoctor.diagnose.Severity;

/**
 * {@code port_blocked}: a port of a host has SYN-level failures and no working attempt while
 * another port of the same host works (docs/diagnosis-rules.md section 2): a firewall or port
 * forwarding passes only some ports. A verdict over the host's held problems, decided by
 * {@code HostVerdicts}; it replaces the attempt-level diagnoses of the port.
 */
public final class PortBlocked extends KindRule<PortBlocked.Evidence> {

    /**
     * @param failure the most frequent failure kind on the port
     * @param attempts attempts to the port
     * @param syn their SYNs
     * @param okPorts the lowest working ports of the host, at most 5
     * @param workingPorts how many ports of the host work (not in the JSON: the summary's "..." and plural)
     * @param rst the RST's origin when the failure is {@code refused}, else null
     * @param icmp the ICMP error when the failure is {@code unreachable}, else null
     */
    public record Evidence(Kind failure, long attempts, long syn, List<Integer> okPorts, int workingPorts, RstOrigin rst,
                           IcmpReport icmp) implements org.tapdoctor.diagnose.Evidence {
        public Evidence {
            okPorts = List.copyOf(okPorts);
        }

        @Override
        public void write(EvidenceWriter w) {
            w.put(FAILURE, failure.label());
            w.put(ATTEMPTS, attempts);
            w.put(SYN, syn);
            w.putInts(OK_PORTS, okPorts);
            if (rst != null) {
                rst.writeTtls(w);
                rst.writeFrom(w);
            }
            if (icmp != null) {
                icmp.write(w);
            }
        }

        @Override
        public long synCount() {
            return syn;
        }

        @Override
        public void writeKeptByHostFold(EvidenceWriter w) {
            w.put(FAILURE, failure.label());
            if (rst != null) {
                rst.writeFrom(w);
            }
            if (icmp != null) {
                icmp.writeNameAndReporter(w);
            }
            w.putInts(OK_PORTS, okPorts);
        }
    }

    public PortBlocked(Kind kind) {
        super(kind, Severity.CRITICAL, "this port of the host failed while other ports of the same host worked",
                Evidence.class);
    }

    @Override
    public boolean foldsByHost() {
        return true;
    }

    /** The verdict on one port, from its failures' totals. */
    public Diagnosis verdict(Endpoint client, Endpoint server, Instant first, Instant last, Evidence e) {
        return diagnosis(kind().label() + " " + server, client, server, e.attempts, first, last, e);
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        String how = switch (e.failure) {
            case REFUSED -> e.rst != null && e.rst.fromMiddlebox() ? "reset by a middlebox" : "refused";
            case UNREACHABLE -> "ICMP " + e.icmp.name();
            default -> "no reply";
        };
        boolean one = e.workingPorts == 1;
        StringBuilder ports = new StringBuilder();
        for (int p : e.okPorts) {
            ports.append(ports.length() == 0 ? "" : ", ").append(p);
        }
        if (e.workingPorts > e.okPorts.size()) {
            ports.append(", ...");
        }
        return server + " fails (" + how + ") while port" + (one ? " " : "s ") + ports + " of the same host work"
                + (one ? "s" : "") + ": a firewall or port forwarding passes only some ports";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return switch (e.failure) {
            case NO_RESPONSE -> "NO REPLY";
            case UNREACHABLE -> "ICMP";
            default -> "RST";
        };
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return "port blocked, " + Lcd.okPorts(e.okPorts) + " ok";
    }

    /** Where the failure itself points: the server's silence or refusal, a middlebox's RST, the ICMP's reporter. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        if (e.rst != null) {
            return e.rst.fromMiddlebox() ? Fault.MIDDLEBOX : Fault.BEYOND_TAP;
        }
        if (e.icmp != null) {
            return Unreachable.fault(d.client(), d.server(), e.icmp);
        }
        return Fault.BEYOND_TAP;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.between(d, null);
    }
}
