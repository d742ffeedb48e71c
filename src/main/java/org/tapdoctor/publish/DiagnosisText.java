package org.tapdoctor.publish;

import java.util.Map;

import org.tapdoctor.diagnose.Diagnosis;

/** The human one-line form of a diagnosis: time, severity, kind, count, summary and the evidence. */
public final class DiagnosisText {
    private DiagnosisText() {
    }

    public static String format(Diagnosis d) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(DiagnosisJson.time(d.first())).append(' ')
                .append(String.format("%-8s", d.severity().label().toUpperCase(java.util.Locale.ROOT))).append(' ')
                .append(d.kind().label());
        if (d.count() > 1) {
            sb.append(" x").append(d.count());
        }
        sb.append(": ").append(d.summary());
        if (d.client() != null && d.client().hasPort()) {
            sb.append(" [client ").append(d.client()).append(']');
        }
        Map<String, Object> evidence = d.evidence().asMap();
        if (!evidence.isEmpty()) {
            sb.append(" {");
            boolean firstEntry = true;
            for (Map.Entry<String, Object> e : evidence.entrySet()) {
                sb.append(firstEntry ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
                firstEntry = false;
            }
            sb.append('}');
        }
        if (d.evidenceFile() != null) {
            sb.append(" pcap: ").append(d.evidenceFile());
        }
        return sb.toString();
    }
}
