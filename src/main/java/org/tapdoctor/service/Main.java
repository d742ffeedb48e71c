package org.tapdoctor.service;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tapdoctor} command line: one subcommand per job. */
@Command(name = "tapdoctor", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "In-line TCP connection doctor: says why connections fail, from what crosses the wire.",
        subcommands = {ReplayCommand.class, RunCommand.class, WatchCommand.class, PanelTestCommand.class})
public final class Main implements Callable<Integer> {

    /** Set by the run command's shutdown hook: System.exit during shutdown would block forever. */
    static volatile boolean shuttingDown;

    public static void main(String[] args) {
        int code = run(args);
        if (!shuttingDown) {
            System.exit(code);
        }
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    /** The version from the jar manifest (set by the build). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tapdoctor " + version()};
        }
    }

    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
