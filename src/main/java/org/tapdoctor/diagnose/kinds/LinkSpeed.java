package org.tapdoctor.diagnose.kinds;

import java.time.Instant;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.KindRule;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Severity;

/**
 * {@code link_speed}: both tap ports up at different speeds or duplex (docs/diagnosis-rules.md
 * section 6): a 1G client behind a 100M uplink, a bottleneck on site.
 */
public final class LinkSpeed extends KindRule<LinkSpeed.Evidence> {

    /**
     * Each port's state under its own name, e.g. {@code {"tapA":"up 1G full","tapB":"up 100M full"}}.
     */
    public record Evidence(String nicA, String stateA, String nicB, String stateB) implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put(nicA, stateA);
            w.put(nicB, stateB);
        }
    }

    public LinkSpeed(Kind kind) {
        super(kind, Severity.WARNING, "the two tap ports run at different speeds or duplex", Evidence.class);
    }

    public Diagnosis diagnosis(Evidence e, Instant time) {
        return diagnosis(kind().label(), null, null, 1, time, time, e);
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return "the tap ports run at different speeds or duplex (" + e.nicA + " " + e.stateA + ", " + e.nicB + " "
                + e.stateB + "): the slower side is a bottleneck";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "SPEED";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e.stateA + " / " + e.stateB;
    }

    /** The box's own ports: no side of the network is at fault. */
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
