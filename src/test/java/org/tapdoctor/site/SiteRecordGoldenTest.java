package org.tapdoctor.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.tapdoctor.SharedPcaps;
import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.engine.Engine;

/**
 * The site record of every site scenario capture against its facts (scenarios/site/facts.tsv,
 * from tshark), and of the public captures against corpus/site-golden.tsv. The record of a part
 * is the latest the replay printed with that part ({@link #latestWith}); a part said absent must
 * be absent from every record.
 *
 * <p>A part ({@code switch}, {@code dhcp}, {@code gateway}, {@code ipv6_routers}, {@code dot1x})
 * is checked once the engine has a source for it, i.e. once the part appears in the record of
 * at least one capture of the file: then every one of its facts must hold in every capture (a
 * value, or {@code absent}). A fact that says a part is {@code absent} is always checked (nothing
 * may be guessed). The facts that cannot be checked (a part without a source yet, a field the
 * record does not carry such as the TTL, a value in words) are printed, with why, so that what
 * is not yet proven stays visible; the count of checked facts is asserted.
 */
class SiteRecordGoldenTest {
    static final Path SCENARIOS = Path.of("src/test/resources/scenarios/site");
    static final Path GOLDEN = Path.of("src/test/resources/corpus/site-golden.tsv");
    static final List<String> PARTS = List.of("switch", "dhcp", "gateway", "ipv6_routers", "dot1x");
    /** Facts about the capture that are not fields of the record (diagnoses, counts of other things). */
    static final Set<String> NOT_RECORD = Set.of("switch.ttl_s", "switch.system_description", "switch.protocol.cdp",
            "cdp.neighbors", "dhcp.client", "dhcp.naks", "dhcp.other_servers", "dhcp.unanswered", "dhcp.servers",
            "dhcp.relays", "dhcp.leasequery", "dot1x.unanswered", "ipv6.duplicate", "ipv6.neighbors_unanswered",
            "ipv6.slaac", "link_local_devices", "diagnoses", "diagnoses (site kinds)");
    private static final Pattern LABELLED = Pattern.compile("switch\\[(\\w+)\\]\\.(\\w+)");
    private static final Pattern LLDP_FIRST = Pattern.compile("(.+) \\(LLDP\\), (.+) \\(CDP\\)");

    record Fact(String file, String fact, String value) { }

    @Test
    void shouldGiveTheSiteScenariosRecordsTheirFacts() throws IOException {
        List<Fact> facts = read(SCENARIOS.resolve("facts.tsv"));
        int checked = check(facts, SCENARIOS);
        // switch facts (and every absent part) are checkable today: 3 captures with a switch, 16 files
        assertTrue(checked >= 40, "facts checked: " + checked);
    }

    @Test
    void shouldGiveThePublicCapturesRecordsTheirFacts() throws IOException {
        Path dir = SharedPcaps.dir();
        List<Fact> facts = read(GOLDEN);
        int checked = check(facts, dir);
        assertTrue(checked >= 40, "facts checked: " + checked);
    }

    private static int check(List<Fact> facts, Path dir) throws IOException {
        Map<String, List<SiteRecord>> records = new LinkedHashMap<>();
        for (Fact f : facts) {
            records.computeIfAbsent(f.file, file -> replay(dir.resolve(file)));
        }
        Set<String> sourced = new LinkedHashSet<>(); // the parts the engine has a source for
        for (List<SiteRecord> rs : records.values()) {
            for (SiteRecord r : rs) {
                for (String part : PARTS) {
                    if (value(r, part) != null) {
                        sourced.add(part);
                    }
                }
            }
        }
        List<String> failures = new ArrayList<>(), unchecked = new ArrayList<>();
        int checked = 0;
        for (Fact f : facts) {
            String part = f.fact.replaceAll("[.\\[].*", "");
            SiteRecord r = latestWith(records.get(f.file), part);
            String why = null;
            if (NOT_RECORD.contains(f.fact) || f.fact.startsWith("diagnosis") || f.fact.matches("switch\\[\\w+\\]\\.ttl_s")) {
                why = "not a field of the record";
            } else if (!PARTS.contains(part)) {
                why = "not a part of the record";
            } else if (!sourced.contains(part) && !f.value.equals("absent")) {
                why = "no source for " + part + " yet";
            }
            if (why != null) {
                unchecked.add(f.file + " " + f.fact + " = " + f.value + ": " + why);
                continue;
            }
            String expected = expected(f);
            if (expected == null) {
                unchecked.add(f.file + " " + f.fact + " = " + f.value + ": a value in words");
                continue;
            }
            if (f.fact.equals(part) && f.value.equals("absent")) { // never in any record the replay printed
                checked++;
                for (SiteRecord any : records.get(f.file)) {
                    if (value(any, part) != null) {
                        failures.add(f.file + " " + part + ": expected absent, got " + value(any, part) + " at " + any.timeNanos());
                        break;
                    }
                }
                continue;
            }
            String actual = LABELLED.matcher(f.fact).matches() ? actualLabelled(r, f, facts) : actual(r, f.fact);
            checked++;
            boolean ok = expected.matches("\\d+-\\d+") && actual != null && actual.matches("\\d+")
                    ? inRange(actual, expected) : expected.equals(actual == null ? "absent" : actual);
            if (!ok) {
                failures.add(f.file + " " + f.fact + ": expected " + expected + ", got " + actual);
            }
        }
        System.out.println("SiteRecordGoldenTest: " + checked + " facts checked, " + unchecked.size() + " not checked:");
        unchecked.forEach(u -> System.out.println("  not checked: " + u));
        assertEquals(List.of(), failures, String.join("\n", failures));
        return checked;
    }

    /** Every record the replay printed, then the one as of the capture's last frame. */
    static List<SiteRecord> replay(Path file) {
        Engine engine = new Engine();
        try {
            new CaptureFileReader().read(file, engine);
        } catch (Exception e) {
            throw new AssertionError(file + ": " + e, e);
        }
        engine.finish();
        List<SiteRecord> all = new ArrayList<>(engine.siteRecords());
        all.add(engine.siteRecord());
        return all;
    }

    /**
     * The latest record that has the part, else the last one: a part that aged out before the
     * capture's end was still seen (ppp_example2_vlan_mixed's clock jumps 4.5 years after its CDP
     * frames, so their TTLs run out), and the facts say what the capture shows.
     */
    static SiteRecord latestWith(List<SiteRecord> records, String part) {
        for (int i = records.size() - 1; i >= 0; i--) {
            if (value(records.get(i), part) != null) {
                return records.get(i);
            }
        }
        return records.get(records.size() - 1);
    }

    /** What a fact's value means, or null when it is words no field can be compared with. */
    private static String expected(Fact f) {
        Matcher m = LLDP_FIRST.matcher(f.value);
        if (m.matches()) {
            return m.group(1); // one switch's LLDP and CDP: LLDP's value is the record's
        }
        if (f.value.contains(" (") || f.value.contains(" / ")) {
            return null;
        }
        return f.value;
    }

    private static boolean inRange(String actual, String range) {
        String[] r = range.split("-");
        long v = Long.parseLong(actual);
        return v >= Long.parseLong(r[0]) && v <= Long.parseLong(r[1]);
    }

    /** The record's value for a fact, in the facts' notation; null when absent. */
    static String actual(SiteRecord r, String fact) {
        if (fact.equals("switch.count")) {
            return Integer.toString(r.switches().size());
        }
        int dot = fact.indexOf('.');
        if (dot < 0) {
            return value(r, fact);
        }
        String part = fact.substring(0, dot), field = fact.substring(dot + 1);
        return switch (part) {
            case "switch" -> r.switchPort() == null ? null : switchField(r.switchPort(), field);
            case "dhcp" -> r.dhcp() == null ? null : dhcpField(r.dhcp(), field);
            case "gateway" -> r.gateway() == null ? null : gatewayField(r.gateway(), field);
            case "dot1x" -> r.dot1x() == null ? null : switch (field) {
                case "authenticator" -> Boolean.toString(r.dot1x().authenticator());
                case "clients.ok" -> Integer.toString(r.dot1x().ok());
                case "clients.failed" -> Integer.toString(r.dot1x().failed());
                default -> "(no field " + field + ")";
            };
            default -> "(no part " + part + ")";
        };
    }

    /** A whole part: non-null when present (ipv6_routers as "ip prefix,prefix lifetime; ..."). */
    static String value(SiteRecord r, String part) {
        return switch (part) {
            case "switch" -> r.switchPort() != null || !r.switches().isEmpty() ? "present" : null;
            case "dhcp" -> r.dhcp() != null ? "present" : null;
            case "gateway" -> r.gateway() != null ? "present" : null;
            case "dot1x" -> r.dot1x() != null ? "present" : null;
            case "ipv6_routers" -> {
                if (r.ipv6Routers().isEmpty()) {
                    yield null;
                }
                List<String> rs = new ArrayList<>();
                for (SiteRecord.Ipv6Router x : r.ipv6Routers()) {
                    rs.add(x.ip() + " " + String.join(",", x.prefixes()) + " " + x.lifetimeS());
                }
                yield String.join("; ", rs);
            }
            default -> "(no part " + part + ")";
        };
    }

    static String switchField(SiteRecord.Switch s, String field) {
        return switch (field) {
            case "name" -> s.name();
            case "chassis_id" -> s.chassisId();
            case "port" -> s.port();
            case "port_description" -> s.portDescription();
            case "vlan" -> s.vlan() < 0 ? null : Integer.toString(s.vlan());
            case "voice_vlan" -> s.voiceVlan() < 0 ? null : Integer.toString(s.voiceVlan());
            case "management_ip" -> s.managementIp();
            case "platform" -> s.platform();
            case "protocol" -> s.protocol();
            default -> "(no field " + field + ")";
        };
    }

    private static String dhcpField(SiteRecord.Dhcp d, String field) {
        return switch (field) {
            case "server" -> d.server();
            case "offer_ms" -> d.offerMs() < 0 ? null : Long.toString(d.offerMs());
            case "leases" -> d.leases() < 0 ? null : Integer.toString(d.leases());
            case "router" -> d.router();
            case "dns" -> d.dns().isEmpty() ? null : String.join(", ", d.dns());
            case "lease_s" -> d.leaseS() < 0 ? null : Long.toString(d.leaseS());
            default -> "(no field " + field + ")";
        };
    }

    private static String gatewayField(SiteRecord.Gateway g, String field) {
        return switch (field) {
            case "ip" -> g.ip();
            case "mac" -> g.mac();
            case "learned_from" -> g.learnedFrom();
            case "answers_arp" -> Boolean.toString(g.answersArp());
            default -> "(no field " + field + ")";
        };
    }

    static List<Fact> read(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        List<Fact> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t", -1);
            if (c.length >= 3) {
                out.add(new Fact(c[0], c[1], c[2]));
            }
        }
        return out;
    }

    /**
     * {@code switch[S1].port} (a capture with several switches): the switch of the record that
     * the label's chassis ID names (else its name), then its field.
     */
    static String actualLabelled(SiteRecord r, Fact fact, List<Fact> facts) {
        Matcher m = LABELLED.matcher(fact.fact);
        if (!m.matches()) {
            throw new IllegalArgumentException(fact.fact);
        }
        String label = m.group(1);
        String chassis = null, name = null;
        for (Fact f : facts) {
            if (f.file.equals(fact.file) && f.fact.equals("switch[" + label + "].chassis_id")) {
                chassis = f.value;
            } else if (f.file.equals(fact.file) && f.fact.equals("switch[" + label + "].name")) {
                name = expected(f);
            }
        }
        for (SiteRecord.Switch s : r.switches()) {
            if (chassis != null ? chassis.equals(s.chassisId()) : name != null && name.equals(s.name())) {
                return switchField(s, m.group(2));
            }
        }
        return "(no switch " + label + ")";
    }
}
