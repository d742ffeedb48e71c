package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tapdoctor.Tshark;

/**
 * {@code replay --evidence DIR} on the site scenarios: the evidence pcap of each site kind holds
 * exactly the frames Wireshark finds with the display filter that says what the kind's evidence
 * is (the device's EAPOL by its MAC, its DHCP by chaddr, its ARP, the DAD probe and its answer),
 * nothing of the healthy devices beside it.
 */
class SiteEvidenceTest {
    private static final Path SITE = Path.of("src/test/resources/scenarios/site");
    private static final String[] FIELDS = {"frame.time_epoch", "eth.src", "eth.dst", "eth.type", "frame.len"};

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', value = {
            "dot1x_failure.pcap; dot1x_failure; eapol && eth.addr == 02:00:00:00:00:10; 12",
            "dot1x_no_supplicant.pcap; dot1x_no_supplicant; (eapol && eth.dst == 02:00:00:00:00:26)"
                    + " || (dhcp.hw.mac_addr == 02:00:00:00:00:26); 7",
            "dhcp_ignored.pcap; dhcp_failure; dhcp.hw.mac_addr == 02:00:00:00:00:21; 3",
            "no_address.pcap; no_address; arp.src.hw_mac == 02:00:00:00:00:24; 5",
            "dhcp_rogue.pcap; dhcp_rogue_server; dhcp.option.dhcp_server_id == 192.0.2.254; 2",
            "ipv6_dad_conflict.pcap; duplicate_ip; icmpv6.nd.ns.target_address == 2001:db8:a::50"
                    + " || icmpv6.nd.na.target_address == 2001:db8:a::50; 2"})
    void shouldWriteExactlyTheKindsEvidenceFrames(String file, String kind, String filter, int frames) throws Exception {
        ReplayCommandTest.Run r = ReplayCommandTest.run("replay", "--format", "jsonl", "--evidence", dir.toString(),
                SITE.resolve(file).toString());
        assertEquals(0, r.exit(), r.err());
        String line = r.out().lines().filter(l -> l.startsWith("{\"kind\":\"" + kind + "\"")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("\"evidence_file\":\"([^\"]+)\"").matcher(line);
        assertTrue(m.find(), "no evidence_file: " + line);
        Path pcap = dir.resolve(m.group(1));
        assertTrue(Files.isRegularFile(pcap), pcap.toString());

        Tshark.require();
        List<String> expected = Tshark.fields(SITE.resolve(file), filter, FIELDS);
        assertFalse(expected.isEmpty(), filter);
        assertEquals(frames, expected.size(), "frames of " + filter);
        assertEquals(expected, Tshark.fields(pcap, null, FIELDS), "frames of " + pcap.getFileName());
    }
}
