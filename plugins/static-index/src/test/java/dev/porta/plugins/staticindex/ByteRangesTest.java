package dev.porta.plugins.staticindex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.porta.plugins.staticindex.ByteRanges.Range;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a Range header resolves against a file of 10 bytes. */
class ByteRangesTest {

    private static Optional<List<Range>> parse(String header) {
        return ByteRanges.parse(header, 10);
    }

    @Test
    void anOpenRangeFromTheEndOnIsUnsatisfiable() {
        assertEquals(Optional.of(List.of()), parse("bytes=10-"));
        assertEquals(Optional.of(List.of()), parse("bytes=99-"));
        assertEquals(Optional.of(List.of(new Range(9, 9))), parse("bytes=9-"));
        assertEquals(Optional.of(List.of()), ByteRanges.parse("bytes=0-", 0));
    }
}
