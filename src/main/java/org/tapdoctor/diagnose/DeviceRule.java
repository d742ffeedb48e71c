package org.tapdoctor.diagnose;

import org.tapdoctor.wire.IpAddresses;

/**
 * A kind whose problems are held per device, by its MAC, as the site kinds see devices (802.1X,
 * DHCP, a self-assigned address): the problem's address is {@link #DEVICE_HI} and the MAC, so
 * every problem of one device is one group of the {@link ProblemTable}, rendered together (which
 * is how {@code dot1x_no_supplicant} takes the same device's {@code dhcp_failure} and {@code
 * no_address} in, {@code HostVerdicts}). The diagnosis's client is the device (its MAC, and its
 * address when the kind knows one), its key the kind and the MAC; the LCD's first row is the tag
 * alone (a MAC does not fit beside it).
 *
 * @param <E> the kind's own evidence record
 */
public abstract class DeviceRule<E extends Evidence> extends ProblemRule<E> {
    /**
     * The high word of a device's problems (its MAC in the low word): ffff::/16 with the upper 80
     * bits of the low word zero, no address a server of a real problem has.
     */
    public static final long DEVICE_HI = 0xFFFF_0000_0000_0000L;

    protected DeviceRule(Kind kind, Severity severity, String meaning, Class<E> evidenceType) {
        super(kind, severity, meaning, evidenceType);
    }

    /** The device's MAC, as text. */
    public static String mac(Problem p) {
        return IpAddresses.formatMac(p.serverLo());
    }

    /** The device's address the evidence knows (its lease, its 169.254/16 address), or null. */
    protected String address(Problem p, E e) {
        return null;
    }

    /** The server the evidence names (a DHCP server), or null. */
    protected Endpoint server(E e) {
        return null;
    }

    /** Client: the device, its MAC and its address when known; server: the one the evidence names, if any. */
    @Override
    public Diagnosis diagnosis(Problem p, Facts facts) {
        E e = evidence(p, facts);
        return diagnosis(key(p), Endpoint.device(mac(p), address(p, e)), server(e), p.count(), time(p.first()),
                time(p.last()), e);
    }

    @Override
    public String key(Problem p) {
        return kind().label() + " " + mac(p);
    }

    @Override
    protected String where(Diagnosis d, E e) {
        return "";
    }
}
