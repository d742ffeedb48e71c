package org.tapdoctor.service;

/** Runs a tapdoctor command in this JVM with stdout and stderr captured, for tests in other packages. */
public final class CommandRun {
    public record Result(int exit, String out, String err) {
    }

    private CommandRun() {
    }

    public static Result run(String... args) {
        ReplayCommandTest.Run r = ReplayCommandTest.run(args);
        return new Result(r.exit(), r.out(), r.err());
    }
}
