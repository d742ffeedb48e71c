package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tapdoctor.publish.EvidenceWriter;
import org.tapdoctor.publish.FrameSelector;

/**
 * A kind is one unit, impossible to half-add: every {@link Kind} has its row in
 * docs/diagnosis-rules.md (severity, placement, evidence pcap) and in the README, says something
 * on the LCD, points where its row says, selects evidence frames exactly when its row says it has
 * an evidence pcap, and has a rule test ({@link KindTest}); every rule class in
 * {@code diagnose/kinds} is named by a kind.
 */
class KindsTest {
    static final Path RULES = Path.of("docs/diagnosis-rules.md");
    static final Path README = Path.of("README.md");

    /** The rows of the kinds table of a markdown file: kind label to its cells. */
    static Map<String, List<String>> rows(Path file) throws IOException {
        Map<String, List<String>> rows = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("| `")) {
                List<String> cells = Arrays.stream(line.split("\\|")).map(String::trim).skip(1).toList();
                rows.putIfAbsent(cells.get(0).replace("`", ""), cells);
            }
        }
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> shouldBeOneUnitForEveryKind() throws IOException {
        Map<String, List<String>> rules = rows(RULES);
        Map<String, List<String>> readme = rows(README);
        return Arrays.stream(Kind.values()).map(k -> DynamicTest.dynamicTest(k.label(), () -> {
            List<String> row = rules.get(k.label());
            assertNotNull(row, RULES + " has no row for " + k.label());
            assertEquals(k.severity().label(), row.get(1), "severity of " + k.label() + " in " + RULES);
            assertNotNull(readme.get(k.label()), README + " has no row for " + k.label());
            assertEquals(k.severity().label(), readme.get(k.label()).get(1), "severity of " + k.label() + " in " + README);

            Diagnosis d = KindExamples.of(k);
            assertEquals(k, d.kind());
            String title = d.kind().rule().lcdTag(d);
            assertFalse(title.isBlank(), "LCD tag of " + k.label());
            assertFalse(d.kind().rule().lcdDetail(d).isBlank(), "LCD detail of " + k.label());
            assertFalse(d.summary().isBlank(), "summary of " + k.label());

            Set<String> placements = Arrays.stream(row.get(3).split(",")).map(String::trim).collect(Collectors.toSet());
            Placement.Fault fault = d.kind().rule().fault(d);
            if (placements.equals(Set.of("none"))) {
                assertNull(fault, k.label() + " points nowhere, its row says");
            } else {
                assertNotNull(fault, k.label() + " must point somewhere: " + placements);
                assertTrue(placements.contains(fault.label()), k.label() + " points " + fault.label() + ", its row says " + placements);
            }
            FrameSelector frames = FrameSelector.of(d, EvidenceWriter.AFTER_LAST_NANOS);
            if (row.get(4).equals("none")) {
                assertNull(frames, k.label() + " has no evidence pcap, its row says");
            } else {
                assertNotNull(frames, k.label() + " selects no frames, its row says: " + row.get(4));
            }
        }));
    }

    @Test
    void shouldHaveARuleTestForEveryKind() throws Exception {
        Set<Kind> tested = EnumSet.noneOf(Kind.class);
        for (Class<?> c : classesUnder(location(KindsTest.class), "org.tapdoctor")) {
            for (Method m : c.getDeclaredMethods()) {
                for (KindTest t : m.getAnnotationsByType(KindTest.class)) {
                    tested.add(t.value());
                }
            }
        }
        assertEquals(EnumSet.allOf(Kind.class), tested, "kinds without a @KindTest rule test: "
                + EnumSet.complementOf(EnumSet.copyOf(tested.isEmpty() ? EnumSet.noneOf(Kind.class) : tested)));
    }

    @Test
    void shouldNameEveryRuleOfTheKindsPackage() throws Exception {
        Set<Class<?>> named = Arrays.stream(Kind.values()).map(k -> k.rule().getClass()).collect(Collectors.toSet());
        for (Class<?> c : classesUnder(location(Kind.class), "org.tapdoctor.diagnose.kinds")) {
            if (KindRule.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                assertTrue(named.contains(c), c.getSimpleName() + " is a kind's rule that no Kind constant names");
            }
        }
    }

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The classes compiled under {@code root} in package {@code pkg} and below, loaded without initialising them. */
    private static List<Class<?>> classesUnder(Path root, String pkg) throws IOException {
        Path dir = root.resolve(pkg.replace('.', '/'));
        try (Stream<Path> s = Files.walk(dir)) {
            List<Class<?>> out = new java.util.ArrayList<>();
            for (Path p : s.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    out.add(Class.forName(name, false, KindsTest.class.getClassLoader()));
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new AssertionError("cannot load " + name, e);
                }
            }
            return out;
        }
    }
}
