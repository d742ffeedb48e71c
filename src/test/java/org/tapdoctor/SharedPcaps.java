package org.tapdoctor;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The public capture corpus (../shared/pcaps): present in CI, where tests that read it must run;
 * on a machine without it they are skipped with a visible message.
 */
public final class SharedPcaps {
    private SharedPcaps() {
    }

    /** The corpus directory; skips the calling test (or fails it when CI=true) if it is missing. */
    public static Path dir() {
        Path pcaps = Path.of(System.getProperty("tapdoctor.shared.pcaps", "../shared/pcaps"));
        if (!Files.isDirectory(pcaps)) {
            String message = "capture corpus not found at " + pcaps.toAbsolutePath() + " (set -Dtapdoctor.shared.pcaps=DIR)";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + "; CI=true, so it must be there");
            }
            System.err.println("SKIPPED: " + message);
            assumeTrue(false, message);
        }
        return pcaps;
    }
}
