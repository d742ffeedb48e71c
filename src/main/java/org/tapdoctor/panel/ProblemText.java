package org.tapdoctor.panel;

import java.util.List;
import java.util.Map;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;

/**
 * A diagnosis in field shorthand for a character LCD: a title ({@code RST 192.0.2.20:6036},
 * {@code NO REPLY 198.51.100.140}) and a detail line ({@code port blocked, 80 ok},
 * {@code 3 SYN x3 ports}). Lines may be longer than the display: the model scrolls them.
 */
final class ProblemText {
    private ProblemText() {
    }

    /** The first line: what failed, and where. */
    static String title(Diagnosis d) {
        String where = where(d);
        String tag = switch (d.kind()) {
            case NO_RESPONSE -> "NO REPLY";
            case REFUSED -> "RST";
            case UNREACHABLE -> "ICMP";
            case RESET -> "RESET";
            case NO_FINAL_ACK -> "NO ACK";
            case HOST_UNREACHABLE -> "HOST FAIL";
            case PORT_BLOCKED -> failureTag(str(d, "failure"));
            case HOST_DOWN -> "NO ARP";
            case DUPLICATE_IP -> "DUP IP";
            case DNS_FAILURE -> "DNS";
            case ZERO_WINDOW -> "ZERO WIN";
            case TABLE_FULL -> "TABLE FULL";
            case CAPTURE_DROPS -> "DROPS";
            case LINK_DOWN -> "LINK DOWN";
            case LINK_UP -> "LINK UP";
            case LINK_SPEED -> "SPEED";
        };
        return where.isEmpty() ? tag : tag + " " + where;
    }

    /** The second line: the evidence that matters, in a few words. */
    static String detail(Diagnosis d) {
        Map<String, Object> ev = d.evidence();
        return switch (d.kind()) {
            case NO_RESPONSE -> num(ev, "syn") + " SYN" + times(d);
            case REFUSED -> "refused by " + str(d, "rst_from").replace("unknown", "?") + times(d);
            case UNREACHABLE -> str(d, "icmp") + times(d);
            case RESET -> "reset by " + str(d, "rst_from").replace("unknown", "?") + " " + num(ev, "after_ms") + "ms";
            case NO_FINAL_ACK -> "client no ACK " + num(ev, "syn_ack") + "x";
            case HOST_UNREACHABLE -> "host fails " + num(ev, "ports") + " ports";
            case PORT_BLOCKED -> "port blocked, " + okPorts(ev.get("ok_ports")) + " ok";
            case HOST_DOWN -> "host down " + num(ev, "arp_requests") + " ARP";
            case DUPLICATE_IP -> "2 MACs: " + list(ev.get("macs"));
            case DNS_FAILURE -> str(d, "rcode").replace("no_response", "no answer") + " " + str(d, "query");
            case ZERO_WINDOW -> str(d, "side") + " win 0 " + num(ev, "duration_ms") / 1000 + "s";
            case TABLE_FULL -> str(d, "table") + " evicted " + num(ev, "evictions");
            case CAPTURE_DROPS -> num(ev, "dropped") + " frames lost";
            case LINK_DOWN, LINK_UP -> str(d, "state");
            case LINK_SPEED -> String.join(" / ", ev.values().stream().map(String::valueOf).toList());
        };
    }

    /** A third line for tall displays: how often and how long ago. */
    static String seen(Diagnosis d, long agoNanos) {
        long s = Math.max(0, agoNanos / 1_000_000_000L);
        String ago = s < 120 ? s + "s ago" : s / 60 + "m ago";
        return "x" + d.count() + " last " + ago;
    }

    /** A fourth line for tall displays: where the evidence points, or who asked. */
    static String origin(Diagnosis d) {
        if (d.placement() != null && d.placement().fault() != null) {
            return "fault: " + d.placement().fault().label().replace('_', ' ');
        }
        return d.client() == null ? "" : "from " + d.client().ip();
    }

    private static String where(Diagnosis d) {
        Endpoint s = d.server();
        if (s != null) {
            return s.toString();
        }
        Object nic = d.evidence().get("nic");
        return nic == null ? "" : nic.toString();
    }

    private static String failureTag(String failure) {
        return switch (failure) {
            case "no_response" -> "NO REPLY";
            case "unreachable" -> "ICMP";
            default -> "RST";
        };
    }

    private static String times(Diagnosis d) {
        Object ports = d.evidence().get("ports");
        if (ports != null) {
            return " x" + ports + " ports";
        }
        return d.count() > 1 ? " x" + d.count() : "";
    }

    private static String okPorts(Object ports) {
        if (!(ports instanceof List<?> l) || l.isEmpty()) {
            return "others";
        }
        return l.size() == 1 ? String.valueOf(l.get(0)) : l.get(0) + "+" + (l.size() - 1);
    }

    private static String list(Object o) {
        return o instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : String.valueOf(o);
    }

    private static long num(Map<String, Object> ev, String key) {
        return ev.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static String str(Diagnosis d, String key) {
        Object o = d.evidence().get(key);
        return o == null ? "?" : o.toString();
    }
}
