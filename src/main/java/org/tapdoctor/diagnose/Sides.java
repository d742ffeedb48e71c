package org.tapdoctor.diagnose;

import java.util.List;

/**
 * The box's NICs by capture side index (live capture; replayed files have no sides): places a
 * diagnosis on them, the client's NIC and the other one, and where its kind says the evidence
 * points (docs/diagnosis-rules.md section 6). Immutable.
 *
 * @param names NIC names by side index, side A (the client side) first
 */
public record Sides(List<String> names) {
    public Sides {
        names = List.copyOf(names);
    }

    /** The diagnosis with its sides and fault, its client having come in on side {@code clientSide} (-1: unknown). */
    public Diagnosis place(Diagnosis d, int clientSide) {
        String clientNic = clientSide >= 0 && clientSide < names.size() ? names.get(clientSide) : null;
        String serverNic = clientNic != null && names.size() == 2 ? names.get(1 - clientSide) : null;
        Placement.Fault fault = d.kind().rule().fault(d);
        if (clientNic == null && fault == null) {
            return d;
        }
        return d.withPlacement(new Placement(clientNic, serverNic, fault));
    }
}
