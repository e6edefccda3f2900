package dev.porta.plugins.requestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The writer thread against a sink that fails or stalls on demand. */
class AccessLogFileTest {

    /** A disk that fails or is slow when told; notes any write after close and any close during a write. */
    static final class TestSink implements LineSink {
        final List<String> written = Collections.synchronizedList(new ArrayList<>());
        volatile boolean failing;
        volatile long delayMillis;
        volatile boolean writing;
        volatile boolean closed;
        volatile String misuse;

        @Override
        public void write(List<String> lines) throws IOException {
            if (closed) misuse = "a write after close";
            writing = true;
            try {
                if (delayMillis > 0) Thread.sleep(delayMillis);
                if (failing) throw new IOException("No space left on device");
                written.addAll(lines);
                lines.clear();
            } catch (InterruptedException e) {
                throw new IOException(e);
            } finally {
                writing = false;
            }
        }

        @Override
        public void close() {
            if (writing) misuse = "closed during a write";
            if (closed) misuse = "closed twice";
            closed = true;
        }
    }

    private final TestSink sink = new TestSink();

    private static final Path SERVER_LOG = Path.of("target/server-log-under-test.txt");

    static {
        // tinylog empties the file at its first line: let that happen before a test takes its offset
        org.tinylog.Logger.info("AccessLogFileTest starts");
    }

    private static String serverLog() throws IOException {
        return Files.exists(SERVER_LOG) ? Files.readString(SERVER_LOG) : "";
    }

    /** The sum of the dropped-line counts that the warnings in {@code log} give. */
    private static long droppedInWarnings(String log) {
        Matcher m = Pattern.compile("WARN request-log dropped (\\d+) access-log lines").matcher(log);
        long sum = 0;
        while (m.find()) sum += Long.parseLong(m.group(1));
        return sum;
    }

    private static void eventually(String what, java.util.function.BooleanSupplier check) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 10 s: " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void aFailingDiskNeverStallsARequestThreadAndWritingResumesWhenItRecovers() throws Exception {
        int logBefore = serverLog().length();
        sink.failing = true;
        AccessLogFile log = new AccessLogFile(sink, 4, Duration.ofMillis(10), Duration.ofMillis(50));
        int n = 20;
        // each line waits at most 100 ms for room: far inside this bound
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < n; i++) log.append("line " + i);
        });
        sink.failing = false;
        eventually("the kept lines written once the disk recovers", () -> !sink.written.isEmpty());
        assertTrue(log.append("after recovery"));
        eventually("a new line written", () -> sink.written.contains("after recovery"));
        log.close();
        assertNull(sink.misuse);

        List<String> kept = new ArrayList<>(sink.written);
        assertEquals("after recovery", kept.removeLast());
        // lines are kept or dropped, never written twice nor out of order
        int previous = -1;
        for (String line : kept) {
            int i = Integer.parseInt(line.substring("line ".length()));
            assertTrue(i > previous, "in order, once each: " + kept);
            previous = i;
        }
        long dropped = n - kept.size();
        assertTrue(dropped > 0, "a queue of 4 cannot hold 20 lines: " + kept);
        String warnings = serverLog().substring(logBefore);
        assertEquals(dropped, droppedInWarnings(warnings), warnings);
        assertTrue(warnings.contains("ERROR request-log cannot write the access log"), warnings);
        assertTrue(warnings.contains("request-log writes the access log again"), warnings);
    }

    @Test
    void aSlowButHealthyDiskLosesNoLine() throws Exception {
        sink.delayMillis = 20;
        AccessLogFile log = new AccessLogFile(sink, 4, Duration.ofMillis(10), Duration.ofMillis(50));
        List<Thread> threads = new ArrayList<>();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 50; i++) {
                    String line = thread + ":" + i;
                    if (!log.append(line)) refused.add(line);
                }
            }));
        }
        for (Thread t : threads) t.join();
        log.close();
        assertEquals(Set.of(), refused);
        assertEquals(200, new HashSet<>(sink.written).size());
        assertEquals(200, sink.written.size());
        assertNull(sink.misuse);
    }

    @Test
    void closeWritesEveryAcceptedLineRefusesLaterOnesAndNeverClosesTheFileUnderAWrite() throws Exception {
        sink.delayMillis = 20; // a slow disk widens every window between stop and the last write
        AccessLogFile log = new AccessLogFile(sink, 64, Duration.ofMillis(10), Duration.ofSeconds(10));
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(Thread.ofVirtual().start(() -> {
                // go on past close(), as an exchange racing with stop would
                for (int i = 0; refused.size() < 20 && System.nanoTime() < deadline; i++) {
                    String line = thread + ":" + i;
                    if (log.append(line)) accepted.add(line);
                    else refused.add(line);
                    Thread.onSpinWait();
                }
            }));
        }
        Thread.sleep(200);
        log.close();
        assertTrue(sink.closed);
        List<String> atClose = List.copyOf(sink.written);
        for (Thread t : threads) t.join();
        Set<String> missing = new HashSet<>(accepted);
        missing.removeAll(atClose);
        assertEquals(0, missing.size(), "accepted lines not written by the time close() returned");
        assertEquals(accepted.size(), atClose.size(), "each line once");
        assertFalse(accepted.isEmpty());
        assertEquals(atClose, sink.written, "nothing written after close");
        assertNull(sink.misuse);
    }

    @Test
    void closeGivesUpOnAFailingDiskAndCountsWhatItLost() throws Exception {
        int logBefore = serverLog().length();
        sink.failing = true;
        AccessLogFile log = new AccessLogFile(sink, 16, Duration.ofMillis(10), Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) assertTrue(log.append("line " + i));
        assertTimeoutPreemptively(Duration.ofSeconds(30), log::close);
        assertTrue(sink.closed);
        assertNull(sink.misuse);
        assertEquals(5, droppedInWarnings(serverLog().substring(logBefore)));
    }
}
