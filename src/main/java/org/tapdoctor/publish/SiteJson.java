package org.tapdoctor.publish;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.tapdoctor.site.SiteRecord;

/**
 * Writes a {@link SiteRecord} as the {@code "kind":"site"} object of the JSON contract (README,
 * "The site record"): {@code switch} (the port the box is plugged into), {@code switches} (every
 * switch heard, when there is more than one or none could be chosen), {@code dhcp}, {@code
 * gateway}, {@code ipv6_routers}, {@code dot1x}, {@code links} and {@code checks}. A part not seen
 * is absent, and so is a field not known (a number -1, a string null): never guessed. Times are
 * UTC ISO-8601 with milliseconds, as for diagnoses. Thread-safe.
 */
public final class SiteJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private SiteJson() {
    }

    public static String toJson(SiteRecord r) {
        StringWriter w = new StringWriter(512);
        write(r, w);
        return w.toString();
    }

    public static void write(SiteRecord r, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("kind", "site");
            g.writeStringField("time", time(r.timeNanos()));
            if (r.switchPort() != null) {
                g.writeFieldName("switch");
                switchPort(g, r.switchPort());
            }
            if (r.switches().size() > 1 || (r.switchPort() == null && !r.switches().isEmpty())) {
                g.writeArrayFieldStart("switches");
                for (SiteRecord.Switch s : r.switches()) {
                    switchPort(g, s);
                }
                g.writeEndArray();
            }
            dhcp(g, r.dhcp());
            gateway(g, r.gateway());
            if (!r.ipv6Routers().isEmpty()) {
                g.writeArrayFieldStart("ipv6_routers");
                for (SiteRecord.Ipv6Router router : r.ipv6Routers()) {
                    g.writeStartObject();
                    string(g, "ip", router.ip());
                    string(g, "mac", router.mac());
                    strings(g, "prefixes", router.prefixes());
                    number(g, "lifetime_s", router.lifetimeS());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (r.dot1x() != null) {
                g.writeObjectFieldStart("dot1x");
                g.writeBooleanField("authenticator", r.dot1x().authenticator());
                g.writeObjectFieldStart("clients");
                g.writeNumberField("ok", r.dot1x().ok());
                g.writeNumberField("failed", r.dot1x().failed());
                g.writeEndObject();
                g.writeEndObject();
            }
            if (!r.links().isEmpty()) {
                g.writeObjectFieldStart("links");
                for (Map.Entry<String, String> e : r.links().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            checks(g, r.checks());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checklist as {@code {"link":"ok","switch":"?",...}}. */
    static void checks(JsonGenerator g, SiteRecord.Checks checks) throws IOException {
        if (checks == null) {
            return;
        }
        g.writeObjectFieldStart("checks");
        for (Map.Entry<String, SiteRecord.Check> e : checks.byName().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue().label());
        }
        g.writeEndObject();
    }

    /** The checklist alone, for the MQTT status. */
    public static void writeChecks(JsonGenerator g, String name, SiteRecord.Checks checks) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, SiteRecord.Check> e : checks.byName().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue().label());
        }
        g.writeEndObject();
    }

    private static void switchPort(JsonGenerator g, SiteRecord.Switch s) throws IOException {
        g.writeStartObject();
        string(g, "name", s.name());
        string(g, "chassis_id", s.chassisId());
        string(g, "port", s.port());
        string(g, "port_description", s.portDescription());
        number(g, "vlan", s.vlan());
        number(g, "voice_vlan", s.voiceVlan());
        string(g, "management_ip", s.managementIp());
        string(g, "platform", s.platform());
        string(g, "protocol", s.protocol());
        g.writeStringField("seen", time(s.seenNanos()));
        g.writeEndObject();
    }

    private static void dhcp(JsonGenerator g, SiteRecord.Dhcp d) throws IOException {
        if (d == null) {
            return;
        }
        g.writeObjectFieldStart("dhcp");
        string(g, "server", d.server());
        number(g, "offer_ms", d.offerMs());
        number(g, "leases", d.leases());
        string(g, "router", d.router());
        if (!d.dns().isEmpty()) {
            strings(g, "dns", d.dns());
        }
        number(g, "lease_s", d.leaseS());
        g.writeEndObject();
    }

    private static void gateway(JsonGenerator g, SiteRecord.Gateway gw) throws IOException {
        if (gw == null) {
            return;
        }
        g.writeObjectFieldStart("gateway");
        string(g, "ip", gw.ip());
        string(g, "mac", gw.mac());
        string(g, "learned_from", gw.learnedFrom());
        g.writeBooleanField("answers_arp", gw.answersArp());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void number(JsonGenerator g, String name, long value) throws IOException {
        if (value >= 0) {
            g.writeNumberField(name, value);
        }
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    static String time(long nanos) {
        return DiagnosisJson.time(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L)));
    }
}
