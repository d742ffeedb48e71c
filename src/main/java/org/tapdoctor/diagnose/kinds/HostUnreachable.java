package org.tapdoctor.diagnose.kinds;

import static org.tapdoctor.diagnose.EvidenceNames.ATTEMPTS;
import static org.tapdoctor.diagnose.EvidenceNames.PORTS;
import static org.tapdoctor.diagnose.EvidenceNames.PORT_LIST;
import static org.tapdoctor.diagnose.EvidenceNames.SYN;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.KindRule;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Severity;

/**
 * {@code host_unreachable}: every attempt to one host failed, at least {@code
 * diagnose.host-min-attempts} of them, none refused by the host itself, while other hosts worked
 * (docs/diagnosis-rules.md section 2): the problem is limited to that host. A verdict over the
 * host's held problems, decided by {@code HostVerdicts}; it replaces their attempt-level diagnoses.
 */
public final class HostUnreachable extends KindRule<HostUnreachable.Evidence> {

    /**
     * @param attempts failed attempts to the host
     * @param ports distinct ports tried
     * @param portList the lowest of them, at most 8
     * @param syn their SYNs
     * @param failures attempts per failure ({@code no_response}, {@code unreachable}, {@code refused_by_middlebox})
     * @param okHosts how many other hosts worked
     */
    public record Evidence(long attempts, int ports, List<Integer> portList, long syn, Map<String, Long> failures,
                           int okHosts) implements org.tapdoctor.diagnose.Evidence {
        public Evidence {
            portList = List.copyOf(portList);
            failures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failures));
        }

        @Override
        public void write(EvidenceWriter w) {
            w.put(ATTEMPTS, attempts);
            w.put(PORTS, ports);
            w.putInts(PORT_LIST, portList);
            w.put(SYN, syn);
            w.putCounts("failures", failures);
            w.put("ok_hosts", okHosts);
        }

        @Override
        public long synCount() {
            return syn;
        }
    }

    public HostUnreachable(Kind kind) {
        super(kind, Severity.CRITICAL, "every attempt to this host failed while other hosts worked", Evidence.class);
    }

    @Override
    public boolean foldsByClient() {
        return true;
    }

    /** The verdict on the host {@code ip}. */
    public Diagnosis verdict(Endpoint client, String ip, Instant first, Instant last, Evidence e) {
        return diagnosis(kind().label() + " " + ip, client, Endpoint.host(ip), e.attempts, first, last, e);
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        String ip = server.ip();
        return "every attempt to " + ip + " failed (" + e.attempts + " attempts, " + e.ports + " port"
                + (e.ports == 1 ? "" : "s") + ") while " + e.okHosts + " other host" + (e.okHosts == 1 ? "" : "s")
                + " worked: the problem is limited to " + ip;
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "HOST FAIL";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return "host fails " + e.ports + " ports";
    }

    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return Fault.BEYOND_TAP;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.between(d, null);
    }
}
