package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    static final Path BOARD = Path.of("board/tapdoctor.conf");

    @Test
    void shouldDocumentEveryKeyWithItsDefaultInTheBoardFile() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        Pattern line = Pattern.compile("^#?([a-z_][a-z0-9_.-]*) =\\s*(.*)$");
        for (String l : Files.readAllLines(BOARD)) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                documented.put(m.group(1), m.group(2).trim());
            }
        }
        assertEquals(Config.defaults(), documented);
    }

    @Test
    void shouldLoadTheBoardFileAsShipped() throws Exception {
        Config c = Config.load(BOARD, true, Map.of());
        assertEquals(List.of("eth0", "eth1"), c.interfaces());
        assertEquals(Duration.ofSeconds(3), c.duration("tcp.syn-timeout"));
        assertEquals(65_536, c.trackerConfig().connections());
    }

    @Test
    void shouldNameTheFileAndTheKeyOfAnUnknownKey(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("tapdoctor.conf");
        Files.writeString(f, "interfaces = eth0,eth1\nsyn.timeout = 3s\n");
        Config.ConfigException e = assertThrows(Config.ConfigException.class, () -> Config.load(f, true, Map.of()));
        assertEquals(f + ": unknown key 'syn.timeout' (known keys: ", e.getMessage().substring(0, e.getMessage().indexOf('(') + 13));
    }

    @Test
    void shouldNameTheKeyTheValueAndTheFileOfABadValue(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("tapdoctor.conf");
        Files.writeString(f, "tcp.syn-timeout = soon\n");
        Config.ConfigException e = assertThrows(Config.ConfigException.class, () -> Config.load(f, true, Map.of()));
        assertEquals(f + ": key 'tcp.syn-timeout': bad value 'soon' (expected a duration)", e.getMessage());
    }

    @Test
    void shouldRejectOutOfRangeNumbersAndBadInterfaces(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.conf");
        Files.writeString(f, "capture.snaplen = 40\n");
        assertEquals(f + ": key 'capture.snaplen': bad value '40' (expected an integer from 96 to 65535)",
                assertThrows(Config.ConfigException.class, () -> Config.load(f, true, Map.of())).getMessage());
        assertEquals("command line: key 'interfaces': bad value 'eth0,eth1,eth2' (expected one or two NIC names, comma separated)",
                assertThrows(Config.ConfigException.class,
                        () -> Config.load(null, false, Map.of("interfaces", "eth0,eth1,eth2"))).getMessage());
        assertEquals("command line: key 'client_side': bad value 'eth9' (expected 'auto' or one of [eth0, eth1])",
                assertThrows(Config.ConfigException.class,
                        () -> Config.load(null, false, Map.of("client_side", "eth9"))).getMessage());
    }

    @Test
    void shouldLetTheCommandLineOverrideTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.conf");
        Files.writeString(f, "interfaces = eth0,eth1\nclient_side = eth1\nformat = jsonl\n");
        Config c = Config.load(f, true, Map.of("format", "text"));
        assertEquals("text", c.string("format"));
        assertEquals(List.of("eth1", "eth0"), c.sides(), "the client side comes first");
    }

    @Test
    void shouldUseDefaultsWhenTheDefaultFileIsAbsentButFailWhenAGivenFileIsMissing(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("none.conf");
        assertEquals("text", Config.load(missing, false, Map.of()).string("format"));
        assertEquals(missing + ": no such file",
                assertThrows(Config.ConfigException.class, () -> Config.load(missing, true, Map.of())).getMessage());
    }

    @Test
    void shouldBuildTheDhcpRulesFromTheirKeys() throws Exception {
        assertEquals(org.tapdoctor.track.DhcpSettings.defaults(), Config.load(null, false, Map.of()).dhcpSettings());
        Config c = Config.load(null, false, Map.of("dhcp.allowed-servers", "192.0.2.2, 192.0.2.3", "dhcp.timeout", "6s",
                "dhcp.min-attempts", "4"));
        org.tapdoctor.track.DhcpSettings d = c.dhcpSettings();
        assertEquals(List.of(0xC0000202, 0xC0000203), java.util.Arrays.stream(d.allowedServers()).boxed().toList());
        assertEquals(6_000_000_000L, d.timeoutNanos());
        assertEquals(4, d.minAttempts());
        assertEquals(d, c.engineSettings().dhcp(), "the engine is built with them");
        assertEquals("command line: key 'dhcp.allowed-servers': bad value '192.0.2' (expected IPv4 addresses, comma "
                + "separated, or empty (judged by leases))", assertThrows(Config.ConfigException.class,
                        () -> Config.load(null, false, Map.of("dhcp.allowed-servers", "192.0.2"))).getMessage());
        assertThrows(Config.ConfigException.class, () -> Config.load(null, false, Map.of("dhcp.allowed-servers", "192.0.2.256")));
    }
}
