package org.tapdoctor.diagnose;

import static org.tapdoctor.diagnose.EvidenceNames.PORTS;
import static org.tapdoctor.diagnose.EvidenceNames.PORT_LIST;
import static org.tapdoctor.diagnose.EvidenceNames.SYN;

import java.util.List;

/**
 * Many ports of one host failing the same way, as one line without a port: a port scan of a
 * filtered host is one line, not a thousand. Keeps what the earliest diagnosis's kind says a fold
 * keeps ({@link Evidence#writeKeptByHostFold}).
 *
 * @param ports distinct ports folded
 * @param portList the lowest of them
 * @param syn SYNs over the folded diagnoses
 * @param sample the earliest folded diagnosis
 */
public record PortsFold(int ports, List<Integer> portList, long syn, Diagnosis sample) implements Folded {
    public PortsFold {
        portList = List.copyOf(portList);
    }

    @Override
    public void write(EvidenceWriter w) {
        w.put(PORTS, ports);
        w.putInts(PORT_LIST, portList);
        w.put(SYN, syn);
        sample.evidence().writeKeptByHostFold(w);
    }

    @Override
    public long synCount() {
        return syn;
    }

    @Override
    public String lcdDetail(Diagnosis folded) {
        return (syn > 0 ? syn + " SYN x" : "x") + ports + " ports";
    }

    /** Every IP frame between the client and the host. */
    @Override
    public FrameSelection frames(Diagnosis folded) {
        return FrameSelection.between(folded, null);
    }
}
