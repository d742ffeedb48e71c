package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up errors of {@code run}: one line naming what is wrong, exit code 2, nothing started. */
class RunCommandTest {

    @Test
    void shouldStopAtAMissingConfigFileGivenOnTheCommandLine() {
        ReplayCommandTest.Run r = ReplayCommandTest.run("run", "--config", "no/such.conf");
        assertEquals(2, r.exit());
        assertEquals(List.of("tapdoctor: no/such.conf: no such file"), r.err().lines().toList());
        assertEquals("", r.out());
    }

    @Test
    void shouldStopAtABadValueNamingKeyValueAndFile(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("tapdoctor.conf");
        Files.writeString(conf, "interfaces = tapA,tapB\ncapture.buffer = lots\n");
        ReplayCommandTest.Run r = ReplayCommandTest.run("run", "--config", conf.toString());
        assertEquals(2, r.exit());
        assertEquals(List.of("tapdoctor: " + conf + ": key 'capture.buffer': bad value 'lots' (expected bytes, from 65536 to 1073741824)"),
                r.err().lines().toList());
    }

    @Test
    void shouldStopAtABadOverride() {
        ReplayCommandTest.Run r = ReplayCommandTest.run("run", "--set", "tcp.syn-timeout=0s");
        assertEquals(2, r.exit());
        assertEquals(List.of("tapdoctor: command line: key 'tcp.syn-timeout': bad value '0s' (expected a duration)"),
                r.err().lines().toList());
    }
}
