package org.tapdoctor.diagnose;

import java.util.Locale;
import java.util.function.Function;

import org.tapdoctor.diagnose.kinds.CaptureDrops;
import org.tapdoctor.diagnose.kinds.DhcpFailure;
import org.tapdoctor.diagnose.kinds.DhcpRogueServer;
import org.tapdoctor.diagnose.kinds.DnsFailure;
import org.tapdoctor.diagnose.kinds.Dot1xFailure;
import org.tapdoctor.diagnose.kinds.Dot1xNoSupplicant;
import org.tapdoctor.diagnose.kinds.DuplicateIp;
import org.tapdoctor.diagnose.kinds.HostDown;
import org.tapdoctor.diagnose.kinds.HostUnreachable;
import org.tapdoctor.diagnose.kinds.Ipv6RogueRouter;
import org.tapdoctor.diagnose.kinds.LinkDown;
import org.tapdoctor.diagnose.kinds.LinkSpeed;
import org.tapdoctor.diagnose.kinds.LinkUp;
import org.tapdoctor.diagnose.kinds.MtuBlackhole;
import org.tapdoctor.diagnose.kinds.MtuProblem;
import org.tapdoctor.diagnose.kinds.NoAddress;
import org.tapdoctor.diagnose.kinds.NoFinalAck;
import org.tapdoctor.diagnose.kinds.NoResponse;
import org.tapdoctor.diagnose.kinds.PortBlocked;
import org.tapdoctor.diagnose.kinds.Refused;
import org.tapdoctor.diagnose.kinds.Reset;
import org.tapdoctor.diagnose.kinds.ServerOverloaded;
import org.tapdoctor.diagnose.kinds.SlowConnect;
import org.tapdoctor.diagnose.kinds.TableFull;
import org.tapdoctor.diagnose.kinds.TlsFailure;
import org.tapdoctor.diagnose.kinds.Unreachable;
import org.tapdoctor.diagnose.kinds.ZeroWindow;

/**
 * The vocabulary of problems tapdoctor reports, in the spirit of Zeek's {@code conn_state}: what
 * was seen on the wire, and what was not. Each kind is one unit, its {@link KindRule} in
 * {@code diagnose/kinds}: the rule that decides it, its typed evidence, its summary and LCD text,
 * its placement and the frames of its evidence pcap. This enum only names them, in the order
 * reports sort them; adding a kind is its rule's file and one line here (a test fails for a rule
 * that is not named here, and for a kind missing from docs/diagnosis-rules.md or the README).
 */
public enum Kind {
    NO_RESPONSE(NoResponse::new),
    REFUSED(Refused::new),
    UNREACHABLE(Unreachable::new),
    NO_FINAL_ACK(NoFinalAck::new),
    SERVER_OVERLOADED(ServerOverloaded::new),
    RESET(Reset::new),
    TLS_FAILURE(TlsFailure::new),
    SLOW_CONNECT(SlowConnect::new),
    HOST_UNREACHABLE(HostUnreachable::new),
    PORT_BLOCKED(PortBlocked::new),
    HOST_DOWN(HostDown::new),
    DUPLICATE_IP(DuplicateIp::new),
    DNS_FAILURE(DnsFailure::new),
    ZERO_WINDOW(ZeroWindow::new),
    DHCP_FAILURE(DhcpFailure::new),
    DHCP_ROGUE_SERVER(DhcpRogueServer::new),
    NO_ADDRESS(NoAddress::new),
    MTU_PROBLEM(MtuProblem::new),
    MTU_BLACKHOLE(MtuBlackhole::new),
    IPV6_ROGUE_ROUTER(Ipv6RogueRouter::new),
    DOT1X_FAILURE(Dot1xFailure::new),
    DOT1X_NO_SUPPLICANT(Dot1xNoSupplicant::new),
    TABLE_FULL(TableFull::new),
    CAPTURE_DROPS(CaptureDrops::new),
    LINK_DOWN(LinkDown::new),
    LINK_UP(LinkUp::new),
    LINK_SPEED(LinkSpeed::new);

    private final KindRule<?> rule;

    Kind(Function<Kind, KindRule<?>> rule) {
        // The rule's constructor runs while this enum is being initialised: it may keep its own
        // kind, and must not touch the others.
        this.rule = rule.apply(this);
    }

    /** The kind's rule: how it is decided, its evidence, its texts, placement and frames. */
    public KindRule<?> rule() {
        return rule;
    }

    public Severity severity() {
        return rule.severity();
    }

    /** One line saying what was observed. */
    public String meaning() {
        return rule.meaning();
    }

    /** The lower snake case name used in JSON and MQTT topics, e.g. {@code no_final_ack}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Kind ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
