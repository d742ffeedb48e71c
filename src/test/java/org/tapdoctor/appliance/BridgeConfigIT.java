package org.tapdoctor.appliance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The transparent bridge as systemd/network configures it (STP off, group_fwd_mask 0x4008,
 * learning off, no address, GRO/GSO/TSO/LRO off) applied to two veth ports between a client and
 * a server namespace: the kernel takes each setting, a TCP connection passes, and a capture on a
 * port sees its SYN and SYN/ACK (bridge-test.sh). Needs root.
 */
class BridgeConfigIT {

    @Test
    void shouldPassAndCaptureTrafficWithTheApplianceBridgeSettings() throws Exception {
        ApplianceScript.requirePrerequisites("BridgeConfigIT", "bridge-test.sh", true);
        List<String> out = ApplianceScript.run(Path.of("target/appliance/bridge-test.log"), 3, "bridge-test.sh");
        assertTrue(out.contains("tapA: learning off, gro gso tso lro off"), String.join("\n", out));
        assertTrue(out.contains("tapB: learning off, gro gso tso lro off"), String.join("\n", out));
        assertTrue(out.contains("client got: THROUGH THE TAP"), String.join("\n", out));
        assertTrue(out.contains("bridge ok: SYN and SYN/ACK captured on tapA"), String.join("\n", out));
    }
}
