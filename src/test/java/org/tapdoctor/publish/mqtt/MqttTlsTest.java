package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and passwords against a real Mosquitto with a CA, server and client certificates and a
 * password file generated here (openssl, mosquitto_passwd). {@code replay --mqtt ssl://...} runs
 * in its own JVM so that everything it writes on stderr (tinylog, Paho) is captured: the right
 * CA and password work (exit 0: every diagnosis acknowledged), a wrong password and an untrusted
 * broker certificate are refused with a line saying so, a listener that requires a client
 * certificate accepts ours (PKCS#8 and PKCS#1 keys) and refuses a client without one, and the
 * password never appears in any output.
 */
class MqttTlsTest {
    static final String PASSWORD = "s3cret-Pa55-9f2c";
    static final Path DEMO = Path.of("src/test/resources/demo/site-visit.pcap");

    @TempDir
    static Path dir;
    static Mosquitto broker;
    static int mutualPort;

    @BeforeAll
    static void pki() throws Exception {
        Mosquitto.require();
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj",
                "/CN=tapdoctor test CA");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rogue.key", "-out", "rogue.crt", "-days", "2",
                "-subj", "/CN=someone else's CA");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "server.crt", "-days", "2", "-extfile", "san.ext");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=box1");
        openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "client.crt", "-days", "2");
        openssl("rsa", "-in", "client.key", "-traditional", "-out", "client-pkcs1.key");
        run(List.of("mosquitto_passwd", "-c", "-b", dir.resolve("passwd").toString(), "box1", PASSWORD));
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        Files.writeString(dir.resolve("wrong-password"), "not-the-password\n");
        mutualPort = Mosquitto.freePort();
        String pki = "cafile " + dir.resolve("ca.crt") + "\ncertfile " + dir.resolve("server.crt") + "\nkeyfile "
                + dir.resolve("server.key");
        broker = Mosquitto.start(dir.resolve("broker"), List.of("allow_anonymous false",
                "password_file " + dir.resolve("passwd"), pki,
                "listener " + mutualPort + " 127.0.0.1", pki, "require_certificate true"));
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.stop();
        }
    }

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Run replay(int port, String... settings) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                "org.tapdoctor.service.Main", "replay", "--format", "jsonl", "--mqtt", "ssl://127.0.0.1:" + port,
                "--set", "device.id=tls", "--set", "mqtt.ca-file=" + dir.resolve("ca.crt"),
                "--set", "mqtt.username=box1", "--set", "mqtt.password-file=" + dir.resolve("password")));
        for (String s : settings) {
            cmd.add("--set");
            cmd.add(s);
        }
        cmd.add(DEMO.toString());
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Run r = new Run(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
        assertFalse(r.all().contains(PASSWORD), "the password appears in the output:\n" + r.all());
        return r;
    }

    @Test
    void shouldPublishWithTheRightCaAndPassword() throws Exception {
        Run r = replay(broker.port());
        assertEquals(0, r.exit, r.err);
        assertTrue(r.err.contains("mqtt: connected to ssl://127.0.0.1:" + broker.port()), r.err);
        // the 15 diagnoses; the site record's line (the gateway learned from the client's traffic) is no diagnosis
        assertEquals(15, r.out.lines().filter(l -> !l.startsWith("{\"kind\":\"site\"")).count());
    }

    @Test
    void shouldRefuseAWrongPasswordWithAClearError() throws Exception {
        Run r = replay(broker.port(), "mqtt.password-file=" + dir.resolve("wrong-password"));
        assertEquals(1, r.exit, r.err);
        assertTrue(r.err.contains("tapdoctor: mqtt: 15 diagnoses not delivered: the broker refused the login: wrong user name "
                + "or password, or this client is not authorized (mqtt.username, mqtt.password-file, client certificate)"), r.err);
        assertFalse(r.all().contains("not-the-password"), r.all());
    }

    @Test
    void shouldRefuseABrokerCertificateNotSignedByTheConfiguredCa() throws Exception {
        Run r = replay(broker.port(), "mqtt.ca-file=" + dir.resolve("rogue.crt"));
        assertEquals(1, r.exit, r.err);
        assertTrue(r.err.contains("diagnoses not delivered: TLS: the broker's certificate is not trusted (checked against "
                + "mqtt.ca-file and the host name)"), r.err);
    }

    @Test
    void shouldAuthenticateWithAClientCertificateInPkcs8AndPkcs1() throws Exception {
        for (String key : List.of("client.key", "client-pkcs1.key")) {
            Run r = replay(mutualPort, "mqtt.cert-file=" + dir.resolve("client.crt"), "mqtt.key-file=" + dir.resolve(key));
            assertEquals(0, r.exit, key + ": " + r.err);
        }
        Run without = replay(mutualPort);
        assertEquals(1, without.exit, without.err);
        assertTrue(without.err.contains("diagnoses not delivered: "), without.err);
    }

    @Test
    void shouldStopAtStartForAnUnreadableKeyFile() throws Exception {
        Files.writeString(dir.resolve("garbage.key"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        Run r = replay(mutualPort, "mqtt.cert-file=" + dir.resolve("client.crt"), "mqtt.key-file=" + dir.resolve("garbage.key"));
        assertEquals(2, r.exit, r.err);
        assertEquals("tapdoctor: defaults: TLS settings (mqtt.ca-file, mqtt.cert-file, mqtt.key-file): " + dir.resolve("garbage.key")
                + ": 'EC PRIVATE KEY' keys are not supported (expected an unencrypted PKCS#8 'PRIVATE KEY' or 'RSA PRIVATE KEY'; "
                + "convert with: openssl pkcs8 -topk8 -nocrypt)", r.err.strip());
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd.subList(0, 2)) + " failed: " + out);
        }
    }
}
