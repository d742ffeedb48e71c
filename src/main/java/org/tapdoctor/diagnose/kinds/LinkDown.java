package org.tapdoctor.diagnose.kinds;

import java.time.Instant;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.KindRule;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Severity;

/**
 * {@code link_down}: a tap port lost its carrier or disappeared (sysfs, polled every second; docs/diagnosis-rules.md
 * section 6): no traffic crosses this side of the box.
 */
public final class LinkDown extends KindRule<LinkState> {

    public LinkDown(Kind kind) {
        super(kind, Severity.CRITICAL, "a tap port lost its carrier", LinkState.class);
    }

    /** The diagnosis of a port's new state at {@code time}. */
    public Diagnosis diagnosis(LinkState e, Instant time) {
        return diagnosis(kind().label() + " " + e.nic(), null, null, 1, time, time, e);
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, LinkState e) {
        return "tap port " + e.nic() + " is " + e.state() + ": no traffic crosses this side of the box";
    }

    @Override
    protected String lcdTag(LinkState e) {
        return "LINK DOWN";
    }

    @Override
    protected String where(Diagnosis d, LinkState e) {
        return e.nic();
    }

    @Override
    protected String lcdDetail(Diagnosis d, LinkState e) {
        return e.state();
    }

    /** The box's own port: no side of the network is at fault. */
    @Override
    protected Fault fault(Diagnosis d, LinkState e) {
        return null;
    }

    /** The box's own health: no frames to show. */
    @Override
    protected FrameSelection frames(Diagnosis d, LinkState e) {
        return null;
    }
}
