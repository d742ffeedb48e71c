package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.diagnose.Severity;

class JournalTest {

    private static Outbox.Entry entry(long n, Severity s) {
        return new Outbox.Entry(n, s, "refused", "box-" + n, "{\"id\":\"box-" + n + "\",\"n\":" + n + "}", 0);
    }

    @Test
    void shouldRecoverWhatWasNotMarkedDoneInOrder(@TempDir Path dir) throws Exception {
        try (Journal j = Journal.open(dir)) {
            assertEquals(List.of(), j.recovered());
            assertArrayEquals(new long[] {0, 1, 2, 3}, j.append(List.of(entry(0, Severity.CRITICAL), entry(1, Severity.INFO),
                    entry(2, Severity.WARNING), entry(3, Severity.CRITICAL))));
            j.done(new long[] {0, 2});
        }
        try (Journal j = Journal.open(dir)) {
            assertEquals(List.of(new Journal.Saved(Severity.INFO, "refused", "box-1", "{\"id\":\"box-1\",\"n\":1}"),
                    new Journal.Saved(Severity.CRITICAL, "refused", "box-3", "{\"id\":\"box-3\",\"n\":3}")), j.recovered());
            assertArrayEquals(new long[] {2}, j.append(List.of(entry(4, Severity.INFO))), "indexes follow the recovered ones");
            j.done(new long[] {0});
        }
        try (Journal j = Journal.open(dir)) {
            assertEquals(List.of("box-3", "box-4"), j.recovered().stream().map(Journal.Saved::id).toList());
        }
    }

    @Test
    void shouldIgnoreATornLastLine(@TempDir Path dir) throws Exception {
        try (Journal j = Journal.open(dir)) {
            j.append(List.of(entry(0, Severity.CRITICAL)));
        }
        Files.writeString(dir.resolve(Journal.LOG), "critical\trefused\tbox-1\t{\"id\":\"bo", StandardOpenOption.APPEND);
        try (Journal j = Journal.open(dir)) {
            assertEquals(List.of("box-0"), j.recovered().stream().map(Journal.Saved::id).toList());
        }
    }

    @Test
    void shouldEmptyBothFilesWhenEverythingWasDelivered(@TempDir Path dir) throws Exception {
        try (Journal j = Journal.open(dir)) {
            long[] idx = new long[Journal.COMPACT_LINES];
            List<Outbox.Entry> many = new java.util.ArrayList<>();
            for (int i = 0; i < idx.length; i++) {
                many.add(entry(i, Severity.INFO));
                idx[i] = i;
            }
            j.append(many);
            j.done(idx);
            j.compactIfIdle(true);
            assertEquals(0, Files.size(dir.resolve(Journal.LOG)));
            assertEquals(0, Files.size(dir.resolve(Journal.DONE)));
            assertArrayEquals(new long[] {0}, j.append(List.of(entry(99, Severity.INFO))));
        }
        try (Journal j = Journal.open(dir)) {
            assertEquals(List.of("box-99"), j.recovered().stream().map(Journal.Saved::id).toList());
        }
    }
}
