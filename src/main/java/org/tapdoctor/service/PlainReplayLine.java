package org.tapdoctor.service;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A plain {@code replay} command line, read without picocli: {@code replay} then files and, at
 * most once each, {@code --format}, {@code --reader}, {@code --panel} and {@code --lcd} with their
 * values (separate or after {@code =}). Building picocli's model of the command (reflection over
 * its annotations, its converters, ~150 of its classes loaded) took ~100 ms of every replay's
 * start; a replay of a small capture is mostly start.
 *
 * <p>Anything else goes to picocli, which stays the parser of record: help, versions, errors,
 * the other options ({@code --set}, {@code --config}, {@code --evidence}, {@code --mqtt}, ...),
 * {@code --}, {@code @file} arguments, an option given twice, a value that picocli would reject or
 * read differently. What this accepts, picocli parses the same way (a test compares them), so a
 * command line means the same through either.
 */
final class PlainReplayLine {
    private PlainReplayLine() {
    }

    /** The replay command {@code args} set up, or null when picocli must read them. */
    static ReplayCommand parse(String... args) {
        if (args.length < 2 || !"replay".equals(args[0])) {
            return null;
        }
        ReplayCommand c = new ReplayCommand();
        List<Path> files = new ArrayList<>();
        Set<String> given = new HashSet<>();
        for (int k = 1; k < args.length; k++) {
            String a = args[k];
            if (!plainWord(a)) {
                return null;
            }
            if (a.charAt(0) != '-') {
                Path file = path(a);
                if (file == null) {
                    return null;
                }
                files.add(file);
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq > 0 ? a.substring(0, eq) : a;
            String value = eq > 0 ? a.substring(eq + 1) : ++k < args.length ? args[k] : null;
            if (value == null || !plainWord(value) || value.charAt(0) == '-' || !given.add(name) || !set(c, name, value)) {
                return null;
            }
        }
        if (files.isEmpty()) {
            return null;
        }
        c.files = files;
        return c;
    }

    private static boolean set(ReplayCommand c, String option, String value) {
        switch (option) {
            case "--format" -> c.format = constant(ReplayCommand.Format.class, value);
            case "--reader" -> c.reader = constant(ReplayCommand.Reader.class, value);
            case "--panel" -> c.panel = constant(ReplayCommand.PanelMode.class, value);
            case "--lcd" -> c.lcd = value;
            default -> {
                return false;
            }
        }
        return c.format != null && c.reader != null && c.panel != null;
    }

    /** Not empty, not an {@code @file} (picocli expands those), no control characters. */
    private static boolean plainWord(String s) {
        if (s.isEmpty() || s.charAt(0) == '@') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < ' ') {
                return false;
            }
        }
        return true;
    }

    /**
     * The constant named {@code value} in any case (the command line allows case-insensitive enum
     * values), or null; ASCII letters only, where every notion of "any case" agrees.
     */
    private static <E extends Enum<E>> E constant(Class<E> type, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z')) {
                return null;
            }
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        return null;
    }

    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
