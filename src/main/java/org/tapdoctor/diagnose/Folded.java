package org.tapdoctor.diagnose;

/**
 * The evidence of many diagnoses of one kind folded into one line (docs/diagnosis-rules.md section
 * 2, "Folding"): a port scan of one host, one client failing toward many servers, many names
 * failing at one DNS server. The fold keeps a sample, the earliest folded diagnosis: its kind
 * speaks for the LCD tag and the placement.
 */
public interface Folded extends Evidence {
    /** The earliest of the folded diagnoses. */
    Diagnosis sample();

    /** The LCD's detail row of the folded line. */
    String lcdDetail(Diagnosis folded);

    /** The evidence frames of the folded line. */
    FrameSelection frames(Diagnosis folded);
}
