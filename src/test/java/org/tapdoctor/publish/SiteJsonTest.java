package org.tapdoctor.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tapdoctor.site.SiteRecord;

class SiteJsonTest {
    private static final long T = 1_795_741_200_000_000_000L; // 2026-11-27T01:00:00Z

    @Test
    void shouldWriteEveryPartWithTheContractsNames() {
        SiteRecord.Switch sw = new SiteRecord.Switch("sw-3f-access-01", "02:00:00:00:bb:01", "Gi1/0/12", "desk 12", 10, 20,
                "192.0.2.3", "WS-C3560CX-12PC", "lldp", T - 30_000_000_000L);
        Map<String, String> links = new LinkedHashMap<>();
        links.put("eth0", "up 1G full");
        links.put("eth1", "up 1G full");
        SiteRecord r = new SiteRecord.Builder(T).switchPort(sw).addSwitch(sw)
                .dhcp(new SiteRecord.Dhcp("192.0.2.2", 12, 3, "192.0.2.1", List.of("192.0.2.53"), 3600))
                .gateway(new SiteRecord.Gateway("192.0.2.1", "02:00:00:00:00:01", "dhcp", true))
                .addIpv6Router(new SiteRecord.Ipv6Router("fe80::1", "02:00:00:00:00:01", List.of("2001:db8:1::/64"), 1800))
                .dot1x(new SiteRecord.Dot1x(true, 1, 0)).links(links).dnsAnswered(true).build();
        assertEquals("{\"kind\":\"site\",\"time\":\"2026-11-27T01:00:00.000Z\","
                + "\"switch\":{\"name\":\"sw-3f-access-01\",\"chassis_id\":\"02:00:00:00:bb:01\",\"port\":\"Gi1/0/12\","
                + "\"port_description\":\"desk 12\",\"vlan\":10,\"voice_vlan\":20,\"management_ip\":\"192.0.2.3\","
                + "\"platform\":\"WS-C3560CX-12PC\",\"protocol\":\"lldp\",\"seen\":\"2026-11-27T00:59:30.000Z\"},"
                + "\"dhcp\":{\"server\":\"192.0.2.2\",\"offer_ms\":12,\"leases\":3,\"router\":\"192.0.2.1\","
                + "\"dns\":[\"192.0.2.53\"],\"lease_s\":3600},"
                + "\"gateway\":{\"ip\":\"192.0.2.1\",\"mac\":\"02:00:00:00:00:01\",\"learned_from\":\"dhcp\",\"answers_arp\":true},"
                + "\"ipv6_routers\":[{\"ip\":\"fe80::1\",\"mac\":\"02:00:00:00:00:01\",\"prefixes\":[\"2001:db8:1::/64\"],"
                + "\"lifetime_s\":1800}],"
                + "\"dot1x\":{\"authenticator\":true,\"clients\":{\"ok\":1,\"failed\":0}},"
                + "\"links\":{\"eth0\":\"up 1G full\",\"eth1\":\"up 1G full\"},"
                + "\"checks\":{\"link\":\"ok\",\"switch\":\"ok\",\"dhcp\":\"ok\",\"gateway\":\"ok\",\"dns\":\"ok\"}}",
                SiteJson.toJson(r));
    }

    @Test
    void shouldLeaveOutWhatWasNotSeen() {
        SiteRecord.Switch a = new SiteRecord.Switch("S1", null, "Fa0/13", null, 1, -1, null, null, "cdp", T);
        SiteRecord.Switch b = new SiteRecord.Switch(null, "00:19:2f:a7:b2:8d", "Uplink to S1", null, -1, -1, null, null,
                "lldp", T);
        SiteRecord r = new SiteRecord.Builder(T).addSwitch(a).addSwitch(b)
                .gateway(new SiteRecord.Gateway("192.0.2.9", null, "dhcp", false)).build();
        assertEquals("{\"kind\":\"site\",\"time\":\"2026-11-27T01:00:00.000Z\",\"switches\":["
                + "{\"name\":\"S1\",\"port\":\"Fa0/13\",\"vlan\":1,\"protocol\":\"cdp\",\"seen\":\"2026-11-27T01:00:00.000Z\"},"
                + "{\"chassis_id\":\"00:19:2f:a7:b2:8d\",\"port\":\"Uplink to S1\",\"protocol\":\"lldp\","
                + "\"seen\":\"2026-11-27T01:00:00.000Z\"}],"
                + "\"gateway\":{\"ip\":\"192.0.2.9\",\"learned_from\":\"dhcp\",\"answers_arp\":false},"
                + "\"checks\":{\"link\":\"?\",\"switch\":\"ok\",\"dhcp\":\"?\",\"gateway\":\"fail\",\"dns\":\"?\"}}",
                SiteJson.toJson(r));
        assertEquals(List.of("neighbour S1 port Fa0/13 vlan 1 (cdp)", "neighbour ? port Uplink to S1 chassis 00:19:2f:a7:b2:8d (lldp)",
                "gateway 192.0.2.9 (from dhcp), does not answer ARP", "checks LNK ? SW ok DHCP ? GW fail DNS ?"), SiteText.lines(r));
    }
}
