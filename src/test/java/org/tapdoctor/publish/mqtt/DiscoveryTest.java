package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.jr.ob.JSON;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Kind;

/**
 * Every discovery payload checked field by field against Home Assistant's documented schema of its
 * component (home-assistant.io: integrations/mqtt "MQTT Discovery" with its abbreviation tables,
 * sensor.mqtt, binary_sensor.mqtt, event.mqtt, device_trigger.mqtt): every key is one the component
 * documents (full name or a documented abbreviation), every required key is there with the right
 * type, the device and availability and origin maps hold only their documented keys, the discovery
 * topic has the documented form, and unique ids and identifiers depend on the device id alone.
 */
class DiscoveryTest {
    static final String PREFIX = "tapdoctor/pi4-lab";

    /** Options every MQTT entity platform documents (availability, device, naming, encoding...). */
    static final Set<String> ENTITY = Set.of("availability", "availability_mode", "availability_template",
            "availability_topic", "device", "enabled_by_default", "encoding", "entity_category", "entity_picture", "icon",
            "json_attributes_template", "json_attributes_topic", "name", "object_id", "payload_available",
            "payload_not_available", "qos", "state_topic", "unique_id", "value_template", "origin");
    static final Map<String, Set<String>> KEYS = Map.of(
            "sensor", union(ENTITY, Set.of("device_class", "expire_after", "force_update", "last_reset_value_template",
                    "options", "suggested_display_precision", "state_class", "unit_of_measurement")),
            "binary_sensor", union(ENTITY, Set.of("device_class", "expire_after", "force_update", "off_delay", "payload_off",
                    "payload_on")),
            "event", union(ENTITY, Set.of("device_class", "event_types")),
            "device_automation", Set.of("automation_type", "payload", "qos", "topic", "type", "subtype", "device",
                    "value_template", "origin"));
    static final Map<String, Set<String>> REQUIRED = Map.of(
            "sensor", Set.of("state_topic"),
            "binary_sensor", Set.of("state_topic"),
            "event", Set.of("state_topic", "event_types"),
            "device_automation", Set.of("automation_type", "topic", "type", "subtype", "device"));
    static final Set<String> DEVICE = Set.of("configuration_url", "connections", "hw_version", "identifiers", "manufacturer",
            "model", "model_id", "name", "serial_number", "suggested_area", "sw_version", "via_device");
    static final Set<String> AVAILABILITY = Set.of("payload_available", "payload_not_available", "topic", "value_template");
    static final Set<String> ORIGIN = Set.of("name", "sw_version", "support_url");
    /** The documented abbreviations of the keys above (a payload may use either form). */
    static final Map<String, String> ABBREVIATIONS = Map.ofEntries(Map.entry("avty", "availability"),
            Map.entry("avty_mode", "availability_mode"), Map.entry("avty_t", "availability_topic"),
            Map.entry("avty_tpl", "availability_template"), Map.entry("dev", "device"), Map.entry("dev_cla", "device_class"),
            Map.entry("e", "encoding"), Map.entry("en", "enabled_by_default"), Map.entry("ent_cat", "entity_category"),
            Map.entry("ent_pic", "entity_picture"), Map.entry("evt_typ", "event_types"), Map.entry("exp_aft", "expire_after"),
            Map.entry("frc_upd", "force_update"), Map.entry("ic", "icon"), Map.entry("json_attr_t", "json_attributes_topic"),
            Map.entry("json_attr_tpl", "json_attributes_template"), Map.entry("o", "origin"), Map.entry("obj_id", "object_id"),
            Map.entry("off_dly", "off_delay"), Map.entry("pl", "payload"), Map.entry("pl_avail", "payload_available"),
            Map.entry("pl_not_avail", "payload_not_available"), Map.entry("pl_off", "payload_off"),
            Map.entry("pl_on", "payload_on"), Map.entry("stat_cla", "state_class"), Map.entry("stat_t", "state_topic"),
            Map.entry("stype", "subtype"), Map.entry("t", "topic"), Map.entry("uniq_id", "unique_id"),
            Map.entry("unit_of_meas", "unit_of_measurement"), Map.entry("val_tpl", "value_template"),
            Map.entry("atype", "automation_type"), Map.entry("sug_dsp_prc", "suggested_display_precision"));

    static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }

    static Map<String, Object> expand(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(ABBREVIATIONS.getOrDefault(k, k), v));
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldFollowEachComponentsDocumentedSchemaFieldByField() throws Exception {
        List<Discovery.Message> ms = Discovery.messages("homeassistant", "pi4-lab", PREFIX, "1.2.3", true);
        assertEquals(17, ms.size());
        Set<String> uniqueIds = new HashSet<>();
        for (Discovery.Message m : ms) {
            String[] t = m.topic().split("/");
            assertEquals(5, t.length, m.topic());
            assertEquals("homeassistant", t[0]);
            String component = t[1];
            assertTrue(KEYS.containsKey(component), m.topic());
            assertEquals("tapdoctor_pi4-lab", t[2], "node id");
            assertTrue(t[3].matches("[a-zA-Z0-9_-]+"), "object id " + t[3]);
            assertEquals("config", t[4]);
            Map<String, Object> p = expand(JSON.std.mapFrom(m.payload()));
            for (String key : p.keySet()) {
                assertTrue(KEYS.get(component).contains(key), component + " does not document '" + key + "': " + m.payload());
            }
            for (String key : REQUIRED.get(component)) {
                assertNotNull(p.get(key), component + " requires '" + key + "': " + m.payload());
            }
            assertEquals(1, p.get("qos"));
            Map<String, Object> device = expand((Map<String, Object>) p.get("device"));
            assertTrue(DEVICE.containsAll(device.keySet()), device.toString());
            assertEquals(List.of("tapdoctor_pi4-lab"), device.get("identifiers"));
            assertEquals("tapdoctor pi4-lab", device.get("name"));
            assertEquals("1.2.3", device.get("sw_version"));
            Map<String, Object> origin = (Map<String, Object>) p.get("origin");
            assertTrue(ORIGIN.containsAll(origin.keySet()) && origin.get("name").equals("tapdoctor"), origin.toString());
            if (component.equals("device_automation")) {
                assertEquals("trigger", p.get("automation_type"));
                assertEquals(PREFIX + "/button", p.get("topic"));
                assertEquals(t[3], p.get("type"));
                assertEquals("button_1", p.get("subtype"));
                assertEquals(Map.of("button_short_press", "short_press", "button_long_press", "long_press").get(t[3]),
                        p.get("payload"));
                continue;
            }
            assertTrue(p.get("name") instanceof String, "named: " + m.payload());
            assertEquals("tapdoctor_pi4-lab_" + t[3], p.get("unique_id"));
            assertTrue(uniqueIds.add((String) p.get("unique_id")), "unique: " + p.get("unique_id"));
            assertTrue(((String) p.get("state_topic")).startsWith(PREFIX + "/"), m.payload());
            List<Map<String, Object>> availability = (List<Map<String, Object>>) p.get("availability");
            assertEquals(1, availability.size());
            Map<String, Object> a = expand(availability.get(0));
            assertTrue(AVAILABILITY.containsAll(a.keySet()), a.toString());
            assertEquals(Map.of("topic", PREFIX + "/status", "value_template", "{{ value_json.state }}",
                    "payload_available", "online", "payload_not_available", "offline"), a);
            if (p.get("entity_category") != null) {
                assertEquals("diagnostic", p.get("entity_category"), "a sensor's category must be diagnostic");
            }
        }
        assertEquals(15, uniqueIds.size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveEachEntityWhatItMeans() throws Exception {
        Map<String, Map<String, Object>> byObject = new LinkedHashMap<>();
        for (Discovery.Message m : Discovery.messages("homeassistant", "pi4-lab", PREFIX, "1.2.3", true)) {
            byObject.put(m.topic().split("/")[1] + "/" + m.topic().split("/")[3], JSON.std.mapFrom(m.payload()));
        }
        Map<String, Object> problem = byObject.get("binary_sensor/problem");
        assertEquals("problem", problem.get("device_class"));
        assertEquals(PREFIX + "/status", problem.get("state_topic"));
        assertEquals("{{ 'ON' if value_json.problem else 'OFF' }}", problem.get("value_template"));
        assertEquals("ON", problem.get("payload_on"));
        assertEquals("OFF", problem.get("payload_off"));

        Map<String, Object> event = byObject.get("event/diagnosis");
        assertEquals(PREFIX + "/event", event.get("state_topic"));
        assertEquals(Stream.of(Kind.values()).map(Kind::label).toList(), event.get("event_types"),
                "every kind, from the Kind enum");
        assertFalse(event.containsKey("value_template"), "the event payload carries event_type itself");

        Map<String, Object> temperature = byObject.get("sensor/cpu_temperature");
        assertEquals("temperature", temperature.get("device_class"));
        assertEquals("°C", temperature.get("unit_of_measurement"));
        assertEquals("measurement", temperature.get("state_class"));
        for (String diagnostic : List.of("kernel_drops", "table_fill", "links", "cpu_temperature")) {
            assertEquals("diagnostic", byObject.get("sensor/" + diagnostic).get("entity_category"), diagnostic);
        }
        for (String primary : List.of("health", "failing_per_minute", "last_problem", "site_switch", "site_gateway")) {
            assertFalse(byObject.get("sensor/" + primary).containsKey("entity_category"), primary);
        }
        for (String site : List.of("site_switch", "site_port", "site_vlan", "site_dhcp_server", "site_gateway",
                "site_ipv6_router")) {
            assertEquals(PREFIX + "/site", byObject.get("sensor/" + site).get("state_topic"), site);
        }
        assertEquals("%", byObject.get("sensor/table_fill").get("unit_of_measurement"));
        assertEquals("total_increasing", byObject.get("sensor/kernel_drops").get("state_class"));
    }

    @Test
    void shouldDependOnTheDeviceIdAloneSoRestartsKeepTheSameEntities() throws Exception {
        List<Discovery.Message> first = Discovery.messages("homeassistant", "pi4-lab", PREFIX, "1.2.3", true);
        List<Discovery.Message> again = Discovery.messages("homeassistant", "pi4-lab", PREFIX, "1.2.3", true);
        assertEquals(first, again);
        List<Discovery.Message> upgraded = Discovery.messages("homeassistant", "pi4-lab", PREFIX, "1.3.0", true);
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i).topic(), upgraded.get(i).topic());
            assertEquals(JSON.std.mapFrom(first.get(i).payload()).get("unique_id"),
                    JSON.std.mapFrom(upgraded.get(i).payload()).get("unique_id"), "an upgrade keeps the unique ids");
        }
        List<Discovery.Message> other = Discovery.messages("homeassistant", "pi4-shop", "tapdoctor/pi4-shop", "1.2.3", true);
        assertTrue(other.get(0).payload().contains("\"identifiers\":[\"tapdoctor_pi4-shop\"]"), other.get(0).payload());
        assertEquals("tapdoctor_a_b_c", Discovery.node("a.b c"), "node ids keep to [a-zA-Z0-9_-]");
    }

    @Test
    void shouldUseTheConfiguredDiscoveryPrefixAndRemoveEverythingItMayPublish() {
        List<Discovery.Message> ms = Discovery.messages("ha-site3", "pi4-lab", PREFIX, "1.2.3", false);
        assertTrue(ms.stream().allMatch(m -> m.topic().startsWith("ha-site3/")));
        assertEquals("", ms.stream().filter(m -> m.topic().contains("/cpu_temperature/")).findFirst().orElseThrow().payload(),
                "no CPU zone here: its entity is removed, not published");
        assertEquals(16, ms.stream().filter(m -> !m.payload().isEmpty()).count());
        List<Discovery.Message> removal = Discovery.removal("ha-site3", "pi4-lab");
        assertEquals(ms.stream().map(Discovery.Message::topic).toList(), removal.stream().map(Discovery.Message::topic).toList(),
                "every topic discovery may publish");
        assertTrue(removal.stream().allMatch(m -> m.payload().isEmpty()));
    }

    @Test
    void shouldTakeTheEventTypesFromTheKindEnumThroughOneMethod() {
        assertEquals(Kind.values().length, Discovery.eventTypes().size());
        for (Kind k : Kind.values()) {
            assertTrue(Discovery.eventTypes().contains(k.label()), k.label());
        }
    }
}
