package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Mosquitto for tests: started on a free loopback port with a configuration generated in
 * a temporary directory, stopped by its PID (SIGTERM, so that it saves its persistence database
 * and publishes wills as a clean shutdown does), restartable on the same port. Tests that need
 * it call {@link #require()}: skipped with a visible message when mosquitto is not installed,
 * a failure when CI=true.
 */
public final class Mosquitto implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path dir;
    private final int port;
    private final List<String> extra;
    private Process process;

    private Mosquitto(Path dir, int port, List<String> extra) {
        this.dir = dir;
        this.port = port;
        this.extra = extra;
    }

    public static void require() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        String message = BINARY + " not found: the tests against a real MQTT broker are skipped (apt-get install mosquitto)";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + "; CI=true, so it must be installed (.ci/run)");
        }
        System.err.println("SKIPPED: " + message);
        assumeTrue(false, message);
    }

    /** A plain listener with anonymous access and persistence. */
    public static Mosquitto start(Path dir) throws IOException, InterruptedException {
        return start(dir, List.of("allow_anonymous true"));
    }

    /** A listener with these extra lines (TLS, password file...); the listener line is added. */
    public static Mosquitto start(Path dir, List<String> extra) throws IOException, InterruptedException {
        require();
        Mosquitto m = new Mosquitto(dir, freePort(), extra);
        m.start();
        return m;
    }

    public void start() throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        StringBuilder conf = new StringBuilder();
        if ("root".equals(System.getProperty("user.name"))) {
            conf.append("user root\n");
        }
        conf.append("persistence true\npersistence_location ").append(data).append("/\n")
                .append("log_dest file ").append(dir.resolve("mosquitto.log")).append('\n')
                .append("log_type all\n")
                .append("max_queued_messages 100000\n")
                .append("listener ").append(port).append(" 127.0.0.1\n");
        extra.forEach(l -> conf.append(l).append('\n'));
        Path file = dir.resolve("mosquitto.conf");
        Files.writeString(file, conf);
        process = new ProcessBuilder(BINARY.toString(), "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                fail("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.out")) + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        fail("mosquitto did not listen on " + port + ": " + log());
    }

    /** SIGTERM by PID and wait. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public String log() {
        try {
            return Files.exists(dir.resolve("mosquitto.log")) ? Files.readString(dir.resolve("mosquitto.log")) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
