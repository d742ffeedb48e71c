package org.tapdoctor.diagnose;

import java.util.List;
import java.util.Map;

/**
 * Many names failing with one rcode at one DNS server, as one line: a resolver that is down, or a
 * client asking for names that do not exist.
 *
 * @param rcode the rcode they share
 * @param names distinct names folded
 * @param nameList the first of them (earliest first)
 * @param qtypes how many names of each query type
 * @param queries query messages over the folded diagnoses
 * @param sample the earliest folded diagnosis
 */
public record NamesFold(String rcode, int names, List<String> nameList, Map<String, Integer> qtypes, long queries,
                        Diagnosis sample) implements Folded {
    public NamesFold {
        nameList = List.copyOf(nameList);
        qtypes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(qtypes));
    }

    @Override
    public void write(EvidenceWriter w) {
        w.put("rcode", rcode);
        w.put("names", names);
        w.putStrings("name_list", nameList);
        w.putCounts("qtypes", qtypes);
        w.put("queries", queries);
    }

    @Override
    public String lcdDetail(Diagnosis folded) {
        return rcode.replace("no_response", "no answer") + " " + names + " names";
    }

    /** The UDP exchanges with the server, whatever the name. */
    @Override
    public FrameSelection frames(Diagnosis folded) {
        return FrameSelection.attempts(folded, null, FrameSelection.UDP);
    }
}
