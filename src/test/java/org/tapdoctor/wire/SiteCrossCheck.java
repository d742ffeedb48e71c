package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.tapdoctor.Tshark;
import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.capture.FrameHandler;
import org.tapdoctor.capture.PcapFileSource;

/**
 * Decodes every frame of a capture and compares, frame by frame, what the decoder found in the
 * site protocols (LLDP, CDP, DHCP, neighbour discovery, EAPOL) with what tshark's dissectors
 * found in the same frame: the same frames must be of each protocol, with the same values.
 *
 * <p>Both sides are rendered into the same canonical {@code key=value} map per frame. tshark
 * fields are read with every occurrence ({@code -E occurrence=a}); where a message may carry a
 * value more than once the decoder keeps the first (documented in each flyweight), so the first
 * occurrence is compared. Strings are compared with control characters and runs of spaces
 * folded into one space (tshark prints a newline as {@code \n} and splits CDP's software version
 * into one occurrence per line).
 */
public final class SiteCrossCheck {
    /** tshark fields, in the order of the columns read back. */
    static final String[] FIELDS = {
        "frame.number", "frame.protocols", "ipv6.hlim", "_ws.malformed",
        // LLDP
        "lldp.chassis.subtype", "lldp.chassis.id.mac", "lldp.chassis.id", "lldp.port.subtype", "lldp.port.id",
        "lldp.port.id.mac", "lldp.time_to_live", "lldp.port.desc", "lldp.tlv.system.name", "lldp.tlv.system.desc",
        "lldp.mgn.addr.ip4", "lldp.mgn.addr.ip6", "lldp.ieee.802_1.port_vlan.id", "lldp.media.app_type",
        "lldp.media.policy_flag", "lldp.media.vlan_id", "lldp.media.model",
        // CDP
        "cdp.version", "cdp.ttl", "cdp.deviceid", "cdp.portid", "cdp.software_version", "cdp.platform",
        "cdp.native_vlan", "cdp.voice_vlan", "cdp.nrgyz.ip_address",
        // DHCP
        "dhcp.type", "dhcp.hops", "dhcp.id", "dhcp.hw.mac_addr", "dhcp.ip.client", "dhcp.ip.your", "dhcp.ip.relay",
        "dhcp.option.dhcp", "dhcp.option.requested_ip_address", "dhcp.option.dhcp_server_id", "dhcp.option.router",
        "dhcp.option.domain_name_server", "dhcp.option.ip_address_lease_time", "dhcp.option.message",
        // neighbour discovery
        "icmpv6.type", "icmpv6.code", "icmpv6.nd.ra.router_lifetime", "icmpv6.nd.ra.flag.m", "icmpv6.nd.ra.flag.o",
        "icmpv6.nd.na.flag.r", "icmpv6.nd.na.flag.s", "icmpv6.nd.na.flag.o", "icmpv6.nd.ns.target_address",
        "icmpv6.nd.na.target_address", "icmpv6.nd.rd.target_address", "icmpv6.opt.linkaddr", "icmpv6.opt.prefix",
        "icmpv6.opt.prefix.length", "icmpv6.opt.prefix.flag", "icmpv6.opt.prefix.valid_lifetime",
        "icmpv6.opt.prefix.preferred_lifetime",
        // EAPOL
        "eapol.version", "eapol.type", "eap.code", "eap.id", "eap.type", "eap.identity",
    };

    /** How many frames of each site type a file held (both sides agree when {@link #check} returns). */
    public record Counts(Map<DecodedFrame.Type, Integer> byType, long frames) {
        public int of(DecodedFrame.Type type) {
            return byType.getOrDefault(type, 0);
        }
    }

    /**
     * Key of a frame tshark calls malformed: the decoder may refuse it (not OK, or not a site
     * message), or agree with the values tshark read before the fault.
     */
    static final String MALFORMED = "tshark_malformed";

    private SiteCrossCheck() {
    }

    /** Compares every frame of {@code file}; fails with the first differing frame. */
    public static Counts check(Path file) throws Exception {
        Tshark.require();
        Map<Integer, Map<String, String>> theirs = tshark(file);
        Map<Integer, Map<String, String>> ours = new TreeMap<>();
        Map<DecodedFrame.Type, Integer> counts = new EnumMap<>(DecodedFrame.Type.class);
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        int[] number = {0};
        long frames = new CaptureFileReader().read(file, (bytes, length, wireLength, time, linkType, side) -> {
            number[0]++;
            DecodeResult r = decoder.decode(bytes, 0, length, linkType, f);
            Map<String, String> m = r == DecodeResult.OK ? ours(f) : null;
            Map<String, String> t = theirs.get(number[0]);
            if (t != null && t.containsKey(MALFORMED) && m == null) {
                ours.put(number[0], t); // tshark found it malformed, the decoder refused it
            } else if (t != null && t.containsKey(MALFORMED)) {
                m.put(MALFORMED, "1"); // malformed in a part the decoder does not read: the rest must agree
                ours.put(number[0], m);
                counts.merge(f.type(), 1, Integer::sum);
            } else if (m != null) {
                ours.put(number[0], m);
                counts.merge(f.type(), 1, Integer::sum);
            } else if (theirs.containsKey(number[0])) {
                ours.put(number[0], Map.of("result", r.name()));
            }
        });
        assertEquals(ours.keySet(), theirs.keySet(), file + ": frames of the site protocols (ours vs tshark)");
        for (Map.Entry<Integer, Map<String, String>> e : ours.entrySet()) {
            assertEquals(theirs.get(e.getKey()), e.getValue(), file + " frame " + e.getKey());
        }
        return new Counts(counts, frames);
    }

    /**
     * How many frames of each of {@code types} a file holds, read by libpcap (PcapFileSource)
     * through the capture {@code filter}, or without one when it is null.
     */
    public static Map<DecodedFrame.Type, Integer> framesThrough(Path file, String filter, List<DecodedFrame.Type> types)
            throws Exception {
        Map<DecodedFrame.Type, Integer> counts = new EnumMap<>(DecodedFrame.Type.class);
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame frame = new DecodedFrame();
        FrameHandler handler = (bytes, length, wireLength, time, linkType, side) -> {
            if (decoder.decode(bytes, 0, length, linkType, frame) == DecodeResult.OK && types.contains(frame.type())) {
                counts.merge(frame.type(), 1, Integer::sum);
            }
        };
        if (filter == null) {
            PcapFileSource.replay(file, handler);
        } else {
            PcapFileSource.replay(file, handler, filter);
        }
        return counts;
    }

    // ---------------------------------------------------------------- the decoder's side

    /** The canonical map of a decoded frame, or null when it is none of the site protocols. */
    static Map<String, String> ours(DecodedFrame f) {
        Map<String, String> m = new LinkedHashMap<>();
        byte[] b = f.buffer();
        switch (f.type()) {
            case LLDP -> {
                m.put("proto", "lldp");
                m.put("chassis_subtype", Integer.toString(f.chassisIdSubtype()));
                m.put("chassis", f.chassisIdSubtype() == 4 && f.chassisIdLength() == 6
                        ? WireText.hex(b, f.chassisIdOffset(), 6) : WireText.hex(b, f.chassisIdOffset(), f.chassisIdLength()));
                m.put("port_subtype", Integer.toString(f.portIdSubtype()));
                m.put("port", f.portIdSubtype() == 3 ? WireText.hex(b, f.portIdOffset(), f.portIdLength())
                        : fold(WireText.text(b, f.portIdOffset(), f.portIdLength())));
                m.put("ttl", Integer.toString(f.discoveryTtl()));
                put(m, "port_description", fold(WireText.text(b, f.portDescriptionOffset(), f.portDescriptionLength())));
                put(m, "system_name", fold(WireText.text(b, f.systemNameOffset(), f.systemNameLength())));
                put(m, "system_description",
                        fold(WireText.text(b, f.systemDescriptionOffset(), f.systemDescriptionLength())));
                putDiscoveryCommon(m, f);
            }
            case CDP -> {
                m.put("proto", "cdp");
                m.put("version", Integer.toString(f.cdpVersion()));
                m.put("ttl", Integer.toString(f.discoveryTtl()));
                put(m, "system_name", fold(WireText.text(b, f.systemNameOffset(), f.systemNameLength())));
                put(m, "port", fold(WireText.text(b, f.portIdOffset(), f.portIdLength())));
                put(m, "system_description",
                        fold(WireText.text(b, f.systemDescriptionOffset(), f.systemDescriptionLength())));
                putDiscoveryCommon(m, f);
            }
            case DHCP -> {
                m.put("proto", "dhcp");
                m.put("op", Integer.toString(f.dhcpOp()));
                m.put("hops", Integer.toString(f.dhcpHops()));
                m.put("xid", Integer.toHexString(f.dhcpXid()));
                put(m, "mac", f.dhcpClientMac() < 0 ? null : IpAddresses.formatMac(f.dhcpClientMac()));
                m.put("ciaddr", IpAddresses.formatV4(f.dhcpClientIp()));
                m.put("yiaddr", IpAddresses.formatV4(f.dhcpYourIp()));
                m.put("giaddr", IpAddresses.formatV4(f.dhcpRelayIp()));
                put(m, "message_type", f.dhcpMessageType() < 0 ? null : Integer.toString(f.dhcpMessageType()));
                put(m, "requested", v4(f.dhcpRequestedIp()));
                put(m, "server_id", v4(f.dhcpServerId()));
                put(m, "router", v4(f.dhcpRouter()));
                List<String> dns = new ArrayList<>();
                for (int i = 0; i < f.dhcpDnsCount(); i++) {
                    dns.add(IpAddresses.formatV4(f.dhcpDnsServer(i)));
                }
                put(m, "dns", dns.isEmpty() ? null : String.join(",", dns));
                put(m, "lease", f.dhcpLeaseSeconds() < 0 ? null : Long.toString(f.dhcpLeaseSeconds()));
                put(m, "message", fold(WireText.text(b, f.dhcpMessageOffset(), f.dhcpMessageLength())));
            }
            case NEIGHBOR_DISCOVERY -> {
                m.put("proto", "nd");
                m.put("type", Integer.toString(f.icmpType()));
                if (f.icmpType() == 134) {
                    m.put("router_lifetime", Integer.toString(f.raRouterLifetime()));
                    m.put("m", bit(f.raManaged()));
                    m.put("o", bit(f.raOther()));
                }
                if (f.icmpType() == 136) {
                    m.put("r", bit(f.naRouter()));
                    m.put("s", bit(f.naSolicited()));
                    m.put("override", bit(f.naOverride()));
                }
                if (f.icmpType() >= 135) {
                    m.put("target", IpAddresses.format(f.ndTargetHi(), f.ndTargetLo()));
                }
                put(m, "link_address", f.ndLinkAddress() < 0 ? null : IpAddresses.formatMac(f.ndLinkAddress()));
                int kept = Math.min(f.raPrefixCount(), DecodedFrame.MAX_PREFIXES);
                List<String> prefixes = new ArrayList<>();
                for (int i = 0; i < kept; i++) {
                    prefixes.add(IpAddresses.format(f.raPrefixHi(i), f.raPrefixLo(i)) + "/" + f.raPrefixLength(i)
                            + " flags=0x" + Integer.toHexString(f.raPrefixFlags(i)) + " valid=" + f.raPrefixValid(i)
                            + " preferred=" + f.raPrefixPreferred(i));
                }
                put(m, "prefixes", prefixes.isEmpty() ? null : String.join(",", prefixes));
            }
            case EAPOL -> {
                m.put("proto", "eapol");
                m.put("version", Integer.toString(f.eapolVersion()));
                m.put("type", Integer.toString(f.eapolType()));
                if (f.eapCode() >= 0) {
                    m.put("code", Integer.toString(f.eapCode()));
                    m.put("id", Integer.toString(f.eapId()));
                }
                put(m, "eap_type", f.eapType() < 0 ? null : Integer.toString(f.eapType()));
                if (f.eapType() == 1 && f.eapDataLength() > 0) {
                    put(m, "identity", fold(WireText.text(b, f.eapDataOffset(), f.eapDataLength())));
                }
            }
            default -> {
                return null;
            }
        }
        return m;
    }

    private static void putDiscoveryCommon(Map<String, String> m, DecodedFrame f) {
        byte[] b = f.buffer();
        put(m, "platform", fold(WireText.text(b, f.platformOffset(), f.platformLength())));
        put(m, "management", f.managementIpVersion() == 0 ? null : IpAddresses.format(f.managementHi(), f.managementLo()));
        put(m, "vlan", f.portVlanId() < 0 ? null : Integer.toString(f.portVlanId()));
        put(m, "voice_vlan", f.voiceVlanId() < 0 ? null : Integer.toString(f.voiceVlanId()));
    }

    // ---------------------------------------------------------------- tshark's side

    static Map<Integer, Map<String, String>> tshark(Path file) throws Exception {
        List<String> lines = Tshark.fieldsAll(file, FIELDS);
        Map<Integer, Map<String, String>> out = new TreeMap<>();
        for (String line : lines) {
            String[] cols = line.split("\t", -1);
            Map<String, List<String>> v = new LinkedHashMap<>();
            for (int i = 0; i < FIELDS.length; i++) {
                String c = i < cols.length ? cols[i] : "";
                v.put(FIELDS[i], c.isEmpty() ? List.of() : Arrays.asList(c.split("\\|", -1)));
            }
            Map<String, String> m = theirs(v);
            if (m != null && !first(v, "_ws.malformed").isEmpty()) {
                m.put(MALFORMED, "1");
            }
            if (m != null) {
                out.put(Integer.parseInt(first(v, "frame.number")), m);
            }
        }
        return out;
    }

    private static Map<String, String> theirs(Map<String, List<String>> v) {
        List<String> protocols = Arrays.asList(first(v, "frame.protocols").split(":"));
        Map<String, String> m = new LinkedHashMap<>();
        if (protocols.contains("lldp")) {
            m.put("proto", "lldp");
            String subtype = first(v, "lldp.chassis.subtype");
            m.put("chassis_subtype", subtype);
            m.put("chassis", subtype.equals("4") ? first(v, "lldp.chassis.id.mac") : first(v, "lldp.chassis.id"));
            String portSubtype = first(v, "lldp.port.subtype");
            m.put("port_subtype", portSubtype);
            m.put("port", portSubtype.equals("3") ? first(v, "lldp.port.id.mac") : fold(first(v, "lldp.port.id")));
            m.put("ttl", first(v, "lldp.time_to_live"));
            put(m, "port_description", fold(first(v, "lldp.port.desc")));
            put(m, "system_name", fold(first(v, "lldp.tlv.system.name")));
            put(m, "system_description", fold(first(v, "lldp.tlv.system.desc")));
            put(m, "platform", fold(first(v, "lldp.media.model")));
            String ip4 = first(v, "lldp.mgn.addr.ip4");
            put(m, "management", ip4.isEmpty() ? first(v, "lldp.mgn.addr.ip6") : ip4);
            put(m, "vlan", first(v, "lldp.ieee.802_1.port_vlan.id"));
            List<String> apps = v.get("lldp.media.app_type");
            String voice = "";
            for (int i = 0; i < apps.size(); i++) {
                // policy_flag is the U bit: 1 = the policy is unknown, its VLAN means nothing
                if (apps.get(i).equals("1") && v.get("lldp.media.policy_flag").get(i).equals("0")) {
                    voice = v.get("lldp.media.vlan_id").get(i);
                    break;
                }
            }
            put(m, "voice_vlan", voice);
        } else if (protocols.contains("cdp")) {
            m.put("proto", "cdp");
            m.put("version", first(v, "cdp.version"));
            m.put("ttl", first(v, "cdp.ttl"));
            put(m, "system_name", fold(first(v, "cdp.deviceid")));
            put(m, "port", fold(first(v, "cdp.portid")));
            put(m, "system_description", fold(String.join(" ", v.get("cdp.software_version"))));
            put(m, "platform", fold(first(v, "cdp.platform")));
            put(m, "management", first(v, "cdp.nrgyz.ip_address"));
            put(m, "vlan", first(v, "cdp.native_vlan"));
            put(m, "voice_vlan", first(v, "cdp.voice_vlan"));
        } else if (protocols.contains("dhcp")) {
            m.put("proto", "dhcp");
            m.put("op", first(v, "dhcp.type"));
            m.put("hops", first(v, "dhcp.hops"));
            m.put("xid", Long.toHexString(Long.decode(first(v, "dhcp.id"))));
            put(m, "mac", first(v, "dhcp.hw.mac_addr"));
            m.put("ciaddr", first(v, "dhcp.ip.client"));
            m.put("yiaddr", first(v, "dhcp.ip.your"));
            m.put("giaddr", first(v, "dhcp.ip.relay"));
            put(m, "message_type", first(v, "dhcp.option.dhcp"));
            put(m, "requested", first(v, "dhcp.option.requested_ip_address"));
            put(m, "server_id", first(v, "dhcp.option.dhcp_server_id"));
            put(m, "router", first(v, "dhcp.option.router"));
            put(m, "dns", String.join(",", v.get("dhcp.option.domain_name_server")));
            put(m, "lease", first(v, "dhcp.option.ip_address_lease_time"));
            put(m, "message", fold(first(v, "dhcp.option.message")));
        } else if (protocols.contains("icmpv6") && first(v, "ipv6.hlim").equals("255")
                && first(v, "icmpv6.code").equals("0") && isNd(first(v, "icmpv6.type"))) {
            String type = first(v, "icmpv6.type");
            m.put("proto", "nd");
            m.put("type", type);
            if (type.equals("134")) {
                m.put("router_lifetime", first(v, "icmpv6.nd.ra.router_lifetime"));
                m.put("m", bool(first(v, "icmpv6.nd.ra.flag.m")));
                m.put("o", bool(first(v, "icmpv6.nd.ra.flag.o")));
            }
            if (type.equals("136")) {
                m.put("r", bool(first(v, "icmpv6.nd.na.flag.r")));
                m.put("s", bool(first(v, "icmpv6.nd.na.flag.s")));
                m.put("override", bool(first(v, "icmpv6.nd.na.flag.o")));
            }
            String target = first(v, "icmpv6.nd.ns.target_address") + first(v, "icmpv6.nd.na.target_address")
                    + first(v, "icmpv6.nd.rd.target_address");
            put(m, "target", target);
            put(m, "link_address", first(v, "icmpv6.opt.linkaddr"));
            List<String> prefixes = new ArrayList<>();
            List<String> p = v.get("icmpv6.opt.prefix");
            for (int i = 0; i < Math.min(p.size(), DecodedFrame.MAX_PREFIXES); i++) {
                prefixes.add(p.get(i) + "/" + v.get("icmpv6.opt.prefix.length").get(i)
                        + " flags=" + v.get("icmpv6.opt.prefix.flag").get(i)
                        + " valid=" + v.get("icmpv6.opt.prefix.valid_lifetime").get(i)
                        + " preferred=" + v.get("icmpv6.opt.prefix.preferred_lifetime").get(i));
            }
            put(m, "prefixes", String.join(",", prefixes));
        } else if (protocols.contains("eapol")) {
            m.put("proto", "eapol");
            m.put("version", first(v, "eapol.version"));
            m.put("type", first(v, "eapol.type"));
            if (!first(v, "eap.code").isEmpty()) {
                m.put("code", first(v, "eap.code"));
                m.put("id", first(v, "eap.id"));
            }
            put(m, "eap_type", first(v, "eap.type"));
            if (first(v, "eap.type").equals("1")) {
                put(m, "identity", fold(first(v, "eap.identity")));
            }
        } else {
            return null;
        }
        return m;
    }

    private static boolean isNd(String type) {
        return List.of("133", "134", "135", "136", "137").contains(type);
    }

    // ---------------------------------------------------------------- helpers

    private static String first(Map<String, List<String>> v, String field) {
        List<String> l = v.get(field);
        return l == null || l.isEmpty() ? "" : l.get(0);
    }

    /** tshark's C escapes and control characters as spaces, runs of spaces as one, trimmed. */
    static String fold(String s) {
        if (s == null) {
            return null;
        }
        String t = s.replace("\\n", " ").replace("\\r", " ").replace("\\t", " ");
        StringBuilder sb = new StringBuilder();
        for (char c : t.toCharArray()) {
            char x = c < 0x20 || c == 0x7F ? ' ' : c;
            if (x == ' ' && (sb.length() == 0 || sb.charAt(sb.length() - 1) == ' ')) {
                continue;
            }
            sb.append(x);
        }
        return sb.toString().trim();
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }

    private static String v4(int ip) {
        return ip == 0 ? null : IpAddresses.formatV4(ip);
    }

    private static String bit(boolean b) {
        return b ? "1" : "0";
    }

    private static String bool(String tshark) {
        return tshark.equals("True") || tshark.equals("1") ? "1" : "0";
    }

    static void assertSome(Counts counts, DecodedFrame.Type type, int expected, Path file) {
        assertTrue(counts.frames() > 0, file + ": no frames");
        assertEquals(expected, counts.of(type), file + ": " + type + " frames");
    }
}
