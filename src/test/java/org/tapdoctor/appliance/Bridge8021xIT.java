package org.tapdoctor.appliance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The appliance's bridge keeps a client's 802.1X and the switch's LLDP working (issue 10 item 4):
 * br0 as systemd/network/20-tapdoctor-br0.netdev configures it (its GroupForwardMask read from the
 * file, not written here) between wpa_supplicant -Dwired and hostapd's wired driver with its
 * internal EAP server, lldpd sending LLDP on the switch side (bridge-8021x-test.sh). With mask 0,
 * a bridge that does not forward the IEEE 802.1D reserved group addresses, neither crosses: the
 * test can fail, and the mask is what makes it pass. Needs root.
 */
class Bridge8021xIT {

    @Test
    void shouldAuthenticateAndPassLldpThroughTheApplianceBridge() throws Exception {
        ApplianceScript.requirePrerequisites("Bridge8021xIT", "bridge-8021x-test.sh", true);
        List<String> out = ApplianceScript.run(Path.of("target/appliance/bridge-8021x-test.log"), 3, "bridge-8021x-test.sh",
                "appliance");
        String text = String.join("\n", out);
        assertTrue(out.stream().anyMatch(l -> l.matches("br0: .*group_fwd_mask 0x4008 .*\\(appliance\\)")), text);
        assertTrue(out.contains("802.1X: authenticated"), text);
        assertTrue(out.stream().anyMatch(l -> l.matches("LLDP: [1-9][0-9]* frames crossed \\(system name sw-8021x-test\\)")),
                text);
    }

    @Test
    void shouldFailBothWithABridgeThatForwardsNoReservedGroupAddress() throws Exception {
        ApplianceScript.requirePrerequisites("Bridge8021xIT", "bridge-8021x-test.sh", true);
        List<String> out = ApplianceScript.run(Path.of("target/appliance/bridge-8021x-test-mask0.log"), 3,
                "bridge-8021x-test.sh", "0");
        String text = String.join("\n", out);
        assertTrue(out.contains("802.1X: not authenticated"), text);
        assertTrue(out.contains("LLDP: none crossed"), text);
    }
}
