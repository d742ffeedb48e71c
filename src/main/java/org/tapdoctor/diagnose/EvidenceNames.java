package org.tapdoctor.diagnose;

/**
 * JSON names of evidence fields that several kinds write (each kind's own fields are named in its
 * record; the shared parts in {@link Clients}, {@link RstOrigin}, {@link IcmpReport}).
 */
public final class EvidenceNames {
    public static final String SYN = "syn";
    public static final String ATTEMPTS = "attempts";
    public static final String PORTS = "ports";
    public static final String PORT_LIST = "port_list";
    public static final String FAILURE = "failure";
    public static final String OK_PORTS = "ok_ports";

    private EvidenceNames() {
    }
}
