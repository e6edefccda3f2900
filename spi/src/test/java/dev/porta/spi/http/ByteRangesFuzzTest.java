package dev.porta.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of the {@code Range} parser. Any field value against any length: never an
 * exception; the ranges to send lie inside the file, in order, none overlapping or adjacent, never more
 * bytes than the file has, and written out they resolve to themselves. For a valid range set built by the
 * fuzzer, the bytes to send are exactly the bytes asked for (computed here without the parser).
 */
class ByteRangesFuzzTest {

    @FuzzTest
    @DictionaryEntries({"bytes=", "BYTES=", "-", ",", " ", "\\x09", "0-", "-0", "0-0", "9223372036854775807", "9223372036854775808",
        "items="})
    void mergedRangesNeverExceedTheFile(FuzzedDataProvider fuzz) {
        long length = fuzz.consumeBoolean() ? fuzz.consumeLong(0, 1L << 20) : fuzz.consumeLong(0, Long.MAX_VALUE);
        String header = fuzz.consumeRemainingAsAsciiString();
        Optional<ByteRanges> parsed = ByteRanges.parse(header, length);
        if (parsed.isEmpty()) return;
        assertWithin(parsed.get(), length);
        assertEquals(parsed.get().ranges(), ByteRanges.parse(parsed.get().toString(), length).map(ByteRanges::ranges)
                .orElse(List.of()), "written out, the ranges resolve to themselves");
    }

    @FuzzTest
    void theBytesSentAreTheBytesAskedFor(FuzzedDataProvider fuzz) {
        int length = fuzz.consumeInt(1, 4096);
        int count = fuzz.consumeInt(1, 20);
        boolean[] asked = new boolean[length];
        List<String> specs = new ArrayList<>();
        long askedTotal = 0;
        for (int i = 0; i < count; i++) {
            int kind = fuzz.consumeInt(0, 2);
            int first = fuzz.consumeInt(0, length + 10);
            int last = fuzz.consumeInt(first, length + 20);
            int from;
            int to;
            switch (kind) {
                case 0 -> { specs.add(first + "-" + last); from = first; to = Math.min(last, length - 1); }
                case 1 -> { specs.add(first + "-"); from = first; to = length - 1; }
                default -> { specs.add("-" + first); from = Math.max(0, length - first); to = first == 0 ? -1 : length - 1; }
            }
            for (int b = from; b <= to && b < length; b++) asked[b] = true;
            if (from <= to && from < length) askedTotal += Math.min(to, length - 1) - from + 1;
        }
        String header = "bytes=" + String.join(fuzz.consumeBoolean() ? "," : " , ", specs);
        Optional<ByteRanges> parsed = ByteRanges.parse(header, length);
        if (askedTotal > length) {
            assertTrue(parsed.isEmpty(), "more bytes asked than the file has: the whole file (200)");
            return;
        }
        ByteRanges ranges = parsed.orElseThrow(() -> new AssertionError("a valid range set ignored: " + header));
        assertWithin(ranges, length);
        boolean[] sent = new boolean[length];
        for (ByteRange r : ranges.ranges()) {
            for (long b = r.first(); b <= r.last(); b++) sent[(int) b] = true;
        }
        for (int b = 0; b < length; b++) {
            int at = b;
            assertEquals(asked[b], sent[b], () -> "byte " + at + " of " + header + " against " + length + ": " + ranges);
        }
    }

    private static void assertWithin(ByteRanges ranges, long length) {
        long total = 0;
        long previousLast = -2;
        for (ByteRange r : ranges.ranges()) {
            assertTrue(r.first() >= 0 && r.first() <= r.last() && r.last() < length, () -> r + " of " + length);
            assertTrue(r.first() > previousLast + 1, () -> "overlapping or adjacent: " + ranges);
            previousLast = r.last();
            total += r.length();
        }
        assertTrue(total <= length, () -> ranges + " sends more than " + length + " bytes");
        assertEquals(!ranges.ranges().isEmpty(), ranges.isSatisfiable());
    }
}
