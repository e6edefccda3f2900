package dev.porta.plugins.requestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollingLogFileTest {

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-27T23:59:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();

    private Path link() {
        return dir.resolve("logs/access.log");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(link().getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("access.log")).sorted().toList();
        }
    }

    private static void write(RollingLogFile file, String... lines) throws IOException {
        file.write(new ArrayList<>(List.of(lines)));
    }

    private String read(String name) throws IOException {
        return Files.readString(link().resolveSibling(name));
    }

    @Test
    void startsANewFileAtMidnightAndLinksTheCurrentOne() throws IOException {
        try (RollingLogFile file = new RollingLogFile(link(), true, 0, 10, clock)) {
            write(file, "one", "two");
            clock.now = Instant.parse("2026-11-28T00:00:01Z");
            write(file, "three");
        }
        assertEquals(List.of("access.2026-11-27.0.log", "access.2026-11-28.0.log"), files());
        assertEquals("one\ntwo\n", read("access.2026-11-27.0.log"));
        assertEquals("three\n", Files.readString(link()));
    }

    @Test
    void aFileNeverPassesTheSizeLimitAndOnlyKeepAreKept() throws IOException {
        String line = "x".repeat(29); // 30 bytes with its line end
        try (RollingLogFile file = new RollingLogFile(link(), false, 100, 2, clock)) {
            for (int i = 0; i < 20; i++) write(file, line, line); // two lines per batch, as the writer thread hands them
        }
        // 40 lines, 3 to a file: 14 files written, the current one and 2 before it kept
        assertEquals(List.of("access.2026-11-27.11.log", "access.2026-11-27.12.log", "access.2026-11-27.13.log"), files());
        assertEquals(90, Files.size(link().resolveSibling("access.2026-11-27.12.log")));
        assertEquals(30, Files.size(link()));
    }

    @Test
    void everyLineIsWrittenAsItsUtf8BytesWhateverItHoldsAndHowLong() throws IOException {
        // ASCII lines are copied straight into the buffer; others encoded; one longer than the buffer written alone
        String long1 = "a".repeat(70_000);
        String long2 = "é".repeat(40_000);
        List<String> lines = List.of("plain ascii", "literal café ☕ 𝄞", long1, "after", long2, "", "x".repeat(65_535), "end");
        try (RollingLogFile file = new RollingLogFile(link(), false, 0, 10, clock)) {
            for (int i = 0; i < 3; i++) file.write(new ArrayList<>(lines));
        }
        String one = String.join("\n", lines) + "\n";
        assertEquals(one.repeat(3), Files.readString(link(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aRestartContinuesTodaysFileUnderTheLimit() throws IOException {
        try (RollingLogFile file = new RollingLogFile(link(), true, 100, 10, clock)) {
            write(file, "before");
        }
        try (RollingLogFile file = new RollingLogFile(link(), true, 100, 10, clock)) {
            write(file, "after");
        }
        assertEquals(List.of("access.2026-11-27.0.log"), files());
        assertEquals("before\nafter\n", Files.readString(link()));
        clock.now = Instant.parse("2026-11-28T08:00:00Z");
        try (RollingLogFile file = new RollingLogFile(link(), true, 100, 10, clock)) {
            write(file, "next day");
        }
        assertEquals(List.of("access.2026-11-27.0.log", "access.2026-11-28.0.log"), files());
        assertEquals("next day\n", Files.readString(link()));
    }

    @Test
    void rollStartsTheNextFileOfTheDay() throws IOException {
        try (RollingLogFile file = new RollingLogFile(link(), true, 0, 10, clock)) {
            write(file, "old format");
            file.roll();
            write(file, "new format");
        }
        assertEquals(List.of("access.2026-11-27.0.log", "access.2026-11-27.1.log"), files());
        assertEquals("old format\n", read("access.2026-11-27.0.log"));
        assertEquals("new format\n", Files.readString(link()));
        assertTrue(Files.isSameFile(link(), link().resolveSibling("access.2026-11-27.1.log")));
    }
}
