package org.tapdoctor.diagnose;

import static org.tapdoctor.diagnose.EvidenceNames.SYN;

import java.util.List;

/**
 * One client failing the same way toward many servers, as one line about the client without a
 * server: a P2P client, a scan, a reflection attack seen at its victim. Keeps what the earliest
 * diagnosis's kind says a fold keeps ({@link Evidence#writeKeptByClientFold}).
 *
 * @param servers distinct servers folded
 * @param serverList the first of them (earliest first), as {@code ip:port}
 * @param syn SYNs over the folded diagnoses
 * @param sample the earliest folded diagnosis
 */
public record ServersFold(int servers, List<String> serverList, long syn, Diagnosis sample) implements Folded {
    public ServersFold {
        serverList = List.copyOf(serverList);
    }

    @Override
    public void write(EvidenceWriter w) {
        w.put("servers", servers);
        w.putStrings("server_list", serverList);
        w.put(SYN, syn);
        sample.evidence().writeKeptByClientFold(w);
    }

    @Override
    public long synCount() {
        return syn;
    }

    @Override
    public String lcdDetail(Diagnosis folded) {
        return syn + " SYN to " + servers + " servers";
    }

    /** The client's TCP to any server. */
    @Override
    public FrameSelection frames(Diagnosis folded) {
        return FrameSelection.client(folded, FrameSelection.TCP);
    }
}
