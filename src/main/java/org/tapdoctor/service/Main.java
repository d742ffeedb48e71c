package org.tapdoctor.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tapdoctor} command line: one subcommand per job. */
@Command(name = "tapdoctor", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "In-line TCP connection doctor: says why connections fail, from what crosses the wire.")
public final class Main implements Callable<Integer> {
    /**
     * The subcommands. picocli builds the model of every subcommand it is given, by reflection
     * over its options and the classes they name (the live capture, MQTT, Pi4J): a command line
     * that names one gets only that one (README, "Start-up"); help, errors and no arguments get all.
     */
    private static final class Subcommands {
        // A holder: reading the classes' annotations costs start-up, and a plain replay needs none
        static final Map<String, Class<?>> BY_NAME = subcommands(
                ReplayCommand.class, RunCommand.class, WatchCommand.class, PanelTestCommand.class);
    }

    /** Set by the run command's shutdown hook: System.exit during shutdown would block forever. */
    static volatile boolean shuttingDown;

    public static void main(String[] args) {
        int code = run(args);
        if (!shuttingDown) {
            System.exit(code);
        }
    }

    /**
     * Runs the command line and returns the exit code (tests call this instead of {@link #main}).
     * A plain replay command line ({@link PlainReplayLine}) runs without picocli, as picocli would
     * run it: the command's exit code, or 1 with the stack trace on stderr if it throws.
     */
    public static int run(String... args) {
        ReplayCommand plain = PlainReplayLine.parse(args);
        if (plain == null) {
            return commandLine(args).execute(args);
        }
        try {
            return plain.call();
        } catch (RuntimeException e) {
            e.printStackTrace();
            return 1;
        }
    }

    /** The command line for {@code args}: with only the subcommand they name, or with all. */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> named = args.length > 0 ? Subcommands.BY_NAME.get(args[0]) : null;
        for (Class<?> c : named != null ? List.<Class<?>>of(named) : Subcommands.BY_NAME.values()) {
            cl.addSubcommand(c);
        }
        return cl.setCaseInsensitiveEnumValuesAllowed(true);
    }

    private static Map<String, Class<?>> subcommands(Class<?>... classes) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            byName.put(c.getAnnotation(Command.class).name(), c);
        }
        return byName;
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
