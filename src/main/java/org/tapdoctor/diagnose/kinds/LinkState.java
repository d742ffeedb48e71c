package org.tapdoctor.diagnose.kinds;

import org.tapdoctor.diagnose.EvidenceWriter;

/**
 * The evidence of {@code link_down} and {@code link_up}: a tap port and its state as sysfs says it.
 *
 * @param nic the tap port
 * @param state {@code up 1G full}, {@code down}, {@code missing}
 */
public record LinkState(String nic, String state) implements org.tapdoctor.diagnose.Evidence {
    @Override
    public void write(EvidenceWriter w) {
        w.put("nic", nic);
        w.put("state", state);
    }
}
