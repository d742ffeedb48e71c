package org.tapdoctor.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * image/files/tapdoctor-firstboot applies the SD card's tapdoctor.txt to a root directory standing
 * for / (TAPDOCTOR_FIRSTBOOT_ROOT): tapdoctor.conf keys replaced in place or appended, the image's
 * own keys (host name, SSH key, Wi-Fi) written to their files, Windows line ends accepted, and a
 * second run changes nothing.
 */
class FirstbootSettingsTest {

    private static final Path SCRIPT = Path.of("image/files/tapdoctor-firstboot").toAbsolutePath();

    @Test
    void shouldApplyTheCardsSettingsOnceAndAgainWithoutChange(@TempDir Path root) throws Exception {
        prepare(root);
        Files.writeString(root.resolve("boot/firmware/tapdoctor.txt"), String.join("\r\n",
                "# a comment",
                "hostname = lab-tap",
                "ssh = on",
                "ssh.authorized_key = ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 tester@laptop",
                "wifi.ssid = lab net",
                "wifi.psk = secret pass",
                "wifi.country = DE",
                "evidence.max-files = 500",
                "interfaces=tapA,tapB",
                "some.new-key = x y",
                ""));
        String log = run(root);
        assertTrue(log.contains("set evidence.max-files in"), log);

        List<String> conf = Files.readAllLines(root.resolve("etc/tapdoctor/tapdoctor.conf"));
        assertEquals(List.of("evidence.max-files = 500"), conf.stream().filter(l -> l.contains("evidence.max-files")).toList(),
                "the commented default line is replaced in place");
        assertEquals(List.of("interfaces = tapA,tapB"), conf.stream().filter(l -> l.contains("interfaces =")).toList());
        assertEquals("some.new-key = x y", conf.get(conf.size() - 1), "an unknown key is appended (the service rejects it)");
        assertEquals(Files.readAllLines(Path.of("board/tapdoctor.conf")).size() + 1, conf.size());
        assertEquals("lab-tap\n", Files.readString(root.resolve("etc/hostname")));
        assertTrue(Files.readString(root.resolve("etc/hosts")).contains("127.0.1.1\tlab-tap\n"));
        assertEquals("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 tester@laptop\n", Files.readString(root.resolve("root/.ssh/authorized_keys")));
        String wpa = Files.readString(root.resolve("etc/wpa_supplicant/wpa_supplicant-wlan0.conf"));
        assertTrue(wpa.contains("country=DE\n") && wpa.contains("ssid=\"lab net\"\n") && wpa.contains("psk=\"secret pass\"\n"), wpa);

        String before = Files.readString(root.resolve("etc/tapdoctor/tapdoctor.conf"));
        run(root);
        assertEquals(before, Files.readString(root.resolve("etc/tapdoctor/tapdoctor.conf")), "a second boot changes nothing");
    }

    @Test
    void shouldNameTheBoxFromItsIdWithoutASettingsFile(@TempDir Path root) throws Exception {
        prepare(root);
        String log = run(root);
        assertTrue(log.contains("no " + root.resolve("boot/firmware/tapdoctor.txt")), log);
        assertEquals("tapdoctor-abcdef\n", Files.readString(root.resolve("etc/hostname")));
        assertEquals(Files.readString(Path.of("board/tapdoctor.conf")), Files.readString(root.resolve("etc/tapdoctor/tapdoctor.conf")));
    }

    private static void prepare(Path root) throws IOException {
        for (String dir : List.of("boot/firmware", "etc/tapdoctor", "etc/wpa_supplicant", "run", "root")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.copy(Path.of("board/tapdoctor.conf"), root.resolve("etc/tapdoctor/tapdoctor.conf"));
        Files.writeString(root.resolve("etc/hostname"), "tapdoctor\n");
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1\tlocalhost\n127.0.1.1\ttapdoctor\n");
        Files.writeString(root.resolve("etc/machine-id"), "00000000000000000000000000abcdef\n");
    }

    private static String run(Path root) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
        pb.environment().put("TAPDOCTOR_FIRSTBOOT_ROOT", root.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
