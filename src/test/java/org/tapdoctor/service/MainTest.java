package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The command line is built with only the subcommand it names (start-up), or with all. */
class MainTest {

    @Test
    void shouldBuildOnlyTheSubcommandTheArgumentsName() {
        for (String name : List.of("replay", "run", "watch", "panel-test")) {
            assertEquals(Set.of(name), Main.commandLine(name, "--help").getSubcommands().keySet(), name);
        }
    }

    @Test
    void shouldBuildEverySubcommandForHelpErrorsAndNoArguments() {
        List<String> all = List.of("replay", "run", "watch", "panel-test");
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"--version"},
                new String[] {"bogus", "replay"}, new String[] {"Replay"})) {
            assertEquals(all, List.copyOf(Main.commandLine(args).getSubcommands().keySet()), String.join(" ", args));
        }
    }
}
