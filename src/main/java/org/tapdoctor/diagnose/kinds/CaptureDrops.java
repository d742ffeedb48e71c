package org.tapdoctor.diagnose.kinds;

import java.time.Instant;
import java.util.LinkedHashMap;
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
 * {@code capture_drops}: frames captured on a tap port were dropped before analysis: by the kernel
 * (ps_drop, ps_ifdrop) or because the engine fell behind (its ring was full)
 * (docs/diagnosis-rules.md section 6): diagnoses may be incomplete.
 */
public final class CaptureDrops extends KindRule<CaptureDrops.Evidence> {

    /**
     * @param nic the tap port
     * @param dropped frames dropped since the last report
     * @param kernelDrops the kernel's drops since start
     * @param interfaceDrops the NIC's or driver's drops since start
     * @param ringDrops the engine's ring's drops since start
     */
    public record Evidence(String nic, long dropped, long kernelDrops, long interfaceDrops, long ringDrops)
            implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put("nic", nic);
            w.put("dropped", dropped);
            w.put("kernel_drops", kernelDrops);
            w.put("interface_drops", interfaceDrops);
            w.put("ring_drops", ringDrops);
        }
    }

    /**
     * The rule: a NIC's drops (kernel, interface and ring, since start) are reported when they grew,
     * at most once per {@code report.repeat}, with what was dropped since the last report. One per
     * live service; time is a parameter. Its memory is one entry per NIC.
     */
    public static final class Watch {
        private final CaptureDrops kind = (CaptureDrops) Kind.CAPTURE_DROPS.rule();
        private final long repeatNanos;
        private final Map<String, long[]> reported = new LinkedHashMap<>();

        public Watch(long repeatNanos) {
            this.repeatNanos = repeatNanos;
        }

        /** The NIC's drops as of {@code now}: a diagnosis when they are to be reported, else null. */
        public Diagnosis check(String nic, long kernelDrops, long interfaceDrops, long ringDrops, long now) {
            long total = kernelDrops + interfaceDrops + ringDrops;
            long[] last = reported.computeIfAbsent(nic, n -> new long[] {0, Long.MIN_VALUE / 2});
            if (total <= last[0] || now - last[1] < repeatNanos) {
                return null;
            }
            Diagnosis d = kind.diagnosis(new Evidence(nic, total - last[0], kernelDrops, interfaceDrops, ringDrops),
                    Instant.ofEpochSecond(0, now));
            last[0] = total;
            last[1] = now;
            return d;
        }
    }

    public CaptureDrops(Kind kind) {
        super(kind, Severity.WARNING, "the kernel dropped captured packets: diagnoses may be incomplete", Evidence.class);
    }

    public Diagnosis diagnosis(Evidence e, Instant time) {
        return diagnosis(kind().label() + " " + e.nic, null, null, Math.max(1, e.dropped), time, time, e);
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return e.dropped + " frames captured on " + e.nic + " were dropped before analysis: diagnoses may be incomplete";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "DROPS";
    }

    @Override
    protected String where(Diagnosis d, Evidence e) {
        return e.nic;
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e.dropped + " frames lost";
    }

    /** The box's own health. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return null;
    }

    /** The box's own health: no frames to show. */
    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return null;
    }
}
