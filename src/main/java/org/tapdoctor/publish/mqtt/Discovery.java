package org.tapdoctor.publish.mqtt;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonGenerator;

import org.tapdoctor.diagnose.Kind;

/**
 * Home Assistant MQTT discovery for one box, by Home Assistant's conventions (its MQTT discovery,
 * sensor, binary sensor, event and device trigger documentation) and in the manner of Zigbee2MQTT:
 * one retained config message per entity on {@code <discovery prefix>/<component>/<node>/<object>/config},
 * every entity with a {@code unique_id} ({@code <node>_<object>}) and the same {@code device}
 * ({@code identifiers: [<node>]}), so the box is one device whose entities keep their history and
 * customisations across restarts; available while the retained status says {@code online} (the
 * last will says {@code offline}); an {@code origin} naming tapdoctor. {@code <node>} is
 * {@code tapdoctor_<device.id>} with characters outside {@code [A-Za-z0-9_-]} as {@code _}.
 *
 * <p>Entities: the {@code problem} binary sensor and the health sensors read {@code <prefix>/status};
 * the {@code diagnosis} event entity reads {@code <prefix>/event}, its event types being every
 * diagnosis kind ({@link #eventTypes()}); the panel button's short and long press are device
 * triggers on {@code <prefix>/button}; the site sensors read the retained {@code <prefix>/site}
 * record (issue 10's field names) and are unknown until one arrives (a part the record lacks
 * renders as {@code None}, which Home Assistant's MQTT sensor shows as unknown); the box's own
 * health (drops, table fill, links, CPU temperature) has {@code entity_category: diagnostic}.
 * The CPU temperature exists only where the box can read one ({@link CpuTemperature}).
 *
 * <p>Removal: {@link #removal} is an empty retained payload for every config topic this class may
 * ever publish, which deletes the entities and then the device in Home Assistant. Stateless.
 */
final class Discovery {
    /** One config message: topic and retained payload (empty: remove the entity). */
    record Message(String topic, String payload) {
    }

    /** The component an entity is in Home Assistant. */
    enum Component {
        SENSOR("sensor"), BINARY_SENSOR("binary_sensor"), EVENT("event"), DEVICE_AUTOMATION("device_automation");

        final String topicName;

        Component(String topicName) {
            this.topicName = topicName;
        }
    }

    /** Which state topic an entity reads. */
    private enum Source { STATUS, SITE, EVENT, BUTTON }

    /**
     * One entity: its object id, component, name and what it reads. {@code template} is the
     * value template (null: the payload as is); {@code extra} writes the component's own keys.
     */
    private record Entity(Component component, String object, String name, Source source, String template,
                          boolean diagnostic, String icon, Extra extra) {
    }

    @FunctionalInterface
    private interface Extra {
        void write(JsonGenerator g) throws IOException;
    }

    private static final Extra NONE = g -> { };

    private Discovery() {
    }

    /** The event entity's event types: every diagnosis kind's label, so a new kind appears in Home Assistant by itself. */
    static List<String> eventTypes() {
        return Stream.of(Kind.values()).map(Kind::label).toList();
    }

    /** The node id in topics, unique ids and the device's identifiers. */
    static String node(String deviceId) {
        return "tapdoctor_" + deviceId.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** Every entity, the CPU temperature included; {@code cpuTemperature} false leaves it out of {@link #messages}. */
    private static List<Entity> entities() {
        List<Entity> es = new ArrayList<>();
        es.add(new Entity(Component.BINARY_SENSOR, "problem", "Problem", Source.STATUS,
                "{{ 'ON' if value_json.problem else 'OFF' }}", false, null, g -> {
                    g.writeStringField("device_class", "problem");
                    g.writeStringField("payload_on", "ON");
                    g.writeStringField("payload_off", "OFF");
                }));
        es.add(new Entity(Component.EVENT, "diagnosis", "Diagnosis", Source.EVENT, null, false, "mdi:stethoscope", g -> {
            g.writeArrayFieldStart("event_types");
            for (String t : eventTypes()) {
                g.writeString(t);
            }
            g.writeEndArray();
        }));
        es.add(sensor("health", "Health", "{{ value_json.health }}", false, "mdi:lan-check", NONE));
        es.add(sensor("failing_per_minute", "Failing handshakes per minute", "{{ value_json.failing_per_minute }}", false,
                "mdi:lan-disconnect", unit("/min", "measurement")));
        // Home Assistant refuses a state longer than 255 characters; a summary can be longer.
        es.add(sensor("last_problem", "Last problem", "{{ value_json.last_problem[:255] }}", false, "mdi:alert", NONE));
        es.add(sensor("kernel_drops", "Capture drops", "{{ value_json.kernel_drops }}", true, "mdi:package-down",
                unit("frames", "total_increasing")));
        es.add(sensor("table_fill", "Connection table fill", "{{ value_json.table_fill }}", true, "mdi:table",
                unit("%", "measurement")));
        es.add(sensor("links", "Links", "{{ value_json.links_text }}", true, "mdi:ethernet", NONE));
        es.add(sensor("cpu_temperature", "CPU temperature", "{{ value_json.cpu_temperature }}", true, null, g -> {
            g.writeStringField("device_class", "temperature");
            g.writeStringField("unit_of_measurement", "°C");
            g.writeStringField("state_class", "measurement");
        }));
        es.add(site("site_switch", "Switch", "(value_json.switch | default({})).name", "mdi:switch"));
        es.add(site("site_port", "Switch port", "(value_json.switch | default({})).port", "mdi:ethernet-cable"));
        es.add(site("site_vlan", "VLAN", "(value_json.switch | default({})).vlan", "mdi:lan"));
        es.add(site("site_dhcp_server", "DHCP server", "(value_json.dhcp | default({})).server", "mdi:server-network"));
        es.add(site("site_gateway", "Gateway", "(value_json.gateway | default({})).ip", "mdi:router-network"));
        es.add(site("site_ipv6_router", "IPv6 router",
                "(value_json.ipv6_routers | default([]) | first | default({})).ip", "mdi:router"));
        es.add(trigger("button_short_press", "short_press"));
        es.add(trigger("button_long_press", "long_press"));
        return es;
    }

    private static Entity sensor(String object, String name, String template, boolean diagnostic, String icon, Extra extra) {
        return new Entity(Component.SENSOR, object, name, Source.STATUS, template, diagnostic, icon, extra);
    }

    private static Entity site(String object, String name, String expression, String icon) {
        return new Entity(Component.SENSOR, object, name, Source.SITE, "{{ " + expression + " | default(None) }}", false,
                icon, NONE);
    }

    private static Entity trigger(String type, String payload) {
        return new Entity(Component.DEVICE_AUTOMATION, type, null, Source.BUTTON, null, false, null, g -> {
            g.writeStringField("automation_type", "trigger");
            g.writeStringField("payload", payload);
            g.writeStringField("type", type);
            g.writeStringField("subtype", "button_1");
        });
    }

    private static Extra unit(String unit, String stateClass) {
        return g -> {
            g.writeStringField("unit_of_measurement", unit);
            g.writeStringField("state_class", stateClass);
        };
    }

    /**
     * The config messages of the box's entities; the CPU temperature's is an empty payload (removal)
     * when {@code cpuTemperature} is false, so a sensor published by another build goes away.
     */
    static List<Message> messages(String discoveryPrefix, String deviceId, String prefix, String version,
                                  boolean cpuTemperature) {
        List<Message> out = new ArrayList<>();
        for (Entity e : entities()) {
            boolean absent = e.object.equals("cpu_temperature") && !cpuTemperature;
            out.add(new Message(topic(discoveryPrefix, deviceId, e), absent ? "" : payload(e, deviceId, prefix, version)));
        }
        return out;
    }

    /** An empty retained payload for every config topic {@link #messages} may publish. */
    static List<Message> removal(String discoveryPrefix, String deviceId) {
        List<Message> out = new ArrayList<>();
        for (Entity e : entities()) {
            out.add(new Message(topic(discoveryPrefix, deviceId, e), ""));
        }
        return out;
    }

    private static String topic(String discoveryPrefix, String deviceId, Entity e) {
        return discoveryPrefix + "/" + e.component.topicName + "/" + node(deviceId) + "/" + e.object + "/config";
    }

    private static String payload(Entity e, String deviceId, String prefix, String version) {
        String node = node(deviceId);
        String status = prefix + "/status";
        return Payloads.json(g -> {
            if (e.component == Component.DEVICE_AUTOMATION) {
                g.writeStringField("topic", prefix + "/button");
                e.extra.write(g);
                g.writeNumberField("qos", 1);
            } else {
                g.writeStringField("name", e.name);
                g.writeStringField("unique_id", node + "_" + e.object);
                g.writeStringField("object_id", node + "_" + e.object);
                g.writeStringField("state_topic", switch (e.source) {
                    case STATUS -> status;
                    case SITE -> prefix + "/site";
                    case EVENT -> prefix + "/event";
                    case BUTTON -> prefix + "/button";
                });
                if (e.template != null) {
                    g.writeStringField("value_template", e.template);
                }
                e.extra.write(g);
                if (e.diagnostic) {
                    g.writeStringField("entity_category", "diagnostic");
                }
                if (e.icon != null) {
                    g.writeStringField("icon", e.icon);
                }
                g.writeNumberField("qos", 1);
                g.writeArrayFieldStart("availability");
                g.writeStartObject();
                g.writeStringField("topic", status);
                g.writeStringField("value_template", "{{ value_json.state }}");
                g.writeStringField("payload_available", "online");
                g.writeStringField("payload_not_available", "offline");
                g.writeEndObject();
                g.writeEndArray();
            }
            g.writeObjectFieldStart("device");
            g.writeArrayFieldStart("identifiers");
            g.writeString(node);
            g.writeEndArray();
            g.writeStringField("name", "tapdoctor " + deviceId);
            g.writeStringField("manufacturer", "tapdoctor");
            g.writeStringField("model", "in-line TCP connection doctor");
            g.writeStringField("sw_version", version);
            g.writeEndObject();
            g.writeObjectFieldStart("origin");
            g.writeStringField("name", "tapdoctor");
            g.writeStringField("sw_version", version);
            g.writeEndObject();
        });
    }
}
